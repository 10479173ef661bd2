package calculators

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

// The units metrics.md and methodology 2026.1 give figures whose key
// alone does not spell the unit the way the pages print it.
func TestMetricUnit(t *testing.T) {
	for key, want := range map[string]string{
		"e1.energy_total_mwh":                              "MWh",
		"e1.energy_by_carrier_mwh.diesel":                  "MWh",
		"e1.scope1_by_source_tco2e.refrigerants":           "tCO2e",
		"e1.scope1_by_gas_t.ch4":                           "t",
		"e1.biogenic_co2_t":                                "t",
		"e1.network_energy_per_tb_kwh":                     "kWh/TB",
		"e1.data_volume_efficiency_bit_per_j":              "bit/J",
		"e1.emissions_per_tb_kgco2e":                       "kgCO2e/TB",
		"e1.emissions_per_revenue_tco2e_per_musd":          "tCO2e/MUSD",
		"e1.energy_per_subscription_kwh":                   "kWh",
		"e1.ods_leaked_kg_cfc11e":                          "kgCFC-11e",
		"e1.data_centres.tokyo-dc-1.pue":                   "ratio",
		"e1.data_centres.tokyo-dc-1.cue_market":            "kgCO2e/kWh",
		"e1.data_centres.tokyo-dc-1.wue":                   "L/kWh",
		"e2.by_category.smartphone.mci":                    "0-1",
		"e2.by_stream.network.redeployed_kg":               "kg",
		"e2.weee_categories.6.year_recovery_rate_pct":      "%",
		"e2.by_category.cpe.weee_targets.recovery_met":     "",
		"e2.batteries.by_category.battery_lithium.met":     "",
		"e3.climate_outage_events":                         "number",
		"e3.climate_outage_site_hours":                     "site-h",
		"e3.all_hazard_outage_site_hours":                  "site-h",
		"e3.mean_hours_to_restore":                         "h",
		"e3.deployable_units":                              "number",
		"e3.offgrid_renewable_sites":                       "number",
		"e3.resilience_capex_musd":                         "MUSD",
		"e2.by_category.cpe.collection_rate_generated_pct": "%",
	} {
		if got := MetricUnit(key); got != want {
			t.Errorf("MetricUnit(%s) = %q, want %q", key, got, want)
		}
	}
}

// Every figure the calculators produce for the fixtures has a unit: each
// decimal of the metrics JSON, and each key a derivation or an
// unavailable entry names, under both methodologies. Only the verdicts
// on targets ("met") have none. A headline or a figure of methodology
// 2026.1 has the unit its list gives.
func TestEveryMetricHasAUnit(t *testing.T) {
	keys := fixtureMetricKeys(t)
	if len(keys) < 150 {
		t.Fatalf("only %d metric keys from the fixtures", len(keys))
	}
	listed := map[string]string{}
	for _, h := range Headlines() {
		listed[h.Key] = h.Unit
	}
	for _, f := range Figures20261() {
		listed[f.Key] = f.Unit
	}
	for _, k := range keys {
		parts := strings.Split(k, ".")
		u := MetricUnit(k)
		switch want, ok := listed[k]; {
		case ok && u != want:
			t.Errorf("%s: unit %q, but its list gives %q", k, u, want)
		case judgement(parts[len(parts)-1]):
			if u != "" {
				t.Errorf("%s names a verdict, yet has unit %q", k, u)
			}
		case u == "":
			t.Errorf("%s has no unit", k)
		}
	}
}

// fixtureMetricKeys computes the example return under both factor sets
// and every filing of the demo ledger (each with the latest version of
// its operator's earlier quarters), and lists the keys of their figures:
// each decimal of the E1, E2 and E3 JSON (data centres by id, lists of
// other things left out) and each metric a derivation or an unavailable
// entry names.
func fixtureMetricKeys(t *testing.T) []string {
	t.Helper()
	sets := map[string]*ledger.FactorSet{}
	for _, raw := range [][]byte{fixtures.DefaultFactorSet(), fixtures.FactorSet20261()} {
		fs, err := ledger.ParseFactorSet(raw)
		if err != nil {
			t.Fatal(err)
		}
		sets[fs.Version] = fs
	}
	keys := map[string]bool{}
	compute := func(req Request) {
		m, err := Compute(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(map[string]any{"e1": m.E1, "e2": m.E2, "e3": m.E3})
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var tree any
		if err := dec.Decode(&tree); err != nil {
			t.Fatal(err)
		}
		figureKeys("", tree, keys)
		for _, d := range m.Derivations {
			keys[d.Metric] = true
		}
		for _, u := range m.Unavailable {
			keys[u.Metric] = true
		}
	}
	example := loadExample(t)
	for _, fs := range sets {
		compute(Request{Return: example, ID: "example", Version: 1, Factors: fs})
	}
	for _, op := range fixtures.Build(ledger.Period{Year: 2026, Quarter: 4}).Operators {
		latest := map[ledger.Period]*ledger.Return{}
		for _, f := range op.Filings {
			r := f.Return
			var earlier []*ledger.Return
			for p, e := range latest {
				if r.Period.Sub(p) > 0 {
					earlier = append(earlier, e)
				}
			}
			compute(Request{Return: &r, ID: "demo", Version: 1, Earlier: earlier, Factors: sets[r.FactorSet]})
			latest[r.Period] = &r
		}
	}
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// figureKeys adds to keys the path of every decimal in the decoded
// metrics n: an object's members by name, the data centres by id; the
// additive inputs ("parts"), the ids, the calendar year a WEEE category
// is judged for and lists of anything else are no figures.
func figureKeys(path string, n any, keys map[string]bool) {
	switch v := n.(type) {
	case map[string]any:
		for name, c := range v {
			if name == "parts" || name == "parts_by_cell" || name == "id" || name == "year" {
				continue
			}
			figureKeys(strings.TrimPrefix(path+"."+name, "."), c, keys)
		}
	case []any:
		for _, c := range v {
			if o, ok := c.(map[string]any); ok {
				if id, ok := o["id"].(string); ok {
					figureKeys(path+"."+id, o, keys)
				}
			}
		}
	case string:
		if _, err := decimal.NewFromString(v); err == nil {
			keys[path] = true
		}
	}
}
