package calculators

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// fixOperator is an operator's quarter roll-up for the sector tests.
func fixOperator(id string, e1 *E1, e3 *E3) OperatorRollup {
	return OperatorRollup{Country: "JP", Rollup: &Rollup{Operator: id, Period: "2025-Q3", E1: e1, E3: e3,
		Coverage: Coverage{Quarters: []string{"2025-Q3"}, Missing: []string{}, Complete: true}}}
}

// R1: operators A and B each run a facility they call dc-1. A's draws
// 1,500 kWh for 1,000 kWh of IT (PUE 1,500 / 1,000 = 1.5), B's 2,000 for
// 1,000 (PUE 2.0). They are two facilities: the sector lists a/dc-1 at
// 1.5 and b/dc-1 at 2.0. Before the fix they were one "dc-1" at
// (1,500 + 2,000) / (1,000 + 1,000) = 1.75, a facility that does not
// exist. (The sector has no PUE of its own; were one computed it would
// be that 3,500 / 2,000 from the sums, but as a sector figure, not as a
// facility's.)
func TestSectorKeysDataCentresByOperator(t *testing.T) {
	dc := func(total, it string) *E1 {
		r := &ledger.Return{
			Electricity: []ledger.Electricity{{Domain: "data_centre", Grid: "XX", KWh: e1Dec(total)}},
			DataCentres: []ledger.DataCentre{{ID: "dc-1", Grid: "XX", TotalKWh: e1Dec(total), ITKWh: e1Dec(it)}},
		}
		e, _ := runE1(t, r, e1SmallFactors(t, ""), "")
		return e
	}
	ops := []OperatorRollup{fixOperator("b", dc("2000", "1000"), nil), fixOperator("a", dc("1500", "1000"), nil)}

	total, byCountry := Sector(ops)
	got := total.E1.DataCentres
	if len(got) != 2 || got[0].Operator != "a" || got[0].ID != "dc-1" || got[1].Operator != "b" || got[1].ID != "dc-1" {
		t.Fatalf("facilities %+v, want a/dc-1 and b/dc-1", got)
	}
	e1Eq(t, "a/dc-1 pue", got[0].PUE, "1.5")
	e1Eq(t, "b/dc-1 pue", got[1].PUE, "2")
	parts := total.E1.Parts.DataCentres
	if len(parts) != 2 || parts[0].Operator != "a" || !parts[0].TotalKWh.D.Equal(e1Dec("1500")) || !parts[1].TotalKWh.D.Equal(e1Dec("2000")) {
		t.Errorf("facility parts %+v", parts)
	}
	if jp := byCountry["JP"].E1.DataCentres; len(jp) != 2 {
		t.Errorf("JP facilities %+v", jp)
	}
	// Energy still adds up over both: 3,500 kWh = 3.5 MWh.
	e1Eq(t, "energy", total.E1.EnergyTotalMWh, "3.5")

	// The derivations name each facility by operator and id.
	_, tr, err := SumOperatorsE1([]string{"a", "b"}, []*E1{ops[1].E1, ops[0].E1})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, d := range tr.Derivations {
		names[d.Metric] = d.Value.D.String()
	}
	if names["e1.data_centres.a/dc-1.pue"] != "1.5" || names["e1.data_centres.b/dc-1.pue"] != "2" {
		t.Errorf("derivations %v", names)
	}
	if _, _, err := SumOperatorsE1([]string{"a"}, []*E1{ops[0].E1, ops[1].E1}); err == nil {
		t.Error("one name for two parts accepted")
	}

	// Sector documents issued before the fix render with the merged one.
	before, _ := SectorBeforeFixes(ops)
	if old := before.E1.DataCentres; len(old) != 1 || old[0].Operator != "" {
		t.Fatalf("before the fix: %+v", old)
	} else {
		e1Eq(t, "merged dc-1 pue", old[0].PUE, "1.75")
	}
	if before.Coverage != nil {
		t.Errorf("coverage before the fix: %+v", before.Coverage)
	}
}

// fixE3 is an E3 of the given stocks for one quarter of 2,208 hours
// (2025-Q3); nil counts are not filed.
func fixE3(sites, backup *int64, lost string) *E3 {
	p := E3Parts{SitesTotal: sites, SitesWithBackup: backup, SiteHoursLost: e1Dec(lost), Hours: 2208}
	if lost != "0" {
		p.OutageEvents = 1
		p.HoursToRestoreSum = e1Dec("10")
	}
	if sites != nil {
		sh := decimal.NewFromInt(*sites * 2208)
		p.SiteHours = &sh
	}
	return finishE3(p, nil)
}

// R2: A files 1,000 sites and no backup figure, B 1,000 sites of which
// 900 have backup; C files no site count and one outage of 2,208
// site-hours lost.
//
//	backup coverage, corrected: 900 / 1,000 (B only)      = 90 %
//	                 before:    900 / (1,000 + 1,000)      = 45 %
//	availability,    corrected: 100 - 0 x 100 / 4,416,000  = 100 % (A and B)
//	                 before:    100 - 2,208 x 100 / 4,416,000 = 99.95 %
//
// The counts and flows still add over everyone: 2,000 sites, 2,208
// site-hours lost.
func TestSectorStockRatiosOverTheSameOperators(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	ops := []OperatorRollup{
		fixOperator("a", nil, fixE3(n(1000), nil, "0")),
		fixOperator("b", nil, fixE3(n(1000), n(900), "0")),
		fixOperator("c", nil, fixE3(nil, nil, "2208")),
	}
	total, _ := Sector(ops)
	e := total.E3
	wantValue(t, "backup coverage", e.BackupPowerCoveragePct, "90", 6)
	wantValue(t, "availability", e.ClimateAvailabilityPct, "100", 6)
	wantValue(t, "site-hours lost", e.ClimateOutageSiteHours, "2208", 6)
	if *e.Parts.SitesTotal != 2000 {
		t.Errorf("sites_total %d, want 2000", *e.Parts.SitesTotal)
	}
	lo := total.Coverage.LeftOut
	if strings.Join(lo["e3.backup_power_coverage_pct"], ",") != "a,c" || strings.Join(lo["e3.climate_availability_pct"], ",") != "c" {
		t.Errorf("left out %v", lo)
	}
	if _, ok := lo["e3.early_warning_coverage_pct"]; !ok {
		t.Errorf("nobody filed early warning, yet no one is left out: %v", lo)
	}
	reasons := map[string]string{}
	for _, u := range total.Unavailable {
		reasons[u.Metric] = u.Reason
	}
	if r := reasons["e3.backup_ge_8h_pct"]; r != "no operator filed backup_autonomy and sites_total" {
		t.Errorf("reason for the 8 h band: %q", r)
	}
	if e.BackupGE8hPct.OK {
		t.Errorf("8 h band %v with no bands filed", e.BackupGE8hPct)
	}

	before, _ := SectorBeforeFixes(ops)
	wantValue(t, "backup coverage before", before.E3.BackupPowerCoveragePct, "45", 6)
	wantValue(t, "availability before", before.E3.ClimateAvailabilityPct, "99.95", 6)

	// Where every operator files every stock, the fix changes nothing.
	all := []OperatorRollup{fixOperator("a", nil, fixE3(n(1000), n(500), "100")), fixOperator("b", nil, fixE3(n(3000), n(2900), "0"))}
	fixed, _ := Sector(all)
	was, _ := SectorBeforeFixes(all)
	// (500 + 2,900) / 4,000 = 85 %
	wantValue(t, "all filed", fixed.E3.BackupPowerCoveragePct, "85", 6)
	sameValue(t, "all filed, before", was.E3.BackupPowerCoveragePct, fixed.E3.BackupPowerCoveragePct)
	sameValue(t, "availability, all filed", was.E3.ClimateAvailabilityPct, fixed.E3.ClimateAvailabilityPct)
	if len(fixed.Coverage.LeftOut["e3.backup_power_coverage_pct"]) != 0 {
		t.Errorf("left out %v", fixed.Coverage.LeftOut)
	}
}

// R5: a year total names the operators with fewer than four quarters.
func TestSectorCoverageNamesPartialOperators(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	whole := fixOperator("a", nil, fixE3(n(10), n(10), "0"))
	whole.Period, whole.Coverage = "2025", Coverage{Quarters: []string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"}, Missing: []string{}, Complete: true}
	part := fixOperator("b", nil, fixE3(n(10), n(10), "0"))
	part.Period, part.Coverage = "2025", Coverage{Quarters: []string{"2025-Q1", "2025-Q2"}, Missing: []string{"2025-Q3", "2025-Q4"}}
	total, _ := Sector([]OperatorRollup{part, whole})
	p := total.Coverage.Partial
	if len(p) != 1 || p[0].Operator != "b" || strings.Join(p[0].Missing, ",") != "2025-Q3,2025-Q4" || strings.Join(p[0].Quarters, ",") != "2025-Q1,2025-Q2" {
		t.Fatalf("partial %+v", p)
	}
	only, _ := Sector([]OperatorRollup{whole})
	if only.Coverage == nil || len(only.Coverage.Partial) != 0 {
		t.Errorf("complete operators: %+v", only.Coverage)
	}
}

// Under 2026.1 the flags raised by adding parts reach the sums: operator
// A states operational control, B equity share (G14), so the sector
// total, and the total of their country, keep no boundary and say why
// (boundary_mixed); a sum of one boundary has no flag. A year whose
// quarters differ likewise, and it keeps its quarters' own flags once.
func TestSectorAndYearCarryDataQuality(t *testing.T) {
	fs := withTestGrid(loadFactors20261(t))
	mk := func(op, cons string, q int) *Metrics {
		r := &ledger.Return{Operator: op, Period: ledger.Period{Year: 2026, Quarter: q},
			Electricity: []ledger.Electricity{{Domain: "core", Grid: "ZZ", KWh: e1Dec("1000")}},
			Boundary:    &ledger.Boundary{Consolidation: cons, TowerEnergy: "included"}}
		m, err := Compute(Request{Return: r, Factors: fs})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	op := func(m *Metrics) OperatorRollup { return OperatorRollup{Country: "JP", Rollup: Quarter(m)} }
	hasMixed := func(dq []DataQuality) bool {
		for _, d := range dq {
			if d.Code == DQBoundaryMixed {
				return true
			}
		}
		return false
	}

	total, byCountry := Sector([]OperatorRollup{op(mk("a", "operational_control", 1)), op(mk("b", "equity_share", 1))})
	if total.E1.Boundary != nil || !hasMixed(total.DataQuality) || !hasMixed(byCountry["JP"].DataQuality) {
		t.Errorf("mixed sector: boundary %v, flags %v, JP flags %v; want none and %s in both",
			total.E1.Boundary, total.DataQuality, byCountry["JP"].DataQuality, DQBoundaryMixed)
	}
	total, _ = Sector([]OperatorRollup{op(mk("a", "operational_control", 1)), op(mk("b", "operational_control", 1))})
	if total.DataQuality == nil || hasMixed(total.DataQuality) {
		t.Errorf("one boundary: flags %v; want an empty list", total.DataQuality)
	}

	q1, q2 := mk("a", "operational_control", 1), mk("a", "financial_control", 2)
	flag := DataQuality{Code: DQGridBasisFallback, Metric: "e1.scope2_location_tco2e", Grid: "ZZ", Message: "test"}
	q1.DataQuality = append(q1.DataQuality, flag)
	q2.DataQuality = append(q2.DataQuality, flag)
	y, err := Year("a", 2026, []*Metrics{q1, q2})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range y.DataQuality {
		if d == flag {
			n++
		}
	}
	if !hasMixed(y.DataQuality) || n != 1 {
		t.Errorf("year flags %v; want %s and the quarters' flag once", y.DataQuality, DQBoundaryMixed)
	}
	if got := Quarter(q1).DataQuality; len(got) != len(q1.DataQuality) {
		t.Errorf("quarter roll-up flags %v; want the quarter's %v", got, q1.DataQuality)
	}
}
