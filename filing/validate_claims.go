package filing

import (
	"strconv"

	"github.com/ictledger/ictledger/ledger"
)

// since2026 reports whether the return's factor set is meant for
// methodology 2026.1 or later: the rules of G3 apply to it.
func (v *validator) since2026() bool {
	return v.c.Factors != nil && ledger.MethodologyAtLeast(v.c.Factors.MethodologyOf(), ledger.Methodology20261)
}

// vintage checks a claim's vintage year and month. Under 2025.1 the year
// is from 1990 to the reporting year. From 2026.1 (G3) the window is
// July of the year before the reporting year to March of the year after
// (Green-e's 21 months): outside it is a problem; inside it but outside
// the reporting year, a warning; a year-only vintage of the year before
// or after is accepted with a warning that the window cannot be
// confirmed.
func (v *validator) vintage(i int, c ledger.RenewableClaim) {
	if c.VintageMonth != nil && (*c.VintageMonth < 1 || *c.VintageMonth > 12) {
		v.add(at("renewable_claims", i, "vintage_month"), "must be a month from 1 to 12; got %d", *c.VintageMonth)
		return
	}
	y := v.r.Period.Year
	if !v.since2026() || v.r.Period.IsZero() {
		if c.Vintage < 1990 || (!v.r.Period.IsZero() && c.Vintage > y) {
			v.add(at("renewable_claims", i, "vintage"), "must be a year from 1990 to %d; got %d", y, c.Vintage)
		}
		return
	}
	if c.VintageMonth == nil {
		switch {
		case c.Vintage == y:
		case c.Vintage == y-1 || c.Vintage == y+1:
			v.warn("vintage_month_missing", at("renewable_claims", i, "vintage"),
				"vintage %d is outside the reporting year %d and month not given: cannot confirm the window (July %d to March %d)",
				c.Vintage, y, y-1, y+1)
		default:
			v.add(at("renewable_claims", i, "vintage"), "must be within July %d to March %d (the reporting year %d, with 6 months before and 3 after); got %d",
				y-1, y+1, y, c.Vintage)
		}
		return
	}
	ym := c.Vintage*12 + *c.VintageMonth - 1
	from, to := (y-1)*12+7-1, (y+1)*12+3-1
	switch {
	case ym < from || ym > to:
		v.add(at("renewable_claims", i, "vintage_month"), "vintage %d-%02d is outside the window July %d to March %d for the reporting year %d",
			c.Vintage, *c.VintageMonth, y-1, y+1, y)
	case c.Vintage != y:
		v.warn("vintage_outside_year", at("renewable_claims", i, "vintage_month"),
			"vintage %d-%02d is outside the reporting year %d, within the window July %d to March %d", c.Vintage, *c.VintageMonth, y, y-1, y+1)
	}
}

// instrument warns about a claim the market-based method will not apply
// (G3): a ppa or green_tariff without certificate ids in a market the
// factor set does not mark as having no certificate system.
func (v *validator) instrument(i int, c ledger.RenewableClaim) {
	if v.c.Factors == nil || c.Grid == "" || v.c.Factors.InstrumentApplies(v.c.Factors.MethodologyOf(), c) {
		return
	}
	v.warn("instrument_not_applied", at("renewable_claims", i, "certificates"),
		"a %s without certificate ids counts only in a market without a certificate system, and factor set %s does not mark the market of grid %s so: the %s kWh are listed in instruments_not_applied and count for nothing in the market-based figure",
		c.Instrument, v.c.Factors.Version, c.Grid, c.KWh)
}

// certificates checks a claim's certificate ids: none empty, none twice
// in the return, and (from 2026.1) none claimed by another return of the
// ledger. ids maps a certificate key to the claim that has it. From
// 2026.1 the key is (registry, id); before, the id alone.
func (v *validator) certificates(i int, c ledger.RenewableClaim, ids map[string]int) {
	v2026 := v.since2026()
	for k, id := range c.Certificates {
		p := at("renewable_claims", i, "certificates") + "[" + strconv.Itoa(k) + "]"
		key := id
		if v2026 {
			key = ledger.CertificateKey(c.Registry, id)
		}
		switch j, dup := ids[key]; {
		case id == "":
			v.add(p, "must not be empty")
		case dup:
			v.add(p, "certificate %q is claimed twice (also renewable_claims[%d])", id, j)
		default:
			ids[key] = i
			if v2026 && v.c.ClaimedBy != nil {
				if other := v.c.ClaimedBy(c.Registry, id); other != "" {
					v.add(p, "certificate %q%s is already claimed by return %s: a certificate counts once in the ledger",
						id, registryNote(c.Registry), other)
				}
			}
		}
	}
}

// registryNote names a registry in a message, or nothing.
func registryNote(registry string) string {
	if registry == "" {
		return ""
	}
	return " of registry " + strconv.Quote(registry)
}
