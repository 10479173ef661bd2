package calculators

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
)

func decp(s string) *decimal.Decimal { v := d(s); return &v }

func intp(v int64) *int64 { return &v }

// e1a and e1b are two operators' E1 terms under 2025.1, worked by hand
// in TestSumRegionTerms.
func e1a() *RegionE1Terms {
	return &RegionE1Terms{Methodology: "2025.1", EnergyGJ: d("36"), NetworkGJ: d("36"), ElectricityKWh: d("10000"), RenewableKWh: d("2500"),
		Scope1T: d("2"), Scope2LocT: d("3"), Scope2MktT: d("1"), TrafficTB: decp("10"), Subscriptions: decp("100")}
}

func e1b() *RegionE1Terms {
	return &RegionE1Terms{Methodology: "2025.1", EnergyGJ: d("72"), NetworkGJ: d("36"), ElectricityKWh: d("30000"), RenewableKWh: d("0"),
		Scope1T: d("4"), Scope2LocT: d("5"), Scope2MktT: d("3"), TrafficTB: decp("30"), Subscriptions: decp("300")}
}

// in2026 puts E1 terms under 2026.1 with the given parts (kWh sold, kg).
func in2026(e *RegionE1Terms, sold, fuel, netMkt *decimal.Decimal) *RegionE1Terms {
	e.Methodology = "2026.1"
	e.Since20261 = &RegionE1Terms20261{OnsiteSoldKWh: sold, NetworkFuelKgCO2e: fuel, NetworkScope2MarketKg: netMkt}
	return e
}

func TestSumRegionTerms(t *testing.T) {
	type want map[string]string // figure -> value; "" is None; figures not named are None
	// Both 2025.1 operators: energy (36 + 72) / 3.6 = 30 MWh; network
	// 72 GJ x 1000 / (40 TB x 3.6) = 500 kWh/TB; renewable 2,500 x 100 /
	// 40,000 = 6.25 %; emissions (6 + 4) t x 1000 / 40 TB = 250 kg/TB;
	// energy 108 GJ x 1000 / (400 x 3.6) = 75 kWh a subscription.
	e1Both := want{"e1.energy_total_mwh": "30", "e1.scope1_tco2e": "6", "e1.scope2_location_tco2e": "8", "e1.scope2_market_tco2e": "4",
		"e1.network_energy_per_tb_kwh": "500", "e1.renewable_electricity_share_pct": "6.25", "e1.emissions_per_tb_kgco2e": "250",
		"e1.energy_per_subscription_kwh": "75"}
	with := func(w want, kv ...string) want {
		out := want{}
		for k, v := range w {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	noTraffic := e1b()
	noTraffic.TrafficTB = nil
	noSubs := e1b()
	noSubs.Subscriptions = nil
	tests := []struct {
		name  string
		terms []*RegionTerms
		want  want
	}{
		{"no operator", nil, want{}},
		{"E1 of two operators", []*RegionTerms{{Operator: "b", E1: e1b()}, {Operator: "a", E1: e1a()}}, e1Both},
		// A sum has traffic (or subscriptions) only when every operator
		// filed it.
		{"traffic missing for one", []*RegionTerms{{Operator: "a", E1: e1a()}, {Operator: "b", E1: noTraffic}},
			with(e1Both, "e1.network_energy_per_tb_kwh", "", "e1.emissions_per_tb_kgco2e", "")},
		{"subscriptions missing for one", []*RegionTerms{{Operator: "a", E1: e1a()}, {Operator: "b", E1: noSubs}},
			with(e1Both, "e1.energy_per_subscription_kwh", "")},
		// Both 2026.1: the 500 kWh sold come off the renewable kWh (2,000
		// x 100 / 40,000 = 5 %); emissions per TB are the network's
		// (1,000 + 2,000 + 500 + 1,500) kg / 40 TB = 125.
		{"both 2026.1", []*RegionTerms{
			{Operator: "a", E1: in2026(e1a(), decp("500"), decp("1000"), decp("500"))},
			{Operator: "b", E1: in2026(e1b(), decp("0"), decp("2000"), decp("1500"))}},
			with(e1Both, "e1.renewable_electricity_share_pct", "5", "e1.emissions_per_tb_kgco2e", "125")},
		// A part null for one operator is null in the sum, and a null
		// part counts as zero in the ratio (as E1Parts20261.plus and
		// finish20261 make it): (3,000 + 0) kg / 40 TB = 75.
		{"2026.1 with a null part", []*RegionTerms{
			{Operator: "a", E1: in2026(e1a(), decp("500"), decp("1000"), decp("500"))},
			{Operator: "b", E1: in2026(e1b(), decp("0"), decp("2000"), nil)}},
			with(e1Both, "e1.renewable_electricity_share_pct", "5", "e1.emissions_per_tb_kgco2e", "75")},
		// Mixed methodologies: the sum is under neither, so 2025.1's
		// formulas, and nothing sold is taken off.
		{"2026.1 and 2025.1", []*RegionTerms{
			{Operator: "a", E1: in2026(e1a(), decp("500"), decp("1000"), decp("500"))}, {Operator: "b", E1: e1b()}}, e1Both},
		{"zero electricity", []*RegionTerms{{Operator: "a", E1: &RegionE1Terms{EnergyGJ: d("3.6"), TrafficTB: decp("0"), Subscriptions: decp("0")}}},
			want{"e1.energy_total_mwh": "1", "e1.scope1_tco2e": "0", "e1.scope2_location_tco2e": "0", "e1.scope2_market_tco2e": "0"}},

		// E2: a (customer, window complete) collected 100 kg, recycled
		// 40, 60 kg collected from customers in the window over 180 kg of
		// prior inflow: 60 x 100 x 3 / 180 = 100 %. b (network) 300 and
		// 200: the sum recycles 240 x 100 / 400 = 60 %.
		{"E2 of two operators", []*RegionTerms{
			{Operator: "a", E2: &RegionE2Terms{Methodology: "2025.1", Cells: true, Customer: true, CollectedKg: d("100"), RecycledKg: d("40"),
				WindowReturns: 4, WindowCustomerCollectedKg: d("60"), PriorCustomerInflowKg: d("180")}},
			{Operator: "b", E2: &RegionE2Terms{Methodology: "2025.1", Cells: true, CollectedKg: d("300"), RecycledKg: d("200"), WindowReturns: 4}}},
			want{"e2.total.collected_kg": "400", "e2.total.recycling_rate_pct": "60", "e2.total.collection_rate_pom_pct": "100"}},
		// One operator with 3 quarters of its window: no collection rate.
		{"E2 window incomplete", []*RegionTerms{
			{Operator: "a", E2: &RegionE2Terms{Methodology: "2025.1", Cells: true, Customer: true, CollectedKg: d("100"), RecycledKg: d("40"),
				WindowReturns: 4, WindowCustomerCollectedKg: d("60"), PriorCustomerInflowKg: d("180")}},
			{Operator: "b", E2: &RegionE2Terms{Methodology: "2025.1", Cells: true, CollectedKg: d("300"), RecycledKg: d("200"), WindowReturns: 3}}},
			want{"e2.total.collected_kg": "400", "e2.total.recycling_rate_pct": "60"}},
		// Under 2026.1 (the last operator's): 60 kg over a mean inflow of
		// 120 kg = 50 %; b has no POM and adds none.
		{"E2 2026.1", []*RegionTerms{
			{Operator: "a", E2: &RegionE2Terms{Methodology: "2025.1", Cells: true, Customer: true, CollectedKg: d("100"), RecycledKg: d("40"),
				WindowReturns: 4, WindowCustomerCollectedKg: d("60"), PriorCustomerInflowKg: d("180"),
				POM: &E2POMParts{MeanInflowKg: d("120"), YearsCounted: []string{"2022", "2023", "2024"}}}},
			{Operator: "b", E2: &RegionE2Terms{Methodology: "2026.1", Cells: true, CollectedKg: d("300"), RecycledKg: d("200"), WindowReturns: 4}}},
			want{"e2.total.collected_kg": "400", "e2.total.recycling_rate_pct": "60", "e2.total.collection_rate_pom_pct": "50"}},
		{"E2 without cells", []*RegionTerms{{Operator: "a", E2: &RegionE2Terms{Methodology: "2025.1"}}},
			want{"e2.total.collected_kg": "0"}},

		// E3 (R2): a 90 of 100 sites with backup, 30 with 8 h or more;
		// b filed 300 sites and no backup figure, so it counts in
		// neither share: 90 % and 30 %, not 22.5 % and 7.5 %.
		{"E3 over the operators that filed both terms", []*RegionTerms{
			{Operator: "a", E3: &RegionE3Terms{SitesTotal: intp(100), SitesWithBackup: intp(90), BackupGE8h: intp(30)}},
			{Operator: "b", E3: &RegionE3Terms{SitesTotal: intp(300)}}},
			want{"e3.backup_power_coverage_pct": "90", "e3.backup_ge_8h_pct": "30"}},
		{"E3 both filed", []*RegionTerms{
			{Operator: "a", E3: &RegionE3Terms{SitesTotal: intp(100), SitesWithBackup: intp(90), BackupGE8h: intp(30)}},
			{Operator: "b", E3: &RegionE3Terms{SitesTotal: intp(300), SitesWithBackup: intp(150), BackupGE8h: intp(170)}}},
			want{"e3.backup_power_coverage_pct": "60", "e3.backup_ge_8h_pct": "50"}},
		{"E3 no one filed both", []*RegionTerms{{Operator: "a", E3: &RegionE3Terms{SitesWithBackup: intp(90)}}}, want{}},
		{"E3 zero sites", []*RegionTerms{{Operator: "a", E3: &RegionE3Terms{SitesTotal: intp(0), SitesWithBackup: intp(0)}}}, want{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := SumRegionTerms(tc.terms)
			// The service keeps terms with encoding/gob: what it reads
			// back sums to the same figures.
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(tc.terms); err != nil {
				t.Fatal(err)
			}
			var back []*RegionTerms
			if err := gob.NewDecoder(&buf).Decode(&back); err != nil {
				t.Fatal(err)
			}
			if again, _ := SumRegionTerms(back); !reflect.DeepEqual(again, got) {
				t.Errorf("after encoding/gob: %v, want %v", again, got)
			}
			if len(got) != len(RegionHeadlines()) {
				t.Fatalf("%d figures, want one per regional headline (%d)", len(got), len(RegionHeadlines()))
			}
			for _, h := range RegionHeadlines() {
				v, w := got[h.Key], tc.want[h.Key]
				switch {
				case w == "" && v.OK:
					t.Errorf("%s = %s, want null", h.Key, v.D)
				case w != "" && !v.OK:
					t.Errorf("%s is null, want %s", h.Key, w)
				case w != "" && !v.D.Equal(d(w)):
					t.Errorf("%s = %s, want %s", h.Key, v.D, w)
				}
			}
		})
	}
}

// The partial operators of a sum are those whose roll-up lacks a
// quarter, by operator id, as Sector's coverage lists them.
func TestSumRegionTermsPartial(t *testing.T) {
	_, partial := SumRegionTerms([]*RegionTerms{
		{Operator: "c", Quarters: []string{"2025-Q1"}, Missing: []string{"2025-Q2", "2025-Q3", "2025-Q4"}},
		{Operator: "a", Quarters: []string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"}, Missing: []string{}, Complete: true},
		{Operator: "b", Quarters: []string{"2025-Q2", "2025-Q3", "2025-Q4"}, Missing: []string{"2025-Q1"}},
	})
	want := []PartialOperator{
		{Operator: "b", Quarters: []string{"2025-Q2", "2025-Q3", "2025-Q4"}, Missing: []string{"2025-Q1"}},
		{Operator: "c", Quarters: []string{"2025-Q1"}, Missing: []string{"2025-Q2", "2025-Q3", "2025-Q4"}},
	}
	if !reflect.DeepEqual(partial, want) {
		t.Errorf("partial %+v, want %+v", partial, want)
	}
	if _, none := SumRegionTerms(nil); none == nil || len(none) != 0 {
		t.Errorf("no operator: partial %#v, want an empty list", none)
	}
}

// Terms read from roll-ups and added give what Sector gives for the
// regional figures: three operators' years (one missing a quarter),
// in total and per country.
func TestTermsOfMatchSector(t *testing.T) {
	year := func(op string, scale int64, skip map[int]bool) OperatorRollup {
		y, err := YearE2E3(2025, quarterResults(t, opYear(op, scale), skip))
		if err != nil {
			t.Fatal(err)
		}
		r := &Rollup{Operator: op, Coverage: y.Coverage, E2: y.E2, E3: y.E3}
		return OperatorRollup{Country: map[string]string{"a": "JP", "b": "JP", "c": "FJ"}[op], Rollup: r}
	}
	ops := []OperatorRollup{year("b", 3, nil), year("a", 1, nil), year("c", 2, map[int]bool{0: true})}
	total, byCountry := Sector(ops)
	check := func(name string, sum *SectorTotal, os []OperatorRollup) {
		var terms []*RegionTerms
		for _, o := range os {
			terms = append(terms, TermsOf(o.Rollup))
		}
		got, partial := SumRegionTerms(terms)
		want := RegionFigures(sum)
		for k, w := range want {
			if g := got[k]; g.OK != w.OK || !g.D.Equal(w.D) {
				t.Errorf("%s %s: terms give %v, Sector %v", name, k, g, w)
			}
		}
		if !reflect.DeepEqual(partial, sum.Coverage.Partial) {
			t.Errorf("%s partial: terms give %+v, Sector %+v", name, partial, sum.Coverage.Partial)
		}
	}
	check("total", total, ops)
	check("JP", byCountry["JP"], ops[:2])
	check("FJ", byCountry["FJ"], ops[2:])
	if !total.E2.Total.RecyclingRatePct.OK || !total.E3.BackupPowerCoveragePct.OK || len(total.Coverage.Partial) != 1 {
		t.Fatalf("the case does not exercise the figures: %+v", RegionFigures(total))
	}
}
