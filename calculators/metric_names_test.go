package calculators

import (
	"strings"
	"testing"
)

// Metric keys are named in words a reader knows; no name is the key.
func TestMetricName(t *testing.T) {
	for key, want := range map[string]string{
		"e1.scope1_tco2e": "Scope 1 emissions",
		"e2.by_category.battery_lead_acid.collection_rate_pom_pct": "Collection rate (placed on market), Battery lead acid",
		"e2.by_category.cpe.mci":                                   "Material Circularity Indicator, CPE (customer premises equipment)",
		"e2.by_category.tablet.weee_targets.recovery_met":          "WEEE recovery target met, Tablet",
		"e2.by_stream.network.collection_rate_pom_pct":             "Collection rate (placed on market), network stream",
		"e2.weee_categories.4.year_collected_kg":                   "Collected in the year, WEEE category 4",
		"e3.deployable_units":                                      "Units ready to deploy", // as Figures20261 names it
		"summary.previous":                                         "Comparison with the previous period",
		"comparison.2025-Q4":                                       "Comparison with 2025-Q4",
		"e1.network_energy_mwh":                                    "Network energy",
		"e2.batteries.by_category.battery_lithium.met":             "Battery recycling efficiency target met, Battery lithium",
		"e1.data_centres.bkk-dc1.erf":                              "Energy reuse factor (ERF), data centre bkk-dc1",
		"e3.some_new_figure":                                       "Some new figure",
	} {
		if got := MetricName(key); got != want {
			t.Errorf("MetricName(%s) = %q, want %q", key, got, want)
		}
	}
}

// Each input that names a row of the return says what the row is,
// beside its path; figures used as inputs are named too.
func TestInputLabels(t *testing.T) {
	m, err := Compute(Request{Return: loadExample(t), ID: "r", Version: 1, Factors: loadFactors(t), GWP: "ar6", Densities: NewDensities()})
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{}
	for _, d := range m.Derivations {
		for _, in := range d.Inputs {
			labels[in.Path] = in.Label
		}
	}
	for path, want := range map[string]string{
		"fuels[0].quantity":       "diesel, stationary, RAN",
		"fuels[0].generated_kwh":  "diesel, stationary, RAN: generated kWh",
		"fuels[1].quantity":       "petrol, mobile, fleet",
		"electricity[0].kwh":      "purchased electricity, RAN, grid JP",
		"devices[0].collected.kg": "smartphone, customer: collected",
		"e1.scope1_tco2e":         "Scope 1 emissions",
	} {
		got, ok := labels[path]
		if !ok {
			t.Errorf("no derivation has input %s", path)
			continue
		}
		if got != want {
			t.Errorf("%s: label %q, want %q", path, got, want)
		}
	}
	// Under methodology 2026.1 too, every input is labelled, the
	// calculators' intermediate sums included.
	m26, err := Compute(Request{Return: loadExample(t), ID: "r", Version: 1, Factors: loadFactors20261(t), GWP: "ar6", Methodology: "2026.1", Densities: NewDensities()})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range append(m.Derivations, m26.Derivations...) {
		for _, in := range d.Inputs {
			if in.Label == "" {
				t.Errorf("%s: input %s has no label", d.Metric, in.Path)
			}
		}
	}
}

// A source shared by factors of a derivation is listed once, and each
// factor refers to it.
func TestSourcesNumbered(t *testing.T) {
	m, err := Compute(Request{Return: loadExample(t), ID: "r", Version: 1, Factors: loadFactors(t), GWP: "ar6", Densities: NewDensities()})
	if err != nil {
		t.Fatal(err)
	}
	shared := false
	for _, d := range m.Derivations {
		seen := map[string]bool{}
		for _, s := range d.Sources {
			if seen[s] {
				t.Errorf("%s lists source %q twice", d.Metric, s)
			}
			seen[s] = true
		}
		for _, f := range d.Factors {
			if f.Source == "" {
				continue
			}
			if f.SourceRef < 1 || f.SourceRef > len(d.Sources) || d.Sources[f.SourceRef-1] != f.Source {
				t.Errorf("%s: factor %s refers to source %d", d.Metric, f.Key, f.SourceRef)
			}
		}
		shared = shared || len(d.Sources) < len(d.Factors)
	}
	if !shared {
		t.Error("no derivation has two factors of one source: the test shows nothing")
	}
}

// A figure per category or stream is named as its total is, so that the
// summary table and the list of figures not available agree.
func TestMetricNameOfAPartReadsLikeItsTotal(t *testing.T) {
	for _, h := range Headlines() {
		leaf := h.Key[strings.LastIndex(h.Key, ".")+1:]
		if got := MetricName("e2.by_category.tablet." + leaf); !strings.HasPrefix(got, h.Label+", ") {
			t.Errorf("%s per category: %q, want it to start with %q", h.Key, got, h.Label)
		}
	}
}
