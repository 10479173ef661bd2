package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// dashboardMetrics are the headline metrics the dashboard shows as
// columns; the sector page shows them all.
var dashboardMetrics = []string{
	"e1.energy_total_mwh", "e1.renewable_electricity_share_pct", "e1.scope1_tco2e",
	"e1.scope2_market_tco2e", "e1.network_energy_per_tb_kwh",
}

// column is a sortable column header.
type column struct {
	Key, Label, Unit string
	URL              string // the dashboard sorted by this column
	Sorted           string // "ascending", "descending" or ""
}

type dashRow struct {
	service.OperatorStatus
	Metrics []calculators.Value
}

type dashboardPage struct {
	periodNav
	Deadline             time.Time
	Filed, Missing, Late int
	Columns              []column // fixed columns, then metrics
	MetricColumns        []column
	Rows                 []dashRow
	Desc                 bool // sorted descending
	// Witnesses is how far each witness of the log has cosigned; empty
	// when the log is not witnessed.
	Witnesses []service.WitnessStatus
	// Coverage is which jurisdictions the signed-in token covers.
	Coverage *service.Coverage
}

// periodNav is the period picker every regulator page has.
type periodNav struct {
	Period, Prev, Next string
	Periods            []string
}

// pickPeriod reads ?period= (a quarter), defaulting to the last quarter
// that has ended.
func (h *Handler) pickPeriod(r *http.Request) (ledger.Period, error) {
	v := r.URL.Query().Get("period")
	if v == "" {
		return ledger.LastEndedQuarter(h.cfg.Now()), nil
	}
	p, err := ledger.ParsePeriod(v)
	if err != nil {
		return p, ledger.Errorf(ledger.EInvalid, "the period must be a quarter such as 2025-Q3")
	}
	return p, nil
}

func (h *Handler) periodNav(p ledger.Period) periodNav {
	n := periodNav{Period: p.String(), Prev: p.Prev().String(), Next: p.Next().String()}
	last := ledger.LastEndedQuarter(h.cfg.Now())
	if !p.Before(last) {
		n.Next = "" // the next quarter has not ended
	}
	found := false
	for i := 0; i < 12; i++ {
		q := last.Add(-i).String()
		n.Periods = append(n.Periods, q)
		found = found || q == n.Period
	}
	if !found {
		n.Periods = append([]string{n.Period}, n.Periods...)
	}
	return n
}

// handleDashboard serves GET /dashboard?period=P&sort=K&dir=asc|desc
// (regulator, admin): every operator's filing state for the period, its
// late flag, warnings, open findings and headline metrics, sorted on the
// server so that sorting works without JavaScript.
func (h *Handler) handleDashboard(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	p, err := h.pickPeriod(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sm, err := h.svc.SectorMetrics(s.actor, p.Span(), "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := sm.Status // computed once, for the metrics and this page
	metricsOf := map[string]map[string]calculators.Value{}
	for _, row := range sm.Rows {
		metricsOf[row.Operator] = row.Metrics
	}
	coverage, err := h.svc.CoverageOf(s.actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := dashboardPage{periodNav: h.periodNav(p), Deadline: status.Deadline, Filed: status.Filed,
		Missing: status.Missing, Late: status.Late, Coverage: coverage}
	for _, os := range status.Operators {
		row := dashRow{OperatorStatus: os}
		for _, k := range dashboardMetrics {
			row.Metrics = append(row.Metrics, metricsOf[os.Operator][k])
		}
		page.Rows = append(page.Rows, row)
	}

	key, desc := r.URL.Query().Get("sort"), r.URL.Query().Get("dir") == "desc"
	less := dashboardOrder(key)
	if less == nil {
		key, desc, less = "operator", false, dashboardOrder("operator")
	}
	sort.SliceStable(page.Rows, func(i, j int) bool {
		a, b := page.Rows[i], page.Rows[j]
		if c := less(a, b); c != 0 {
			if c == unavailableLast || c == -unavailableLast {
				return c < 0 // n/a sorts last in both directions
			}
			if desc {
				return c > 0
			}
			return c < 0
		}
		return a.Operator < b.Operator
	})

	page.Desc = desc
	header := func(k, label, unit string) column {
		c := column{Key: k, Label: label, Unit: unit}
		dir := "asc"
		if k == key {
			c.Sorted = "ascending"
			if desc {
				c.Sorted = "descending"
			} else {
				dir = "desc"
			}
		}
		q := url.Values{"period": {p.String()}, "sort": {k}, "dir": {dir}}
		c.URL = "/dashboard?" + q.Encode()
		return c
	}
	for _, c := range [][2]string{{"operator", "Operator"}, {"country", "Country"}, {"state", "Status"},
		{"late", "Late"}, {"filed", "Last filed"}, {"warnings", "Warnings"}, {"findings", "Open findings"}} {
		page.Columns = append(page.Columns, header(c[0], c[1], ""))
	}
	for _, hl := range headlines(dashboardMetrics) {
		page.MetricColumns = append(page.MetricColumns, header(hl.Key, hl.Label, hl.Unit))
	}
	if page.Witnesses, err = h.svc.Witnesses(s.actor); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, s, http.StatusOK, "dashboard", page)
}

// unavailableLast is what a comparison returns when exactly one side has
// no value: that side sorts last whatever the direction.
const unavailableLast = 2

// dashboardOrder is the comparison of a sort key, or nil for an unknown key.
func dashboardOrder(key string) func(a, b dashRow) int {
	cmpInt := func(x, y int) int {
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	bool2int := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	switch key {
	case "operator":
		return func(a, b dashRow) int { return strings.Compare(a.Operator, b.Operator) }
	case "country":
		return func(a, b dashRow) int { return strings.Compare(a.Country, b.Country) }
	case "state":
		rank := map[service.FilingState]int{service.StateMissing: 0, service.StateReturned: 1, service.StateSubmitted: 2, service.StateAccepted: 3}
		return func(a, b dashRow) int { return cmpInt(rank[a.State], rank[b.State]) }
	case "late":
		return func(a, b dashRow) int { return cmpInt(bool2int(a.Late), bool2int(b.Late)) }
	case "warnings":
		return func(a, b dashRow) int { return cmpInt(a.Warnings, b.Warnings) }
	case "findings":
		return func(a, b dashRow) int { return cmpInt(a.OpenFindings, b.OpenFindings) }
	case "filed":
		return func(a, b dashRow) int {
			switch {
			case a.LastFiledAt == nil && b.LastFiledAt == nil:
				return 0
			case a.LastFiledAt == nil:
				return unavailableLast
			case b.LastFiledAt == nil:
				return -unavailableLast
			}
			return a.LastFiledAt.Compare(*b.LastFiledAt)
		}
	}
	for i, k := range dashboardMetrics {
		if k == key {
			return func(a, b dashRow) int {
				x, y := a.Metrics[i], b.Metrics[i]
				switch {
				case !x.OK && !y.OK:
					return 0
				case !x.OK:
					return unavailableLast
				case !y.OK:
					return -unavailableLast
				}
				return x.D.Cmp(y.D)
			}
		}
	}
	return nil
}

// headlines returns the headline metrics with the given keys, in order.
func headlines(keys []string) []calculators.Headline {
	var out []calculators.Headline
	for _, k := range keys {
		for _, h := range calculators.Headlines() {
			if h.Key == k {
				out = append(out, h)
			}
		}
	}
	return out
}

type sectorPage struct {
	periodNav
	Metric  string
	Metrics []service.HeadlineStat
	Chart   barChart
	Charts  []barChart // small multiples of a few more headline metrics
	Filed   int
	Missing int
	Late    int
	// Anomalies are the sector view's outliers of every operator: energy
	// per TB far from the median of the others, certificate near-misses.
	Anomalies []anomaly
}

// anomaly is one outlier of the sector view, for the regulator to look
// into: which operator, which check raised it, and what it found.
type anomaly struct {
	Operator, Name string
	What           string // the check, in words
	Rule, Path     string
	Message        string
}

// anomalyWhat names the sector view's checks in words; a rule a later
// build adds shows under its code alone.
func anomalyWhat(rule string) string {
	switch rule {
	case "energy_per_tb_vs_sector_median":
		// The rule compares with the median of the others, not with the
		// median of all that the chart beside it draws.
		return "Energy per TB far from the median of the others"
	case "certificate_near_miss":
		return "Certificate like another operator's"
	}
	return ""
}

// sectorAnomalies lists the outliers of the view's rows in row order.
func sectorAnomalies(rows []service.SectorRow) []anomaly {
	var out []anomaly
	for _, row := range rows {
		for _, w := range row.Outliers {
			out = append(out, anomaly{Operator: row.Operator, Name: row.Name, What: anomalyWhat(w.Rule), Rule: w.Rule, Path: w.Path, Message: w.Message})
		}
	}
	return out
}

// sectorCharts are drawn under the chosen metric's chart.
var sectorCharts = []string{"e1.renewable_electricity_share_pct", "e1.emissions_per_tb_kgco2e", "e2.total.recycling_rate_pct", "e3.backup_power_coverage_pct"}

// handleSector serves GET /sector?period=P&metric=K (regulator, admin):
// the sector's headline medians, a bar chart of one metric per operator
// with the median line, and the links to the CSV export and the sector PDF.
func (h *Handler) handleSector(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	p, err := h.pickPeriod(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sm, err := h.svc.SectorMetrics(s.actor, p.Span(), "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	metric := r.URL.Query().Get("metric")
	if len(headlines([]string{metric})) == 0 {
		metric = "e1.network_energy_per_tb_kwh"
	}
	page := sectorPage{periodNav: h.periodNav(p), Metric: metric, Metrics: sm.Headlines, Filed: sm.Filed,
		Missing: sm.Missing, Late: sm.Late, Anomalies: sectorAnomalies(sm.Rows)}
	chart := func(key string) barChart {
		hl := headlines([]string{key})[0]
		var labels []string
		var values []calculators.Value
		for _, row := range sm.Rows {
			labels = append(labels, row.Name)
			values = append(values, row.Metrics[key])
		}
		var median calculators.Value
		for _, st := range sm.Headlines {
			if st.Key == key {
				median = st.Median
			}
		}
		c := newBarChart(hl.Label, hl.Unit, labels, values, median)
		c.Of, c.MedianOf = "operator", "the sector median"
		return c
	}
	page.Chart = chart(metric)
	for _, k := range sectorCharts {
		if k != metric {
			page.Charts = append(page.Charts, chart(k))
		}
	}
	h.render(w, r, s, http.StatusOK, "sector", page)
}
