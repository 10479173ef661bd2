package ledger

import (
	"strings"
	"testing"
	"time"
)

// A token issued before tokens named jurisdictions (nil) covers every
// country, as "*" does; a list covers its countries only.
func TestCovers(t *testing.T) {
	for _, c := range []struct {
		js      []string
		country string
		want    bool
	}{
		{nil, "JP", true},
		{[]string{"*"}, "JP", true},
		{[]string{"TH"}, "TH", true},
		{[]string{"TH"}, "JP", false},
		{[]string{}, "JP", false},
	} {
		if got := Covers(c.js, c.country); got != c.want {
			t.Errorf("Covers(%q, %s) = %v", c.js, c.country, got)
		}
	}
}

// Entries written before the new fields existed keep their bytes: a
// token without jurisdictions and an operator without reporting_from
// encode without the keys.
func TestNewFieldsLeaveOldBytes(t *testing.T) {
	tok, _ := Canonical(TokenIssued{ID: "tok-1", SecretHash: "h", Role: RoleRegulator})
	op, _ := Canonical(Operator{ID: "op", Name: "Op", Country: "JP", Kinds: []string{"mobile"}})
	if string(tok) != `{"id":"tok-1","role":"regulator","secret_hash":"h"}` || strings.Contains(string(op), "reporting_from") {
		t.Fatalf("old payloads changed: %s %s", tok, op)
	}
}

// The deadline is midnight after the last day, in the administration's
// time zone; with the defaults it is the rule before jurisdictions.
func TestJurisdictionDeadline(t *testing.T) {
	q3 := Period{Year: 2025, Quarter: 3}
	if d := DefaultJurisdiction("JP").Deadline(q3); !d.Equal(q3.End().AddDate(0, 0, 45)) {
		t.Fatalf("default deadline %s", d)
	}
	j := Jurisdiction{Country: "TH", DeadlineDays: 30, TimeZone: "Asia/Bangkok"}
	if d := j.Deadline(q3); !d.Equal(time.Date(2025, 10, 30, 17, 0, 0, 0, time.UTC)) {
		t.Fatalf("TH deadline %s, want 31 October 00:00 in Bangkok", d)
	}
}
