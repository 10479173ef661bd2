package calculators

import (
	"fmt"

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
}

// scope2Result is scope 2 in kg, both methods, with notes per grid.
type scope2Result struct {
	LocationKg    decimal.Decimal
	MarketKg      decimal.Decimal
	LocationNotes []string
	MarketNotes   []string
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
func scope2(fs *ledger.FactorSet, grids map[string]*gridUse, loc, mkt *e1FactorLog) (scope2Result, error) {
	var res scope2Result
	var missing []ledger.FieldError
	for _, g := range e1Keys(grids) {
		u := grids[g]
		if !u.HasPurchasing {
			if u.ClaimedKWh.Sign() > 0 {
				res.MarketNotes = append(res.MarketNotes, fmt.Sprintf(
					"grid %s: claims of %s kWh but no purchased electricity: they cover nothing", g, u.ClaimedKWh))
			}
			continue
		}
		gf, ok := fs.GridFactorOf(g)
		if !ok {
			for _, p := range u.Paths {
				missing = append(missing, ledger.FieldError{Path: p,
					Message: fmt.Sprintf("grid %q is not in factor set %s", g, fs.Version)})
			}
			continue
		}
		f := gf.Factor()
		key := "grid." + g + ".kgco2e_per_kwh"
		loc.use(key, f, "kgCO2e/kWh", "grid")
		kwh := u.PlainKWh.Add(u.SupplierKWh)
		kg := kwh.Mul(f)
		res.LocationKg = res.LocationKg.Add(kg)
		res.LocationNotes = append(res.LocationNotes, fmt.Sprintf("grid %s: %s kWh x %s kgCO2e/kWh = %s kg", g, kwh, f, kg))

		n, s, c := u.PlainKWh, u.SupplierKWh, u.ClaimedKWh
		var mk decimal.Decimal
		switch {
		case c.LessThanOrEqual(n):
			rest := n.Sub(c)
			r := f
			if rm, ok := fs.ResidualMix[g]; ok {
				r = rm.Factor()
				mkt.use("residual_mix."+g+".kgco2e_per_kwh", r, "kgCO2e/kWh", "residual_mix")
			} else if rest.Sign() > 0 {
				mkt.use(key, f, "kgCO2e/kWh", "grid")
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
