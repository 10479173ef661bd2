package filing

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

func TestExampleIsClean(t *testing.T) {
	r, warnings, err := checkJSON(bytes.NewReader(exampleJSON(t)), Options{}, exampleContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %+v", warnings)
	}
	if r.Operator != "sakura-mobile" || r.Period != (ledger.Period{Year: 2025, Quarter: 3}) {
		t.Errorf("operator %q period %v", r.Operator, r.Period)
	}
	if got := r.Fuels[0].GeneratedKWh.String(); got != "610000" {
		t.Errorf("fuels[0].generated_kwh = %s", got)
	}
	if got := r.Resilience.Outages[1].Started.Location(); got.String() != "UTC" {
		t.Errorf("started in %v", got)
	}
}

// TestRoundTrip: a decoded return encodes canonically and decodes back to
// an equal value, and the second encoding is the same bytes.
func TestRoundTrip(t *testing.T) {
	r1 := decodeExample(t)
	r1.Sites = []ledger.Site{siteRow("s-1", "JP"), siteRow("s-2", "JP")}
	r1.Sites[1].DieselL = mustDec("12.5")
	r1.Sites[1].Hardened = true
	b1, err := ledger.Canonical(r1)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := DecodeJSON(bytes.NewReader(b1), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r1, r2) {
		t.Errorf("round trip changed the return:\n%+v\n%+v", r1, r2)
	}
	b2, err := ledger.Canonical(r2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1, b2) {
		t.Errorf("canonical bytes differ:\n%s\n%s", b1, b2)
	}
}
