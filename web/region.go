package web

import (
	"net/http"
	"net/url"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

// regionPage is the public regional view of one span.
type regionPage struct {
	periodNav
	Region *calculators.RegionView
	Rows   []regionRow      // one per country, in the order of Region.Countries
	Heads  []regionHead     // the figures of the table's columns
	Charts []barChart       // one per intensity: the countries against their median
	Totals []regionTotalRow // the region's figures
	// PDF is the regional report of the span (GET
	// /v1/region/disclosures/{P}.pdf), which exists when a return of it
	// is accepted: the figures of this page as one recorded entry of the
	// ledger, with that entry's proof.
	PDF string
}

type regionRow struct {
	calculators.RegionViewCountry
	Values []calculators.Value // in the order of Heads
	// Missing is how many quarters the partial operators left out;
	// with more than foldPartial of them the page folds their list
	// under that count, so that a region of thousands of operators
	// does not print a line for each of them.
	Missing int
	Fold    bool
}

// foldPartial is how many partial operators a country's row lists
// unfolded.
const foldPartial = 3

type regionHead struct{ Key, Label, Unit string }

// regionTotalRow is one figure of the region, with the median of the
// countries' values when it is an intensity.
type regionTotalRow struct {
	calculators.RegionViewMetric
	HasMedian bool
	MedianV   calculators.Value
}

// handleRegion serves GET /region?period=P (public): per country, the
// operators due, filed and accepted, the summed figures of the accepted
// returns and a bar chart per intensity against the median of the
// countries; then the region's totals. It shows what GET /v1/region
// answers, and so only accepted returns.
func (h *Handler) handleRegion(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	span, err := h.pickSpan(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	reg, err := h.svc.Region(span)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := regionPage{periodNav: h.spanNav(span), Region: reg}
	if len(reg.Countries) > 0 {
		page.PDF = "/v1/region/disclosures/" + url.PathEscape(reg.Period) + ".pdf"
	}
	// The charts name a country by its code, as the table's columns and
	// the regional PDF do: an administration's name ("Ministry of
	// Internal Affairs and Communications") is cut short beside a bar.
	labels := make([]string, len(reg.Countries))
	for i, c := range reg.Countries {
		labels[i] = c.Country
		row := regionRow{RegionViewCountry: c, Fold: len(c.Coverage.Partial) > foldPartial}
		for _, p := range c.Coverage.Partial {
			row.Missing += len(p.Missing)
		}
		page.Rows = append(page.Rows, row)
	}
	for _, m := range reg.Metrics {
		page.Heads = append(page.Heads, regionHead{Key: m.Key, Label: m.Label, Unit: m.Unit})
		t := regionTotalRow{RegionViewMetric: m, HasMedian: m.Median != nil}
		if t.HasMedian {
			t.MedianV = *m.Median
		}
		page.Totals = append(page.Totals, t)
		values := make([]calculators.Value, len(reg.Countries))
		for i, c := range reg.Countries {
			values[i] = c.Figures[m.Key]
			page.Rows[i].Values = append(page.Rows[i].Values, values[i])
		}
		if m.Intensity && len(reg.Countries) > 0 {
			c := newBarChart(m.Label, m.Unit, labels, values, *m.Median)
			c.Of, c.MedianOf = "country", "the median of the countries"
			page.Charts = append(page.Charts, c)
		}
	}
	h.render(w, r, s, http.StatusOK, "region", page)
}

// pickSpan reads ?period= (a quarter or a year), defaulting to the last
// quarter that has ended.
func (h *Handler) pickSpan(r *http.Request) (ledger.Span, error) {
	v := r.URL.Query().Get("period")
	if v == "" {
		return ledger.LastEndedQuarter(h.cfg.Now()).Span(), nil
	}
	sp, err := ledger.ParseSpan(v)
	if err != nil {
		return sp, ledger.Errorf(ledger.EInvalid, "the period must be a quarter such as 2025-Q3 or a year such as 2025")
	}
	return sp, nil
}

// spanNav is the period navigation of a quarter or a year: the spans of
// the same kind before and after it (none after the last that has
// ended), and a choice of the last twelve quarters and three years.
func (h *Handler) spanNav(sp ledger.Span) periodNav {
	last := ledger.LastEndedQuarter(h.cfg.Now())
	if !sp.IsYear() {
		n := h.periodNav(sp.Last())
		for y := 0; y < 3; y++ {
			n.Periods = append(n.Periods, ledger.Span{Year: last.Year - y}.String())
		}
		return n
	}
	n := h.periodNav(last)
	n.Period = sp.String()
	n.Prev = ledger.Span{Year: sp.Year - 1}.String()
	n.Next = ""
	if sp.Year < last.Year {
		n.Next = ledger.Span{Year: sp.Year + 1}.String()
	}
	found := false
	for y := 0; y < 3; y++ {
		p := ledger.Span{Year: last.Year - y}.String()
		n.Periods = append(n.Periods, p)
		found = found || p == n.Period
	}
	if !found {
		n.Periods = append([]string{n.Period}, n.Periods...)
	}
	return n
}
