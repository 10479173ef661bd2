package calculators

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// gridUse is purchased electricity and claims of one grid, summed over
// electricity rows, site rows and renewable claims.
type gridUse struct {
	PlainKWh      decimal.Decimal // rows without a supplier rate
	SupplierKWh   decimal.Decimal // rows with a supplier rate
	SupplierKg    decimal.Decimal // sum of kWh x supplier rate over those rows
	ClaimedKWh    decimal.Decimal
	Paths         []string // rows buying from the grid, for errors
	HasPurchasing bool     // some electricity or site row names the grid
	// Rows are the purchases one by one, and SupplierClaims the claims
	// tied to a supplier by supplier, for the allocation of methodology
	// 2026.1 (G3, e1_market.go); ClaimedKWh then holds the other claims.
	Rows           []*s2Row
	SupplierClaims map[string]decimal.Decimal
}

// scope2Result is scope 2 in kg, both methods, with notes per grid, and
// (from methodology 2026.1) scope 3 category 3 of the electricity.
type scope2Result struct {
	LocationKg    decimal.Decimal
	MarketKg      decimal.Decimal
	LocationNotes []string
	MarketNotes   []string
	// Cat3Kg is kWh x the upstream factor of each grid's publisher, set
	// (OK) only when every purchasing grid has one; Cat3Missing says why
	// not, per grid.
	Cat3Kg      Value
	Cat3Notes   []string
	Cat3Missing []string
	Cat3Factors *e1FactorLog
	// ByGrid is each purchasing grid's kWh, location factor and
	// market-based kg, for the per-domain figures of methodology 2026.1
	// (G10, G11: see e1Since20261.marketKg).
	ByGrid map[string]gridScope2
	// MarketRows are the purchases after the G3 allocation (methodology
	// 2026.1; none before): what claims left of each and its kg. See
	// marketRate.
	MarketRows []*s2Row
}

// scope2 computes location- and market-based scope 2 (GHG Protocol Scope 2
// Guidance) over grids, in sorted grid order. A grid with purchased
// electricity that the factor set lacks is an error naming every such row.
//
// Market-based, per grid g with plain kWh N, supplier-rate kWh S (emitting
// R kg at their rates), claims C and residual factor r:
//
//	C <= N:     (N - C) x r + R
//	N < C < N+S: R x (S - (C - N)) / S   (the excess covers supplier rows pro rata)
//	C >= N + S: 0
//
// r is the factor set's residual mix of g, or the grid average with a note
// when the set has none. The pro-rata fraction is the only division, at
// DivPrecision places, rounded half away from zero.
//
// From methodology 2026.1 the grid factor is the one chooseGridFactor
// picks (G1, with its data-quality flags in t), scope 3 category 3 is
// computed beside, and the market-based figure is allocateMarket's, row
// by row: claims tied to a supplier first (G3), claims beyond their own
// grid's purchases covering other grids of the same country (G2: the
// market is the country), the residual mix of a region falling back to
// its country's, then to the grid average with a data-quality flag.
func scope2(req Request, grids map[string]*gridUse, loc, mkt *e1FactorLog, t *Trace) (scope2Result, error) {
	fs := req.Factors
	var res scope2Result
	var missing []ledger.FieldError
	v2026 := req.since(ledger.Methodology20261)
	choices := map[string]gridChoice{} // 2026.1: each purchasing grid's factor, for the allocation
	if v2026 {
		res.Cat3Factors = newE1FactorLog(fs)
	}
	var cat3 decimal.Decimal
	for _, g := range e1Keys(grids) {
		u := grids[g]
		if !u.HasPurchasing {
			if u.ClaimedKWh.Sign() > 0 && !v2026 {
				res.MarketNotes = append(res.MarketNotes, fmt.Sprintf(
					"grid %s: claims of %s kWh but no purchased electricity: they cover nothing", g, u.ClaimedKWh))
			}
			continue
		}
		gc, ok := chooseGridFactor(req, g, req.Return.Period, "e1.scope2_location_tco2e")
		if !ok {
			for _, p := range u.Paths {
				missing = append(missing, ledger.FieldError{Path: p,
					Message: fmt.Sprintf("grid %q is not in factor set %s", g, fs.Version)})
			}
			continue
		}
		for _, d := range gc.Flags {
			t.Flag(d)
		}
		f := gc.Value
		gc.logTo(loc)
		kwh := u.PlainKWh.Add(u.SupplierKWh)
		kg := kwh.Mul(f)
		res.LocationKg = res.LocationKg.Add(kg)
		if v2026 {
			res.LocationNotes = append(res.LocationNotes, fmt.Sprintf("grid %s: %s kWh x %s %s (%s, %s) = %s kg",
				g, kwh, f, gc.Unit, gc.Key, gc.basisNote(), kg))
			cat3 = cat3.Add(res.cat3Of(gc, kwh))
		} else {
			res.LocationNotes = append(res.LocationNotes, fmt.Sprintf("grid %s: %s kWh x %s kgCO2e/kWh = %s kg", g, kwh, f, kg))
		}
		if v2026 {
			choices[g] = gc
			// Its market-based kg comes from the allocation, below.
			res.byGrid(g, gridScope2{KWh: kwh, LocationFactor: f})
			continue
		}
		n, s, c := u.PlainKWh, u.SupplierKWh, u.ClaimedKWh
		var mk decimal.Decimal
		switch {
		case c.LessThanOrEqual(n):
			rest := n.Sub(c)
			r := f
			if rk, rm, ok := residualMixOf(req, g); ok {
				r = rm.Factor()
				mkt.use("residual_mix."+rk+"."+rm.FactorField(), r, "kgCO2e/kWh", "residual_mix")
			} else if rest.Sign() > 0 {
				gc.logTo(mkt)
				res.MarketNotes = append(res.MarketNotes, fmt.Sprintf(
					"grid %s: factor set %s has no residual mix for %s; the grid-average factor %s kgCO2e/kWh is used for the %s kWh not covered by claims or a supplier rate",
					g, fs.Version, g, f, rest))
			}
			mk = rest.Mul(r).Add(u.SupplierKg)
			res.MarketNotes = append(res.MarketNotes, fmt.Sprintf(
				"grid %s: (%s kWh without supplier rate - %s kWh claimed) x %s kgCO2e/kWh + %s kg at supplier rates (%s kWh) = %s kg",
				g, n, c, r, u.SupplierKg, s, mk))
		case c.LessThan(n.Add(s)):
			excess := c.Sub(n)
			frac := Div(s.Sub(excess), s)
			mk = u.SupplierKg.Mul(frac)
			res.MarketNotes = append(res.MarketNotes, fmt.Sprintf(
				"grid %s: claims of %s kWh cover all %s kWh without supplier rate; the excess %s kWh covers the supplier-rate rows (%s kWh) pro rata, leaving the fraction (%s - %s) / %s = %s (%d places, half away from zero) of their %s kg = %s kg",
				g, c, n, excess, s, s, excess, s, frac, DivPrecision, u.SupplierKg, mk))
		default:
			mk = decimal.Zero
			note := fmt.Sprintf("grid %s: claims of %s kWh cover all %s kWh purchased: 0 kg", g, c, n.Add(s))
			if c.GreaterThan(n.Add(s)) {
				note += fmt.Sprintf(" (the %s kWh beyond the purchases count for nothing)", c.Sub(n).Sub(s))
			}
			res.MarketNotes = append(res.MarketNotes, note)
		}
		res.MarketKg = res.MarketKg.Add(mk)
		res.byGrid(g, gridScope2{KWh: kwh, LocationFactor: f, MarketKg: mk})
	}
	if v2026 && len(res.Cat3Missing) == 0 {
		res.Cat3Kg = Some(cat3)
	}
	if v2026 && len(missing) == 0 {
		res.allocate(req, grids, choices, mkt, t)
		for g, u := range res.ByGrid {
			for _, r := range res.MarketRows {
				if fs.CanonicalGrid(r.Grid) == fs.CanonicalGrid(g) {
					u.MarketKg = u.MarketKg.Add(r.Kg)
				}
			}
			res.ByGrid[g] = u
		}
	}
	if len(missing) > 0 {
		return scope2Result{}, &ledger.Error{
			Code:    ledger.EInvalid,
			Message: fmt.Sprintf("cannot compute scope 2 with factor set %s: %s: %s", fs.Version, missing[0].Path, missing[0].Message),
			Fields:  missing,
		}
	}
	return res, nil
}

// residualMixOf is the residual-mix entry for grid g and its key: the
// grid's own; from methodology 2026.1 also, failing that, its country's
// (G2: a region's market is the country's, and residual mixes are
// published per country).
func residualMixOf(req Request, g string) (string, ledger.GridFactor, bool) {
	fs := req.Factors
	if !req.since(ledger.Methodology20261) {
		rm, ok := fs.ResidualMix[g]
		return g, rm, ok
	}
	for _, k := range []string{fs.CanonicalGrid(g), countryOf(fs, g)} {
		if rm, ok := fs.ResidualMix[k]; ok {
			return k, rm, true
		}
	}
	return "", ledger.GridFactor{}, false
}

// cat3Of is scope 3 category 3 of kwh bought on the chosen grid factor's
// grid, in kg: kWh x the upstream factor the same publisher gives
// (methodology 2026.1 G1), or zero with the reason kept when it gives
// none. A factor from an alternative has no upstream factor of its
// publisher in the set, so it counts as none.
func (res *scope2Result) cat3Of(gc gridChoice, kwh decimal.Decimal) decimal.Decimal {
	up := gc.Factor.Scope3Cat3
	if !gc.Top || up == nil {
		reason := gc.Factor.Scope3Cat3Reason
		if !gc.Top {
			reason = "the grid factor used is an alternative, and the set has no upstream factor of its publisher"
		}
		if reason == "" {
			reason = "the factor set has no upstream factor of the grid factor's publisher"
		}
		res.Cat3Missing = append(res.Cat3Missing, fmt.Sprintf("grid %s: %s", gc.Grid, reason))
		return decimal.Zero
	}
	key := strings.TrimSuffix(gc.Key, "."+gc.Factor.FactorField()) + ".scope3_cat3.value"
	res.Cat3Factors.useSourced(key, up.Value, "kgCO2e/kWh", up.Publisher+" ("+up.Covers+", evidence "+up.Evidence+")")
	kg := kwh.Mul(up.Value)
	res.Cat3Notes = append(res.Cat3Notes, fmt.Sprintf("grid %s: %s kWh x %s kgCO2e/kWh = %s kg", gc.Grid, kwh, up.Value, kg))
	return kg
}
