package disclosure

import (
	"crypto/rand"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// Decide: only a document rendered again and found identical can be
// authentic, whatever else a caller knows; the ledger's supersessions
// make an authentic one superseded and never a forged one; each failure
// is said in its own plain words.
func TestDecide(t *testing.T) {
	key := fixtureKey(t)
	pdf, err := Render(fixtureBundle(t, "operator-bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	restated := []Supersession{{Return: "a-2025-Q3-v1", By: "a-2025-Q3-v2", Filed: "2025-11-20T09:30:00Z", Current: "a-2025-Q3-v2"}}

	inspected := Inspect(pdf, key) // every check but the render
	inspected.Decide(nil)
	if inspected.Verdict != VerdictNotAuthentic || inspected.Valid {
		t.Fatalf("inspected, never rendered: %s valid %v", inspected.Verdict, inspected.Valid)
	}

	res := Verify(pdf, key)
	res.Decide(nil)
	if res.Verdict != VerdictCurrent || !res.Valid || res.SupersededBy != nil || !strings.Contains(res.Summary, "authentic") {
		t.Fatalf("as issued: %+v", res)
	}
	res.Decide(restated)
	if res.Verdict != VerdictSuperseded || !res.Valid || len(res.SupersededBy) != 1 || !strings.Contains(res.Summary, "no longer the current version") {
		t.Fatalf("restated since: %+v", res)
	}
	res.AddProblem("this ledger's tree of that size has another root")
	res.Decide(restated)
	if res.Verdict != VerdictNotAuthentic || res.Valid || res.SupersededBy != nil || !strings.Contains(res.Summary, "another log") {
		t.Fatalf("another log: %+v", res)
	}

	_, other, err := note.GenerateKey(rand.Reader, "ictledger")
	if err != nil {
		t.Fatal(err)
	}
	altered := append([]byte(nil), pdf...)
	altered[len(altered)/2] ^= 1
	for _, tc := range []struct {
		name string
		res  *Result
		want string
	}{
		{"another key", Verify(pdf, other), "not signed by this ledger's key"},
		{"altered", Verify(altered, key), "changed after the ledger issued it"},
		{"no proof", Verify([]byte("%PDF-1.7"), key), "carries no proof"},
	} {
		tc.res.Decide(restated)
		if tc.res.Verdict != VerdictNotAuthentic || tc.res.Valid || tc.res.SupersededBy != nil || !strings.Contains(tc.res.Summary, tc.want) {
			t.Errorf("%s: %s %q, want not authentic saying %q", tc.name, tc.res.Verdict, tc.res.Summary, tc.want)
		}
	}
}

// A regional report presents many operators' returns: its verdict says
// so rather than naming one operator.
func TestDecideNamesWhoFiled(t *testing.T) {
	key := fixtureKey(t)
	for name, who := range map[string]string{"operator-bundle.json": "the operator filed", "region-bundle.json": "the operators filed"} {
		pdf, err := Render(fixtureBundle(t, name))
		if err != nil {
			t.Fatal(err)
		}
		res := Verify(pdf, key)
		res.Decide(nil)
		if !strings.Contains(res.Summary, who) {
			t.Errorf("%s: %q does not say %q", name, res.Summary, who)
		}
	}
}
