package httpapi

import (
	"strings"
	"testing"
)

// TestAnomalyWarnings files returns that trip, and that just miss, each
// warning a regulator reviews: a change of more than 50% against the
// previous quarter in total energy, scope 1, scope 2 (location) and
// collected mass; energy per TB outside a third to three times the median
// of the other operators (leaving out those with no value); and renewable
// claims without certificates above 90% of purchased electricity. Each
// warning names its rule, the metric and the values compared, and shows
// in the return, its metrics, sector status and sector metrics.
func TestAnomalyWarnings(t *testing.T) {
	ts := newAPI(t, filingTime)
	reg := ts.regulator()
	jump := "quarter_change_over_50pct"
	ids := map[string]string{} // the 2025-Q2 return of each quarter-over-quarter case

	t.Run("quarter over quarter", func(t *testing.T) {
		tests := []struct {
			op   string
			edit func(map[string]any)
			want []string // metric paths of the jump warnings
		}{
			{"same", nil, nil},
			{"electricity-x2", func(r map[string]any) { scale(t, r, "electricity", "2", "kwh") },
				[]string{"e1.energy_total_mwh", "e1.scope2_location_tco2e"}},
			{"electricity-x0-4", func(r map[string]any) { scale(t, r, "electricity", "0.4", "kwh") },
				[]string{"e1.energy_total_mwh", "e1.scope2_location_tco2e"}},
			// Scope 2 up exactly 50% (energy less, fuels unchanged): not more than 50%.
			{"electricity-x1-5", func(r map[string]any) { scale(t, r, "electricity", "1.5", "kwh") }, nil},
			{"fuels-x2", func(r map[string]any) { scale(t, r, "fuels", "2", "quantity", "generated_kwh") },
				[]string{"e1.scope1_tco2e"}},
			{"collected-x2", func(r map[string]any) {
				scale(t, r, "devices", "2", "collected.kg", "collected.units", "reused.kg", "reused.units", "recycled.kg", "recycled.units",
					"disposed.kg", "disposed.units", "stock_change.kg", "stock_change.units")
			}, []string{"e2.total.collected_kg"}},
		}
		for _, tc := range tests {
			t.Run(tc.op, func(t *testing.T) {
				tok := ts.addOperator(tc.op, "Operator "+tc.op)
				first := ts.file(tok, returnFor(t, tc.op, "2025-Q1", nil))
				if len(first.Warnings) != 0 {
					t.Fatalf("the base return has warnings: %+v", first.Warnings)
				}
				f := ts.file(tok, returnFor(t, tc.op, "2025-Q2", tc.edit))
				ids[tc.op] = f.ID
				var got []string
				for _, w := range f.Warnings {
					if w.Rule == jump {
						got = append(got, w.Path)
						// The message names the metric, both values and the rule.
						if !strings.Contains(w.Message, w.Path) || !strings.Contains(w.Message, "against") ||
							!strings.Contains(w.Message, "2025-Q1") || !strings.Contains(w.Message, "more than the 50%") {
							t.Errorf("message %q", w.Message)
						}
					}
				}
				if strings.Join(got, ",") != strings.Join(tc.want, ",") {
					t.Fatalf("jump warnings on %v, want %v (all: %+v)", got, tc.want, f.Warnings)
				}
			})
		}
	})

	t.Run("energy per TB against the sector median", func(t *testing.T) {
		// Filed in this order into 2025-Q3. The two operators with zero
		// traffic have no energy per TB and must not count in the
		// median: counted as 0 they would pull it down to 0.625x and make
		// "high-2-5x" an outlier.
		tests := []struct {
			op      string
			traffic string
			want    bool
		}{
			{"zero-a", "0", false},
			{"zero-b", "0", false},
			{"base-1", "1850000", false}, // no other operator with a value
			{"base-2", "1850000", false}, // one: too few for a median
			{"high-4x", "462500", true},  // 4x the median
			{"low-4x", "7400000", true},  // a quarter of it
			{"high-2-5x", "740000", false},
			{"low-2-5x", "4625000", false},
		}
		for _, tc := range tests {
			tok := ts.addOperator(tc.op, "Operator "+tc.op)
			f := ts.file(tok, returnFor(t, tc.op, "2025-Q3", func(r map[string]any) {
				r["activity"].(map[string]any)["data_traffic_tb"] = tc.traffic
			}))
			msg, got := f.rules()["energy_per_tb_vs_sector_median:e1.network_energy_per_tb_kwh"]
			if got != tc.want {
				t.Errorf("%s: warning %v, want %v (%+v)", tc.op, got, tc.want, f.Warnings)
			}
			if got && (!strings.Contains(msg, "times the median of the other") || !strings.Contains(msg, "for 2025-Q3") ||
				!strings.Contains(msg, "one third to three times")) {
				t.Errorf("%s: message %q", tc.op, msg)
			}
		}
		// The sector view's median also leaves them out.
		var sm struct {
			Headlines []struct {
				Key       string `json:"key"`
				Reporting int    `json:"reporting"`
			} `json:"headlines"`
		}
		ts.mustJSON("GET", "/v1/sector/metrics?period=2025-Q3", reg, nil, 200, &sm)
		for _, h := range sm.Headlines {
			if h.Key == "e1.network_energy_per_tb_kwh" && h.Reporting != 6 {
				t.Errorf("energy per TB reported by %d operators, want 6", h.Reporting)
			}
		}
		if got := sectorOutliers(ts, reg, "2025-Q3"); got != "high-4x,low-4x" {
			t.Errorf("sector view outliers %s, want high-4x,low-4x", got)
		}
	})

	t.Run("an early filer is caught in the sector view", func(t *testing.T) {
		// The outlier files first, when there is no median to compare
		// with; the sector view checks it once the others are in.
		q := "2024-Q4"
		for _, tc := range []struct{ op, traffic string }{{"early-high", "400000"}, {"later-1", "1850000"}, {"later-2", "1700000"}} {
			tok := ts.addOperator(tc.op, "Operator "+tc.op)
			f := ts.file(tok, returnFor(t, tc.op, q, func(r map[string]any) {
				r["activity"].(map[string]any)["data_traffic_tb"] = tc.traffic
				for _, c := range r["renewable_claims"].([]any) {
					c.(map[string]any)["vintage"] = 2024
				}
			}))
			if _, warned := f.rules()["energy_per_tb_vs_sector_median:e1.network_energy_per_tb_kwh"]; warned {
				t.Fatalf("%s: warned at filing: %+v", tc.op, f.Warnings)
			}
		}
		if got := sectorOutliers(ts, reg, q); got != "early-high" {
			t.Errorf("sector view outliers %q, want early-high", got)
		}
	})

	t.Run("renewable claims without certificates", func(t *testing.T) {
		// The example purchases 129,000,000 kWh in JP; claims[0] is an
		// EAC with certificates, claims[1] a PPA of 6,500,000 kWh without.
		tests := []struct {
			op   string
			edit func(r map[string]any)
			want bool
		}{
			{"ppa-90-3pct", func(r map[string]any) { claim(r, 0, "ppa", "110000000") }, true},
			{"ppa-90pct", func(r map[string]any) { claim(r, 0, "ppa", "109600000") }, false},
			{"token-certificate", func(r map[string]any) { claim(r, 0, "eac", "1"); claim(r, 1, "ppa", "117000000") }, true},
			{"certified", func(r map[string]any) { claim(r, 0, "eac", "110000000") }, false},
		}
		for _, tc := range tests {
			tok := ts.addOperator(tc.op, "Operator "+tc.op)
			f := ts.file(tok, returnFor(t, tc.op, "2025-Q1", tc.edit))
			msg, got := f.rules()["renewable_share_uncertified:renewable_claims"]
			if got != tc.want {
				t.Errorf("%s: warning %v, want %v (%+v)", tc.op, got, tc.want, f.Warnings)
			}
			if got && !strings.Contains(msg, "of 129000000 kWh") {
				t.Errorf("%s: message %q", tc.op, msg)
			}
		}
	})

	t.Run("shown to the regulator", func(t *testing.T) {
		var ret struct {
			Warnings []struct{ Rule, Path string }
		}
		ts.mustJSON("GET", "/v1/returns/"+ids["electricity-x2"], reg, nil, 200, &ret)
		var m struct {
			Warnings []struct{ Rule, Path string }
		}
		ts.mustJSON("GET", "/v1/returns/"+ids["electricity-x2"]+"/metrics", reg, nil, 200, &m)
		if len(ret.Warnings) != 2 || len(m.Warnings) != 2 || ret.Warnings[0].Rule != jump || m.Warnings[0] != ret.Warnings[0] {
			t.Fatalf("return warnings %+v, metrics warnings %+v", ret.Warnings, m.Warnings)
		}
		var st struct {
			Operators []struct {
				Operator string
				Warnings int
			}
		}
		ts.mustJSON("GET", "/v1/sector/status?period=2025-Q2", reg, nil, 200, &st)
		var sm struct {
			Operators []struct {
				Operator string
				Warnings int
			}
		}
		ts.mustJSON("GET", "/v1/sector/metrics?period=2025-Q2", reg, nil, 200, &sm)
		counts := map[string]int{}
		for _, o := range st.Operators {
			counts[o.Operator] = o.Warnings
		}
		for _, o := range sm.Operators {
			if o.Warnings != counts[o.Operator] {
				t.Errorf("%s: %d warnings in sector metrics, %d in status", o.Operator, o.Warnings, counts[o.Operator])
			}
		}
		if counts["electricity-x2"] != 2 || counts["same"] != 0 || counts["fuels-x2"] != 1 {
			t.Fatalf("status warning counts %v", counts)
		}
	})
}

// claim sets renewable claim i's instrument and kWh; a PPA loses its
// certificates.
func claim(r map[string]any, i int, instrument, kwh string) {
	c := r["renewable_claims"].([]any)[i].(map[string]any)
	c["instrument"], c["kwh"] = instrument, kwh
	if instrument != "eac" {
		delete(c, "certificates")
	}
}

// sectorOutliers lists, comma-separated, the operators the sector view
// flags as energy-per-TB outliers for period.
func sectorOutliers(ts *testAPI, reg, period string) string {
	ts.t.Helper()
	var sm struct {
		Operators []struct {
			Operator string
			Outliers []struct{ Rule, Path, Message string }
		}
	}
	ts.mustJSON("GET", "/v1/sector/metrics?period="+period, reg, nil, 200, &sm)
	var out []string
	for _, o := range sm.Operators {
		for _, w := range o.Outliers {
			if w.Rule == "energy_per_tb_vs_sector_median" && w.Path == "e1.network_energy_per_tb_kwh" && strings.Contains(w.Message, "times the median of the other") {
				out = append(out, o.Operator)
			}
		}
	}
	return strings.Join(out, ",")
}
