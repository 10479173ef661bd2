package calculators

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// opYear builds one operator's four 2025 returns: smartphones (customer)
// and radios (network) with flows that differ by quarter (scaled by q),
// historic inflow for 2022-2024, and resilience figures.
func opYear(op string, scale int64) []*ledger.Return {
	var out []*ledger.Return
	for q := int64(1); q <= 4; q++ {
		k := func(base int64) *ledger.Flow {
			return &ledger.Flow{Units: 1, Kg: decimal.NewFromInt(base * q * scale)}
		}
		r := ret("2025-Q"+strconv.Itoa(int(q)),
			ledger.DeviceFlow{Category: "smartphone", Stream: "customer", Inflow: k(1000), Collected: k(100 + 10*q),
				Reused: k(20 * q), Recycled: k(60), Disposed: k(5), RecycledContentKg: ptr(decimal.NewFromInt(50 * q * scale))},
			ledger.DeviceFlow{Category: "network_radio", Stream: "network", Inflow: k(500), Collected: k(400),
				Reused: k(100), Recycled: k(300 - 50*q)},
		)
		r.Operator = op
		if q == 1 {
			for y, kg := range map[int]int64{2022: 3000, 2023: 3500, 2024: 4000} {
				r.HistoricInflow = append(r.HistoricInflow, ledger.HistoricInflow{Category: "smartphone", Stream: "customer", Year: y, Kg: decimal.NewFromInt(kg * scale)})
			}
		}
		r.Activity.SitesTotal = ptr(100*scale + q)
		r.Resilience = ledger.Resilience{SitesWithBackup: ptr(90*scale + q),
			BackupAutonomy:      &ledger.BackupAutonomy{LT4h: 10*scale + q, H4to8: 20 * scale, H8to24: 30 * scale, H24to72: 20 * scale, GE72h: 10 * scale},
			SitesHazardAssessed: ptr(50 * scale), SitesHighHazard: ptr(10 * scale), SitesHighHazardHardened: ptr(q),
			Outages:      []ledger.Outage{{Hazard: "storm", SitesAffected: q, SiteHoursLost: decimal.NewFromInt(24 * q), HoursToRestore: decimal.NewFromInt(q)}},
			EarlyWarning: &ledger.EarlyWarning{AlertsDisseminated: q, PopulationCovered: 900 + q, PopulationServed: 1000}}
		out = append(out, r)
	}
	return out
}

func quarterResults(t *testing.T, rs []*ledger.Return, skip map[int]bool) []QuarterE2E3 {
	t.Helper()
	fs := loadFactors(t)
	var out []QuarterE2E3
	for i, r := range rs {
		if skip[i] {
			continue
		}
		var earlier []*ledger.Return
		for j := 0; j < i; j++ {
			if !skip[j] {
				earlier = append(earlier, rs[j])
			}
		}
		e2, _, err := ComputeE2(Request{Return: r, Earlier: earlier, Factors: fs})
		if err != nil {
			t.Fatal(err)
		}
		e3, _, err := ComputeE3(Request{Return: r})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, QuarterE2E3{Period: r.Period, E2: e2, E3: e3})
	}
	return out
}

// additive lists the additive E2 values of an object.
func additive(v E2Values) map[string]Value {
	return map[string]Value{"inflow_kg": v.InflowKg, "collected_kg": v.CollectedKg, "reused_kg": v.ReusedKg,
		"recycled_kg": v.RecycledKg, "recovered_kg": v.RecoveredKg, "disposed_kg": v.DisposedKg,
		"treated_kg": v.TreatedKg, "mass_balance_gap_kg": v.MassBalanceGapKg}
}

func sumValues(vs ...Value) Value {
	s := decimal.Zero
	for _, v := range vs {
		s = s.Add(v.D)
	}
	return Some(s)
}

func sameValue(t *testing.T, name string, got, want Value) {
	t.Helper()
	if got.OK != want.OK || (got.OK && !got.D.Equal(want.D)) {
		t.Errorf("%s = %v %s, want %v %s", name, got.OK, got.D, want.OK, want.D)
	}
}

func TestYearIsSumOfQuarters(t *testing.T) {
	qs := quarterResults(t, opYear("a", 1), nil)
	y, err := YearE2E3(2025, []QuarterE2E3{qs[2], qs[0], qs[3], qs[1]}) // any order
	if err != nil {
		t.Fatal(err)
	}
	if !y.Coverage.Complete || len(y.Coverage.Quarters) != 4 || len(y.Coverage.Missing) != 0 {
		t.Fatalf("coverage %+v", y.Coverage)
	}
	objects := map[string]func(*E2) E2Values{
		"total":         func(e *E2) E2Values { return e.Total },
		"customer":      func(e *E2) E2Values { return e.ByStream["customer"] },
		"network":       func(e *E2) E2Values { return e.ByStream["network"] },
		"smartphone":    func(e *E2) E2Values { return e.ByCategory["smartphone"] },
		"network_radio": func(e *E2) E2Values { return e.ByCategory["network_radio"] },
	}
	for name, get := range objects {
		for key, v := range additive(get(y.E2)) {
			var qv []Value
			for _, q := range qs {
				qv = append(qv, additive(get(q.E2))[key])
			}
			sameValue(t, name+"."+key, v, sumValues(qv...))
		}
	}
	// Ratios are recomputed from the summed flows, not averaged.
	sp := y.E2.ByCategory["smartphone"]
	// collected = sum of (100+10q) x q x 1 = 110 + 240 + 390 + 560 = 1300
	// reused    = sum of 20q x q           = 20 + 80 + 180 + 320   = 600
	// reuse rate = 600/1300 = 46.153846%; the mean of the quarterly rates
	// (18.18, 33.33, 46.15, 57.14) would be 38.70%.
	wantValue(t, "year reuse rate", sp.ReuseRatePct, "46.153846", 6)
	// History-based metrics are Q4's (its rolling window is the year).
	q4 := qs[3].E2.ByCategory["smartphone"]
	sameValue(t, "ewaste generated", sp.EwasteGeneratedKg, q4.EwasteGeneratedKg)
	sameValue(t, "collection pom", sp.CollectionRatePOMPct, q4.CollectionRatePOMPct)
	sameValue(t, "collection generated", sp.CollectionRateGeneratedPct, q4.CollectionRateGeneratedPct)
	// Collection against POM: 1300 collected in 2025 / ((3000+3500+4000)/3)
	// = 1300/3500 = 37.142857%.
	wantValue(t, "year collection pom", sp.CollectionRatePOMPct, "37.142857", 6)
	if sp.MCIBasis != "generated" {
		t.Errorf("basis %q", sp.MCIBasis)
	}
	found := false
	for _, n := range y.Notes {
		found = found || strings.Contains(n, "2025-Q4, whose rolling window is the calendar year")
	}
	if !found {
		t.Errorf("notes %q do not say the history metrics are Q4's", y.Notes)
	}

	// E3: flows add, stocks are Q4's, availability over all quarters.
	e3 := y.E3
	wantValue(t, "events", e3.ClimateOutageEvents, "4", 6)
	wantValue(t, "site hours lost 24(1+2+3+4)", e3.ClimateOutageSiteHours, "240", 6)
	wantValue(t, "mean restore (1+2+3+4)/4", e3.MeanHoursToRestore, "2.5", 6)
	wantValue(t, "alerts 1+2+3+4", e3.AlertsDisseminated, "10", 6)
	// Q4 stocks: 104 sites, 94 with backup.
	wantValue(t, "coverage 94/104", e3.BackupPowerCoveragePct, d("9400").DivRound(d("104"), 20).RoundBank(12).String(), 12)
	wantValue(t, "hardened 4/10", e3.HighHazardHardenedPct, "40", 6)
	wantValue(t, "early warning 904/1000", e3.EarlyWarningCoveragePct, "90.4", 6)
	// Site-hours: 101 x 2160 + 102 x 2184 + 103 x 2208 + 104 x 2208
	// = 218160 + 222768 + 227424 + 229632 = 897984; lost 240:
	// 100 - 24000/897984 = 99.973273...
	wantValue(t, "availability", e3.ClimateAvailabilityPct, decHundred.Sub(d("24000").DivRound(d("897984"), 24)).RoundBank(12).String(), 12)
	if _, err := json.Marshal(y); err != nil {
		t.Fatal(err)
	}
}

func TestYearWithMissingQuarter(t *testing.T) {
	qs := quarterResults(t, opYear("a", 1), map[int]bool{2: true}) // no Q3
	y, err := YearE2E3(2025, qs)
	if err != nil {
		t.Fatal(err)
	}
	if y.Coverage.Complete || strings.Join(y.Coverage.Missing, ",") != "2025-Q3" ||
		strings.Join(y.Coverage.Quarters, ",") != "2025-Q1,2025-Q2,2025-Q4" {
		t.Fatalf("coverage %+v", y.Coverage)
	}
	if !strings.Contains(strings.Join(y.Notes, " "), "partial year") {
		t.Errorf("notes %q", y.Notes)
	}
	// Q4's rolling year lacks Q3: no collection rate, MCI on the collected
	// basis.
	if y.E2.Total.CollectionRatePOMPct.OK || y.E2.ByCategory["smartphone"].MCIBasis != "collected" {
		t.Errorf("pom %v basis %q", y.E2.Total.CollectionRatePOMPct, y.E2.ByCategory["smartphone"].MCIBasis)
	}
	// Only three quarters of flows: 110 + 240 + 560 collected.
	wantValue(t, "collected", y.E2.ByCategory["smartphone"].CollectedKg, "910", 6)
	wantValue(t, "events", y.E3.ClimateOutageEvents, "3", 6)

	if _, err := YearE2E3(2024, qs); err == nil {
		t.Error("quarters of another year accepted")
	}
	if _, err := YearE2E3(2025, append(qs, qs[0])); err == nil {
		t.Error("a quarter given twice accepted")
	}
	empty, err := YearE2E3(2025, nil)
	if err != nil || empty.Coverage.Complete || len(empty.Coverage.Missing) != 4 {
		t.Errorf("empty year %+v %v", empty, err)
	}
}

func TestSectorIsSumOfOperators(t *testing.T) {
	a := quarterResults(t, opYear("a", 1), nil)[3]
	b := quarterResults(t, opYear("b", 3), nil)[3]
	c := quarterResults(t, opYear("c", 2), map[int]bool{0: true})[2] // 2025-Q4 without Q1
	s := SumSectorE2E3([]OperatorE2E3{{Operator: "b", Country: "JP", E2: b.E2, E3: b.E3},
		{Operator: "a", Country: "JP", E2: a.E2, E3: a.E3}, {Operator: "c", Country: "FJ", E2: c.E2, E3: c.E3}})
	if strings.Join(s.Operators, ",") != "a,b,c" || strings.Join(s.ByCountry["JP"].Operators, ",") != "a,b" {
		t.Fatalf("operators %v / %v", s.Operators, s.ByCountry["JP"].Operators)
	}
	for key, v := range additive(s.E2.Total) {
		sameValue(t, "total."+key, v, sumValues(additive(a.E2.Total)[key], additive(b.E2.Total)[key], additive(c.E2.Total)[key]))
	}
	for key, v := range additive(s.ByCountry["JP"].E2.ByCategory["smartphone"]) {
		sameValue(t, "JP smartphone."+key, v, sumValues(additive(a.E2.ByCategory["smartphone"])[key], additive(b.E2.ByCategory["smartphone"])[key]))
	}
	// Recycling rate from summed flows, JP radios in Q4: a collected
	// 400 x 4 = 1600, recycled (300 - 200) x 4 = 400; b (scale 3) 4800
	// and 1200: 1600 / 6400 = 25%.
	wantValue(t, "JP radio recycling", s.ByCountry["JP"].E2.ByCategory["network_radio"].RecyclingRatePct, "25", 6)
	// Generated e-waste adds; c's incomplete window makes the sector's
	// collection rate unavailable, JP's is available.
	sameValue(t, "JP generated", s.ByCountry["JP"].E2.Total.EwasteGeneratedKg,
		sumValues(a.E2.Total.EwasteGeneratedKg, b.E2.Total.EwasteGeneratedKg))
	if s.E2.Total.CollectionRatePOMPct.OK || !s.ByCountry["JP"].E2.Total.CollectionRatePOMPct.OK {
		t.Errorf("pom sector %v JP %v", s.E2.Total.CollectionRatePOMPct, s.ByCountry["JP"].E2.Total.CollectionRatePOMPct)
	}
	// JP collection against POM: (a + b) window collected / (a + b) prior / 3.
	num := a.E2.Total.Parts.WindowCustomerCollectedKg.Add(b.E2.Total.Parts.WindowCustomerCollectedKg)
	den := a.E2.Total.Parts.PriorCustomerInflowKg.Add(b.E2.Total.Parts.PriorCustomerInflowKg)
	wantValue(t, "JP pom", s.ByCountry["JP"].E2.Total.CollectionRatePOMPct, Div(num.Mul(d("300")), den).RoundBank(12).String(), 12)

	// E3: all stocks and flows add.
	e3 := s.E3
	wantValue(t, "sites", Some(decimal.NewFromInt(*e3.Parts.SitesTotal)), "612", 6) // Q4 stocks: 104 + 304 + 204
	wantValue(t, "events", e3.ClimateOutageEvents, "3", 6)
	wantValue(t, "coverage", e3.BackupPowerCoveragePct,
		d("100").Mul(d(strconv.Itoa(94+274+184))).DivRound(d("612"), 20). /* with backup: 94 + 274 + 184 */ RoundBank(12).String(), 12)
	if _, err := json.Marshal(s); err != nil {
		t.Fatal(err)
	}
}

func TestRollupSaysWhyNull(t *testing.T) {
	qs := quarterResults(t, opYear("a", 1), map[int]bool{2: true})
	y, err := YearE2E3(2025, qs)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, u := range y.Unavailable {
		found = found || (u.Metric == "e2.total.collection_rate_pom_pct" && strings.Contains(u.Reason, "3 of 4"))
	}
	if !found {
		t.Errorf("unavailable %+v", y.Unavailable)
	}
	b, err := json.Marshal(y.E2.Total.Parts)
	if err != nil {
		t.Fatal(err)
	}
	// The Weibull estimate is shown to 6 places like every value.
	var p struct {
		G string `json:"ewaste_generated_kg"`
	}
	if err := json.Unmarshal(b, &p); err != nil || len(p.G) == 0 || len(p.G[strings.IndexByte(p.G, '.')+1:]) > DisplayPlaces {
		t.Errorf("parts JSON ewaste_generated_kg %q (%v)", p.G, err)
	}
}
