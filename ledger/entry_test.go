package ledger

import (
	"bytes"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestCanonicalSortsKeysAndKeepsDecimalsAsStrings(t *testing.T) {
	v := struct {
		Z string          `json:"z"`
		A decimal.Decimal `json:"a"`
		M map[string]int  `json:"m"`
	}{Z: "<&>", A: decimal.RequireFromString("1250.50"), M: map[string]int{"b": 2, "a": 1}}
	got, err := Canonical(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":"1250.5","m":{"a":1,"b":2},"z":"<&>"}`
	if string(got) != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	again, err := CanonicalizeJSON(got)
	if err != nil || !bytes.Equal(again, got) {
		t.Fatalf("canonicalizing canonical bytes changed them: %s", again)
	}
}

func TestEncodeEntryRawMatchesCanonical(t *testing.T) {
	payload := map[string]any{"id": "x", "n": decimal.RequireFromString("3.140"), "list": []string{"b", "a"}}
	raw, err := Canonical(payload)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 10, 2, 3, 4, 5, 6000, time.FixedZone("JST", 9*3600))
	actor := Actor{TokenID: "tok-1", Role: RoleOperator, Operator: "telco-a"}
	fast, err := EncodeEntryRaw(42, at, actor, KindReturnFiled, raw)
	if err != nil {
		t.Fatal(err)
	}
	slow, err := EncodeEntry(42, at, actor, KindReturnFiled, payload)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fast, slow) {
		t.Fatalf("fast encoding differs:\n%s\n%s", fast, slow)
	}
	e, err := DecodeEntry(fast)
	if err != nil || e.Seq != 42 || !e.Time.Equal(at) || e.Actor != actor {
		t.Fatalf("decode: %+v %v", e, err)
	}
}

func TestIsCountryCode(t *testing.T) {
	for c, want := range map[string]bool{"JP": true, "FJ": true, "ZW": true, "AD": true, "XX": false, "jp": false, "J": false, "JPN": false, "P ": false} {
		if got := IsCountryCode(c); got != want {
			t.Errorf("IsCountryCode(%q) = %v, want %v", c, got, want)
		}
	}
}
