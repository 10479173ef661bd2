package ledger_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

// TestFactorSet20251EncodesAsBefore holds apt-2025.1 to the canonical
// bytes the release before methodology versions wrote for it (the
// payload of its factor_set.published entry, from which every document
// is rendered): none of the fields added since may appear.
func TestFactorSet20251EncodesAsBefore(t *testing.T) {
	want, err := os.ReadFile("testdata/factors-apt-2025.1.canonical.json")
	if err != nil {
		t.Fatal(err)
	}
	fs, err := ledger.ParseFactorSet(fixtures.DefaultFactorSet())
	if err != nil {
		t.Fatal(err)
	}
	got, err := ledger.Canonical(fs)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("apt-2025.1 encodes differently from before:\n%s", firstDiff(got, want))
	}
	if m := fs.MethodologyOf(); m != ledger.Methodology20251 {
		t.Errorf("methodology of apt-2025.1 = %q, want 2025.1", m)
	}
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-60)
	return "got  ..." + string(a[from:min(len(a), i+60)]) + "\nwant ..." + string(b[from:min(len(b), i+60)])
}

// TestFactorSet20261Parses decodes every field of apt-2026.1 and checks a
// few values against the sources page of the set in docs/; decoding is strict, so
// a field the type lacks fails here.
func TestFactorSet20261Parses(t *testing.T) {
	fs, err := ledger.ParseFactorSet(fixtures.FactorSet20261())
	if err != nil {
		t.Fatal(err)
	}
	if fs.MethodologyOf() != ledger.Methodology20261 || fs.BasedOn != "apt-2025.1" {
		t.Errorf("methodology %q, based_on %q", fs.Methodology, fs.BasedOn)
	}
	th := fs.Grid["TH"]
	if th.Factor().String() != "0.475" || th.Basis != ledger.BasisDirect || !th.LossesIncluded ||
		th.Scope3Cat3 == nil || th.Scope3Cat3.Value.String() != "0.0812" {
		t.Errorf("TH = %+v", th)
	}
	if g, ok := fs.GridFactorOf("AU-ACT"); !ok || g.Factor().String() != "0.64" {
		t.Errorf("AU-ACT resolves to %+v, %v; want AU-NSW's 0.64", g, ok)
	}
	if y, ok := fs.Grid["SG"].DataYearOf(); !ok || y != 2017 {
		t.Errorf("SG data year %d, %v", y, ok)
	}
	if fs.ODP["r22"].String() != "0.055" || fs.Fuels["natural_gas"].GCVPerNCV.String() != "1.108" {
		t.Errorf("odp %v, gcv_per_ncv %v", fs.ODP, fs.Fuels["natural_gas"].GCVPerNCV)
	}
	if len(fs.Markets["TH"].CertificateSystems) != 1 {
		t.Errorf("markets.TH = %+v", fs.Markets["TH"])
	}
	// The canonical encoding reads back to the same set.
	b, err := ledger.Canonical(fs)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ledger.ParseFactorSet(b)
	if err != nil {
		t.Fatalf("the canonical encoding does not parse: %v", err)
	}
	b2, _ := ledger.Canonical(again)
	if !bytes.Equal(b, b2) {
		t.Error("canonical encoding is not stable")
	}
}

// TestFactorSetSourcedEntriesChecked: a 2026.1 set needs every grid's
// value, unit, basis, publisher, document, url and evidence; a 2025.1
// set does not.
func TestFactorSetSourcedEntriesChecked(t *testing.T) {
	base := string(fixtures.FactorSet20261())
	cases := []struct {
		name, old, new, path string
	}{
		{"no basis", `"basis": "direct",
   "losses_included": true,
   "data_year": 2023,
   "period": "calendar year 2023 (one-year average)"`, `"losses_included": true,
   "data_year": 2023,
   "period": "calendar year 2023 (one-year average)"`, "grid.KR.basis"},
		{"basis not allowed", `"basis": "operating_margin"`, `"basis": "average"`, "grid.PH-LUZVIS.basis"},
		{"no url", `"url": "https://www.k-esg.org/esghub/esg_news_view?idx=4184",`, ``, "grid.KR.url"},
		{"bad methodology", `"methodology": "2026.1"`, `"methodology": "2027.9"`, "methodology"},
		{"alias to nothing", `"AU-ACT": "AU-NSW"`, `"AU-ACT": "AU-XX"`, "grid_aliases.AU-ACT"},
		{"use life without source", `"average_lifetime_years": "5.63",`, `"average_lifetime_years": "5.63", "use_life_years": "3",`, "devices.smartphone.use_life_years"},
		{"use life not > 0", `"average_lifetime_years": "5.63",`, `"average_lifetime_years": "5.63", "use_life_years": "0", "use_life_source": "s",`, "devices.smartphone.use_life_years"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(base, c.old) {
				t.Fatalf("fixture lacks %q", c.old)
			}
			_, err := ledger.ParseFactorSet([]byte(strings.Replace(base, c.old, c.new, 1)))
			if !hasField(err, c.path) {
				t.Errorf("error %v does not name %s", err, c.path)
			}
		})
	}
	t.Run("2025.1 needs none of it", func(t *testing.T) {
		if _, err := ledger.ParseFactorSet(fixtures.DefaultFactorSet()); err != nil {
			t.Error(err)
		}
	})
}

func hasField(err error, path string) bool {
	e, ok := err.(*ledger.Error)
	if !ok {
		return false
	}
	for _, f := range e.Fields {
		if f.Path == path {
			return true
		}
	}
	return false
}
