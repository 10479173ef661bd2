package calculators

import (
	"encoding/json"
	"sort"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// E2 holds the e-waste and circularity metrics (docs/spec/metrics.md, E2) of one
// quarter or of a roll-up. Every object is recomputed from additive parts:
// Cells holds the parts per device category and stream, and Total,
// ByStream and ByCategory are built from them, so that sums over quarters
// or operators add parts and recompute ratios instead of averaging them.
type E2 struct {
	Total      E2Values            `json:"total"`
	ByStream   map[string]E2Values `json:"by_stream"`   // "customer", "network"
	ByCategory map[string]E2Values `json:"by_category"` // device category, both streams together
	Cells      map[string]E2Cell   `json:"parts_by_cell"`
	// WEEECategories judges the WEEE Annex V targets per WEEE category
	// and calendar year (methodology 2026.1 W4), keyed by the category
	// number; absent under 2025.1, which judges each device category.
	WEEECategories map[string]WEEECategoryTargets `json:"weee_categories,omitempty"`

	// Batteries are the battery rows' figures (methodology 2026.1 W5),
	// outside the WEEE targets; absent under 2025.1.
	Batteries *E2Batteries `json:"batteries,omitempty"`

	// methodology is the methodology the parts were computed under; sums
	// keep that of their last part.
	methodology string
}

// E2Values is one object of E2 keys. A Value that cannot be computed is
// null, with the reason in the trace.
type E2Values struct {
	InflowKg                   Value        `json:"inflow_kg"`
	CollectedKg                Value        `json:"collected_kg"`
	ReusedKg                   Value        `json:"reused_kg"`
	RecycledKg                 Value        `json:"recycled_kg"`
	RecoveredKg                Value        `json:"recovered_kg"`
	DisposedKg                 Value        `json:"disposed_kg"`
	TreatedKg                  Value        `json:"treated_kg"`
	MassBalanceGapKg           Value        `json:"mass_balance_gap_kg"`
	ReuseRatePct               Value        `json:"reuse_rate_pct"`
	RecyclingRatePct           Value        `json:"recycling_rate_pct"`
	RecoveryRatePct            Value        `json:"recovery_rate_pct"`
	ReuseAndRecyclingRatePct   Value        `json:"reuse_and_recycling_rate_pct"`
	DisposalRatePct            Value        `json:"disposal_rate_pct"`
	WEEETargets                *WEEETargets `json:"weee_targets,omitempty"` // by_category only
	CollectionRatePOMPct       Value        `json:"collection_rate_pom_pct"`
	CollectionRatePOMPartial   bool         `json:"collection_rate_pom_partial"`
	EwasteGeneratedKg          Value        `json:"ewaste_generated_kg"`
	CollectionRateGeneratedPct Value        `json:"collection_rate_generated_pct"`
	CircularInflowPct          Value        `json:"circular_inflow_pct"`
	MCI                        Value        `json:"mci"`
	MCIBasis                   string       `json:"mci_basis,omitempty"` // "generated", "collected" or "mixed"
	Parts                      E2Parts      `json:"parts"`

	// CollectionRatePOMYears lists the years the denominator of
	// collection_rate_pom_pct counted (methodology 2026.1 W1); absent
	// under 2025.1.
	CollectionRatePOMYears []string `json:"collection_rate_pom_years,omitempty"`
	// RedeployedKg is network equipment reinstalled in the operator's own
	// network in the span (2026.1 W3): reported apart, in no rate.
	RedeployedKg *Value `json:"redeployed_kg,omitempty"`
	// ExportedSharePct is the exported share of the treated mass, and
	// TakebackUnitsPct the rolling year's customer units collected over
	// units placed on the market (2026.1 W6).
	ExportedSharePct *Value `json:"exported_share_pct,omitempty"`
	TakebackUnitsPct *Value `json:"takeback_units_pct,omitempty"`
	// AuthorisedTreatmentSharePct is the treated mass of rows whose
	// recycler files an authorisation id over all treated mass (2026.1
	// W6).
	AuthorisedTreatmentSharePct *Value `json:"authorised_treatment_share_pct,omitempty"`
}

// WEEETargets are a category's WEEE Directive Annex V targets and whether
// its rates meet them. Met is nil when the rate is unavailable.
type WEEETargets struct {
	WEEECategory               int   `json:"weee_category"`
	RecoveryTargetPct          Value `json:"recovery_target_pct"`
	ReuseAndRecyclingTargetPct Value `json:"reuse_and_recycling_target_pct"`
	RecoveryMet                *bool `json:"recovery_met"`
	ReuseAndRecyclingMet       *bool `json:"reuse_and_recycling_met"`
	RecoveryRatePct            Value `json:"recovery_rate_pct"`
	ReuseAndRecyclingRatePct   Value `json:"reuse_and_recycling_rate_pct"`
}

// E2Parts are the additive quantities (kg unless named otherwise) that
// every E2 value is computed from. Flows are the period's; the Window
// fields cover the 4 quarters ending with the (last) quarter and the Prior
// fields the 12 quarters before that window.
type E2Parts struct {
	InflowKg          decimal.Decimal `json:"inflow_kg"`
	CollectedKg       decimal.Decimal `json:"collected_kg"`
	ReusedKg          decimal.Decimal `json:"reused_kg"`
	RecycledKg        decimal.Decimal `json:"recycled_kg"`
	RecoveredKg       decimal.Decimal `json:"recovered_kg"`
	DisposedKg        decimal.Decimal `json:"disposed_kg"`
	StockChangeKg     decimal.Decimal `json:"stock_change_kg"`
	RecycledContentKg decimal.Decimal `json:"recycled_content_kg"`
	ReusedContentKg   decimal.Decimal `json:"reused_content_kg"`
	// LifetimeKgYears is the sum of inflow x expected lifetime, the
	// category's average lifetime standing in where none is given, so
	// that lifetime = LifetimeKgYears / inflow.
	LifetimeKgYears decimal.Decimal `json:"lifetime_kg_years"`

	// WindowReturns is the number of quarters of the window that have a
	// return (4 = complete; the smallest over operators in a sector sum).
	WindowReturns     int             `json:"window_returns"`
	WindowCollectedKg decimal.Decimal `json:"window_collected_kg"`
	WindowReusedKg    decimal.Decimal `json:"window_reused_kg"`
	WindowRecycledKg  decimal.Decimal `json:"window_recycled_kg"`
	// WindowCustomerCollectedKg and PriorCustomerInflowKg feed
	// collection_rate_pom_pct (customer stream only).
	WindowCustomerCollectedKg decimal.Decimal `json:"window_customer_collected_kg"`
	PriorCustomerInflowKg     decimal.Decimal `json:"prior_customer_inflow_kg"`
	// PriorQuartersMissing counts the 12 prior quarters with neither a
	// return nor historic inflow (the largest over operators).
	PriorQuartersMissing int `json:"prior_quarters_missing"`
	// EwasteGeneratedKg is the Weibull estimate for the window; nil when no
	// cell has a lifetime distribution. WindowCollectedGeneratedKg is the
	// window's collected mass of the cells that have one.
	EwasteGeneratedKg          *decimal.Decimal `json:"ewaste_generated_kg"`
	WindowCollectedGeneratedKg decimal.Decimal  `json:"window_collected_generated_kg"`

	// The parts below are methodology 2026.1's. They are empty under
	// 2025.1, whose encoding they leave unchanged.

	// WindowEnd is the last quarter of the rolling window, e.g. "2025-Q4".
	WindowEnd string `json:"window_end,omitempty"`
	// WindowRecoveredKg is the window's recovered mass (W4 targets).
	WindowRecoveredKg *decimal.Decimal `json:"window_recovered_kg,omitempty"`
	// POM is what collection_rate_pom_pct divides by (W1); customer
	// cells only.
	POM *E2POMParts `json:"pom,omitempty"`
	// WindowLifetimeKgYears is the sum over the window's rows that file
	// lifetime_years of inflow x lifetime, and WindowLifetimeInflowKg
	// their inflow: L = the first / the second (W2).
	WindowLifetimeKgYears  *decimal.Decimal `json:"window_lifetime_kg_years,omitempty"`
	WindowLifetimeInflowKg *decimal.Decimal `json:"window_lifetime_inflow_kg,omitempty"`
	// RedeployedKg is the period's redeployed mass (W3), a flow.
	RedeployedKg *decimal.Decimal `json:"redeployed_kg,omitempty"`
	// RecyclerEfficiencyKgPct is the sum over battery rows that file
	// recycler_efficiency_pct of recycled kg x that percentage, and
	// RecyclerEfficiencyKg their recycled kg: the recycled-mass-weighted
	// efficiency is the first over the second (W5). Flows.
	RecyclerEfficiencyKgPct *decimal.Decimal `json:"recycler_efficiency_kg_pct,omitempty"`
	RecyclerEfficiencyKg    *decimal.Decimal `json:"recycler_efficiency_kg,omitempty"`
	// ExportedKg is the period's mass shipped abroad: the sum of a row's
	// exports[].kg, or its exported_kg without them (W6). A flow.
	ExportedKg *decimal.Decimal `json:"exported_kg,omitempty"`
	// AuthorisedTreatedKg is the period's treated mass (reused + recycled
	// + recovered + disposed) of the rows whose recycler files an
	// authorisation id (W6). A flow.
	AuthorisedTreatedKg *decimal.Decimal `json:"authorised_treated_kg,omitempty"`
	// WindowCustomerCollectedUnits and WindowCustomerInflowUnits are the
	// rolling year's customer units collected and placed on the market
	// (W6 takeback_units_pct).
	WindowCustomerCollectedUnits *int64 `json:"window_customer_collected_units,omitempty"`
	WindowCustomerInflowUnits    *int64 `json:"window_customer_inflow_units,omitempty"`
}

// E2POMParts is the denominator of collection_rate_pom_pct under
// methodology 2026.1 W1: the mean customer inflow of the years counted
// (each of the 3 years before the rolling year whose 4 quarters all have
// data). A sum over operators adds their means and lists the years
// counted for every one of them.
type E2POMParts struct {
	MeanInflowKg decimal.Decimal `json:"mean_inflow_kg"`
	YearsCounted []string        `json:"years_counted"`
}

// MarshalJSON writes the parts; the Weibull estimate, the one part that is
// not a sum of filed values, is rounded half-even to DisplayPlaces like
// every shown value. The exact value stays in memory for roll-ups.
func (p E2Parts) MarshalJSON() ([]byte, error) {
	type plain E2Parts
	q := plain(p)
	if q.EwasteGeneratedKg != nil {
		r := q.EwasteGeneratedKg.RoundBank(DisplayPlaces)
		q.EwasteGeneratedKg = &r
	}
	return json.Marshal(q)
}

// E2Cell is one device category and stream: its parts and the factors of
// its category that the non-additive metrics need.
type E2Cell struct {
	Category string    `json:"category"`
	Stream   string    `json:"stream"`
	Parts    E2Parts   `json:"parts"`
	Factors  E2Factors `json:"factors"`
}

// E2Factors are the factor-set entries of a device category.
type E2Factors struct {
	WEEECategory         *int               `json:"weee_category"`
	WEEETarget           *ledger.WEEETarget `json:"weee_target,omitempty"`
	WeibullShape         *decimal.Decimal   `json:"weibull_shape,omitempty"`
	WeibullScale         *decimal.Decimal   `json:"weibull_scale,omitempty"`
	AverageLifetimeYears *decimal.Decimal   `json:"average_lifetime_years,omitempty"`
	RecyclingEfficiency  *decimal.Decimal   `json:"recycling_efficiency,omitempty"`
	UseLifeYears         *decimal.Decimal   `json:"use_life_years,omitempty"`
	UseLifeSource        string             `json:"use_life_source,omitempty"`
}

func (f E2Factors) hasWeibull() bool { return f.WeibullShape != nil && f.WeibullScale != nil }

func (f E2Factors) hasMCI() bool {
	return f.hasWeibull() && f.AverageLifetimeYears != nil && f.AverageLifetimeYears.Sign() > 0 &&
		f.RecyclingEfficiency != nil
}

func cellKey(category, stream string) string { return category + "/" + stream }

var decHundred = decimal.NewFromInt(100)

// addParts adds b to a. Window fields are summed too, except the window
// and history coverage, which keep the weakest of the two.
func addParts(a, b E2Parts) E2Parts {
	a.InflowKg = a.InflowKg.Add(b.InflowKg)
	a.CollectedKg = a.CollectedKg.Add(b.CollectedKg)
	a.ReusedKg = a.ReusedKg.Add(b.ReusedKg)
	a.RecycledKg = a.RecycledKg.Add(b.RecycledKg)
	a.RecoveredKg = a.RecoveredKg.Add(b.RecoveredKg)
	a.DisposedKg = a.DisposedKg.Add(b.DisposedKg)
	a.StockChangeKg = a.StockChangeKg.Add(b.StockChangeKg)
	a.RecycledContentKg = a.RecycledContentKg.Add(b.RecycledContentKg)
	a.ReusedContentKg = a.ReusedContentKg.Add(b.ReusedContentKg)
	a.LifetimeKgYears = a.LifetimeKgYears.Add(b.LifetimeKgYears)
	a.RedeployedKg = addDec(a.RedeployedKg, b.RedeployedKg)
	a.RecyclerEfficiencyKgPct = addDec(a.RecyclerEfficiencyKgPct, b.RecyclerEfficiencyKgPct)
	a.RecyclerEfficiencyKg = addDec(a.RecyclerEfficiencyKg, b.RecyclerEfficiencyKg)
	a.ExportedKg = addDec(a.ExportedKg, b.ExportedKg)
	a.AuthorisedTreatedKg = addDec(a.AuthorisedTreatedKg, b.AuthorisedTreatedKg)
	a.WindowReturns = min(a.WindowReturns, b.WindowReturns)
	a = addWindow(a, b)
	a.PriorQuartersMissing = max(a.PriorQuartersMissing, b.PriorQuartersMissing)
	return a
}

// addWindow adds the additive window and prior-history fields of b to a.
func addWindow(a, b E2Parts) E2Parts {
	a.WindowCollectedKg = a.WindowCollectedKg.Add(b.WindowCollectedKg)
	a.WindowReusedKg = a.WindowReusedKg.Add(b.WindowReusedKg)
	a.WindowRecycledKg = a.WindowRecycledKg.Add(b.WindowRecycledKg)
	a.WindowCustomerCollectedKg = a.WindowCustomerCollectedKg.Add(b.WindowCustomerCollectedKg)
	a.PriorCustomerInflowKg = a.PriorCustomerInflowKg.Add(b.PriorCustomerInflowKg)
	a.WindowCollectedGeneratedKg = a.WindowCollectedGeneratedKg.Add(b.WindowCollectedGeneratedKg)
	a = addWindow2026(a, b)
	switch {
	case a.EwasteGeneratedKg == nil:
		a.EwasteGeneratedKg = b.EwasteGeneratedKg
	case b.EwasteGeneratedKg != nil:
		s := a.EwasteGeneratedKg.Add(*b.EwasteGeneratedKg)
		a.EwasteGeneratedKg = &s
	}
	return a
}

// sumParts adds parts; the sum of nothing is empty parts with a complete
// window (so that min() keeps the real coverage).
func sumParts(ps []E2Parts) E2Parts {
	if len(ps) == 0 {
		return E2Parts{}
	}
	s := ps[0]
	for _, p := range ps[1:] {
		s = addParts(s, p)
	}
	return s
}

// buildE2 computes every E2 object from the cells under methodology m.
// tr receives the reasons for null values; it may be a scratch trace.
func buildE2(cells map[string]E2Cell, m string, tr *Trace) *E2 {
	m26 := ledger.MethodologyAtLeast(m, ledger.Methodology20261)
	e := &E2{
		ByStream:    map[string]E2Values{},
		ByCategory:  map[string]E2Values{},
		Cells:       cells,
		methodology: m,
	}
	keys := make([]string, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	byCat := map[string][]E2Cell{}
	byStream := map[string][]E2Cell{}
	var cats []string
	for _, k := range keys {
		c := cells[k]
		if _, ok := byCat[c.Category]; !ok {
			cats = append(cats, c.Category)
		}
		byCat[c.Category] = append(byCat[c.Category], c)
		byStream[c.Stream] = append(byStream[c.Stream], c)
	}

	// Categories: MCI from the category's summed parts.
	var catWeights []mciWeight
	var all []E2Parts
	for _, cat := range cats {
		cs := byCat[cat]
		ps := make([]E2Parts, len(cs))
		customer := false
		for i, c := range cs {
			ps[i] = c.Parts
			customer = customer || c.Stream == "customer"
		}
		p := sumParts(ps)
		all = append(all, ps...)
		path := "e2.by_category." + cat
		v := finishE2(p, customer, m26, path, tr)
		f := cs[0].Factors
		catWeights = append(catWeights, categoryMCI(&v, p, f, m26, path, tr))
		v.WEEETargets = weeeTargets(v, f, path, tr)
		if m26 && v.WEEETargets != nil {
			v.WEEETargets = deviceCategoryTargets2026(v.WEEETargets, path, tr)
		}
		e.ByCategory[cat] = v
	}

	// Streams: MCI mass-weighted over the stream's category cells.
	for _, s := range ledger.Streams {
		cs, ok := byStream[s]
		if !ok {
			continue
		}
		ps := make([]E2Parts, len(cs))
		var ws []mciWeight
		for i, c := range cs {
			ps[i] = c.Parts
			scratch := E2Values{}
			ws = append(ws, categoryMCI(&scratch, c.Parts, c.Factors, m26, "", nil))
		}
		path := "e2.by_stream." + s
		v := finishE2(sumParts(ps), s == "customer", m26, path, tr)
		weightedMCI(&v, ws, path, tr)
		e.ByStream[s] = v
	}

	customer := len(byStream["customer"]) > 0
	e.Total = finishE2(sumParts(all), customer, m26, "e2.total", tr)
	weightedMCI(&e.Total, catWeights, "e2.total", tr)
	if m26 {
		e.WEEECategories = weeeCategories(byCat, cats, tr)
		e.Batteries = batteries(byCat, cats, tr)
	}
	return e
}

// missing records a reason when tr is not nil.
func missing(tr *Trace, metric, reason string) {
	if tr != nil && metric != "" {
		tr.Missing(metric, reason)
	}
}

// pct is num/den x 100, or None (with the reason) when den is zero.
func pct(num, den decimal.Decimal, tr *Trace, metric, reason string) Value {
	if den.Sign() <= 0 {
		missing(tr, metric, reason)
		return None
	}
	return Some(Div(num.Mul(decHundred), den))
}

// finishE2 computes the flows and ratios of one object from its parts.
// customer says whether the object includes customer-stream cells; m26
// whether the methodology is 2026.1 or later.
func finishE2(p E2Parts, customer, m26 bool, path string, tr *Trace) E2Values {
	v := E2Values{Parts: p}
	v.InflowKg = Some(p.InflowKg)
	v.CollectedKg = Some(p.CollectedKg)
	v.ReusedKg = Some(p.ReusedKg)
	v.RecycledKg = Some(p.RecycledKg)
	v.RecoveredKg = Some(p.RecoveredKg)
	v.DisposedKg = Some(p.DisposedKg)
	treated := p.ReusedKg.Add(p.RecycledKg).Add(p.RecoveredKg).Add(p.DisposedKg)
	v.TreatedKg = Some(treated)
	v.MassBalanceGapKg = Some(p.CollectedKg.Sub(treated).Sub(p.StockChangeKg))

	const noCollected = "nothing was collected in the period, so there is no denominator"
	c := p.CollectedKg
	v.ReuseRatePct = pct(p.ReusedKg, c, tr, path+".reuse_rate_pct", noCollected)
	v.RecyclingRatePct = pct(p.RecycledKg, c, tr, path+".recycling_rate_pct", noCollected)
	v.RecoveryRatePct = pct(p.ReusedKg.Add(p.RecycledKg).Add(p.RecoveredKg), c, tr, path+".recovery_rate_pct", noCollected)
	v.ReuseAndRecyclingRatePct = pct(p.ReusedKg.Add(p.RecycledKg), c, tr, path+".reuse_and_recycling_rate_pct", noCollected)
	v.DisposalRatePct = pct(p.DisposedKg, c, tr, path+".disposal_rate_pct", noCollected)

	v.CircularInflowPct = pct(p.RecycledContentKg.Add(p.ReusedContentKg), p.InflowKg, tr,
		path+".circular_inflow_pct", "no inflow in the period, so there is no denominator")

	// collection_rate_pom_pct: customer stream, rolling year against the
	// average yearly inflow of the three years before it.
	metric := path + ".collection_rate_pom_pct"
	v.CollectionRatePOMPartial = customer && p.PriorQuartersMissing > 0
	if m26 {
		pomPartial2026(&v, p, customer)
		if p.RedeployedKg != nil {
			r := Some(*p.RedeployedKg)
			v.RedeployedKg = &r
		}
		exportShares2026(&v, p, customer, treated, path, tr)
	}
	switch {
	case !customer:
		missing(tr, metric, "defined for the customer stream only (WEEE Art. 7 collection against placed on the market)")
	case p.WindowReturns < 4:
		missing(tr, metric, windowReason(p.WindowReturns))
	case m26:
		pomRate2026(&v, p, metric, tr)
	case p.PriorCustomerInflowKg.Sign() <= 0:
		missing(tr, metric, "no customer inflow in the 12 quarters before the rolling year (no returns or historic_inflow)")
	default:
		v.CollectionRatePOMPct = Some(Div(p.WindowCustomerCollectedKg.Mul(decHundred).Mul(decimal.NewFromInt(3)), p.PriorCustomerInflowKg))
	}

	metric = path + ".ewaste_generated_kg"
	if p.EwasteGeneratedKg == nil {
		missing(tr, metric, "no lifetime distribution (Weibull shape and scale) in the factor set for the categories here")
	} else {
		v.EwasteGeneratedKg = Some(*p.EwasteGeneratedKg)
	}
	metric = path + ".collection_rate_generated_pct"
	switch {
	case p.EwasteGeneratedKg == nil:
		missing(tr, metric, "ewaste_generated_kg is unavailable")
	case p.WindowReturns < 4:
		missing(tr, metric, windowReason(p.WindowReturns))
	default:
		v.CollectionRateGeneratedPct = pct(p.WindowCollectedGeneratedKg, *p.EwasteGeneratedKg, tr, metric,
			"the e-waste generated estimate is zero (no inflow history)")
	}
	return v
}

func windowReason(n int) string {
	return "needs returns for all 4 quarters ending with this one; " + strconv.Itoa(n) + " of 4 found"
}
