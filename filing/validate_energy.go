package filing

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// fuelUnits are the units each fuel may be given in. Liquids are measured
// in litres or kg, natural gas in m3 or kg (the factor set carries the
// density of each); energy units (gj, kwh, net calorific basis) suit
// every fuel but the blend, whose bio share is a share of volume.
var fuelUnits = map[string][]string{
	"diesel":          {"l", "kg", "gj", "kwh"},
	"petrol":          {"l", "kg", "gj", "kwh"},
	"lpg":             {"l", "kg", "gj", "kwh"},
	"natural_gas":     {"m3", "kg", "gj", "kwh"},
	"biodiesel_blend": {"l"},
}

var (
	one     = decimal.NewFromInt(1)
	hundred = decimal.NewFromInt(100)
	// gjPerMWh converts energy: 1 MWh = 3.6 GJ.
	gjPerMWh = decimal.RequireFromString("3.6")
)

// sites checks the site rows and adds their energy to the per-grid
// purchased electricity and the data-centre domain energy.
func (v *validator) sites() {
	if len(v.r.Sites) == 0 {
		return
	}
	ids := make(map[string]int, len(v.r.Sites))
	for i := range v.r.Sites {
		s := &v.r.Sites[i]
		if s.SiteID == "" {
			v.add(at("sites", i, "site_id"), "is required")
		} else if j, dup := ids[s.SiteID]; dup {
			v.add(at("sites", i, "site_id"), "duplicate site_id %q (also sites[%d])", s.SiteID, j)
		} else {
			ids[s.SiteID] = i
		}
		v.knownGrid(s.Grid, func() string { return at("sites", i, "grid") })
		if s.Offgrid && s.GridKWh.Sign() > 0 {
			v.add(at("sites", i, "grid_kwh"), "must be 0 for an offgrid site; got %s", s.GridKWh)
		}
		if s.GridKWh.Sign() != 0 {
			v.purchased[s.Grid] = v.purchased[s.Grid].Add(s.GridKWh)
		} else if _, ok := v.purchased[s.Grid]; !ok && !s.Offgrid {
			v.purchased[s.Grid] = decimal.Zero
		}
		if s.Domain == "data_centre" {
			e := s.GridKWh.Add(s.SolarKWh).Add(s.WindKWh)
			e = e.Add(v.fuelKWh("diesel", "l", s.DieselL, nil))
			e = e.Add(v.fuelKWh("petrol", "l", s.PetrolL, nil))
			e = e.Add(v.fuelKWh("lpg", "kg", s.LPGKg, nil))
			v.dcEnergy = v.dcEnergy.Add(e)
		}
	}
}

func (v *validator) electricity() {
	for i, e := range v.r.Electricity {
		v.knownGrid(e.Grid, func() string { return at("electricity", i, "grid") })
		v.purchased[e.Grid] = v.purchased[e.Grid].Add(e.KWh)
		if e.Domain == "data_centre" {
			v.dcEnergy = v.dcEnergy.Add(e.KWh)
		}
	}
}

func (v *validator) fuels() {
	for i, f := range v.r.Fuels {
		if units, ok := fuelUnits[f.Fuel]; ok && ledger.OneOf(f.Unit, ledger.FuelUnits) && !ledger.OneOf(f.Unit, units) {
			v.add(at("fuels", i, "unit"), "%s must be given in %s; got %s", f.Fuel, strings.Join(units, ", "), f.Unit)
		}
		switch {
		case f.Fuel == "biodiesel_blend" && f.BioShare == nil:
			v.add(at("fuels", i, "bio_share"), "is required for biodiesel_blend (the volume share of biodiesel, 0 to 1)")
		case f.Fuel == "biodiesel_blend" && (f.BioShare.Sign() < 0 || f.BioShare.Cmp(one) > 0):
			v.add(at("fuels", i, "bio_share"), "must be from 0 to 1; got %s", f.BioShare)
		case f.Fuel != "biodiesel_blend" && f.BioShare != nil:
			v.add(at("fuels", i, "bio_share"), "is only for biodiesel_blend, not %s", f.Fuel)
		}
		if f.GeneratedKWh != nil && f.Use != "stationary" {
			v.add(at("fuels", i, "generated_kwh"), "is only for stationary use, not %s", f.Use)
		}
		v.fuelBasis(f, i)
		if f.Domain == "data_centre" {
			v.dcEnergy = v.dcEnergy.Add(v.fuelKWh(f.Fuel, f.Unit, f.Quantity, f.BioShare))
		}
	}
}

// fuelBasis checks a fuel row's calorific basis (return v1.1,
// methodology 2026.1 G5): gcv only on energy quantities (kwh, gj), and
// only for a fuel whose GCV/NCV ratio the factor set gives, since the
// metrics divide by it.
func (v *validator) fuelBasis(f ledger.Fuel, i int) {
	if f.Basis == "" {
		return
	}
	if f.Basis != "gcv" { // the description checks the value
		return
	}
	if f.Unit != "kwh" && f.Unit != "gj" {
		v.add(at("fuels", i, "basis"), "gcv is only for quantities in kwh or gj; got unit %s (masses and volumes use the factor set's NCV)", f.Unit)
		return
	}
	if v.c.Factors == nil {
		return
	}
	if ff, ok := v.c.Factors.Fuels[f.Fuel]; ok && ff.GCVPerNCV == nil {
		v.add(at("fuels", i, "basis"), "factor set %s has no gcv_per_ncv for %s: file the quantity on a net calorific basis", v.c.Factors.Version, f.Fuel)
	}
}

// fuelKWh is the energy of a fuel quantity in kWh (net calorific basis)
// by the factor set, zero when it cannot be computed. It only feeds the
// data-centre warning; metrics are computed in calculators.
func (v *validator) fuelKWh(fuel, unit string, q decimal.Decimal, bioShare *decimal.Decimal) decimal.Decimal {
	if q.Sign() <= 0 {
		return decimal.Zero
	}
	switch unit {
	case "kwh":
		return q
	case "gj":
		return q.Mul(decimal.NewFromInt(1000)).DivRound(gjPerMWh, 9)
	}
	if v.c.Factors == nil {
		return decimal.Zero
	}
	if fuel == "biodiesel_blend" {
		b := ledger.OrZero(bioShare)
		return v.fuelKWh("diesel", unit, q.Mul(one.Sub(b)), nil).Add(v.fuelKWh("biodiesel", unit, q.Mul(b), nil))
	}
	ff, ok := v.c.Factors.Fuels[fuel]
	if !ok {
		return decimal.Zero
	}
	kg := q
	switch unit {
	case "l":
		if ff.DensityKgPerL == nil {
			return decimal.Zero
		}
		kg = q.Mul(*ff.DensityKgPerL)
	case "m3":
		if ff.DensityKgPerM3 == nil {
			return decimal.Zero
		}
		kg = q.Mul(*ff.DensityKgPerM3)
	}
	// kg x GJ/t / 1000 = GJ; GJ / 3.6 = MWh; x 1000 = kWh: kg x NCV / 3.6.
	return kg.Mul(ff.NCVGJPerT).DivRound(gjPerMWh, 9)
}

// onsite adds the on-site renewables to the data-centre domain energy.
func (v *validator) onsite() {
	for i, o := range v.r.OnsiteRenewables {
		if o.CertificatesSold && o.Grid == "" {
			v.add(at("onsite_renewables", i, "grid"), "is required with certificates_sold: the electricity is valued at that grid's residual mix")
		} else if o.Grid != "" {
			v.knownGrid(o.Grid, func() string { return at("onsite_renewables", i, "grid") })
		}
		if o.Domain == "data_centre" {
			v.dcEnergy = v.dcEnergy.Add(o.KWh)
		}
	}
}

// claims checks the renewable claims against the purchased electricity
// of their grids. Run after sites and electricity.
func (v *validator) claims() {
	claimed := map[string]decimal.Decimal{}
	certs := map[string]int{}
	var uncertified decimal.Decimal
	for i, c := range v.r.RenewableClaims {
		if c.Instrument == "eac" && len(c.Certificates) == 0 {
			v.add(at("renewable_claims", i, "certificates"), "is required for eac: the ids of the certificates retired for this consumption")
		}
		v.certificates(i, c, certs)
		v.vintage(i, c)
		v.instrument(i, c)
		if c.Grid == "" {
			v.add(at("renewable_claims", i, "grid"), "is required")
			continue
		}
		m := v.market(c.Grid)
		bought, ok := v.purchasedIn(m)
		switch {
		case !ok && m != c.Grid:
			v.add(at("renewable_claims", i, "grid"), "no electricity is purchased in market %s (grid %q): a claim needs electricity rows of its market", m, c.Grid)
			continue
		case !ok:
			v.add(at("renewable_claims", i, "grid"), "no electricity is purchased in grid %q: a claim needs electricity rows of its grid", c.Grid)
			continue
		}
		before := claimed[m]
		now := before.Add(c.KWh)
		claimed[m] = now
		if len(c.Certificates) == 0 {
			uncertified = uncertified.Add(c.KWh)
		}
		if now.Cmp(bought) > 0 && before.Cmp(bought) <= 0 {
			v.add(at("renewable_claims", i, "kwh"), "claims for grid %s total %s kWh, above the %s kWh of electricity purchased in %s", m, v.claimTotal(m), bought, m)
		}
	}
	var purchased decimal.Decimal
	for _, q := range v.purchased {
		purchased = purchased.Add(q)
	}
	// Claims without certificates covering more than 90% of purchased
	// electricity. The uncertified claims are what is compared, so a
	// token certified claim next to them does not silence the warning.
	if purchased.Sign() > 0 && uncertified.Mul(decimal.NewFromInt(10)).Cmp(purchased.Mul(decimal.NewFromInt(9))) > 0 {
		v.warn("renewable_share_uncertified", "renewable_claims",
			"renewable claims without certificates cover %s%% of purchased electricity (%s of %s kWh), more than the 90%% allowed without certificates",
			uncertified.Mul(hundred).DivRound(purchased, 1), uncertified, purchased)
	}
}

// claimTotal sums all claims of a market (a grid before methodology
// 2026.1), for the message.
func (v *validator) claimTotal(market string) decimal.Decimal {
	var t decimal.Decimal
	for _, c := range v.r.RenewableClaims {
		if v.market(c.Grid) == market {
			t = t.Add(c.KWh)
		}
	}
	return t
}

// refrigerants holds ods_imported_kg to the ozone-depleting gases
// (methodology 2026.1 G7); the gas and the masses are checked by the
// return's description.
func (v *validator) refrigerants() {
	for i, g := range v.r.Refrigerants {
		if g.ODSImportedKg != nil {
			if _, ods := v.odp(g.Gas); !ods {
				v.add(at("refrigerants", i, "ods_imported_kg"), "is only for ozone-depleting gases (those with an ODP in the factor set); %s has none", g.Gas)
			}
		}
	}
}

func (v *validator) dataCentres() {
	ids := map[string]int{}
	var total decimal.Decimal
	for i, c := range v.r.DataCentres {
		if c.ID == "" {
			v.add(at("data_centres", i, "id"), "is required")
		} else if j, dup := ids[c.ID]; dup {
			v.add(at("data_centres", i, "id"), "duplicate data centre id %q (also data_centres[%d])", c.ID, j)
		} else {
			ids[c.ID] = i
		}
		v.knownGrid(c.Grid, func() string { return at("data_centres", i, "grid") })
		if c.ITKWh.Cmp(c.TotalKWh) > 0 {
			v.add(at("data_centres", i, "it_kwh"), "must be <= total_kwh (%s); got %s: a PUE below 1 is impossible", c.TotalKWh, c.ITKWh)
		}
		for _, f := range []struct {
			name string
			q    *decimal.Decimal
		}{{"renewable_kwh", c.RenewableKWh}, {"reused_kwh", c.ReusedKWh}} {
			if f.q != nil && f.q.Cmp(c.TotalKWh) > 0 {
				v.add(at("data_centres", i, f.name), "must be <= total_kwh (%s); got %s", c.TotalKWh, *f.q)
			}
		}
		if c.GridKWh != nil && c.GridKWh.Cmp(c.TotalKWh) > 0 {
			v.add(at("data_centres", i, "grid_kwh"), "must be <= total_kwh (%s); got %s", c.TotalKWh, *c.GridKWh)
		}
		total = total.Add(c.TotalKWh)
	}
	if len(v.r.DataCentres) > 0 && total.Cmp(v.dcEnergy) > 0 {
		v.warn("data_centre_energy_exceeds_domain", "data_centres",
			"the facilities' total_kwh add up to %s kWh, above the %s kWh of energy reported for domain data_centre",
			total, v.dcEnergy.Round(3))
	}
}

// odp is the ozone-depleting potential of gas in the factor set; without
// a factor set every gas is given the benefit of the doubt.
func (v *validator) odp(gas string) (decimal.Decimal, bool) {
	if v.c.Factors == nil {
		return decimal.Zero, true
	}
	d, ok := v.c.Factors.ODP[gas]
	return d, ok
}

// v11Return checks the return-level rules of return v1.1 (methodology
// 2026.1): mobile traffic is part of all traffic (G10). The values of
// the boundary (G14) and the signs are the description's to check.
func (v *validator) v11Return() {
	a := v.r.Activity
	if a.MobileTrafficTB != nil && a.DataTrafficTB != nil && a.MobileTrafficTB.Cmp(*a.DataTrafficTB) > 0 {
		v.add("activity.mobile_traffic_tb", "must be <= data_traffic_tb (%s), of which it is a part; got %s", *a.DataTrafficTB, *a.MobileTrafficTB)
	}
}
