package calculators

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// R6: under 2026.1 each headline ranks in the direction the spec's lists
// give it, or not at all; under 2025.1 every headline ranks as before.
func TestHeadlineDirections(t *testing.T) {
	want := map[string]string{
		// Absolute totals and counts: not ranked.
		"e1.energy_total_mwh": RankNone, "e1.scope1_tco2e": RankNone,
		"e1.scope2_location_tco2e": RankNone, "e1.scope2_market_tco2e": RankNone,
		"e2.total.collected_kg": RankNone,
		// Intensities: lower is better.
		"e1.network_energy_per_tb_kwh": RankLower, "e1.emissions_per_tb_kgco2e": RankLower,
		"e1.energy_per_subscription_kwh": RankLower,
		// Shares and rates: higher is better.
		"e1.renewable_electricity_share_pct": RankHigher, "e2.total.recycling_rate_pct": RankHigher,
		"e2.total.recovery_rate_pct": RankHigher, "e2.total.collection_rate_pom_pct": RankHigher,
		"e2.total.mci": RankHigher, "e3.backup_power_coverage_pct": RankHigher, "e3.backup_ge_8h_pct": RankHigher,
		"e3.climate_availability_pct": RankHigher, "e3.early_warning_coverage_pct": RankHigher,
	}
	for _, h := range Headlines() {
		w, ok := want[h.Key]
		if !ok {
			t.Errorf("%s: no expected direction", h.Key)
			continue
		}
		if got := h.Direction(ledger.Methodology20261); got != w {
			t.Errorf("%s under 2026.1: %s, want %s", h.Key, got, w)
		}
		old := RankHigher
		if h.LowerIsBetter {
			old = RankLower
		}
		if got := h.Direction(ledger.Methodology20251); got != old {
			t.Errorf("%s under 2025.1: %s, want %s", h.Key, got, old)
		}
	}
	for key, w := range map[string]string{
		"e1.data_volume_efficiency_bit_per_j": RankNone, // the reciprocal of energy per TB
		"e1.scope2_instruments_share_pct":     RankNone,
		"e3.climate_outage_events":            RankNone,
		"e2.total.disposal_rate_pct":          RankLower,
		"e3.mean_hours_to_restore":            RankLower,
		"e2.total.reuse_rate_pct":             RankHigher,
	} {
		if got := RankDirection(key); got != w {
			t.Errorf("RankDirection(%s) = %s, want %s", key, got, w)
		}
	}
}

// R6: four operators, one without a return. Under 2026.1 scope 1 (an
// absolute total) has values and a median but no ranks; energy per TB
// ranks lowest first with the tie sharing rank 1 (10, 10, 30: ranks 1, 1,
// 3); the operator without a value is listed unranked (0).
func TestRankHeadlinesUnder20261(t *testing.T) {
	v := func(s string) Value { return Some(decimal.RequireFromString(s)) }
	roll := func(scope1, perTB string) *Rollup {
		e := &E1{Scope1TCO2e: v(scope1)}
		if perTB != "" {
			e.NetworkEnergyPerTBKWh = v(perTB)
		}
		return &Rollup{E1: e}
	}
	rolls := []*Rollup{roll("30", "10"), nil, roll("10", "30"), roll("20", "10"), roll("5", "")}
	byKey := map[string]Ranking{}
	for _, r := range RankHeadlines(rolls, ledger.Methodology20261) {
		byKey[r.Key] = r
	}
	s1 := byKey["e1.scope1_tco2e"]
	if s1.Direction != RankNone || !equalInts(s1.Ranks, []int{0, 0, 0, 0, 0}) {
		t.Errorf("scope 1: %s %v, want not ranked", s1.Direction, s1.Ranks)
	}
	// Median of 30, 10, 20, 5: (10 + 20) / 2 = 15.
	if s1.Reporting != 4 || !s1.Median.D.Equal(decimal.NewFromInt(15)) {
		t.Errorf("scope 1 reporting %d median %s", s1.Reporting, s1.Median.D)
	}
	tb := byKey["e1.network_energy_per_tb_kwh"]
	if tb.Direction != RankLower || !equalInts(tb.Ranks, []int{1, 0, 3, 1, 0}) {
		t.Errorf("energy per TB: %s %v, want lower, [1 0 3 1 0]", tb.Direction, tb.Ranks)
	}
	old := map[string]Ranking{}
	for _, r := range RankHeadlines(rolls, ledger.Methodology20251) {
		old[r.Key] = r
	}
	if s := old["e1.scope1_tco2e"]; !equalInts(s.Ranks, []int{4, 0, 2, 3, 1}) {
		t.Errorf("scope 1 under 2025.1: %v, want [4 0 2 3 1]", s.Ranks)
	}
}
