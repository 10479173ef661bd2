package calculators

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

func loadFactors(t testing.TB) *ledger.FactorSet {
	t.Helper()
	fs, err := ledger.ParseFactorSet(fixtures.DefaultFactorSet())
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// loadExample decodes the spec's example return (fixtures).
func loadExample(t testing.TB) *ledger.Return {
	t.Helper()
	var r ledger.Return
	if err := json.Unmarshal(fixtures.ExampleReturn(), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func flow(kg string) *ledger.Flow { return &ledger.Flow{Units: 1, Kg: d(kg)} }

func ptr[T any](v T) *T { return &v }

func period(s string) ledger.Period {
	p, err := ledger.ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

func ret(p string, devices ...ledger.DeviceFlow) *ledger.Return {
	return &ledger.Return{Operator: "op", Period: period(p), Devices: devices}
}

// quarters builds returns for 2025-Q1..2025-Q4 with the given rows in each;
// historic goes with the first.
func quarters(rows [4][]ledger.DeviceFlow, historic []ledger.HistoricInflow) (cur *ledger.Return, earlier []*ledger.Return) {
	for i, p := range []string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"} {
		r := ret(p, rows[i]...)
		if i == 0 {
			r.HistoricInflow = historic
		}
		if i == 3 {
			cur = r
		} else {
			earlier = append(earlier, r)
		}
	}
	return cur, earlier
}

func wantValue(t *testing.T, name string, v Value, want string, places int32) {
	t.Helper()
	if !v.OK {
		t.Errorf("%s is null, want %s", name, want)
		return
	}
	if got := v.D.RoundBank(places); !got.Equal(d(want)) {
		t.Errorf("%s = %s (%s), want %s", name, got, v.D, want)
	}
}

func wantMissing(t *testing.T, tr *Trace, name string, v Value, reason string) {
	t.Helper()
	if v.OK {
		t.Errorf("%s = %s, want null", name, v.D)
	}
	for _, u := range tr.Unavailable {
		if u.Metric == name {
			if !strings.Contains(u.Reason, reason) {
				t.Errorf("%s unavailable because %q, want it to mention %q", name, u.Reason, reason)
			}
			return
		}
	}
	t.Errorf("%s: no unavailable entry", name)
}

func compute(t *testing.T, cur *ledger.Return, earlier []*ledger.Return) (*E2, *Trace) {
	t.Helper()
	e, tr, err := ComputeE2(Request{Return: cur, Earlier: earlier, Factors: loadFactors(t)})
	if err != nil {
		t.Fatal(err)
	}
	return e, tr
}

func TestEwasteGeneratedCohorts(t *testing.T) {
	sp := func(in string) []ledger.DeviceFlow {
		return []ledger.DeviceFlow{{Category: "smartphone", Stream: "customer", Inflow: flow(in)}}
	}
	t.Run("one cohort in its first year", func(t *testing.T) {
		// 1,000 t placed on the market over 2025: at 2025-Q4 it is
		// INFLOW_0 = 1,000,000 kg, arising 1e6 x f(0.5) = 1e6 x 0.0593564309
		// = 59,356.4309 kg = 59.3564 t.
		cur, earlier := quarters([4][]ledger.DeviceFlow{sp("250000"), sp("250000"), sp("250000"), sp("250000")}, nil)
		e, _ := compute(t, cur, earlier)
		wantValue(t, "smartphone generated (t)", Some(e.ByCategory["smartphone"].EwasteGeneratedKg.D.Div(d("1000"))), "59.3564", 4)
	})
	t.Run("three cohorts", func(t *testing.T) {
		// Cohorts of 900, 950 and 1,000 t placed in 2022, 2023 and 2024
		// (historic_inflow), nothing in 2025. At 2025-Q4 the windows are
		// k=0: 2025 (0 t), k=1: 2024 (1,000 t), k=2: 2023 (950 t),
		// k=3: 2022 (900 t), so
		// 1000 x f(1.5) + 950 x f(2.5) + 900 x f(3.5)
		// = 1000 x 0.1005366611 + 950 x 0.1173768803 + 900 x 0.1201736822
		// = 100.5367 + 111.5080 + 108.1563 = 320.2010 t.
		// (With 1,000 t as INFLOW_0 it would be 1000 f(0.5) + 950 f(1.5)
		// + 900 f(2.5) = 260.5055 t.)
		none := []ledger.DeviceFlow{{Category: "smartphone", Stream: "customer", Collected: flow("10")}}
		hist := []ledger.HistoricInflow{
			{Category: "smartphone", Stream: "customer", Year: 2022, Kg: d("900000")},
			{Category: "smartphone", Stream: "customer", Year: 2023, Kg: d("950000")},
			{Category: "smartphone", Stream: "customer", Year: 2024, Kg: d("1000000")},
		}
		cur, earlier := quarters([4][]ledger.DeviceFlow{none, none, none, none}, hist)
		e, tr := compute(t, cur, earlier)
		g := e.ByCategory["smartphone"].EwasteGeneratedKg
		wantValue(t, "smartphone generated (t)", Some(g.D.Div(d("1000"))), "320.2010", 4)
		// Exact to far more than the 6 places shown (60-digit reference).
		wantValue(t, "smartphone generated (kg)", g, "320201.0113165098430477198771", 22)
		// Collected 40 kg in the year against it.
		wantValue(t, "collection_rate_generated_pct", e.Total.CollectionRateGeneratedPct,
			d("4000").DivRound(g.D, 20).RoundBank(12).String(), 12)
		var der *Derivation
		for i := range tr.Derivations {
			if tr.Derivations[i].Metric == "e2.by_category.smartphone.ewaste_generated_kg" {
				der = &tr.Derivations[i]
			}
		}
		if der == nil || len(der.Notes) != 3 || len(der.Inputs) != 12 || der.Factors[0].Source == "" {
			t.Fatalf("derivation: %+v", der)
		}
		if der.Inputs[0].Path != "2025-Q1:historic_inflow[2].kg" {
			t.Errorf("first input %s, want the 2024 historic row of the first return", der.Inputs[0].Path)
		}
	})
	t.Run("categories without a lifetime distribution", func(t *testing.T) {
		cur := ret("2025-Q3",
			ledger.DeviceFlow{Category: "battery_lead_acid", Stream: "network", Inflow: flow("500"), Collected: flow("100"), Recycled: flow("100")},
			ledger.DeviceFlow{Category: "cable", Stream: "network", Inflow: flow("70")})
		e, tr := compute(t, cur, nil)
		for _, c := range []string{"battery_lead_acid", "cable"} {
			wantMissing(t, tr, "e2.by_category."+c+".ewaste_generated_kg", e.ByCategory[c].EwasteGeneratedKg, "lifetime distribution")
			wantMissing(t, tr, "e2.by_category."+c+".mci", e.ByCategory[c].MCI, "lifetime distribution")
			wantMissing(t, tr, "e2.by_category."+c+".weee_targets", Value{}, "outside the WEEE scheme")
		}
		wantMissing(t, tr, "e2.total.ewaste_generated_kg", e.Total.EwasteGeneratedKg, "lifetime distribution")
		wantValue(t, "battery recycling rate", e.ByCategory["battery_lead_acid"].RecyclingRatePct, "100", 6)
	})
}

func TestCollectionRatePOM(t *testing.T) {
	// Customer collected 75 t over 2025 (10 + 20 + 25 + 20) against inflow
	// of 100, 110 and 120 t in 2022-2024: 75 / ((100+110+120)/3) x 100
	// = 75 / 110 x 100 = 68.181818...%.
	col := func(kg string) []ledger.DeviceFlow {
		return []ledger.DeviceFlow{{Category: "cpe", Stream: "customer", Collected: flow(kg), Reused: flow(kg)},
			{Category: "network_radio", Stream: "network", Inflow: flow("999"), Collected: flow("5")}}
	}
	hist := func(years ...int) []ledger.HistoricInflow {
		kg := map[int]string{2022: "100000", 2023: "110000", 2024: "120000"}
		var out []ledger.HistoricInflow
		for _, y := range years {
			out = append(out, ledger.HistoricInflow{Category: "cpe", Stream: "customer", Year: y, Kg: d(kg[y])})
		}
		return out
	}
	rows := [4][]ledger.DeviceFlow{col("10000"), col("20000"), col("25000"), col("20000")}

	t.Run("full history", func(t *testing.T) {
		cur, earlier := quarters(rows, hist(2022, 2023, 2024))
		e, tr := compute(t, cur, earlier)
		wantValue(t, "total", e.Total.CollectionRatePOMPct, "68.181818181818", 12)
		wantValue(t, "customer", e.ByStream["customer"].CollectionRatePOMPct, "68.181818181818", 12)
		wantValue(t, "cpe", e.ByCategory["cpe"].CollectionRatePOMPct, "68.181818181818", 12)
		if e.Total.CollectionRatePOMPartial {
			t.Error("partial with 12 quarters of history")
		}
		wantMissing(t, tr, "e2.by_stream.network.collection_rate_pom_pct", e.ByStream["network"].CollectionRatePOMPct, "customer stream only")
		if e.Total.MCIBasis != "generated" {
			t.Errorf("mci basis %q with a complete year", e.Total.MCIBasis)
		}
	})
	t.Run("partial history", func(t *testing.T) {
		// 2022 missing: 4 of the 12 quarters have nothing; the rate is
		// 75 / ((0+110+120)/3) x 100 = 97.826087% and flagged partial.
		cur, earlier := quarters(rows, hist(2023, 2024))
		e, tr := compute(t, cur, earlier)
		wantValue(t, "total", e.Total.CollectionRatePOMPct, "97.826087", 6)
		if !e.Total.CollectionRatePOMPartial || e.Total.Parts.PriorQuartersMissing != 4 {
			t.Errorf("partial = %v, missing %d; want true, 4", e.Total.CollectionRatePOMPartial, e.Total.Parts.PriorQuartersMissing)
		}
		for _, der := range tr.Derivations {
			if der.Metric == "e2.total.collection_rate_pom_pct" && (len(der.Notes) == 0 || !strings.Contains(der.Notes[0], "partial")) {
				t.Errorf("derivation notes %q do not explain partial", der.Notes)
			}
		}
	})
	t.Run("short history", func(t *testing.T) {
		cur, earlier := quarters(rows, hist(2022, 2023, 2024))
		e, tr := compute(t, cur, earlier[1:]) // 2025-Q1 missing
		wantMissing(t, tr, "e2.total.collection_rate_pom_pct", e.Total.CollectionRatePOMPct, "3 of 4 found")
		wantMissing(t, tr, "e2.total.collection_rate_generated_pct", e.Total.CollectionRateGeneratedPct, "3 of 4 found")
		if e.ByCategory["network_radio"].MCIBasis != "collected" {
			t.Errorf("mci basis %q with an incomplete year", e.ByCategory["network_radio"].MCIBasis)
		}
	})
}

func TestTreatmentRatesAndTargets(t *testing.T) {
	row := func(cat, col, reu, rec, recov, disp, stock string) ledger.DeviceFlow {
		return ledger.DeviceFlow{Category: cat, Stream: "customer", Collected: flow(col), Reused: flow(reu), Recycled: flow(rec),
			Recovered: flow(recov), Disposed: flow(disp), StockChange: flow(stock)}
	}
	cur := ret("2025-Q3",
		// Mass balance: 100 - (30+50+0+5) - 10 = 5 kg unaccounted for.
		row("smartphone", "100", "30", "50", "0", "5", "10"),
		// Cat 2 (80/70): recovery (20+50+10)/100 = 80% met at the boundary;
		// reuse+recycling 70% met.
		row("laptop", "100", "20", "50", "10", "20", "0"),
		// Cat 4 (85/80): recovery 84.9% not met, reuse+recycling 80% met.
		row("server", "1000", "300", "500", "49", "151", "0"),
		// Cat 5 (75/55): recovery 90% met, reuse+recycling 54.9% not met.
		row("set_top_box", "1000", "0", "549", "351", "100", "0"),
		// Cat 6 (75/55): nothing collected, rates unavailable, met unknown.
		ledger.DeviceFlow{Category: "cpe", Stream: "customer", Inflow: flow("10")},
	)
	e, tr := compute(t, cur, nil)
	wantValue(t, "smartphone gap", e.ByCategory["smartphone"].MassBalanceGapKg, "5", 6)
	wantValue(t, "smartphone treated", e.ByCategory["smartphone"].TreatedKg, "85", 6)
	for _, tc := range []struct {
		cat      string
		weee     int
		rec, rnr *bool
	}{
		{"laptop", 2, ptr(true), ptr(true)},
		{"server", 4, ptr(false), ptr(true)},
		{"set_top_box", 5, ptr(true), ptr(false)},
		{"smartphone", 6, ptr(true), ptr(true)}, // 80% and 80%
		{"cpe", 6, nil, nil},
	} {
		w := e.ByCategory[tc.cat].WEEETargets
		if w == nil || w.WEEECategory != tc.weee {
			t.Errorf("%s: targets %+v, want WEEE category %d", tc.cat, w, tc.weee)
			continue
		}
		same := func(a, b *bool) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
		if !same(w.RecoveryMet, tc.rec) || !same(w.ReuseAndRecyclingMet, tc.rnr) {
			t.Errorf("%s: met recovery %v reuse+recycling %v", tc.cat, deref(w.RecoveryMet), deref(w.ReuseAndRecyclingMet))
		}
	}
	for _, k := range []string{"reuse_rate_pct", "recycling_rate_pct", "recovery_rate_pct", "reuse_and_recycling_rate_pct", "disposal_rate_pct"} {
		v := map[string]Value{"reuse_rate_pct": e.ByCategory["cpe"].ReuseRatePct, "recycling_rate_pct": e.ByCategory["cpe"].RecyclingRatePct,
			"recovery_rate_pct": e.ByCategory["cpe"].RecoveryRatePct, "reuse_and_recycling_rate_pct": e.ByCategory["cpe"].ReuseAndRecyclingRatePct,
			"disposal_rate_pct": e.ByCategory["cpe"].DisposalRatePct}[k]
		wantMissing(t, tr, "e2.by_category.cpe."+k, v, "nothing was collected")
	}
	b, err := json.Marshal(e.ByCategory["cpe"])
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `"recycling_rate_pct":null`) || strings.Contains(s, "NaN") {
		t.Errorf("cpe JSON: %s", s)
	}
}

func deref(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

func TestComputeE2Example(t *testing.T) {
	r := loadExample(t)
	e, tr := compute(t, r, nil)
	// Smartphones: treated 4320 + 6390 + 0 + 90 = 10800, gap
	// 10980 - 10800 - 180 = 0.
	wantValue(t, "smartphone gap", e.ByCategory["smartphone"].MassBalanceGapKg, "0", 6)
	// Total collected 10980 + 20800 + 45000 + 89600 = 166380 kg, recycled
	// 6390 + 8800 + 35000 + 89600 = 139790 kg: 84.018512%; reused
	// 4320 + 12000 + 10000 = 26320 kg: 15.819209%.
	wantValue(t, "collected", e.Total.CollectedKg, "166380", 6)
	wantValue(t, "recycling rate", e.Total.RecyclingRatePct, "84.018512", 6)
	wantValue(t, "reuse rate", e.Total.ReuseRatePct, "15.819209", 6)
	// Circular inflow of smartphones: (3900 + 2340) / 77900 = 8.010270%.
	wantValue(t, "smartphone circular inflow", e.ByCategory["smartphone"].CircularInflowPct, "8.010270", 6)
	// Only 2025-Q3 has a return: no rolling year.
	wantMissing(t, tr, "e2.total.collection_rate_pom_pct", e.Total.CollectionRatePOMPct, "1 of 4 found")
	// 2021-Q4 has neither a return nor historic inflow.
	if !e.Total.CollectionRatePOMPartial {
		t.Error("not partial though 2021-Q4 is missing")
	}
	// Smartphone windows at 2025-Q3 (historic years spread by quarter):
	// k=0 2024-Q4..2025-Q3: 75000 + 0 + 0 + 77900 = 152900
	// k=1 2023-Q4..2024-Q3: 71250 + 3 x 75000    = 296250
	// k=2 2022-Q4..2023-Q3: 67500 + 3 x 71250    = 281250
	// k=3 2021-Q4..2022-Q3: 0 + 3 x 67500        = 202500
	// 152900 f(0.5) + 296250 f(1.5) + 281250 f(2.5) + 202500 f(3.5)
	// = 9075.5983 + 29783.9859 + 33012.2476 + 24335.1706 = 96207.002353 kg.
	wantValue(t, "smartphone generated", e.ByCategory["smartphone"].EwasteGeneratedKg, "96207.002353", 6)
	// MCI on the collected basis: M = 77900, Fr = 3900/M, Fu = 2340/M,
	// Cr = 6390/10980, Cu = 4320/10980, Ec = Ef = 0.55, X = 1:
	// MCI = 377696299/790142890 = 0.478010121688 (exact fraction).
	sp := e.ByCategory["smartphone"]
	if sp.MCIBasis != "collected" {
		t.Errorf("basis %q", sp.MCIBasis)
	}
	wantValue(t, "smartphone mci", sp.MCI, d("377696299").DivRound(d("790142890"), 30).RoundBank(18).String(), 18)
	wantMissing(t, tr, "e2.by_category.battery_lead_acid.mci", e.ByCategory["battery_lead_acid"].MCI, "lifetime distribution")
	// The total MCI is the inflow-weighted mean of smartphone, cpe and
	// network_radio (batteries have none).
	var num, den decimal.Decimal
	for _, c := range []string{"smartphone", "cpe", "network_radio"} {
		v := e.ByCategory[c]
		num = num.Add(v.MCI.D.Mul(v.Parts.InflowKg))
		den = den.Add(v.Parts.InflowKg)
	}
	wantValue(t, "total mci", e.Total.MCI, num.DivRound(den, 20).RoundBank(15).String(), 15)

	for _, m := range []string{"e2.total.recycling_rate_pct", "e2.total.collection_rate_pom_pct", "e2.total.collection_rate_generated_pct",
		"e2.by_category.smartphone.ewaste_generated_kg", "e2.by_category.smartphone.mci", "e2.total.mci"} {
		found := false
		for _, der := range tr.Derivations {
			found = found || der.Metric == m
		}
		if !found {
			t.Errorf("no derivation for %s", m)
		}
	}
	if _, err := json.Marshal(e); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkComputeE2 computes the example return's 2025-Q3 against three
// earlier quarters and three years of historic inflow.
func BenchmarkComputeE2(b *testing.B) {
	cur := loadExample(b)
	var earlier []*ledger.Return
	for _, p := range []string{"2024-Q4", "2025-Q1", "2025-Q2"} {
		e := *cur
		e.Period = period(p)
		e.HistoricInflow = nil
		earlier = append(earlier, &e)
	}
	cur2 := *cur
	cur2.HistoricInflow = nil
	// The history comes with the first return (2024-Q4) and must precede
	// its year: the example's years, one earlier.
	for _, h := range cur.HistoricInflow {
		h.Year--
		earlier[0].HistoricInflow = append(earlier[0].HistoricInflow, h)
	}
	fs := loadFactors(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ComputeE2(Request{Return: &cur2, Earlier: earlier, Factors: fs}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestExpUnderflow(t *testing.T) {
	if !ExpDec(d("-151")).IsZero() || ExpDec(d("-100")).IsZero() {
		t.Error("exp underflow threshold")
	}
}

func TestHistoryIgnoresOtherReturns(t *testing.T) {
	row := func(kg string) ledger.DeviceFlow {
		return ledger.DeviceFlow{Category: "smartphone", Stream: "customer", Inflow: flow(kg), Collected: flow("1")}
	}
	cur := ret("2025-Q2", row("100"))
	other := ret("2025-Q1", row("5000"))
	other.Operator = "someone-else"
	later := ret("2025-Q3", row("7000"))
	same := ret("2025-Q1", row("300"))
	e, _ := compute(t, cur, []*ledger.Return{other, later, same})
	// Only the operator's own 2025-Q1 counts: INFLOW_0 = 100 + 300.
	f05, _ := WeibullDensity(d("1.56"), d("6.26"), d("0.5"))
	wantValue(t, "generated", e.ByCategory["smartphone"].EwasteGeneratedKg, d("400").Mul(f05).RoundBank(20).String(), 20)
	if got := e.Total.Parts.WindowReturns; got != 2 {
		t.Errorf("window returns %d, want 2", got)
	}
}
