package calculators

import (
	"sort"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// Headline is one of the metrics that summaries, sector views, exports
// and disclosures show for every operator.
type Headline struct {
	Key   string // metric path, e.g. "e1.scope1_tco2e"
	Label string // for people
	Unit  string // for column headers
	// LowerIsBetter orders ranks under methodology 2025.1, which ranks
	// every headline: rank 1 is the best value. Direction gives the order
	// of a methodology.
	LowerIsBetter bool
	Get           func(e1 *E1, e2 *E2, e3 *E3) Value
}

// Headlines lists the headline metrics, in display order.
func Headlines() []Headline {
	return []Headline{
		{"e1.energy_total_mwh", "Total energy", "MWh", true, func(e1 *E1, _ *E2, _ *E3) Value { return e1v(e1, func(e *E1) Value { return e.EnergyTotalMWh }) }},
		{"e1.renewable_electricity_share_pct", "Renewable electricity share", "%", false, func(e1 *E1, _ *E2, _ *E3) Value {
			return e1v(e1, func(e *E1) Value { return e.RenewableElectricitySharePct })
		}},
		{"e1.scope1_tco2e", "Scope 1 emissions", "tCO2e", true, func(e1 *E1, _ *E2, _ *E3) Value { return e1v(e1, func(e *E1) Value { return e.Scope1TCO2e }) }},
		{"e1.scope2_location_tco2e", "Scope 2 emissions, location-based", "tCO2e", true, func(e1 *E1, _ *E2, _ *E3) Value {
			return e1v(e1, func(e *E1) Value { return e.Scope2LocationTCO2e })
		}},
		{"e1.scope2_market_tco2e", "Scope 2 emissions, market-based", "tCO2e", true, func(e1 *E1, _ *E2, _ *E3) Value {
			return e1v(e1, func(e *E1) Value { return e.Scope2MarketTCO2e })
		}},
		{"e1.network_energy_per_tb_kwh", "Network energy per TB", "kWh/TB", true, func(e1 *E1, _ *E2, _ *E3) Value {
			return e1v(e1, func(e *E1) Value { return e.NetworkEnergyPerTBKWh })
		}},
		{"e1.emissions_per_tb_kgco2e", "Emissions per TB", "kgCO2e/TB", true, func(e1 *E1, _ *E2, _ *E3) Value {
			return e1v(e1, func(e *E1) Value { return e.EmissionsPerTBKgCO2e })
		}},
		{"e1.energy_per_subscription_kwh", "Energy per subscription", "kWh", true, func(e1 *E1, _ *E2, _ *E3) Value {
			return e1v(e1, func(e *E1) Value { return e.EnergyPerSubscriptionKWh })
		}},
		{"e2.total.collected_kg", "E-waste collected", "kg", false, func(_ *E1, e2 *E2, _ *E3) Value { return e2v(e2, func(v E2Values) Value { return v.CollectedKg }) }},
		{"e2.total.recycling_rate_pct", "Recycling rate", "%", false, func(_ *E1, e2 *E2, _ *E3) Value {
			return e2v(e2, func(v E2Values) Value { return v.RecyclingRatePct })
		}},
		{"e2.total.recovery_rate_pct", "Recovery rate", "%", false, func(_ *E1, e2 *E2, _ *E3) Value {
			return e2v(e2, func(v E2Values) Value { return v.RecoveryRatePct })
		}},
		{"e2.total.collection_rate_pom_pct", "Collection rate (placed on market)", "%", false, func(_ *E1, e2 *E2, _ *E3) Value {
			return e2v(e2, func(v E2Values) Value { return v.CollectionRatePOMPct })
		}},
		{"e2.total.mci", "Material Circularity Indicator", "0-1", false, func(_ *E1, e2 *E2, _ *E3) Value { return e2v(e2, func(v E2Values) Value { return v.MCI }) }},
		{"e3.backup_power_coverage_pct", "Sites with backup power", "%", false, func(_ *E1, _ *E2, e3 *E3) Value {
			return e3v(e3, func(e *E3) Value { return e.BackupPowerCoveragePct })
		}},
		{"e3.backup_ge_8h_pct", "Sites with 8 h or more of backup", "%", false, func(_ *E1, _ *E2, e3 *E3) Value {
			return e3v(e3, func(e *E3) Value { return e.BackupGE8hPct })
		}},
		{"e3.climate_availability_pct", "Availability through climate events", "%", false, func(_ *E1, _ *E2, e3 *E3) Value {
			return e3v(e3, func(e *E3) Value { return e.ClimateAvailabilityPct })
		}},
		{"e3.early_warning_coverage_pct", "Early-warning coverage", "%", false, func(_ *E1, _ *E2, e3 *E3) Value {
			return e3v(e3, func(e *E3) Value { return e.EarlyWarningCoveragePct })
		}},
	}
}

func e1v(e *E1, f func(*E1) Value) Value {
	if e == nil {
		return None
	}
	return f(e)
}

func e2v(e *E2, f func(E2Values) Value) Value {
	if e == nil {
		return None
	}
	return f(e.Total)
}

func e3v(e *E3, f func(*E3) Value) Value {
	if e == nil {
		return None
	}
	return f(e)
}

// Median is the median of values: the middle one, or the mean of the
// middle two for an even count. It is zero for no values.
func Median(values []decimal.Decimal) decimal.Decimal {
	v := append([]decimal.Decimal(nil), values...)
	sort.Slice(v, func(i, j int) bool { return v[i].Cmp(v[j]) < 0 })
	n := len(v)
	switch {
	case n == 0:
		return decimal.Zero
	case n%2 == 1:
		return v[n/2]
	default:
		return Div(v[n/2-1].Add(v[n/2]), decimal.NewFromInt(2))
	}
}

// The directions a metric is ranked in.
const (
	RankLower  = "lower"  // lower is better: rank 1 is the lowest value
	RankHigher = "higher" // higher is better: rank 1 is the highest value
	RankNone   = "none"   // not ranked
)

// Direction is how methodology m ranks the headline. Methodology 2025.1
// ranks every headline, in the order of LowerIsBetter. From 2026.1 (R6)
// only intensities and shares are ranked, each in a fixed direction;
// absolute totals, counts, instrument and export shares and bit/J are
// not, since a large operator is not worse for being large.
func (h Headline) Direction(m string) string {
	if ledger.MethodologyAtLeast(m, ledger.Methodology20261) {
		return RankDirection(h.Key)
	}
	if h.LowerIsBetter {
		return RankLower
	}
	return RankHigher
}

// RankDirection is the direction methodology 2026.1 ranks a metric in
// (R6), by its key: RankNone for every metric it does not list. The
// spec's lists name more than the headlines hold today (energy per
// revenue, and the data-centre KPIs, lower is better; REF and ERF higher
// is better): a metric joins this switch under its key when it becomes
// one that is computed per operator.
func RankDirection(key string) string {
	switch key {
	case "e1.network_energy_per_tb_kwh", "e1.energy_per_subscription_kwh",
		"e1.emissions_per_tb_kgco2e", "e1.emissions_per_tb_kgco2e_location",
		"e1.emissions_per_revenue_tco2e_per_musd", "e1.emissions_per_revenue_tco2e_per_musd_location",
		"e2.total.disposal_rate_pct", "e3.mean_hours_to_restore":
		return RankLower
	case "e1.renewable_electricity_share_pct", "e1.renewable_electricity_share_estimated_pct",
		"e2.total.reuse_rate_pct", "e2.total.recycling_rate_pct", "e2.total.reuse_and_recycling_rate_pct",
		"e2.total.recovery_rate_pct", "e2.total.collection_rate_pom_pct", "e2.total.collection_rate_generated_pct",
		"e2.total.mci", "e3.backup_power_coverage_pct", "e3.backup_ge_4h_pct", "e3.backup_ge_8h_pct",
		"e3.backup_ge_24h_pct", "e3.backup_ge_72h_pct", "e3.hazard_assessed_pct", "e3.high_hazard_hardened_pct",
		"e3.climate_availability_pct", "e3.early_warning_coverage_pct":
		return RankHigher
	}
	return RankNone
}

// Ranks gives each available value its rank (1 = best) in the order of
// LowerIsBetter; equal values share a rank. Unavailable values get rank 0.
func (h Headline) Ranks(values []Value) []int {
	dir := RankHigher
	if h.LowerIsBetter {
		dir = RankLower
	}
	return rank(values, dir)
}

// rank gives each available value its rank (1 = best) in direction dir;
// equal values share a rank (1, 1, 3). Unavailable values, and every
// value when dir is RankNone, get rank 0.
func rank(values []Value, dir string) []int {
	ranks := make([]int, len(values))
	if dir != RankLower && dir != RankHigher {
		return ranks
	}
	idx := make([]int, 0, len(values))
	for i, v := range values {
		if v.OK {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool {
		c := values[idx[a]].D.Cmp(values[idx[b]].D)
		if dir == RankLower {
			return c < 0
		}
		return c > 0
	})
	for pos, i := range idx {
		if pos > 0 && values[idx[pos-1]].D.Equal(values[i].D) {
			ranks[i] = ranks[idx[pos-1]]
		} else {
			ranks[i] = pos + 1
		}
	}
	return ranks
}

// Ranking is one headline metric across a list of roll-ups: each one's
// value and rank (0 when unavailable), and the median of those available.
type Ranking struct {
	Headline
	Direction string // RankLower, RankHigher or RankNone
	Values    []Value
	Ranks     []int
	Median    Value
	Reporting int // how many values are available
}

// RankHeadlines ranks every headline metric across rolls, in the order
// given, as methodology m ranks it (Headline.Direction); a nil roll-up
// (an operator that did not file) has no values. A metric that is not
// ranked still has its values and median.
func RankHeadlines(rolls []*Rollup, m string) []Ranking {
	var out []Ranking
	for _, h := range Headlines() {
		r := Ranking{Headline: h, Direction: h.Direction(m), Values: make([]Value, len(rolls))}
		var present []decimal.Decimal
		for i, roll := range rolls {
			if roll == nil {
				continue
			}
			r.Values[i] = h.Get(roll.E1, roll.E2, roll.E3)
			if r.Values[i].OK {
				present = append(present, r.Values[i].D)
			}
		}
		r.Ranks = rank(r.Values, r.Direction)
		r.Reporting = len(present)
		if len(present) > 0 {
			r.Median = Some(Median(present))
		}
		out = append(out, r)
	}
	return out
}
