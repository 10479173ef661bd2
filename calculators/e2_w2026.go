package calculators

import (
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// This file holds the E2 rules of methodology 2026.1 (docs/methodology-2026.md,
// E2): W1 collection against placed on the market over the years that
// have data, W2 the MCI on the generated basis with X = L / L_use, and W4
// the WEEE targets per WEEE category and calendar year. Under 2025.1 none
// of it runs and the parts it fills stay empty.

// pomYears is the number of years before the rolling year that
// collection_rate_pom_pct looks back on.
const pomYears = 3

// cellParts2026 fills the 2026.1 parts of one cell: the window's end and
// recovered mass, the filed lifetimes of the window and, for a customer
// cell, the W1 denominator.
func cellParts2026(h *e2History, p *E2Parts, cat, stream string) {
	p.WindowEnd = h.period.String()
	redeployed := h.flowKg(cat, stream, h.period, "redeployed")
	p.RedeployedKg = &redeployed
	if isBattery(cat) {
		batteryParts(h, p, cat, stream)
	}
	exportParts(h, p, cat, stream)
	var recovered, kgYears, lifeInflow decimal.Decimal
	for i := 0; i < 4; i++ {
		q := h.period.Add(-i)
		qr, ok := h.returns[q]
		if !ok {
			continue
		}
		rcv := h.flowKg(cat, stream, q, "recovered")
		recovered = recovered.Add(rcv)
		for _, row := range qr.ret.Devices {
			if row.Category != cat || row.Stream != stream || row.LifetimeYears == nil || row.Inflow == nil {
				continue
			}
			kgYears = kgYears.Add(row.Inflow.Kg.Mul(*row.LifetimeYears))
			lifeInflow = lifeInflow.Add(row.Inflow.Kg)
		}
	}
	p.WindowRecoveredKg = &recovered
	p.WindowLifetimeKgYears = &kgYears
	p.WindowLifetimeInflowKg = &lifeInflow
	if stream == "customer" {
		p.POM = pomParts(h, cat, stream)
	}
}

// pomYearEnd is the last quarter of year k (1..3) before the rolling year.
func pomYearEnd(end ledger.Period, k int) ledger.Period { return end.Add(-4 * k) }

// pomYearLabel names the quarters of year k, e.g. "2024-Q1 to 2024-Q4".
func pomYearLabel(end ledger.Period, k int) string {
	e := pomYearEnd(end, k)
	return e.Add(-3).String() + " to " + e.String()
}

// pomYearCounted reports whether each quarter of year k has data: a
// return (a filed zero is data) or historic inflow of its calendar year.
func pomYearCounted(h *e2History, k int) bool {
	e := pomYearEnd(h.period, k)
	for i := 0; i < 4; i++ {
		if !h.covered(e.Add(-i)) {
			return false
		}
	}
	return true
}

// pomParts is a customer cell's W1 denominator: the mean inflow of the
// years counted. The mean of none is zero with no year listed.
func pomParts(h *e2History, cat, stream string) *E2POMParts {
	out := &E2POMParts{YearsCounted: []string{}}
	var sum decimal.Decimal
	for k := 1; k <= pomYears; k++ {
		if !pomYearCounted(h, k) {
			continue
		}
		in := h.windowInflowKg(cat, stream, k)
		sum = sum.Add(in)
		out.YearsCounted = append(out.YearsCounted, pomYearLabel(h.period, k))
	}
	if n := len(out.YearsCounted); n > 0 {
		out.MeanInflowKg = Div(sum, decimal.NewFromInt(int64(n)))
	}
	return out
}

// addPOM adds two W1 denominators: the means add, and the years counted
// are those counted in both (a sum is as partial as its weakest part).
func addPOM(a, b *E2POMParts) *E2POMParts {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	s := &E2POMParts{MeanInflowKg: a.MeanInflowKg.Add(b.MeanInflowKg), YearsCounted: []string{}}
	for _, y := range a.YearsCounted {
		if contains(b.YearsCounted, y) {
			s.YearsCounted = append(s.YearsCounted, y)
		}
	}
	return s
}

// addWindow2026 adds the 2026.1 window parts of b to a. A window end that
// differs between the two is no window end: such a sum is not judged
// against the calendar year's targets.
func addWindow2026(a, b E2Parts) E2Parts {
	if a.WindowEnd != b.WindowEnd {
		a.WindowEnd = ""
	}
	a.WindowRecoveredKg = addDec(a.WindowRecoveredKg, b.WindowRecoveredKg)
	a.WindowLifetimeKgYears = addDec(a.WindowLifetimeKgYears, b.WindowLifetimeKgYears)
	a.WindowLifetimeInflowKg = addDec(a.WindowLifetimeInflowKg, b.WindowLifetimeInflowKg)
	a.POM = addPOM(a.POM, b.POM)
	a.WindowCustomerCollectedUnits = addInt(a.WindowCustomerCollectedUnits, b.WindowCustomerCollectedUnits)
	a.WindowCustomerInflowUnits = addInt(a.WindowCustomerInflowUnits, b.WindowCustomerInflowUnits)
	return a
}

// withWindow2026 returns p with the 2026.1 window parts of w.
func withWindow2026(p, w E2Parts) E2Parts {
	p.WindowEnd = w.WindowEnd
	p.WindowRecoveredKg = w.WindowRecoveredKg
	p.WindowLifetimeKgYears = w.WindowLifetimeKgYears
	p.WindowLifetimeInflowKg = w.WindowLifetimeInflowKg
	p.POM = w.POM
	p.WindowCustomerCollectedUnits = w.WindowCustomerCollectedUnits
	p.WindowCustomerInflowUnits = w.WindowCustomerInflowUnits
	return p
}

// pomPartial2026 sets the W1 partial flag and the years counted.
func pomPartial2026(v *E2Values, p E2Parts, customer bool) {
	v.CollectionRatePOMPartial = false
	if !customer {
		return
	}
	if p.POM == nil {
		v.CollectionRatePOMPartial = true
		return
	}
	v.CollectionRatePOMPartial = len(p.POM.YearsCounted) < pomYears
	if len(p.POM.YearsCounted) > 0 {
		v.CollectionRatePOMYears = append([]string(nil), p.POM.YearsCounted...)
	}
}

// pomRate2026 is collection_rate_pom_pct under W1: the rolling year's
// customer collection over the mean customer inflow of the years counted.
func pomRate2026(v *E2Values, p E2Parts, metric string, tr *Trace) {
	switch {
	case p.POM == nil || len(p.POM.YearsCounted) == 0:
		missing(tr, metric, "none of the 3 years before the rolling year has data for each of its quarters (a return, or historic_inflow of its calendar year)")
	case p.POM.MeanInflowKg.Sign() <= 0:
		missing(tr, metric, "the customer inflow of the years counted ("+strings.Join(p.POM.YearsCounted, ", ")+") is zero")
	default:
		v.CollectionRatePOMPct = Some(Div(p.WindowCustomerCollectedKg.Mul(decHundred), p.POM.MeanInflowKg))
	}
}

// mciPlan is what the 2026.1 MCI of one category rests on, with the notes
// a derivation shows.
type mciPlan struct {
	in       MCIInput
	reason   string
	quarters int    // quarters of the window with a return
	xDefault bool   // X = 1 because L or L_use is missing
	xNote    string // how X was found
	proxy    string // set when the recycling efficiency is a policy target: why
	notes    []string
}

// mciInputs2026 turns a category's parts and factors into MCI inputs on
// the generated basis (W2). E is the Weibull estimate of the window,
// taken pro rata to the quarters of the window that have a return so
// that it covers the same quarters as the reuse and recycling it is
// compared with. X = L / L_use: L the inflow-weighted filed lifetime over
// the window, L_use the factor set's use life; 1 where either is missing.
func mciInputs2026(p E2Parts, f E2Factors) mciPlan {
	var pl mciPlan
	switch {
	case !f.hasWeibull() || f.RecyclingEfficiency == nil:
		pl.reason = "the factor set gives this category no lifetime distribution or recycling efficiency"
		return pl
	case p.EwasteGeneratedKg == nil:
		pl.reason = "ewaste_generated_kg of the window is unavailable (methodology 2026.1 has no collected basis)"
		return pl
	case p.InflowKg.Sign() <= 0:
		pl.reason = "no inflow in the period (M = 0)"
		return pl
	case p.EwasteGeneratedKg.Sign() <= 0:
		pl.reason = "the e-waste generated estimate is zero (no inflow history)"
		return pl
	case p.WindowReturns <= 0:
		pl.reason = windowReason(p.WindowReturns)
		return pl
	}
	pl.quarters = p.WindowReturns
	e := *p.EwasteGeneratedKg
	if pl.quarters < 4 {
		e = Div(e.Mul(decimal.NewFromInt(int64(pl.quarters))), decimal.NewFromInt(4))
		pl.notes = append(pl.notes, strconv.Itoa(pl.quarters)+" of the 4 quarters of the rolling year have returns: E is "+
			strconv.Itoa(pl.quarters)+"/4 of ewaste_generated_kg, against the reuse and recycling of those quarters")
	}
	pl.in = MCIInput{
		M:  p.InflowKg,
		Fr: Div(p.RecycledContentKg, p.InflowKg),
		Fu: Div(p.ReusedContentKg, p.InflowKg),
		Cr: Div(p.WindowRecycledKg, e),
		Cu: Div(p.WindowReusedKg, e),
		Ec: *f.RecyclingEfficiency,
		Ef: *f.RecyclingEfficiency,
		X:  decOne,
	}
	switch {
	case f.UseLifeYears == nil:
		pl.xDefault = true
		pl.xNote = "X = 1: the factor set gives no industry-average use life (L_use) for this category"
	case p.WindowLifetimeInflowKg == nil || p.WindowLifetimeInflowKg.Sign() <= 0:
		pl.xDefault = true
		pl.xNote = "X = 1: no row of the rolling year files lifetime_years"
	default:
		pl.in.X = Div(*p.WindowLifetimeKgYears, p.WindowLifetimeInflowKg.Mul(*f.UseLifeYears))
		pl.xNote = "X = L / L_use = (" + p.WindowLifetimeKgYears.String() + " kg-years / " + p.WindowLifetimeInflowKg.String() +
			" kg) / " + f.UseLifeYears.String() + " years (source: " + f.UseLifeSource + ")"
	}
	pl.notes = append(pl.notes, pl.xNote)
	if f.WEEETarget != nil && f.RecyclingEfficiency.Mul(decHundred).Equal(f.WEEETarget.ReuseAndRecyclingPct) {
		pl.proxy = "Ec = Ef = " + f.RecyclingEfficiency.String() + " is a proxy: the WEEE Annex V reuse-and-recycling target of category " +
			strconv.Itoa(*f.WEEECategory) + ", a policy target, not a measured recycling efficiency"
		pl.notes = append(pl.notes, pl.proxy)
	}
	return pl
}

// deviceCategoryTargets2026 keeps a device category's own rates beside
// its targets but judges nothing: under W4 the targets apply to the WEEE
// category over the calendar year (e2.weee_categories).
func deviceCategoryTargets2026(w *WEEETargets, path string, tr *Trace) *WEEETargets {
	w.RecoveryMet, w.ReuseAndRecyclingMet = nil, nil
	why := "Annex V targets are judged per WEEE category and calendar year: see e2.weee_categories." + strconv.Itoa(w.WEEECategory)
	missing(tr, path+".weee_targets.recovery_met", why)
	missing(tr, path+".weee_targets.reuse_and_recycling_met", why)
	return w
}

// WEEECategoryTargets is one WEEE category's Annex V targets under
// methodology 2026.1 W4: the rates of the span (all its device
// categories and both streams together) and, on a span whose rolling
// year is a calendar year with a return for each quarter (the Q4 return,
// or the year), that year's aggregate rates judged against the targets.
// Elsewhere the Met fields are null. Batteries are never in it (W5).
type WEEECategoryTargets struct {
	WEEECategory               int      `json:"weee_category"`
	DeviceCategories           []string `json:"device_categories"`
	RecoveryTargetPct          Value    `json:"recovery_target_pct"`
	ReuseAndRecyclingTargetPct Value    `json:"reuse_and_recycling_target_pct"`
	RecoveryRatePct            Value    `json:"recovery_rate_pct"`
	ReuseAndRecyclingRatePct   Value    `json:"reuse_and_recycling_rate_pct"`
	// Year is the calendar year judged, empty when none is.
	Year                         string `json:"year,omitempty"`
	YearCollectedKg              Value  `json:"year_collected_kg"`
	YearRecoveryRatePct          Value  `json:"year_recovery_rate_pct"`
	YearReuseAndRecyclingRatePct Value  `json:"year_reuse_and_recycling_rate_pct"`
	RecoveryMet                  *bool  `json:"recovery_met"`
	ReuseAndRecyclingMet         *bool  `json:"reuse_and_recycling_met"`
}

// isBattery reports whether a device category is a battery, which W5
// takes out of the WEEE targets.
func isBattery(cat string) bool { return strings.HasPrefix(cat, "battery_") }

// weeeCategories groups the device categories by WEEE category and
// judges each group's calendar year (W4).
func weeeCategories(byCat map[string][]E2Cell, cats []string, tr *Trace) map[string]WEEECategoryTargets {
	groups := map[int][]E2Cell{}
	names := map[int][]string{}
	var target = map[int]*ledger.WEEETarget{}
	for _, cat := range cats {
		f := byCat[cat][0].Factors
		if isBattery(cat) || f.WEEECategory == nil || f.WEEETarget == nil {
			continue
		}
		n := *f.WEEECategory
		groups[n] = append(groups[n], byCat[cat]...)
		names[n] = append(names[n], cat)
		target[n] = f.WEEETarget
	}
	if len(groups) == 0 {
		return nil
	}
	nums := make([]int, 0, len(groups))
	for n := range groups {
		nums = append(nums, n)
	}
	sort.Ints(nums) // the trace lists reasons in a stable order
	out := map[string]WEEECategoryTargets{}
	for _, n := range nums {
		cs := groups[n]
		ps := make([]E2Parts, len(cs))
		for i, c := range cs {
			ps[i] = c.Parts
		}
		key := strconv.Itoa(n)
		out[key] = weeeCategory(n, names[n], *target[n], sumParts(ps), "e2.weee_categories."+key, tr)
	}
	return out
}

// weeeNotJudged says why a span's rolling year is not a calendar year that
// W4 judges, or "" when it is one.
func weeeNotJudged(p E2Parts) string {
	end, err := ledger.ParsePeriod(p.WindowEnd)
	switch {
	case p.WindowEnd == "" || err != nil:
		return "the parts summed end in different quarters, so no calendar year is judged"
	case end.Quarter != 4:
		return "Annex V targets are judged per calendar year, on the Q4 return and the yearly documents; " + end.String() + " shows its own rates only"
	case p.WindowReturns < 4 || p.WindowRecoveredKg == nil:
		return "needs returns for all 4 quarters of " + strconv.Itoa(end.Year) + "; " + strconv.Itoa(p.WindowReturns) + " of 4 found"
	}
	return ""
}

// weeeCategory computes one WEEE category's rates and, when its rolling
// year is a calendar year, judges them.
func weeeCategory(n int, cats []string, t ledger.WEEETarget, p E2Parts, path string, tr *Trace) WEEECategoryTargets {
	sort.Strings(cats)
	w := WEEECategoryTargets{WEEECategory: n, DeviceCategories: cats,
		RecoveryTargetPct: Some(t.RecoveryPct), ReuseAndRecyclingTargetPct: Some(t.ReuseAndRecyclingPct)}
	const noCollected = "nothing was collected in the span, so there is no denominator"
	w.RecoveryRatePct = pct(p.ReusedKg.Add(p.RecycledKg).Add(p.RecoveredKg), p.CollectedKg, tr, path+".recovery_rate_pct", noCollected)
	w.ReuseAndRecyclingRatePct = pct(p.ReusedKg.Add(p.RecycledKg), p.CollectedKg, tr, path+".reuse_and_recycling_rate_pct", noCollected)

	if reason := weeeNotJudged(p); reason != "" {
		for _, m := range []string{".recovery_met", ".reuse_and_recycling_met", ".year_collected_kg", ".year_recovery_rate_pct", ".year_reuse_and_recycling_rate_pct"} {
			missing(tr, path+m, reason)
		}
		return w
	}
	end, _ := ledger.ParsePeriod(p.WindowEnd)
	w.Year = strconv.Itoa(end.Year)
	w.YearCollectedKg = Some(p.WindowCollectedKg)
	const noYear = "nothing of the category was collected in the year, so there is no denominator"
	w.YearRecoveryRatePct = pct(p.WindowReusedKg.Add(p.WindowRecycledKg).Add(*p.WindowRecoveredKg), p.WindowCollectedKg, tr,
		path+".year_recovery_rate_pct", noYear)
	w.YearReuseAndRecyclingRatePct = pct(p.WindowReusedKg.Add(p.WindowRecycledKg), p.WindowCollectedKg, tr,
		path+".year_reuse_and_recycling_rate_pct", noYear)
	if w.YearRecoveryRatePct.OK {
		met := w.YearRecoveryRatePct.D.Cmp(t.RecoveryPct) >= 0
		w.RecoveryMet = &met
	}
	if w.YearReuseAndRecyclingRatePct.OK {
		met := w.YearReuseAndRecyclingRatePct.D.Cmp(t.ReuseAndRecyclingPct) >= 0
		w.ReuseAndRecyclingMet = &met
	}
	return w
}
