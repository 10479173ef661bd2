package disclosure

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

// bundle20261 is the operator fixture as a document of methodology
// 2026.1 in disclosure_v3: factor set apt-2026.1 published (as entry 1)
// and the shown quarter, 2026-Q3, filed with it; every earlier quarter
// keeps apt-2025.1. Render does not check proofs, so the entries need
// none.
func bundle20261(t *testing.T) *Bundle {
	t.Helper()
	b := fixtureBundle(t, "operator-bundle.json")
	es, raws, err := b.rawEntries()
	if err != nil {
		t.Fatal(err)
	}
	fsRaw, err := ledger.CanonicalizeJSON(fixtures.FactorSet20261())
	if err != nil {
		t.Fatal(err)
	}
	var out []BundleEntry
	for i, e := range es {
		raw := raws[i]
		if e.Kind == ledger.KindReturnFiled || e.Kind == ledger.KindReturnRestated {
			var rf ledger.ReturnFiled
			if err := e.DecodePayload(&rf); err != nil {
				t.Fatal(err)
			}
			if rf.Return.Period.String() == "2026-Q3" {
				rf.FactorSet, rf.Return.FactorSet = fixtures.FactorSet20261Version, fixtures.FactorSet20261Version
				if raw, err = ledger.EncodeEntry(e.Seq, e.Time, e.Actor, e.Kind, rf); err != nil {
					t.Fatal(err)
				}
			}
		}
		out = append(out, NewBundleEntry(e.Seq, raw, nil))
		if i == 0 {
			fsEntry, err := ledger.EncodeEntryRaw(1, e.Time, e.Actor, ledger.KindFactorSetPublished, fsRaw)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, NewBundleEntry(1, fsEntry, nil))
		}
	}
	b.Entries, b.Template, b.Methodology = out, templates.OperatorTemplateV3, ledger.Methodology20261
	return b
}

// view20261 builds the view model of a bundle.
func view20261(t *testing.T, b *Bundle) *templates.OperatorDisclosure {
	t.Helper()
	es, _, err := b.rawEntries()
	if err != nil {
		t.Fatal(err)
	}
	in, err := decodeInputs(es)
	if err != nil {
		t.Fatal(err)
	}
	v, err := operatorDisclosure(b, in)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// metricsOf computes a quarter of the bundle with the factor set given.
func metricsOf(t *testing.T, b *Bundle, period, factorSet string) *calculators.Metrics {
	t.Helper()
	es, _, err := b.rawEntries()
	if err != nil {
		t.Fatal(err)
	}
	in, err := decodeInputs(es)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ledger.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	f := in.returns[b.Operator][p]
	m, err := calculators.Compute(calculators.Request{Return: &f.Return, ID: f.ID, Version: f.Version, Earlier: in.earlier(b.Operator, p),
		Factors: in.factorSets[factorSet], GWP: b.GWP, Methodology: ledger.Methodology20261})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// In a disclosure_v3 document the periods compared with are computed
// under the shown period's methodology and factor set (methodology
// 2026.1, versioning rules), not with the factor set each was filed
// with, and the document names them. Under v2 every quarter kept its own
// set, so the previous quarter's figures were those of apt-2025.1.
func TestV3ComparesLikeWithLike(t *testing.T) {
	b := bundle20261(t)
	v := view20261(t, b)
	s := v.Since20261
	if s == nil || s.ComparisonFactorSet != "apt-2026.1" {
		t.Fatalf("comparison factor set: %+v", s)
	}
	for _, p := range []string{"2024-Q4", "2025-Q3", "2026-Q2"} {
		if !strings.Contains(strings.Join(s.Recomputed, " "), p) {
			t.Errorf("%s is not listed as recomputed: %v", p, s.Recomputed)
		}
	}
	if len(s.Kept) != 0 {
		t.Errorf("quarters not comparable: %v", s.Kept)
	}
	like := metricsOf(t, b, "2026-Q2", "apt-2026.1")
	own := metricsOf(t, b, "2026-Q2", "apt-2025.1")
	differs := false
	for _, h := range calculators.Headlines() {
		want := h.Get(like.E1, like.E2, like.E3)
		var got templates.Trend
		for _, tr := range append(append(v.Summary.E1, v.Summary.E2...), v.Summary.E3...) {
			if tr.Key == h.Key {
				got = tr
			}
		}
		if got.Previous.OK != want.OK || want.OK && !got.Previous.D.Equal(want.D) {
			t.Errorf("%s previous: %v, want %v (2026-Q2 under apt-2026.1)", h.Key, got.Previous.Display(), want.Display())
		}
		if o := h.Get(own.E1, own.E2, own.E3); o.OK != want.OK || o.OK && !o.D.Equal(want.D) {
			differs = true
		}
	}
	if !differs {
		t.Fatal("the fixture's 2026-Q2 gives the same headlines under both factor sets: the test cannot tell them apart")
	}
	q := v.E1.Quarters[len(v.E1.Quarters)-2]
	if q.Period != "2026-Q2" || !q.Scope2Location.D.Equal(like.E1.Scope2LocationTCO2e.D) {
		t.Errorf("chart point %s scope 2 location %s, want %s", q.Period, q.Scope2Location.Display(), like.E1.Scope2LocationTCO2e.Display())
	}
}

// A v2 bundle of methodology 2026.1 (issued before disclosure_v3) keeps
// each quarter on the factor set it was filed with, so it renders as it
// did.
func TestV2Of20261KeepsEachQuartersSet(t *testing.T) {
	b := bundle20261(t)
	b.Template = templates.OperatorTemplateV2
	v := view20261(t, b)
	if v.Since20261 != nil {
		t.Fatal("a v2 document has the v3 additions")
	}
	own := metricsOf(t, b, "2026-Q2", "apt-2025.1")
	for _, tr := range v.Summary.E1 {
		if tr.Key == "e1.scope2_location_tco2e" && !tr.Previous.D.Equal(own.E1.Scope2LocationTCO2e.D) {
			t.Errorf("v2 previous %s, want %s (2026-Q2 on its own set)", tr.Previous.Display(), own.E1.Scope2LocationTCO2e.Display())
		}
	}
}

// A v3 document shows the figures 2026.1 adds, the grid factors with
// their basis, and the data-quality flags in words; it renders twice to
// the same bytes.
func TestV3ShowsTheAdditions(t *testing.T) {
	b := bundle20261(t)
	v := view20261(t, b)
	s := v.Since20261
	keys := map[string]bool{}
	for _, f := range append(append(s.E1, s.E2...), s.E3...) {
		keys[f.Key] = true
		if !f.Value.OK && f.Note == "" {
			t.Errorf("%s is n/a without a reason", f.Key)
		}
	}
	for _, k := range []string{"e1.scope3_cat3_electricity_tco2e", "e1.ods_leaked_kg_cfc11e", "e1.emissions_per_tb_kgco2e_location", "e3.all_hazard_outage_events"} {
		if !keys[k] {
			t.Errorf("figure %s is missing", k)
		}
	}
	if len(s.GridFactors) == 0 || s.GridFactors[0].Grid != "JP" || !strings.Contains(s.GridFactors[0].Basis, "fallback") {
		t.Errorf("grid factors: %+v, want JP on a fallback basis", s.GridFactors)
	}
	found := false
	for _, g := range s.DataQuality {
		if g.Code == calculators.DQGridBasisFallback && strings.Contains(g.Meaning, "direct") && len(g.Flags) > 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("data quality: %+v, want the grid basis fallback explained", s.DataQuality)
	}
	pdf, err := Render(b)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Render(b)
	if err != nil || string(pdf) != string(again) {
		t.Fatalf("two renders differ (err %v)", err)
	}
	if _, err := json.Marshal(s); err != nil {
		t.Fatal(err)
	}
}
