package calculators

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

func computeE3(t *testing.T, r *ledger.Return) (*E3, *Trace) {
	t.Helper()
	e, tr, err := ComputeE3(Request{Return: r})
	if err != nil {
		t.Fatal(err)
	}
	return e, tr
}

func TestComputeE3Example(t *testing.T) {
	e, tr := computeE3(t, loadExample(t))
	for _, tc := range []struct {
		name string
		v    Value
		want string
	}{
		{"backup coverage 17900/18250", e.BackupPowerCoveragePct, "98.082192"},
		{">=4h (7400+4100+1000+200)/18250", e.BackupGE4hPct, "69.589041"},
		{">=8h (4100+1000+200)/18250", e.BackupGE8hPct, "29.041096"},
		{">=24h (1000+200)/18250", e.BackupGE24hPct, "6.575342"},
		{">=72h 200/18250", e.BackupGE72hPct, "1.09589"},
		{"hazard assessed 15600/18250", e.HazardAssessedPct, "85.479452"},
		{"hardened 1650/2300", e.HighHazardHardenedPct, "71.73913"},
		{"events", e.ClimateOutageEvents, "2"},
		{"site hours 6300+980", e.ClimateOutageSiteHours, "7280"},
		{"mean restore (30+16)/2", e.MeanHoursToRestore, "23"},
		// 2025-Q3 has 92 days = 2208 h; 18250 x 2208 = 40,296,000
		// site-hours; 100 - 7280 x 100 / 40296000 = 99.981933...
		{"availability", e.ClimateAvailabilityPct, "99.981934"},
		{"early warning 118000000/121500000", e.EarlyWarningCoveragePct, "97.119342"},
		{"alerts", e.AlertsDisseminated, "37"},
	} {
		wantValue(t, tc.name, tc.v, tc.want, 6)
	}
	wantMissing(t, tr, "e3.offgrid_renewable_sites", e.OffgridRenewableSites, "site rows only")
	if len(tr.Derivations) != 10 {
		t.Errorf("%d derivations, want 10", len(tr.Derivations))
	}
	for _, d := range tr.Derivations {
		if d.Metric == "e3.backup_ge_72h_pct" && (d.Inputs[0].Path != "resilience.backup_autonomy.ge_72h" || d.Inputs[0].Value != "200") {
			t.Errorf("ge_72h inputs %+v", d.Inputs)
		}
	}
}

func TestBackupBands(t *testing.T) {
	// 200 sites in bands 40/60/50/30/20:
	// >=8h (50+30+20)/200 = 50%, >=24h (30+20)/200 = 25%, >=72h 20/200 = 10%,
	// >=4h 160/200 = 80%.
	filed := &ledger.Return{Period: period("2025-Q2"),
		Activity: ledger.Activity{SitesTotal: ptr(int64(200))},
		Resilience: ledger.Resilience{SitesWithBackup: ptr(int64(200)),
			BackupAutonomy: &ledger.BackupAutonomy{LT4h: 40, H4to8: 60, H8to24: 50, H24to72: 30, GE72h: 20}}}
	// The same sites as rows, each at the lower edge of its band (and one
	// just below the next edge), to check the band boundaries.
	var sites []ledger.Site
	for _, b := range []struct {
		n      int
		lo, hi string
	}{{40, "0.5", "3.999"}, {60, "4", "7.9"}, {50, "8", "23.99"}, {30, "24", "71.999999"}, {20, "72", "500"}} {
		for i := 0; i < b.n; i++ {
			h := b.lo
			if i%2 == 1 {
				h = b.hi
			}
			sites = append(sites, ledger.Site{SiteID: fmt.Sprint(len(sites)), BackupHours: d(h), HazardLevel: "none"})
		}
	}
	rows := &ledger.Return{Period: period("2025-Q2"), Sites: sites}
	for name, r := range map[string]*ledger.Return{"filed": filed, "rows": rows} {
		t.Run(name, func(t *testing.T) {
			e, _ := computeE3(t, r)
			wantValue(t, "coverage", e.BackupPowerCoveragePct, "100", 6)
			wantValue(t, ">=4h", e.BackupGE4hPct, "80", 6)
			wantValue(t, ">=8h", e.BackupGE8hPct, "50", 6)
			wantValue(t, ">=24h", e.BackupGE24hPct, "25", 6)
			wantValue(t, ">=72h", e.BackupGE72hPct, "10", 6)
		})
	}
}

func TestSiteRows(t *testing.T) {
	// 100 rows: every other one assessed (50), every 10th high hazard (10),
	// every 20th of those hardened (5); rows 0-4 off-grid with solar or
	// wind (5), row 5 off-grid without renewables, row 6 solar on grid;
	// rows 90-99 have no backup.
	var sites []ledger.Site
	for i := 0; i < 100; i++ {
		s := ledger.Site{SiteID: fmt.Sprint(i), HazardLevel: "low", BackupHours: d("6"),
			HazardAssessed: i%2 == 0, SolarKWh: decimal.Zero, WindKWh: decimal.Zero}
		if i%10 == 0 {
			s.HazardLevel = "high"
			s.Hardened = i%20 == 0
		}
		switch {
		case i < 3:
			s.Offgrid, s.SolarKWh = true, d("10")
		case i < 5:
			s.Offgrid, s.WindKWh = true, d("0.1")
		case i == 5:
			s.Offgrid = true
		case i == 6:
			s.SolarKWh = d("100")
		}
		if i >= 90 {
			s.BackupHours = decimal.Zero
		}
		sites = append(sites, s)
	}
	r := &ledger.Return{Period: period("2024-Q1"), Sites: sites, Resilience: ledger.Resilience{
		Outages: []ledger.Outage{{Hazard: "flood", Started: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), SitesAffected: 3,
			SiteHoursLost: d("218.4"), HoursToRestore: d("12.5")}}}}
	e, tr := computeE3(t, r)
	p := e.Parts
	if *p.SitesTotal != 100 || *p.SitesWithBackup != 90 || *p.SitesHazardAssessed != 50 || *p.SitesHighHazard != 10 ||
		*p.SitesHighHazardHardened != 5 || *p.OffgridRenewableSites != 5 || p.BackupAutonomy.H4to8 != 90 {
		t.Fatalf("counts %+v", p)
	}
	wantValue(t, "coverage", e.BackupPowerCoveragePct, "90", 6)
	wantValue(t, "hazard assessed", e.HazardAssessedPct, "50", 6)
	wantValue(t, "hardened", e.HighHazardHardenedPct, "50", 6)
	wantValue(t, "offgrid", e.OffgridRenewableSites, "5", 6)
	// 2024-Q1 is a leap quarter: 91 days = 2184 h; 100 sites x 2184 h =
	// 218,400 site-hours; 218.4 lost = 0.1%, availability 99.9%.
	wantValue(t, "availability", e.ClimateAvailabilityPct, "99.9", 6)
	wantMissing(t, tr, "e3.early_warning_coverage_pct", e.EarlyWarningCoveragePct, "population_covered is not given")
	for _, d := range tr.Derivations {
		if d.Metric == "e3.hazard_assessed_pct" && !strings.HasPrefix(d.Inputs[0].Path, "sites[100 rows]") {
			t.Errorf("site-row input path %q", d.Inputs[0].Path)
		}
	}
}

func TestE3Unavailable(t *testing.T) {
	// Nothing filed: every ratio null with a reason, never 0 or NaN;
	// no outages is 0 events and no mean.
	e, tr := computeE3(t, &ledger.Return{Period: period("2025-Q1")})
	wantMissing(t, tr, "e3.backup_power_coverage_pct", e.BackupPowerCoveragePct, "not given")
	wantMissing(t, tr, "e3.climate_availability_pct", e.ClimateAvailabilityPct, "sites_total")
	wantMissing(t, tr, "e3.mean_hours_to_restore", e.MeanHoursToRestore, "no climate outages")
	wantValue(t, "events", e.ClimateOutageEvents, "0", 6)
	zero := &ledger.Return{Period: period("2025-Q1"), Activity: ledger.Activity{SitesTotal: ptr(int64(0))},
		Resilience: ledger.Resilience{SitesWithBackup: ptr(int64(0)), SitesHighHazard: ptr(int64(0)), SitesHighHazardHardened: ptr(int64(0))}}
	e, tr = computeE3(t, zero)
	wantMissing(t, tr, "e3.backup_power_coverage_pct", e.BackupPowerCoveragePct, "zero")
	wantMissing(t, tr, "e3.high_hazard_hardened_pct", e.HighHazardHardenedPct, "no high-hazard sites")
}

func BenchmarkComputeE3SiteRows(b *testing.B) {
	const n = 100_000
	sites := make([]ledger.Site, n)
	levels := ledger.HazardLevels
	for i := range sites {
		sites[i] = ledger.Site{SiteID: fmt.Sprint("s", i), Domain: "ran", Grid: "JP",
			GridKWh: decimal.NewFromInt(int64(1000 + i%500)), SolarKWh: decimal.NewFromInt(int64(i % 3)),
			BackupHours: decimal.New(int64(i%960), -1), HazardLevel: levels[i%4],
			HazardAssessed: i%3 != 0, Hardened: i%2 == 0, Offgrid: i%50 == 0}
	}
	r := &ledger.Return{Period: period("2025-Q3"), Sites: sites}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := ComputeE3(Request{Return: r}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBackupBandEdges(t *testing.T) {
	var et edgeTable
	for _, tc := range []struct {
		h    decimal.Decimal
		band int
	}{
		{d("3.999999999999999999999"), 0}, // beyond the cached scales
		{decimal.New(40, -1), 1},          // 4.0
		{d("7.99"), 1},
		{decimal.New(8, 0), 2},
		{d("23.9999"), 2},
		{decimal.New(24, 0), 3},
		{decimal.New(72, 0), 4},
		{decimal.New(1, 2), 4}, // 100 written as 1e2
		{d("71.99999999999999999"), 3},
	} {
		if got := et.band(tc.h); got != tc.band {
			t.Errorf("band(%s) = %d, want %d", tc.h, got, tc.band)
		}
	}
}
