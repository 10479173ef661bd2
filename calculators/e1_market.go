package calculators

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// DQResidualMixFallback: the factor set has no residual mix for a grid
// (nor for its country), so the market-based figure values the kWh no
// claim covers at the grid average (methodology 2026.1 G3).
const DQResidualMixFallback = "residual_mix_fallback"

// s2Row is one purchase of grid electricity in the market-based
// allocation of methodology 2026.1 (G3): an electricity row, or the site
// rows of one domain and grid summed.
type s2Row struct {
	Path     string // the row's path, or the site rows' filter
	Domain   string
	Grid     string // as filed
	Supplier string
	KWh      decimal.Decimal
	Rate     *decimal.Decimal // the supplier's rate; nil: valued at the residual mix
	// Left is what no claim covers once the allocation is done, and Kg
	// its emissions: Left x Rate, or Left x the grid's residual factor.
	Left decimal.Decimal
	Kg   decimal.Decimal
}

// supplierClaim adds a claim tied to a supplier (G3) to the grid.
func (u *gridUse) supplierClaim(supplier string, kwh decimal.Decimal) {
	if u.SupplierClaims == nil {
		u.SupplierClaims = map[string]decimal.Decimal{}
	}
	u.SupplierClaims[supplier] = u.SupplierClaims[supplier].Add(kwh)
}

// marketAllocation is the result of the G3 allocation: the market-based
// kg, the notes of its derivation and every row with what is left of it.
type marketAllocation struct {
	Kg    decimal.Decimal
	Notes []string
	Rows  []*s2Row
}

// allocateMarket computes market-based scope 2 under methodology 2026.1
// (G3, with G2's market: the country). In each market, in this order:
//
//  1. Claims tied to a supplier cover that supplier's rows in the market
//     pro rata to their kWh; what exceeds them passes on to step 3.
//  2. Each grid's other claims cover that grid; what exceeds its kWh
//     left passes on too.
//  3. What passed on covers the other grids of the market, in grid
//     order, up to what each has left; the rest counts for nothing.
//  4. In each grid the claims cover rows without a supplier rate first,
//     pro rata, then supplier-rate rows pro rata to their remaining kWh.
//
// What no claim covers is valued at the supplier's rate, or at resid[g],
// the grid's residual factor. Each pro-rata step is one division at
// DivPrecision places, rounded half away from zero (Div); the rest is
// exact. grids are those with purchases and a factor, already checked.
func allocateMarket(fs *ledger.FactorSet, grids map[string]*gridUse, resid map[string]decimal.Decimal) marketAllocation {
	var out marketAllocation
	markets := map[string][]string{}
	for _, g := range e1Keys(grids) {
		if u := grids[g]; u.HasPurchasing {
			for _, r := range u.Rows {
				r.Left = r.KWh
			}
			out.Rows = append(out.Rows, u.Rows...)
		}
		m := countryOf(fs, g)
		markets[m] = append(markets[m], g)
	}
	for _, m := range e1Keys(markets) {
		out.Notes = append(out.Notes, allocateIn(m, markets[m], grids)...)
	}
	for _, g := range e1Keys(grids) {
		u := grids[g]
		if !u.HasPurchasing {
			continue
		}
		var plain, sup decimal.Decimal
		for _, r := range u.Rows {
			if r.Rate == nil {
				r.Kg = r.Left.Mul(resid[g])
				plain = plain.Add(r.Left)
			} else {
				r.Kg = r.Left.Mul(*r.Rate)
				sup = sup.Add(r.Kg)
			}
		}
		kg := plain.Mul(resid[g]).Add(sup)
		out.Notes = append(out.Notes, fmt.Sprintf(
			"grid %s: %s kWh without supplier rate left x %s kgCO2e/kWh + %s kg at supplier rates on what they have left = %s kg",
			g, plain, resid[g], sup, kg))
		out.Kg = out.Kg.Add(kg)
	}
	return out
}

// allocateIn runs steps 1 to 4 of allocateMarket in market m, whose
// grids are gs (sorted), and returns its notes.
func allocateIn(m string, gs []string, grids map[string]*gridUse) []string {
	var notes []string
	var market []*s2Row
	for _, g := range gs {
		if grids[g].HasPurchasing {
			market = append(market, grids[g].Rows...)
		}
	}
	// 1. Claims tied to a supplier, summed per supplier over the market.
	bySupplier := map[string]decimal.Decimal{}
	for _, g := range gs {
		for s, kwh := range grids[g].SupplierClaims {
			bySupplier[s] = bySupplier[s].Add(kwh)
		}
	}
	var pool decimal.Decimal
	for _, s := range e1Keys(bySupplier) {
		rows := filterRows(market, func(r *s2Row) bool { return r.Supplier == s })
		took := cover(rows, bySupplier[s], false)
		notes = append(notes, fmt.Sprintf("market %s: claims tied to supplier %s of %s kWh cover %s kWh of its %s kWh, pro rata to their kWh",
			m, s, bySupplier[s], took, sumLeft(rows).Add(took)))
		if over := bySupplier[s].Sub(took); over.Sign() > 0 {
			pool = pool.Add(over)
			notes = append(notes, fmt.Sprintf("market %s: %s kWh of supplier %s's claims beyond its rows pass on", m, over, s))
		}
	}
	// 2. and 3. Each grid's own claims, then what passed on.
	own := map[string]decimal.Decimal{}
	room := map[string]decimal.Decimal{}
	for _, g := range gs {
		u := grids[g]
		if u.HasPurchasing {
			room[g] = sumLeft(u.Rows)
		}
		own[g] = decimal.Min(u.ClaimedKWh, room[g])
		if over := u.ClaimedKWh.Sub(own[g]); over.Sign() > 0 {
			pool = pool.Add(over)
			notes = append(notes, fmt.Sprintf("grid %s: %s kWh of claims beyond what its purchases have left go to the other grids of market %s (methodology 2026.1 G2)", g, over, m))
		}
	}
	for _, g := range gs {
		if take := decimal.Min(room[g].Sub(own[g]), pool); take.Sign() > 0 {
			own[g], pool = own[g].Add(take), pool.Sub(take)
			notes = append(notes, fmt.Sprintf("grid %s: covered by %s kWh of claims passed on within market %s", g, take, m))
		}
	}
	if pool.Sign() > 0 {
		notes = append(notes, fmt.Sprintf("market %s: %s kWh of claims beyond the market's purchases count for nothing", m, pool))
	}
	// 4. Within each grid: rows without a supplier rate first.
	for _, g := range gs {
		if own[g].Sign() <= 0 {
			continue
		}
		u := grids[g]
		plain := filterRows(u.Rows, func(r *s2Row) bool { return r.Rate == nil })
		rated := filterRows(u.Rows, func(r *s2Row) bool { return r.Rate != nil })
		a := cover(plain, own[g], true)
		b := cover(rated, own[g].Sub(a), false)
		notes = append(notes, fmt.Sprintf("grid %s: claims of %s kWh cover %s kWh without supplier rate, then %s kWh of supplier-rate rows pro rata to their remaining kWh",
			g, own[g], a, b))
	}
	return notes
}

// cover covers up to kwh of rows pro rata to what each has left and
// returns how much it covered: all of it when kwh is at least their sum,
// otherwise each row keeps the fraction (sum - kwh) / sum of its kWh left
// (DivPrecision places, half away from zero). With exact, the last row
// takes the rounding instead, so that what the rows have left sums to
// sum - kwh exactly: rows valued at one factor (a grid's residual mix)
// then give the exact figure of their sum, as 2025.1 computes it.
func cover(rows []*s2Row, kwh decimal.Decimal, exact bool) decimal.Decimal {
	sum := sumLeft(rows)
	switch {
	case kwh.Sign() <= 0 || sum.Sign() <= 0:
		return decimal.Zero
	case kwh.GreaterThanOrEqual(sum):
		for _, r := range rows {
			r.Left = decimal.Zero
		}
		return sum
	}
	keep := Div(sum.Sub(kwh), sum)
	rest := sum.Sub(kwh)
	for i, r := range rows {
		if exact && i == len(rows)-1 {
			r.Left = rest
			break
		}
		r.Left = r.Left.Mul(keep)
		rest = rest.Sub(r.Left)
	}
	return kwh
}

// sumLeft is the kWh the rows have left.
func sumLeft(rows []*s2Row) decimal.Decimal {
	var s decimal.Decimal
	for _, r := range rows {
		s = s.Add(r.Left)
	}
	return s
}

// filterRows is the rows that keep says to keep.
func filterRows(rows []*s2Row, keep func(*s2Row) bool) []*s2Row {
	var out []*s2Row
	for _, r := range rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// allocate sets the market-based figure of methodology 2026.1 (G3) from
// the allocation: choices are the grid factors of the purchasing grids.
// Each grid's uncovered kWh without a supplier rate are valued at its
// residual mix (its country's where it has none of its own, G2); where
// the set has neither, at the grid's factor, with a data-quality flag.
func (res *scope2Result) allocate(req Request, grids map[string]*gridUse, choices map[string]gridChoice, mkt *e1FactorLog, t *Trace) {
	resid := map[string]decimal.Decimal{}
	fallback := map[string]bool{}
	for g, gc := range choices {
		if rk, rm, ok := residualMixOf(req, g); ok {
			resid[g] = rm.Factor()
			mkt.use("residual_mix."+rk+"."+rm.FactorField(), resid[g], "kgCO2e/kWh", "residual_mix")
			continue
		}
		resid[g], fallback[g] = gc.Value, true
	}
	a := allocateMarket(req.Factors, grids, resid)
	res.MarketKg, res.MarketRows = a.Kg, a.Rows
	res.MarketNotes = append(res.MarketNotes, a.Notes...)
	for _, g := range e1Keys(fallback) {
		var rest decimal.Decimal
		for _, r := range grids[g].Rows {
			if r.Rate == nil {
				rest = rest.Add(r.Left)
			}
		}
		if rest.Sign() <= 0 {
			continue
		}
		gc := choices[g]
		gc.logTo(mkt)
		msg := fmt.Sprintf("grid %s: factor set %s has no residual mix for %s; the grid-average factor %s kgCO2e/kWh is used for the %s kWh not covered by claims or a supplier rate",
			g, req.Factors.Version, g, gc.Value, rest)
		res.MarketNotes = append(res.MarketNotes, msg)
		t.Flag(DataQuality{Code: DQResidualMixFallback, Metric: "e1.scope2_market_tco2e", Grid: g, Message: msg})
	}
}

// marketRate is the market-based rate, in kg per kWh, of the rows of a
// domain in a grid after the G3 allocation: their kg over their kWh
// (DivPrecision places, half away from zero). The grid may be an alias;
// rows match on the canonical key. It is what methodology 2026.1 G11's
// cue_market multiplies a data centre's grid_kwh by ("the market-based
// rate of the data_centre domain in that grid after the G3 allocation").
// ok is false when no row of the domain buys on the grid, and always
// under 2025.1, which has no per-row allocation.
func (res scope2Result) marketRate(fs *ledger.FactorSet, domain, grid string) (rate decimal.Decimal, ok bool) {
	var kwh, kg decimal.Decimal
	g := fs.CanonicalGrid(grid)
	for _, r := range res.MarketRows {
		if r.Domain == domain && fs.CanonicalGrid(r.Grid) == g {
			kwh, kg = kwh.Add(r.KWh), kg.Add(r.Kg)
		}
	}
	if kwh.Sign() <= 0 {
		return decimal.Zero, false
	}
	return Div(kg, kwh), true
}

// InstrumentNotApplied is a renewable claim the market-based method does
// not count, and why (methodology 2026.1 G3).
type InstrumentNotApplied struct {
	Path       string `json:"path"`
	Instrument string `json:"instrument"`
	Grid       string `json:"grid"`
	KWh        string `json:"kwh"`
	Reason     string `json:"reason"`
}

// DQInstrumentNotApplied: a claim was left out of the market-based figure
// (and the renewable shares) because it conveys no certificate in a
// market that has a certificate system (methodology 2026.1 G3).
const DQInstrumentNotApplied = "instrument_not_applied"

// claimApplies reports whether the claim at path counts (ledger's
// InstrumentApplies under the request's methodology); one that does not
// is listed in instruments_not_applied and flagged. Such a claim counts
// for nothing: neither in the market-based figure nor in the renewable
// shares, whose instruments must meet the same quality criteria.
func (c *e1Compute) claimApplies(path string, row ledger.RenewableClaim) bool {
	if c.fs.InstrumentApplies(c.req.Methodology, row) {
		return true
	}
	reason := fmt.Sprintf("a %s without certificate ids counts only in a market without a certificate system; factor set %s does not mark market %s so (Scope 2 Guidance quality criteria: the attributes must be conveyed and retired)",
		row.Instrument, c.fs.Version, countryOf(c.fs, row.Grid))
	c.e.InstrumentsNotApplied = append(c.e.InstrumentsNotApplied, InstrumentNotApplied{
		Path: path, Instrument: row.Instrument, Grid: row.Grid, KWh: row.KWh.String(), Reason: reason})
	c.t.Flag(DataQuality{Code: DQInstrumentNotApplied, Metric: "e1.scope2_market_tco2e", Grid: row.Grid, Row: path,
		Message: fmt.Sprintf("%s: %s kWh not applied: %s", path, row.KWh, reason)})
	return false
}
