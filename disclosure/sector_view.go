package disclosure

import (
	"sort"
	"time"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/templates"
)

// SectorView is what a sector report shows, as a sector.recorded entry
// holds it (ledger.SectorRecorded.View): the filing status of every
// operator due, each headline metric with its sector total, median and
// ranked values, whom the totals leave out, and the open warnings and
// findings. Figures are exact (calculators.Exact): the report rounds
// them once, for display. The service builds it from its state; a
// sector_v4 report draws it.
type SectorView struct {
	Period         string `json:"period"`
	Country        string `json:"country"`      // the one country of the view, or ""
	CountryName    string `json:"country_name"` // its name, when Country is set
	Administration string `json:"administration"`
	Methodology    string `json:"methodology"`
	GWP            string `json:"gwp"`
	// FactorSets are those the roll-ups were computed under, sorted.
	FactorSets      []string                   `json:"factor_sets"`
	Administrations []SectorViewAdministration `json:"administrations"`
	// Names names, by id, every operator the view lists, ranks or notes,
	// as it registered; the rest of the view names operators by id.
	Names map[string]string `json:"names"`
	// Operators are the filing status of the span's last quarter, by id.
	Operators []SectorViewOperator `json:"operators"`
	Metrics   []SectorViewMetric   `json:"metrics"`
	// Coverage names, by id, the operators the totals leave out of what
	// (methodology 2026.1, R2 and R5); null for a view without filings.
	Coverage *calculators.SectorCoverage `json:"coverage"`
	Warnings []SectorViewNote            `json:"warnings"`
	Findings []SectorViewNote            `json:"findings"`
}

// SectorViewAdministration is an administration of the view with the
// deadline lateness is counted from (templates.AdministrationDeadline).
type SectorViewAdministration struct {
	Country     string    `json:"country"`
	CountryName string    `json:"country_name"`
	Name        string    `json:"name"` // "" when the country has no record
	Rule        string    `json:"rule"`
	Deadline    time.Time `json:"deadline"`
}

// SectorViewOperator is an operator's filing of the span's last quarter.
type SectorViewOperator struct {
	ID       string     `json:"id"`
	Country  string     `json:"country"`
	State    string     `json:"state"` // missing, submitted, returned or accepted
	Late     bool       `json:"late"`
	Filed    *time.Time `json:"filed"`   // the latest version's ledger time; null when missing
	Version  int        `json:"version"` // 0 when missing
	Deadline time.Time  `json:"deadline"`
}

// SectorViewMetric is one headline metric across the operators that
// filed: its sector total and median, and each operator's value in the
// order drawn (by rank, the unranked after).
type SectorViewMetric struct {
	Key       string            `json:"key"`
	Label     string            `json:"label"`
	Unit      string            `json:"unit"`
	Direction string            `json:"direction"`
	Total     calculators.Exact `json:"total"`
	Median    calculators.Exact `json:"median"`
	Rows      []SectorViewValue `json:"rows"`
}

// SectorViewValue is one operator's value of a metric, or why it has none.
type SectorViewValue struct {
	Operator string            `json:"operator"`
	Value    calculators.Exact `json:"value"`
	Rank     int               `json:"rank,omitempty"`   // 1 = first; 0 = not ranked
	Reason   string            `json:"reason,omitempty"` // why Value is null
}

// SectorViewNote is an open warning or finding of an operator's return.
type SectorViewNote struct {
	Operator string `json:"operator"`
	Path     string `json:"path"`
	Message  string `json:"message"`
}

// SectorFiled is the roll-up of an operator that filed for the span.
type SectorFiled struct {
	ID, Country string
	Rollup      *calculators.Rollup
}

// SectorMetrics ranks the headline metrics over the operators that filed,
// in the order given, as methodology ranks them, with their sector
// totals (calculators.Sector, or SectorBeforeFixes for a report made
// before those fixes) and whom the totals leave out. A sector_v3 report
// computes it from the returns it attaches, the service from its state
// for a sector.recorded entry: the same figures either way.
func SectorMetrics(filed []SectorFiled, methodology string, corrected bool) ([]SectorViewMetric, *calculators.SectorCoverage) {
	if len(filed) == 0 {
		return []SectorViewMetric{}, nil
	}
	rolls := make([]calculators.OperatorRollup, len(filed))
	plain := make([]*calculators.Rollup, len(filed))
	for i, f := range filed {
		rolls[i] = calculators.OperatorRollup{Country: f.Country, Rollup: f.Rollup}
		plain[i] = f.Rollup
	}
	sum := calculators.SectorBeforeFixes
	if corrected {
		sum = calculators.Sector
	}
	total, _ := sum(rolls)
	var out []SectorViewMetric
	for _, rk := range calculators.RankHeadlines(plain, methodology) {
		m := SectorViewMetric{Key: rk.Key, Label: rk.Label, Unit: rk.Unit, Direction: rk.Direction,
			Total: calculators.Exact(rk.Get(total.E1, total.E2, total.E3)), Median: calculators.Exact(rk.Median)}
		for i, f := range filed {
			v := SectorViewValue{Operator: f.ID, Value: calculators.Exact(rk.Values[i]), Rank: rk.Ranks[i]}
			if !rk.Values[i].OK {
				v.Reason = reasonFor(f.Rollup, rk.Key)
			}
			m.Rows = append(m.Rows, v)
		}
		sort.SliceStable(m.Rows, func(a, b int) bool {
			ra, rb := m.Rows[a].Rank, m.Rows[b].Rank
			if ra == 0 || rb == 0 {
				return ra != 0
			}
			return ra < rb
		})
		out = append(out, m)
	}
	return out, total.Coverage
}

// drawMetrics turns a view's metrics into what the sector report draws:
// the totals, and each metric's ranked rows, operators named by name.
func drawMetrics(ms []SectorViewMetric, name func(id string) string) (totals []templates.Metric, metrics []templates.SectorMetric) {
	for _, m := range ms {
		unit := unitOf(m.Unit)
		totals = append(totals, templates.Metric{Key: m.Key, Label: m.Label, Unit: unit, Value: calculators.Value(m.Total)})
		sm := templates.SectorMetric{Key: m.Key, Label: m.Label, Unit: unit, Median: calculators.Value(m.Median), Direction: m.Direction}
		for _, r := range m.Rows {
			sm.Rows = append(sm.Rows, templates.OperatorValue{Operator: name(r.Operator), Value: calculators.Value(r.Value), Rank: r.Rank, Reason: r.Reason})
		}
		metrics = append(metrics, sm)
	}
	return totals, metrics
}
