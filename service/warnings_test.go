package service

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// outlierWarning is the sector-median warning worked out from the other
// operators' values, the plain way the service's sorted values replace.
func outlierWarning(v decimal.Decimal, others []decimal.Decimal, period string) (ledger.Warning, bool) {
	return outlierAgainst(v, calculators.Median(others), len(others), period)
}

func TestJumpWarning(t *testing.T) {
	tests := []struct {
		now, then string
		want      bool
	}{
		{"150", "100", false}, // exactly +50%
		{"150.001", "100", true},
		{"50", "100", false}, // exactly -50%
		{"49.999", "100", true},
		{"100", "100", false},
		{"5", "0", false}, // no percentage against zero
	}
	for _, tc := range tests {
		w, got := jumpWarning("e1.scope1_tco2e", calculators.Some(d(tc.now)), calculators.Some(d(tc.then)), "2025-Q2")
		if got != tc.want {
			t.Errorf("%s against %s: warned %v, want %v", tc.now, tc.then, got, tc.want)
		}
		if got {
			for _, part := range []string{"Scope 1 emissions", "(e1.scope1_tco2e)", tc.now + " tCO2e", tc.then + " tCO2e", "2025-Q2", "more than the 50%"} {
				if !strings.Contains(w.Message, part) {
					t.Errorf("message %q lacks %q", w.Message, part)
				}
			}
			if w.Rule != "quarter_change_over_50pct" || w.Path != "e1.scope1_tco2e" {
				t.Errorf("warning %+v", w)
			}
		}
	}
	if _, got := jumpWarning("e1.scope1_tco2e", calculators.None, calculators.Some(d("1")), "2025-Q2"); got {
		t.Error("warned on an unavailable value")
	}
}

func TestOutlierWarning(t *testing.T) {
	others := []decimal.Decimal{d("90"), d("100"), d("110")} // median 100
	tests := []struct {
		v      string
		others []decimal.Decimal
		want   bool
	}{
		{"300", others, false}, // exactly 3x
		{"300.0001", others, true},
		{"33.34", others, false},
		{"33.3333", others, true},   // below a third
		{"1000", others[:1], false}, // one other operator: no median
		{"1000", others[:2], true},
	}
	for _, tc := range tests {
		w, got := outlierWarning(d(tc.v), tc.others, "2025-Q3")
		if got != tc.want {
			t.Errorf("%s against %v: warned %v, want %v", tc.v, tc.others, got, tc.want)
		}
		if got && (!strings.Contains(w.Message, "kWh/TB") || !strings.Contains(w.Message, "the median of the other") || w.Rule != "energy_per_tb_vs_sector_median") {
			t.Errorf("warning %+v", w)
		}
	}
}

// The outlier message reads as the pages read: the metric in words, the
// figures as numfmt shows them, and which median it compares with (that
// of the other operators, not the median of all that a chart draws). It
// used to quote the key and three places: "Network energy per TB
// (e1.network_energy_per_tb_kwh) is 28.268 kWh/TB, 0.3 times the sector
// median of 93.641 kWh/TB over 2 other operators".
func TestOutlierMessageInWords(t *testing.T) {
	w, ok := outlierWarning(d("28.268"), []decimal.Decimal{d("90.1"), d("97.182"), d("120")}, "2026-Q3")
	if !ok {
		t.Fatal("no warning")
	}
	want := "Network energy per TB is 28.3 kWh/TB for 2026-Q3, 0.29 times the median of the other 3 operators (97.2 kWh/TB): outside one third to three times that median"
	if w.Message != want {
		t.Errorf("message\n%q\nwant\n%q", w.Message, want)
	}
	if strings.Contains(w.Message, "e1.") {
		t.Errorf("the message quotes a key: %q", w.Message)
	}
}

func TestFlattenMetrics(t *testing.T) {
	m := &calculators.Metrics{
		E1: &calculators.E1{
			EnergyTotalMWh: calculators.Some(d("12.5")),
			DataCentres:    []calculators.DataCentreKPI{{ID: "tokyo-dc-1", PUE: calculators.Some(d("1.5"))}},
			Parts:          calculators.E1Parts{PurchasedKWh: calculators.Some(d("1000"))},
		},
	}
	got, err := flattenMetrics(m)
	if err != nil {
		t.Fatal(err)
	}
	if string(got["e1.energy_total_mwh"]) != `"12.5"` || string(got["e1.data_centres.tokyo-dc-1.pue"]) != `"1.5"` {
		t.Fatalf("flattened %v", got)
	}
	for k := range got {
		if strings.Contains(k, "parts") || strings.HasPrefix(k, "e2") || strings.HasPrefix(k, "e3") || strings.Contains(k, ".id") {
			t.Errorf("unexpected key %s", k)
		}
	}
	if v, ok := jsonDecimal([]byte(`"-3.25"`)); !ok || !v.Equal(d("-3.25")) {
		t.Errorf("jsonDecimal: %v %v", v, ok)
	}
	if _, ok := jsonDecimal([]byte(`null`)); ok {
		t.Error("jsonDecimal(null) is a number")
	}
}
