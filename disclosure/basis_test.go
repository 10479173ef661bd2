package disclosure

import (
	"strings"
	"testing"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

// acceptedFixture is the operator fixture (2026-Q3 accepted, its earlier
// quarters filed without reviews) as a public document.
func acceptedFixture(t *testing.T) (*Bundle, *inputs) {
	t.Helper()
	b := fixtureBundle(t, "operator-bundle.json")
	b.Basis = BasisAccepted
	return b, testInputs(t, b)
}

// A bundle of BasisAccepted uses accepted quarters only, even when it
// carries others: the quarters it has no acceptance for are not compared
// with, and the document says so with the reason; it still verifies.
func TestBasisAcceptedUsesAcceptedQuartersOnly(t *testing.T) {
	b, in := acceptedFixture(t)
	var kept []string
	for p := range in.returns[b.Operator] {
		kept = append(kept, p.String())
	}
	if len(kept) != 1 || kept[0] != "2026-Q3" {
		t.Fatalf("quarters used: %v, want the accepted 2026-Q3 only", kept)
	}
	v, err := operatorDisclosure(b, in)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, u := range v.Unavailable {
		reasons[u.Metric] = u.Reason
	}
	for metric, quarter := range map[string]string{"summary.previous": "2026-Q2", "summary.year_ago": "2025-Q3"} {
		if r := reasons[metric]; !strings.HasPrefix(r, quarter+" has no accepted return") {
			t.Errorf("%s: reason %q, want one naming %s", metric, r, quarter)
		}
	}
	for _, tr := range append(append(v.Summary.E1, v.Summary.E2...), v.Summary.E3...) {
		if tr.Previous.OK || tr.YearAgo.OK {
			t.Fatalf("%s compares with a quarter that is not accepted", tr.Key)
		}
	}
	if len(v.E1.Quarters) != 1 {
		t.Fatalf("the scopes chart has %d quarters, want 1", len(v.E1.Quarters))
	}
	pdf, err := Render(b)
	if err != nil {
		t.Fatal(err)
	}
	if r := Verify(pdf, fixtureKey(t)); !r.Valid {
		t.Fatalf("a public document does not verify: %v", r.Problems)
	}
}

// A comparison of BasisAccepted with a year names the quarters of it that
// have no accepted return, or the year when none has.
func TestBasisAcceptedNamesTheMissingQuarters(t *testing.T) {
	b, in := acceptedFixture(t)
	c := &calc{in: in, operator: b.Operator, gwp: b.GWP, done: map[ledger.Period]*calculators.Metrics{}}
	for year, want := range map[int]string{
		2026: "2026-Q1, 2026-Q2, 2026-Q4 have no accepted return",
		2025: "2025 has no accepted return",
	} {
		var na []calculators.Unavailable
		r, err := c.comparison(ledger.Span{Year: year}, "summary.previous", &na)
		if err != nil || r != nil || len(na) != 1 || !strings.HasPrefix(na[0].Reason, want) {
			t.Errorf("%d: rollup %v, reasons %v, err %v; want a reason starting %q", year, r, na, err, want)
		}
	}
}

// Only the basis this build knows, and only on an operator disclosure,
// renders; a bundle without one encodes as it always did.
func TestBasisIsChecked(t *testing.T) {
	b := fixtureBundle(t, "operator-bundle.json")
	raw, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), `"basis"`) {
		t.Fatal("a bundle without a basis encodes one")
	}
	b.Basis = "everything"
	if _, err := Render(b); err == nil || !strings.Contains(err.Error(), "basis") {
		t.Fatalf("unknown basis: %v", err)
	}
	s := fixtureBundle(t, "sector-bundle.json")
	s.Basis = BasisAccepted
	if _, err := Render(s); err == nil || !strings.Contains(err.Error(), "basis") {
		t.Fatalf("basis on a sector report: %v", err)
	}
}
