package calculators

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// computeUnder computes E2 on the apt-2026.1 set under methodology m.
func computeUnder(t *testing.T, m string, fs *ledger.FactorSet, cur *ledger.Return, earlier []*ledger.Return) (*E2, *Trace) {
	t.Helper()
	if fs == nil {
		fs = loadFactors20261(t)
	}
	e, tr, err := ComputeE2(Request{Return: cur, Earlier: earlier, Factors: fs, Methodology: m})
	if err != nil {
		t.Fatal(err)
	}
	return e, tr
}

func customer(cat string, in, col string) ledger.DeviceFlow {
	r := ledger.DeviceFlow{Category: cat, Stream: "customer"}
	if in != "" {
		r.Inflow = flow(in)
	}
	if col != "" {
		r.Collected = flow(col)
	}
	return r
}

func hist(year int, kg string) ledger.HistoricInflow {
	return ledger.HistoricInflow{Category: "smartphone", Stream: "customer", Year: year, Units: 1, Kg: d(kg)}
}

// TestCollectionRatePOM2026 is methodology 2026.1 W1: a year before the
// rolling year counts only when each of its quarters has data, and the
// denominator is the mean of the years counted.
func TestCollectionRatePOM2026(t *testing.T) {
	col := func(kg string) [4][]ledger.DeviceFlow {
		var rows [4][]ledger.DeviceFlow
		for i := range rows {
			rows[i] = []ledger.DeviceFlow{customer("smartphone", "", kg)}
		}
		return rows
	}
	tests := []struct {
		name     string
		rows     [4][]ledger.DeviceFlow
		historic []ledger.HistoricInflow
		extra    []*ledger.Return // returns before 2025
		want     string           // 2026.1; "" = null
		reason   string
		years    []string
		partial  bool
		old      string // 2025.1, for contrast
	}{{
		// The spec's example: 300 t collected in 2025 (75 t a quarter);
		// 2024 400 t (historic, counted), 2023 180 t from 2 returns only
		// (not counted), 2022 350 t (historic, counted).
		// W1: 300 / ((400 + 350) / 2) = 300 / 375 = 80.0 %.
		// 2025.1 counted the half year as a year:
		// 300 x 3 / (400 + 180 + 350) = 900 / 930 = 96.774194 %.
		name:     "spec example",
		rows:     col("75000"),
		historic: []ledger.HistoricInflow{hist(2024, "400000"), hist(2022, "350000")},
		extra:    []*ledger.Return{ret("2023-Q1", customer("smartphone", "90000", "")), ret("2023-Q2", customer("smartphone", "90000", ""))},
		want:     "80", years: []string{"2024-Q1 to 2024-Q4", "2022-Q1 to 2022-Q4"}, partial: true,
		old: "96.774194",
	}, {
		// The finding: only 2024 history (100 t), 50 t collected.
		// W1: 50 / (100 / 1) = 50 %; 2025.1 gave 50 x 3 / 100 = 150 %.
		name:     "one year of history",
		rows:     col("12500"),
		historic: []ledger.HistoricInflow{hist(2024, "100000")},
		want:     "50", years: []string{"2024-Q1 to 2024-Q4"}, partial: true,
		old: "150",
	}, {
		// A filed zero is data: the four 2023 returns have no smartphone
		// row, so 2023 counts with 0 t. W1: 50 / ((100 + 0) / 2) = 100 %.
		name:     "a filed zero counts",
		rows:     col("12500"),
		historic: []ledger.HistoricInflow{hist(2024, "100000")},
		extra:    []*ledger.Return{ret("2023-Q1"), ret("2023-Q2"), ret("2023-Q3"), ret("2023-Q4")},
		want:     "100", years: []string{"2024-Q1 to 2024-Q4", "2023-Q1 to 2023-Q4"}, partial: true,
		old: "150",
	}, {
		// All three years counted: 2022-2024 at 300, 300 and 600 t; 100 t
		// collected. W1: 100 / (1200 / 3) = 25 %, the same as 2025.1's
		// 100 x 3 / 1200.
		name:     "complete history",
		rows:     col("25000"),
		historic: []ledger.HistoricInflow{hist(2024, "600000"), hist(2023, "300000"), hist(2022, "300000")},
		want:     "25", years: []string{"2024-Q1 to 2024-Q4", "2023-Q1 to 2023-Q4", "2022-Q1 to 2022-Q4"},
		old: "25",
	}, {
		name: "no year counts", rows: col("12500"),
		reason: "none of the 3 years", partial: true,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cur, earlier := quarters(tc.rows, tc.historic)
			earlier = append(earlier, tc.extra...)
			e, tr := computeUnder(t, ledger.Methodology20261, nil, cur, earlier)
			v := e.Total
			if tc.want == "" {
				wantMissing(t, tr, "e2.total.collection_rate_pom_pct", v.CollectionRatePOMPct, tc.reason)
			} else {
				wantValue(t, "collection_rate_pom_pct", v.CollectionRatePOMPct, tc.want, 6)
			}
			if v.CollectionRatePOMPartial != tc.partial {
				t.Errorf("partial = %v, want %v", v.CollectionRatePOMPartial, tc.partial)
			}
			if strings.Join(v.CollectionRatePOMYears, "|") != strings.Join(tc.years, "|") {
				t.Errorf("years %q, want %q", v.CollectionRatePOMYears, tc.years)
			}
			if tc.old != "" {
				old, _ := computeUnder(t, ledger.Methodology20251, nil, cur, earlier)
				wantValue(t, "2025.1 collection_rate_pom_pct", old.Total.CollectionRatePOMPct, tc.old, 6)
				if old.Total.CollectionRatePOMYears != nil || old.Total.Parts.POM != nil {
					t.Error("2025.1 carries the 2026.1 W1 parts")
				}
			}
		})
	}
}

// TestCollectionRatePOM2026Sector adds two operators: the means add.
func TestCollectionRatePOM2026Sector(t *testing.T) {
	rows := func(kg string) [4][]ledger.DeviceFlow {
		var r [4][]ledger.DeviceFlow
		for i := range r {
			r[i] = []ledger.DeviceFlow{customer("smartphone", "", kg)}
		}
		return r
	}
	a, ae := quarters(rows("75000"), []ledger.HistoricInflow{hist(2024, "400000"), hist(2022, "350000")})
	b, be := quarters(rows("12500"), []ledger.HistoricInflow{hist(2024, "100000")})
	ea, _ := computeUnder(t, ledger.Methodology20261, nil, a, ae)
	eb, _ := computeUnder(t, ledger.Methodology20261, nil, b, be)
	s := SumSectorE2E3([]OperatorE2E3{{Operator: "a", Country: "JP", E2: ea}, {Operator: "b", Country: "JP", E2: eb}})
	// W1 over operators: (300 + 50) / (375 + 100) = 350 / 475 = 73.684211 %;
	// only 2024 is counted for both.
	wantValue(t, "sector collection_rate_pom_pct", s.E2.Total.CollectionRatePOMPct, "73.684211", 6)
	if got := s.E2.Total.CollectionRatePOMYears; len(got) != 1 || got[0] != "2024-Q1 to 2024-Q4" {
		t.Errorf("years %q", got)
	}
}

// TestMCI2026Example is methodology 2026.1 W2 on the spec's example
// return (2025-Q3, the only return of its rolling year).
func TestMCI2026Example(t *testing.T) {
	e, tr := computeUnder(t, ledger.Methodology20261, nil, loadExample(t), nil)
	sp := e.ByCategory["smartphone"]
	// 2025.1 put it on the "collected" basis, E = 10,980 kg collected,
	// which leaves out the e-waste that was never collected: 0.478010.
	// W2 keeps the generated basis: E = ewaste_generated_kg =
	// 96,207.002353 kg for the year; 1 of its 4 quarters has a return, so
	// E = 96,207.002353 / 4 = 24,051.750588 kg against that quarter's
	// flows.
	//   M = 77,900; Fr = 3,900 / M; Fu = 2,340 / M; Ec = Ef = 0.55
	//   Cr = 6,390 / 24,051.750588 = 0.265677
	//   Cu = 4,320 / 24,051.750588 = 0.179613
	//   V  = 77,900 - 3,900 - 2,340 = 71,660
	//   W0 = 77,900 x (1 - 0.265677 - 0.179613) = 43,211.922
	//   Wc = 77,900 x 0.45 x 0.265677 = 9,313.312
	//   Wf = 0.45 x 3,900 / 0.55 = 3,190.909
	//   W  = 43,211.922 + (3,190.909 + 9,313.312) / 2 = 49,464.032
	//   LFI = (71,660 + 49,464.032) / (2 x 77,900 + (3,190.909 - 9,313.312) / 2)
	//       = 121,124.032 / 152,738.798 = 0.793014
	//   X = 1 (apt-2026.1 has no L_use), F(X) = 0.9 / 1
	//   MCI = 1 - 0.793014 x 0.9 = 0.286287
	if sp.MCIBasis != "generated" {
		t.Errorf("basis %q, want generated", sp.MCIBasis)
	}
	wantValue(t, "smartphone mci", sp.MCI, "0.286287", 6)
	codes := map[string]bool{}
	for _, f := range tr.DataQuality {
		if f.Metric == "e2.by_category.smartphone.mci" {
			codes[f.Code] = true
		}
	}
	// Ec = Ef = 0.55 is category 6's Annex V target: a proxy.
	if !codes[DQMCIUtilityDefault] || !codes[DQMCIEfficiencyProxy] {
		t.Errorf("smartphone mci flags %v, want %s and %s", codes, DQMCIUtilityDefault, DQMCIEfficiencyProxy)
	}
	found := false
	for _, der := range tr.Derivations {
		if der.Metric == "e2.by_category.smartphone.mci" {
			found = true
			all := strings.Join(der.Notes, "\n")
			for _, s := range []string{"X = 1", "proxy", "1 of the 4 quarters"} {
				if !strings.Contains(all, s) {
					t.Errorf("derivation notes %q lack %q", all, s)
				}
			}
		}
	}
	if !found {
		t.Error("no smartphone mci derivation")
	}
}

// TestMCI2026Utility is W2's X: a smartphone used for 3 years.
func TestMCI2026Utility(t *testing.T) {
	// 2024: 100 t placed (historic). 2025: a return each quarter, Q4 with
	// 1,000 kg placed (lifetime_years 3) and 2,000 kg recycled.
	// E = 1,000 x f(0.5) + 100,000 x f(1.5)
	//   = 1,000 x 0.0593564309 + 100,000 x 0.1005366611 = 10,113.022541 kg
	// Fr = Fu = Cu = 0; Cr = 2,000 / 10,113.022541 = 0.197765
	// V = 1,000; W0 = 1,000 x (1 - 0.197765) = 802.235
	// Wc = 1,000 x 0.45 x 0.197765 = 88.994; Wf = 0
	// W = 802.235 + 88.994 / 2 = 846.732
	// LFI = (1,000 + 846.732) / (2,000 - 88.994 / 2) = 0.944377
	q4 := customer("smartphone", "1000", "2000")
	q4.Recycled = flow("2000")
	q4.LifetimeYears = ptr(d("3"))
	cur, earlier := quarters([4][]ledger.DeviceFlow{nil, nil, nil, {q4}}, []ledger.HistoricInflow{hist(2024, "100000")})

	t.Run("2025.1 divides a use life by a residence time", func(t *testing.T) {
		// X = 3 / 5.63 (the Weibull mean) = 0.532860, F(X) = 1.689000:
		// 1 - 0.944377 x 1.689 < 0, so MCI = 0.
		e, _ := computeUnder(t, ledger.Methodology20251, nil, cur, earlier)
		wantValue(t, "mci", e.ByCategory["smartphone"].MCI, "0", 6)
	})
	t.Run("2026.1 without L_use", func(t *testing.T) {
		// X = 1: MCI = 1 - 0.944377 x 0.9 = 0.150061.
		e, _ := computeUnder(t, ledger.Methodology20261, nil, cur, earlier)
		wantValue(t, "mci", e.ByCategory["smartphone"].MCI, "0.150061", 6)
	})
	t.Run("2026.1 with L_use", func(t *testing.T) {
		// A set with L_use = 2.5 years: X = 3 / 2.5 = 1.2,
		// F(X) = 0.9 / 1.2 = 0.75, MCI = 1 - 0.944377 x 0.75 = 0.291717.
		fs := loadFactors20261(t)
		df := fs.Devices["smartphone"]
		df.UseLifeYears, df.UseLifeSource = ptr(d("2.5")), "a test source"
		fs.Devices["smartphone"] = df
		e, tr := computeUnder(t, ledger.Methodology20261, fs, cur, earlier)
		wantValue(t, "mci", e.ByCategory["smartphone"].MCI, "0.291717", 6)
		for _, der := range tr.Derivations {
			if der.Metric != "e2.by_category.smartphone.mci" {
				continue
			}
			var src string
			for _, f := range der.Factors {
				if f.Key == "devices.smartphone.use_life_years" {
					src = f.Source
				}
			}
			if src != "a test source" {
				t.Errorf("use_life_years factor source %q", src)
			}
		}
	})
	t.Run("2026.1 needs the generated estimate", func(t *testing.T) {
		// A category without a lifetime distribution has no MCI at all;
		// no collected basis stands in.
		b := ledger.DeviceFlow{Category: "battery_lithium", Stream: "network", Inflow: flow("100"), Collected: flow("50"), Recycled: flow("50")}
		e, tr := computeUnder(t, ledger.Methodology20261, nil, ret("2025-Q4", b), nil)
		wantMissing(t, tr, "e2.by_category.battery_lithium.mci", e.ByCategory["battery_lithium"].MCI, "lifetime distribution")
	})
}

// TestWEEETargets2026 is W4: targets per WEEE category and calendar year.
func TestWEEETargets2026(t *testing.T) {
	cpe := func(col, rec, rcv string) ledger.DeviceFlow {
		r := customer("cpe", "", col)
		r.Recycled, r.Recovered = flow(rec), flow(rcv)
		return r
	}
	// Category 6 in 2025: CPE collected 40, 20, 10 and 10 t with 60 %
	// recycled and 15 % recovered; phones 20 t in Q4, 50 % recycled,
	// 25 % recovered.
	phones := customer("smartphone", "", "20000")
	phones.Recycled, phones.Recovered = flow("10000"), flow("5000")
	rows := [4][]ledger.DeviceFlow{
		{cpe("40000", "24000", "6000")},
		{cpe("20000", "12000", "3000")},
		{cpe("10000", "6000", "1500")},
		{cpe("10000", "6000", "1500"), phones},
	}
	cur, earlier := quarters(rows, nil)

	t.Run("Q4 judges the year", func(t *testing.T) {
		e, tr := computeUnder(t, ledger.Methodology20261, nil, cur, earlier)
		w, ok := e.WEEECategories["6"]
		if !ok {
			t.Fatalf("no WEEE category 6 in %v", e.WEEECategories)
		}
		// The spec's example: phones 10 / 20 = 50 %, CPE 48 / 80 = 60 %;
		// W4: (10 + 48) / (20 + 80) = 58 % >= 55 %: met.
		// Recovery (58 + 5 + 12) / 100 = 75 % >= 75 %: met.
		wantValue(t, "year reuse and recycling", w.YearReuseAndRecyclingRatePct, "58", 6)
		wantValue(t, "year recovery", w.YearRecoveryRatePct, "75", 6)
		if w.Year != "2025" || deref(w.ReuseAndRecyclingMet) != true || deref(w.RecoveryMet) != true {
			t.Errorf("year %q, met %v / %v, want 2025, true / true", w.Year, deref(w.ReuseAndRecyclingMet), deref(w.RecoveryMet))
		}
		// Q4 alone would have failed: (6 + 10) / (10 + 20) = 53.333333 %.
		wantValue(t, "Q4 reuse and recycling", w.ReuseAndRecyclingRatePct, "53.333333", 6)
		// The device categories are not judged one by one.
		sp := e.ByCategory["smartphone"].WEEETargets
		if sp == nil || sp.ReuseAndRecyclingMet != nil || sp.RecoveryMet != nil {
			t.Errorf("smartphone weee_targets %+v, want rates with met null", sp)
		}
		found := false
		for _, u := range tr.Unavailable {
			found = found || u.Metric == "e2.by_category.smartphone.weee_targets.reuse_and_recycling_met"
		}
		if !found {
			t.Error("no reason for the smartphone's null met")
		}
		// 2025.1 judged the phones alone and failed them.
		old, _ := computeUnder(t, ledger.Methodology20251, nil, cur, earlier)
		if got := deref(old.ByCategory["smartphone"].WEEETargets.ReuseAndRecyclingMet); got != false {
			t.Errorf("2025.1 smartphone met %v", got)
		}
		if old.WEEECategories != nil {
			t.Error("2025.1 has weee_categories")
		}
	})
	t.Run("Q3 shows its rates only", func(t *testing.T) {
		e, tr := computeUnder(t, ledger.Methodology20261, nil, earlier[2], earlier[:2])
		w := e.WEEECategories["6"]
		// 6 / 10 = 60 %, met null.
		wantValue(t, "Q3 reuse and recycling", w.ReuseAndRecyclingRatePct, "60", 6)
		if w.ReuseAndRecyclingMet != nil || w.RecoveryMet != nil || w.Year != "" {
			t.Errorf("Q3 judged: %+v", w)
		}
		wantMissing(t, tr, "e2.weee_categories.6.year_reuse_and_recycling_rate_pct", w.YearReuseAndRecyclingRatePct, "on the Q4 return")
	})
	t.Run("Q4 without Q2 is not judged", func(t *testing.T) {
		e, tr := computeUnder(t, ledger.Methodology20261, nil, cur, []*ledger.Return{earlier[0], earlier[2]})
		w := e.WEEECategories["6"]
		if w.ReuseAndRecyclingMet != nil {
			t.Errorf("judged on 3 quarters: %+v", w)
		}
		found := false
		for _, u := range tr.Unavailable {
			found = found || (u.Metric == "e2.weee_categories.6.reuse_and_recycling_met" && strings.Contains(u.Reason, "3 of 4"))
		}
		if !found {
			t.Errorf("no reason naming 3 of 4 quarters: %v", tr.Unavailable)
		}
	})
	t.Run("the year roll-up judges the year", func(t *testing.T) {
		var qs []QuarterE2E3
		for i, r := range append(append([]*ledger.Return{}, earlier...), cur) {
			e, _ := computeUnder(t, ledger.Methodology20261, nil, r, earlier[:i])
			qs = append(qs, QuarterE2E3{Period: r.Period, E2: e})
		}
		y, err := YearE2E3(2025, qs)
		if err != nil {
			t.Fatal(err)
		}
		w := y.E2.WEEECategories["6"]
		// The year's own rates and the judged ones agree: 58 %, met.
		wantValue(t, "year rate", w.ReuseAndRecyclingRatePct, "58", 6)
		wantValue(t, "judged rate", w.YearReuseAndRecyclingRatePct, "58", 6)
		if deref(w.ReuseAndRecyclingMet) != true {
			t.Errorf("year roll-up met %v", deref(w.ReuseAndRecyclingMet))
		}
	})
}

// TestE2Methodology20251Unchanged checks that no 2026.1 key reaches a
// 2025.1 encoding.
func TestE2Methodology20251Unchanged(t *testing.T) {
	e, _ := computeUnder(t, ledger.Methodology20251, nil, loadExample(t), nil)
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"pom"`, `"window_end"`, `"weee_categories"`, `"collection_rate_pom_years"`, `"window_lifetime_kg_years"`, `"use_life_years"`} {
		if strings.Contains(string(b), k) {
			t.Errorf("2025.1 encoding has %s", k)
		}
	}
}

// TestRedeployed2026 is W3: redeployment is reported apart and is in no
// rate.
func TestRedeployed2026(t *testing.T) {
	radio := ledger.DeviceFlow{Category: "network_radio", Stream: "network", Inflow: flow("500"),
		Collected: flow("1000"), Recycled: flow("800"), Reused: flow("200"), Redeployed: flow("600")}
	e, tr := computeUnder(t, ledger.Methodology20261, nil, ret("2025-Q4", radio), nil)
	// W3: collected 1,000 kg is decommissioned and not redeployed;
	// recycling rate 800 / 1,000 = 80 % (not 800 / 1,600 = 50 %),
	// redeployed_kg = 600 apart.
	wantValue(t, "recycling rate", e.Total.RecyclingRatePct, "80", 6)
	if e.Total.RedeployedKg == nil {
		t.Fatal("no redeployed_kg")
	}
	wantValue(t, "redeployed", *e.Total.RedeployedKg, "600", 6)
	wantValue(t, "network redeployed", *e.ByStream["network"].RedeployedKg, "600", 6)
	found := false
	for _, d := range tr.Derivations {
		found = found || (d.Metric == "e2.total.redeployed_kg" && len(d.Inputs) == 1 && d.Inputs[0].Path == "devices[0].redeployed.kg")
	}
	if !found {
		t.Error("no derivation of redeployed_kg naming devices[0].redeployed.kg")
	}
	old, _ := computeUnder(t, ledger.Methodology20251, nil, ret("2025-Q4", radio), nil)
	if old.Total.RedeployedKg != nil {
		t.Error("2025.1 reports redeployed_kg")
	}
}

// TestBatteries2026 is W5: battery rows leave the WEEE targets, show the
// share sent to recycling, and judge a filed recycler efficiency against
// Regulation (EU) 2023/1542 Annex XII Part B.
func TestBatteries2026(t *testing.T) {
	lead := func(stream, col, rec, eff string) ledger.DeviceFlow {
		r := ledger.DeviceFlow{Category: "battery_lead_acid", Stream: stream, Collected: flow(col), Recycled: flow(rec)}
		if eff != "" {
			r.RecyclerEfficiencyPct = ptr(d(eff))
		}
		return r
	}
	lithium := ledger.DeviceFlow{Category: "battery_lithium", Stream: "network", Collected: flow("1000"), Recycled: flow("500"),
		RecyclerEfficiencyPct: ptr(d("60"))}
	rows := []ledger.DeviceFlow{lead("network", "1000", "1000", "70"), lead("customer", "4000", "3000", "78"), lithium}
	tests := []struct {
		period         string
		leadTarget     string // "" = no target in force
		leadMet, liMet any
		liTarget       string
		reasonWithout  string
	}{
		// Lead-acid: (1,000 x 70 + 3,000 x 78) / 4,000 = 304,000 / 4,000 = 76 %.
		// Lithium: 60 %.
		// 2025-Q3 ends before 31 December 2025: no target yet.
		{period: "2025-Q3", reasonWithout: "applies from 31 December 2025"},
		// 2025-Q4: 76 >= 75 met; 60 < 65 not met.
		{period: "2025-Q4", leadTarget: "75", liTarget: "65", leadMet: true, liMet: false},
		// 2030-Q3: still the 2025 targets.
		{period: "2030-Q3", leadTarget: "75", liTarget: "65", leadMet: true, liMet: false},
		// 2030-Q4: 76 < 80 and 60 < 70: neither met.
		{period: "2030-Q4", leadTarget: "80", liTarget: "70", leadMet: false, liMet: false},
	}
	for _, tc := range tests {
		t.Run(tc.period, func(t *testing.T) {
			e, tr := computeUnder(t, ledger.Methodology20261, nil, ret(tc.period, rows...), nil)
			b := e.Batteries
			if b == nil {
				t.Fatal("no batteries")
			}
			// Sent to recycling: (1,000 + 3,000 + 500) / (1,000 + 4,000 + 1,000)
			// = 4,500 / 6,000 = 75 %; lead-acid 4,000 / 5,000 = 80 %.
			wantValue(t, "sent to recycling", b.SentToRecyclingPct, "75", 6)
			la, li := b.ByCategory["battery_lead_acid"], b.ByCategory["battery_lithium"]
			wantValue(t, "lead-acid sent", la.SentToRecyclingPct, "80", 6)
			wantValue(t, "lead-acid efficiency", la.RecyclerEfficiencyPct, "76", 6)
			wantValue(t, "lithium efficiency", li.RecyclerEfficiencyPct, "60", 6)
			if tc.leadTarget == "" {
				wantMissing(t, tr, "e2.batteries.by_category.battery_lead_acid.recycler_efficiency_target_pct", la.TargetPct, "")
				if la.Met != nil {
					t.Errorf("met %v before any target", *la.Met)
				}
				found := false
				for _, u := range tr.Unavailable {
					found = found || (u.Metric == "e2.batteries.by_category.battery_lead_acid.met" && strings.Contains(u.Reason, tc.reasonWithout))
				}
				if !found {
					t.Errorf("no reason mentioning %q", tc.reasonWithout)
				}
				return
			}
			wantValue(t, "lead-acid target", la.TargetPct, tc.leadTarget, 0)
			wantValue(t, "lithium target", li.TargetPct, tc.liTarget, 0)
			if deref(la.Met) != tc.leadMet || deref(li.Met) != tc.liMet {
				t.Errorf("met lead-acid %v lithium %v, want %v %v", deref(la.Met), deref(li.Met), tc.leadMet, tc.liMet)
			}
			if e.WEEECategories != nil {
				t.Errorf("batteries judged against WEEE targets: %v", e.WEEECategories)
			}
		})
	}
	old, _ := computeUnder(t, ledger.Methodology20251, nil, ret("2025-Q4", rows...), nil)
	if old.Batteries != nil {
		t.Error("2025.1 has batteries")
	}
}

// TestExports2026 is W6: exported_share_pct and takeback_units_pct.
func TestExports2026(t *testing.T) {
	phone := func(inUnits, colUnits int64) ledger.DeviceFlow {
		return ledger.DeviceFlow{Category: "smartphone", Stream: "customer",
			Inflow: &ledger.Flow{Units: inUnits, Kg: d("1000")}, Collected: &ledger.Flow{Units: colUnits, Kg: d("400")}}
	}
	q4 := phone(1000, 300)
	q4.Recycled, q4.Reused = flow("300"), flow("100")
	// Exports for treatment (Y49) 120 kg and for reuse after testing 80 kg.
	q4.Exports = []ledger.Export{
		{Country: "MY", Kg: d("120"), BaselCode: "Y49", ConsentID: "c1", Purpose: ledger.ExportTreatment},
		{Country: "VN", Kg: d("80"), Purpose: ledger.ExportReuseTested},
	}
	radio := ledger.DeviceFlow{Category: "network_radio", Stream: "network", Collected: flow("1000"), Recycled: flow("1000"), ExportedKg: ptr(d("300"))}
	cur, earlier := quarters([4][]ledger.DeviceFlow{{phone(1000, 100)}, {phone(2000, 200)}, {phone(1000, 400)}, {q4, radio}}, nil)
	e, tr := computeUnder(t, ledger.Methodology20261, nil, cur, earlier)
	// W6 exported share, total: exported (120 + 80) + 300 = 500 kg over
	// treated (300 + 100) + 1,000 = 1,400 kg: 35.714286 %; smartphones
	// 200 / 400 = 50 %, the radio's v1 exported_kg 300 / 1,000 = 30 %.
	wantValue(t, "exported share", *e.Total.ExportedSharePct, "35.714286", 6)
	wantValue(t, "smartphone exported share", *e.ByCategory["smartphone"].ExportedSharePct, "50", 6)
	wantValue(t, "radio exported share", *e.ByCategory["network_radio"].ExportedSharePct, "30", 6)
	// Take-back: units collected 100 + 200 + 400 + 300 = 1,000 over units
	// placed 1,000 + 2,000 + 1,000 + 1,000 = 5,000: 20 %.
	wantValue(t, "takeback", *e.Total.TakebackUnitsPct, "20", 6)
	if e.ByStream["network"].TakebackUnitsPct != nil {
		t.Error("take-back on the network stream")
	}
	// Three quarters only: null with the reason.
	e, tr = computeUnder(t, ledger.Methodology20261, nil, cur, earlier[1:])
	wantMissing(t, tr, "e2.total.takeback_units_pct", *e.Total.TakebackUnitsPct, "3 of 4 found")
	old, _ := computeUnder(t, ledger.Methodology20251, nil, cur, earlier)
	if old.Total.ExportedSharePct != nil || old.Total.TakebackUnitsPct != nil {
		t.Error("2025.1 has the W6 metrics")
	}
}

// TestE22026Deterministic: the reasons and flags come out in the same
// order every time (a disclosure lists them, and must render the same
// bytes when verified).
func TestE22026Deterministic(t *testing.T) {
	var first []byte
	for i := 0; i < 20; i++ {
		_, tr := computeUnder(t, ledger.Methodology20261, nil, loadExample(t), nil)
		b, err := json.Marshal(struct {
			U []Unavailable
			Q []DataQuality
		}{tr.Unavailable, tr.DataQuality})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if string(b) != string(first) {
			t.Fatal("the trace's order changed between two computations")
		}
	}
}

// TestAuthorisedTreatment2026 is W6 authorised_treatment_share_pct: the
// treated mass of rows whose recycler files an authorisation id over all
// treated mass, in the total and by category; null when nothing was
// treated.
func TestAuthorisedTreatment2026(t *testing.T) {
	phone := ledger.DeviceFlow{Category: "smartphone", Stream: "customer", Collected: flow("500"),
		Reused: flow("100"), Recycled: flow("250"), Disposed: flow("50"), Recycler: "Acme Recycling",
		RecyclerAuthorisationID: "EPA-VIC-1234"}
	tablet := ledger.DeviceFlow{Category: "tablet", Stream: "customer", Collected: flow("200"),
		Recycled: flow("150"), Recovered: flow("50"), Recycler: "Unlicensed Co"}
	radio := ledger.DeviceFlow{Category: "network_radio", Stream: "network", Collected: flow("100")}
	cur, earlier := quarters([4][]ledger.DeviceFlow{nil, nil, nil, {phone, tablet, radio}}, nil)
	e, tr := computeUnder(t, ledger.Methodology20261, nil, cur, earlier)
	// W6 total: the phones' treated 100 + 250 + 50 = 400 kg carry an id;
	// all treated is 400 + the tablets' 150 + 50 = 600 kg:
	// 400 / 600 x 100 = 66.666667 %. Smartphones 400 / 400 = 100 %,
	// tablets 0 / 200 = 0 %, the radio row treated nothing: null.
	wantValue(t, "authorised share", *e.Total.AuthorisedTreatmentSharePct, "66.666667", 6)
	wantValue(t, "smartphone authorised share", *e.ByCategory["smartphone"].AuthorisedTreatmentSharePct, "100", 6)
	wantValue(t, "tablet authorised share", *e.ByCategory["tablet"].AuthorisedTreatmentSharePct, "0", 6)
	wantMissing(t, tr, "e2.by_category.network_radio.authorised_treatment_share_pct",
		*e.ByCategory["network_radio"].AuthorisedTreatmentSharePct, "nothing was treated")
	var d *Derivation
	for i := range tr.Derivations {
		if tr.Derivations[i].Metric == "e2.total.authorised_treatment_share_pct" {
			d = &tr.Derivations[i]
		}
	}
	if d == nil || len(d.Inputs) == 0 || d.Inputs[0].Value != "EPA-VIC-1234" {
		t.Errorf("derivation %+v: want the authorisation id among its inputs", d)
	}
	// The figure is one of the documents' 2026.1 figures.
	found := false
	for _, f := range Figures20261() {
		if v := f.Get(nil, e, nil); f.Key == "e2.total.authorised_treatment_share_pct" && v != nil && v.OK {
			found = true
		}
	}
	if !found {
		t.Error("authorised_treatment_share_pct is not in Figures20261")
	}
	old, _ := computeUnder(t, ledger.Methodology20251, nil, cur, earlier)
	if old.Total.AuthorisedTreatmentSharePct != nil {
		t.Error("2025.1 has authorised_treatment_share_pct")
	}
}
