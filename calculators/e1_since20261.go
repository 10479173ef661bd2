package calculators

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// E1Parts20261 are the additive quantities behind the E1 metrics that
// methodology 2026.1 adds (items G4 to G13), in the units their names
// give. Like E1Parts they are exact sums and products; SumE1 adds them.
// A Value that is null here was not filed (revenue, mobile traffic) or
// cannot be computed with the factor set (the generator estimate).
type E1Parts20261 struct {
	// GasKg is scope 1 in kg of each gas (G8): fossil co2, ch4 and n2o of
	// combustion and each Kyoto refrigerant lost.
	GasKg map[string]Value `json:"gas_kg"`
	// GasGroupKgCO2e is scope 1 in kgCO2e by the groups of the GHG
	// Protocol Corporate Standard ch. 9 (G8).
	GasGroupKgCO2e map[string]Value `json:"gas_group_kgco2e"`
	// ODSLeakedKgCFC11e is the refrigerants lost x their ODP (G7).
	ODSLeakedKgCFC11e Value `json:"ods_leaked_kg_cfc11e"`
	// ODSImportedKgCFC11e is ods_imported_kg x ODP; null when no row
	// gives ods_imported_kg (G7).
	ODSImportedKgCFC11e Value `json:"ods_imported_kg_cfc11e"`
	// RevenueMUSD is the revenue filed (a flow); null when not filed (G9).
	RevenueMUSD Value `json:"revenue_musd"`
	// MobileTrafficTB is traffic over the RAN; null when not filed (G10).
	MobileTrafficTB Value `json:"mobile_traffic_tb"`
	// RANElectricityKWh is electricity of the ran domain: purchased,
	// on-site renewable and generator output (G10).
	RANElectricityKWh Value `json:"ran_electricity_kwh"`
	// NetworkFuelKgCO2e is scope 1 of fuels burnt in network domains,
	// and NetworkScope2LocationKg and NetworkScope2MarketKg the scope 2
	// of their electricity (G10).
	NetworkFuelKgCO2e       Value `json:"network_fuel_kgco2e"`
	NetworkScope2LocationKg Value `json:"network_scope2_location_kg"`
	NetworkScope2MarketKg   Value `json:"network_scope2_market_kg"`
	// OnsiteSoldKWh is on-site renewable electricity whose certificates
	// were sold (G13): consumed, not renewable for the operator.
	OnsiteSoldKWh Value `json:"onsite_sold_kwh"`
	// SitesWithoutGeneratorOutput counts site rows burning diesel without
	// generator_kwh, DieselWithoutGeneratorL their litres and
	// EstimatedGeneratorKWh litres x the set's genset_kwh_per_l, null
	// when the set has none (G4).
	SitesWithoutGeneratorOutput int64 `json:"sites_without_generator_output"`
	DieselWithoutGeneratorL     Value `json:"diesel_without_generator_l"`
	EstimatedGeneratorKWh       Value `json:"estimated_generator_kwh"`
	// EnergyByQualityGJ is energy by the rows' quality (G12): metered,
	// invoiced, estimated, proxy and unspecified.
	EnergyByQualityGJ map[string]Value `json:"energy_by_quality_gj"`
}

// Scope 1 gas groups of the GHG Protocol Corporate Standard, ch. 9 (G8).
const (
	GasGroupHFCs = "hfcs"
	GasGroupPFCs = "pfcs"
)

// Scope1GasGroups returns the keys of scope1_by_gas_tco2e, always all
// present: the seven Kyoto gases and groups.
func Scope1GasGroups() []string {
	return []string{"co2", "ch4", "n2o", GasGroupHFCs, GasGroupPFCs, "sf6", "nf3"}
}

// gasGroup is the scope 1 group of a gas: co2, ch4, n2o, sf6 and nf3
// are their own; the refrigerants a return may file are otherwise HFCs
// or blends of HFCs (R-410A, R-407C, R-404A). No PFC can be filed yet,
// so that group is always zero.
func gasGroup(gas string) string {
	switch gas {
	case "co2", "ch4", "n2o", "sf6", "nf3":
		return gas
	}
	return GasGroupHFCs
}

// dataQualityKeys are the keys of EnergyByQualityGJ.
func dataQualityKeys() []string {
	return append(append([]string{}, ledger.DataQualities...), "unspecified")
}

// newE1Parts20261 returns the parts with every additive value at zero.
func newE1Parts20261() *E1Parts20261 {
	p := &E1Parts20261{
		GasKg: map[string]Value{}, GasGroupKgCO2e: map[string]Value{}, EnergyByQualityGJ: map[string]Value{},
		ODSLeakedKgCFC11e: Some(decimal.Zero), RANElectricityKWh: Some(decimal.Zero),
		NetworkFuelKgCO2e: Some(decimal.Zero), NetworkScope2LocationKg: Some(decimal.Zero),
		NetworkScope2MarketKg: Some(decimal.Zero), OnsiteSoldKWh: Some(decimal.Zero),
		DieselWithoutGeneratorL: Some(decimal.Zero), EstimatedGeneratorKWh: Some(decimal.Zero),
	}
	for _, g := range []string{"co2", "ch4", "n2o"} {
		p.GasKg[g] = Some(decimal.Zero)
	}
	for _, g := range Scope1GasGroups() {
		p.GasGroupKgCO2e[g] = Some(decimal.Zero)
	}
	for _, q := range dataQualityKeys() {
		p.EnergyByQualityGJ[q] = Some(decimal.Zero)
	}
	return p
}

// plus adds two parts: a value that may be null (revenue, mobile
// traffic, the generator estimate, imports) is available only when both
// are.
func (p *E1Parts20261) plus(o *E1Parts20261) *E1Parts20261 {
	both := func(a, b Value) Value {
		if !a.OK || !b.OK {
			return None
		}
		return Some(a.D.Add(b.D))
	}
	addMap := func(a, b map[string]Value) map[string]Value {
		m := map[string]Value{}
		for k, v := range a {
			m[k] = v
		}
		for k, v := range b {
			m[k] = e1Add(m[k], v.D)
		}
		return m
	}
	return &E1Parts20261{
		GasKg:                       addMap(p.GasKg, o.GasKg),
		GasGroupKgCO2e:              addMap(p.GasGroupKgCO2e, o.GasGroupKgCO2e),
		ODSLeakedKgCFC11e:           both(p.ODSLeakedKgCFC11e, o.ODSLeakedKgCFC11e),
		ODSImportedKgCFC11e:         both(p.ODSImportedKgCFC11e, o.ODSImportedKgCFC11e),
		RevenueMUSD:                 both(p.RevenueMUSD, o.RevenueMUSD),
		MobileTrafficTB:             both(p.MobileTrafficTB, o.MobileTrafficTB),
		RANElectricityKWh:           both(p.RANElectricityKWh, o.RANElectricityKWh),
		NetworkFuelKgCO2e:           both(p.NetworkFuelKgCO2e, o.NetworkFuelKgCO2e),
		NetworkScope2LocationKg:     both(p.NetworkScope2LocationKg, o.NetworkScope2LocationKg),
		NetworkScope2MarketKg:       both(p.NetworkScope2MarketKg, o.NetworkScope2MarketKg),
		OnsiteSoldKWh:               both(p.OnsiteSoldKWh, o.OnsiteSoldKWh),
		SitesWithoutGeneratorOutput: p.SitesWithoutGeneratorOutput + o.SitesWithoutGeneratorOutput,
		DieselWithoutGeneratorL:     both(p.DieselWithoutGeneratorL, o.DieselWithoutGeneratorL),
		EstimatedGeneratorKWh:       both(p.EstimatedGeneratorKWh, o.EstimatedGeneratorKWh),
		EnergyByQualityGJ:           addMap(p.EnergyByQualityGJ, o.EnergyByQualityGJ),
	}
}

// gridScope2 is one purchasing grid's scope 2 as scope2 computed it.
type gridScope2 struct {
	KWh            decimal.Decimal // purchased
	LocationFactor decimal.Decimal // kgCO2e/kWh
	MarketKg       decimal.Decimal // after the claims
}

// byGrid records one grid's scope 2.
func (res *scope2Result) byGrid(g string, s gridScope2) {
	if res.ByGrid == nil {
		res.ByGrid = map[string]gridScope2{}
	}
	res.ByGrid[g] = s
}

// e1Since20261 is the state ComputeE1 keeps for the 2026.1 metrics; nil
// under 2025.1, so that nothing of it runs there.
type e1Since20261 struct {
	p *E1Parts20261
	// domKWh is purchased kWh per grid (as filed) and domain.
	domKWh map[string]map[string]decimal.Decimal
	// sold are the on-site rows whose certificates were sold (G13).
	sold []e1SoldRow
	// dcRows are the data-centre rows, for CUE's market-based numerator.
	dcRows []e1DCRow
	// siteQuality sums the site rows' quantities per quality (G12).
	siteQuality map[string]*e1SiteSums
	// importsFiled is true when some refrigerant row gives ods_imported_kg.
	importsFiled bool
	// notes per metric key, for the derivations.
	notes map[string][]string
}

// e1SoldRow is an on-site row whose certificates were sold.
type e1SoldRow struct {
	path, grid, domain string
	kwh                decimal.Decimal
}

// e1DCRow is one data-centre row's grid purchase and generator CO2e.
type e1DCRow struct {
	id, grid       string
	gridKWh, genKg decimal.Decimal
}

// start20261 sets up the 2026.1 state when the request computes under
// 2026.1 or later.
func (c *e1Compute) start20261() {
	c.e.methodology = c.req.Methodology
	if !c.req.since(ledger.Methodology20261) {
		return
	}
	c.v26 = &e1Since20261{p: newE1Parts20261(), domKWh: map[string]map[string]decimal.Decimal{},
		siteQuality: map[string]*e1SiteSums{}, notes: map[string][]string{}}
	c.e.Parts.Since20261 = c.v26.p
	if b := c.r.Boundary; b != nil {
		bb := *b
		c.e.Boundary = &bb
	}
}

// note records a note for a 2026.1 metric's derivation.
func (s *e1Since20261) note(metric, format string, args ...any) {
	s.notes[metric] = append(s.notes[metric], fmt.Sprintf(format, args...))
}

// bought records kwh purchased on grid g by domain.
func (s *e1Since20261) bought(g, domain string, kwh decimal.Decimal) {
	m := s.domKWh[g]
	if m == nil {
		m = map[string]decimal.Decimal{}
		s.domKWh[g] = m
	}
	m[domain] = m[domain].Add(kwh)
	s.ranKWh(domain, kwh)
}

// ranKWh adds electricity of a row to the RAN's when its domain is ran.
func (s *e1Since20261) ranKWh(domain string, kwh decimal.Decimal) {
	if domain == "ran" {
		s.p.RANElectricityKWh = e1Add(s.p.RANElectricityKWh, kwh)
	}
}

// energyQuality adds gj of a row of the given quality (G12).
func (s *e1Since20261) energyQuality(quality string, gj decimal.Decimal) {
	if quality == "" {
		quality = "unspecified"
	}
	s.p.EnergyByQualityGJ[quality] = e1Add(s.p.EnergyByQualityGJ[quality], gj)
}

// onsite records an on-site renewable row (G10, G12, G13).
func (s *e1Since20261) onsite(row ledger.OnsiteRenewable, path string) {
	s.ranKWh(row.Domain, row.KWh)
	s.energyQuality("", row.KWh.Mul(e1GJPerKWh))
	if row.CertificatesSold {
		s.p.OnsiteSoldKWh = e1Add(s.p.OnsiteSoldKWh, row.KWh)
		s.sold = append(s.sold, e1SoldRow{path: path, grid: row.Grid, domain: row.Domain, kwh: row.KWh})
	}
}

// burnt records one combustion by gas and group (G8) and, for a network
// domain, in the network's scope 1 (G10).
func (s *e1Since20261) burnt(domain string, b combustion, g gwpSet) {
	p := s.p
	for _, x := range []struct {
		gas    string
		kg, gw decimal.Decimal
	}{{"co2", b.CO2Kg, g.CO2}, {"ch4", b.CH4Kg, g.CH4}, {"n2o", b.N2OKg, g.N2O}} {
		p.GasKg[x.gas] = e1Add(p.GasKg[x.gas], x.kg)
		p.GasGroupKgCO2e[x.gas] = e1Add(p.GasGroupKgCO2e[x.gas], x.kg.Mul(x.gw))
	}
	if ledger.OneOf(domain, ledger.NetworkDomains) {
		p.NetworkFuelKgCO2e = e1Add(p.NetworkFuelKgCO2e, b.co2eKg(g))
	}
}

// fuelQuantity is a fuel row's quantity on a net calorific basis: a
// row filed with basis gcv (G5) is divided by the set's gcv_per_ncv of
// the fuel, at DivPrecision (24) places. ok is false, with the error
// recorded, when the set has no ratio for the fuel.
func (c *e1Compute) fuelQuantity(row ledger.Fuel, path string) (decimal.Decimal, bool) {
	if row.Basis != "gcv" {
		return row.Quantity, true
	}
	ff, known := c.fs.Fuels[row.Fuel]
	if !known {
		return row.Quantity, true // burn reports the unknown fuel
	}
	if ff.GCVPerNCV == nil {
		c.errf(path+".basis", "factor set %s has no gcv_per_ncv for %s: a gross calorific quantity cannot be converted", c.fs.Version, row.Fuel)
		return decimal.Zero, false
	}
	ncv := Div(row.Quantity, *ff.GCVPerNCV)
	c.energylog.use("fuel."+row.Fuel+".gcv_per_ncv", *ff.GCVPerNCV, "", "fuels")
	c.refs.Notes = append(c.refs.Notes, fmt.Sprintf(
		"%s: %s %s gross calorific value / gcv_per_ncv %s = %s %s net (methodology 2026.1 G5, %d places, half away from zero)",
		path, row.Quantity, row.Unit, *ff.GCVPerNCV, ncv, row.Unit, DivPrecision))
	return ncv, true
}

// fuelRow records a fuel row's energy by quality (G12) and its
// generator output in the RAN's electricity (G10).
func (s *e1Since20261) fuelRow(row ledger.Fuel, b combustion) {
	s.energyQuality(row.Quality, b.EnergyGJ)
	if row.GeneratedKWh != nil {
		s.ranKWh(row.Domain, *row.GeneratedKWh)
	}
}

// siteRow records one site row: its generator output in the
// electricity (G4), or the diesel burnt without one; its electricity in
// the RAN's (G10); its quantities under its quality (G12).
func (c *e1Compute) siteRow20261(st *ledger.Site) {
	s := c.v26
	p := &c.e.Parts
	if st.GeneratorKWh != nil {
		p.GeneratedKWh = e1Add(p.GeneratedKWh, *st.GeneratorKWh)
		s.ranKWh(st.Domain, *st.GeneratorKWh)
	} else if st.DieselL.Sign() > 0 {
		s.p.SitesWithoutGeneratorOutput++
		s.p.DieselWithoutGeneratorL = e1Add(s.p.DieselWithoutGeneratorL, st.DieselL)
	}
	s.ranKWh(st.Domain, st.SolarKWh.Add(st.WindKWh))
	q := st.Quality
	if q == "" {
		q = "unspecified"
	}
	sum := s.siteQuality[q]
	if sum == nil {
		sum = &e1SiteSums{}
		s.siteQuality[q] = sum
	}
	sum.grid = sum.grid.Add(st.GridKWh)
	sum.diesel = sum.diesel.Add(st.DieselL)
	sum.petrol = sum.petrol.Add(st.PetrolL)
	sum.lpg = sum.lpg.Add(st.LPGKg)
	sum.solar = sum.solar.Add(st.SolarKWh)
	sum.wind = sum.wind.Add(st.WindKWh)
}

// sitesDone turns the site sums per quality into energy (G12) and makes
// the generator estimate (G4) and its flag.
func (c *e1Compute) sitesDone20261() {
	s := c.v26
	for _, q := range e1Keys(s.siteQuality) {
		sum := s.siteQuality[q]
		gj := sum.grid.Add(sum.solar).Add(sum.wind).Mul(e1GJPerKWh)
		for _, f := range []struct {
			fuel, unit string
			qty        decimal.Decimal
		}{{"diesel", "l", sum.diesel}, {"petrol", "l", sum.petrol}, {"lpg", "kg", sum.lpg}} {
			if f.qty.IsZero() {
				continue
			}
			// The same burn as the site rows' own; its errors are reported there.
			if b, err := burn(c.fs, "sites", f.fuel, "stationary", f.qty, f.unit, nil, nil); err == nil {
				gj = gj.Add(b.EnergyGJ)
			}
		}
		s.energyQuality(q, gj)
	}
	n := s.p.SitesWithoutGeneratorOutput
	if n == 0 {
		return
	}
	const metric = "e1.renewable_electricity_share_estimated_pct"
	litres := s.p.DieselWithoutGeneratorL.D
	if k := c.fs.GensetKWhPerL; k != nil {
		s.p.EstimatedGeneratorKWh = Some(litres.Mul(*k))
		c.energylog.use("genset_kwh_per_l", *k, "kWh/l", "genset")
	} else {
		s.p.EstimatedGeneratorKWh = None
	}
	c.t.Flag(DataQuality{Code: DQGeneratorOutputNotFiled, Metric: "e1.renewable_electricity_share_pct",
		Message: fmt.Sprintf("%d site rows burn diesel (%s l) without generator_kwh: their generator output is not in electricity_total_mwh; %s",
			n, litres, estimateSaid(c.fs))})
	s.note(metric, "%d site rows burn %s l of diesel without generator_kwh", n, litres)
}

// estimateSaid says what the generator estimate does with fs.
func estimateSaid(fs *ledger.FactorSet) string {
	if fs.GensetKWhPerL == nil {
		return "factor set " + fs.Version + " has no sourced genset_kwh_per_l, so renewable_electricity_share_estimated_pct is null"
	}
	return "renewable_electricity_share_estimated_pct adds litres x genset_kwh_per_l " + fs.GensetKWhPerL.String() + " to the denominator"
}

// DQGeneratorOutputNotFiled: diesel is burnt at sites without a
// generator output, so the renewable share's denominator misses it
// (methodology 2026.1 G4).
const DQGeneratorOutputNotFiled = "generator_output_not_filed"

// refrigerant records a refrigerant row by gas (G8, for a Kyoto gas
// whose CO2e is kg) and its ozone depletion (G7).
func (c *e1Compute) refrigerant20261(row ledger.Refrigerant, path string, kyoto bool, kg decimal.Decimal) {
	s := c.v26
	p := s.p
	if kyoto {
		p.GasKg[row.Gas] = e1Add(p.GasKg[row.Gas], row.KgLost)
		grp := gasGroup(row.Gas)
		p.GasGroupKgCO2e[grp] = e1Add(p.GasGroupKgCO2e[grp], kg)
	}
	odp, ods := c.fs.ODP[row.Gas]
	if row.ODSImportedKg != nil {
		if !ods {
			c.errf(path+".ods_imported_kg", "factor set %s gives %s no ODP: it is not an ozone-depleting gas", c.fs.Version, row.Gas)
			return
		}
		if !s.importsFiled {
			s.importsFiled = true
			p.ODSImportedKgCFC11e = Some(decimal.Zero)
		}
		v := row.ODSImportedKg.Mul(odp)
		p.ODSImportedKgCFC11e = e1Add(p.ODSImportedKgCFC11e, v)
		s.note("e1.ods_imported_kg_cfc11e", "%s: %s kg imported x ODP %s = %s kg CFC-11e", path, *row.ODSImportedKg, odp, v)
	}
	if ods {
		v := row.KgLost.Mul(odp)
		p.ODSLeakedKgCFC11e = e1Add(p.ODSLeakedKgCFC11e, v)
		s.note("e1.ods_leaked_kg_cfc11e", "%s: %s kg lost x ODP %s = %s kg CFC-11e", path, row.KgLost, odp, v)
	}
}

// dataCentre20261 fills the G11 parts of one data-centre row: grid_kwh
// (total_kwh when not filed), the CO2e of its generators' diesel_l and
// the location-based CUE numerator grid_kwh x grid factor + generator
// CO2e. The market-based numerator waits for scope 2 (after20261).
func (c *e1Compute) dataCentre20261(row ledger.DataCentre, path string, gc gridChoice, dc *DataCentreParts, flog *e1FactorLog) {
	gridKWh := row.TotalKWh
	if row.GridKWh != nil {
		gridKWh = *row.GridKWh
	} else {
		c.v26.dcNote(row.ID, "%s: grid_kwh not filed; total_kwh %s is taken as bought from the grid", path, row.TotalKWh)
	}
	var genKg decimal.Decimal
	if row.DieselL != nil && row.DieselL.Sign() > 0 {
		b, err := burn(c.fs, path+".diesel_l", "diesel", "stationary", *row.DieselL, "l", flog, flog)
		if err != nil {
			c.keep(err)
			return
		}
		flog.logGWP(c.gwp)
		genKg = b.co2eKg(c.gwp)
		c.v26.dcNote(row.ID, "%s: generators burnt %s l of diesel: %s kgCO2e", path, *row.DieselL, genKg)
	}
	loc := gridKWh.Mul(gc.Value).Add(genKg)
	c.v26.dcNote(row.ID, "%s: %s kWh from grid %s x %s kgCO2e/kWh (%s) + %s kg generators = %s kg",
		path, gridKWh, row.Grid, gc.Value, gc.basisNote(), genKg, loc)
	dc.EmissionsKgCO2e = Some(loc)
	dc.GridKWh = Some(gridKWh)
	dc.GeneratorKgCO2e = Some(genKg)
	c.v26.dcRows = append(c.v26.dcRows, e1DCRow{id: row.ID, grid: row.Grid, gridKWh: gridKWh, genKg: genKg})
}

// dcNote records a note for a facility's location-based CUE, which is
// both cue and cue_location.
func (s *e1Since20261) dcNote(id, format string, args ...any) {
	for _, k := range []string{"cue", "cue_location"} {
		s.note("e1.data_centres."+id+"."+k, format, args...)
	}
}

// activity20261 takes the v1.1 activity fields (G9, G10).
func (c *e1Compute) activity20261() {
	a := c.r.Activity
	p := c.v26.p
	if a.RevenueMUSD != nil {
		p.RevenueMUSD = Some(*a.RevenueMUSD)
	}
	if a.MobileTrafficTB != nil {
		p.MobileTrafficTB = Some(*a.MobileTrafficTB)
	}
}

// marketKg is the market-based kg of kwh bought by domain on grid g:
// at the rate the G3 allocation left the domain's rows on that grid
// (scope2Result.marketRate); for a domain with no purchases there, at
// the grid's market-based rate over all its rows; on a grid without
// purchases (no claims cover it), at its residual mix, or the grid
// average where the set has none.
func (c *e1Compute) marketKg(s2 scope2Result, g, domain string, kwh decimal.Decimal) (decimal.Decimal, string) {
	if rate, ok := s2.marketRate(c.fs, domain, g); ok {
		return kwh.Mul(rate), fmt.Sprintf("the %s rows' market-based rate on grid %s after the claims, %s kgCO2e/kWh", domain, g, rate)
	}
	if u, ok := s2.ByGrid[g]; ok && u.KWh.Sign() > 0 {
		rate := Div(u.MarketKg, u.KWh)
		return kwh.Mul(rate), fmt.Sprintf("grid %s market-based rate %s kg / %s kWh = %s kgCO2e/kWh", g, u.MarketKg, u.KWh, rate)
	}
	return c.residualKg(g, kwh)
}

// residualKg is kwh valued at grid g's residual mix, or at its
// location factor where the set has no residual mix, with a note.
func (c *e1Compute) residualKg(g string, kwh decimal.Decimal) (decimal.Decimal, string) {
	if k, rm, ok := residualMixOf(c.req, g); ok {
		return kwh.Mul(rm.Factor()), fmt.Sprintf("residual mix %s %s kgCO2e/kWh", k, rm.Factor())
	}
	if gc, ok := chooseGridFactor(c.req, g, c.r.Period, ""); ok {
		return kwh.Mul(gc.Value), fmt.Sprintf("no residual mix for %s in %s: grid factor %s kgCO2e/kWh", g, c.fs.Version, gc.Value)
	}
	c.errf("", "grid %q is not in factor set %s", g, c.fs.Version)
	return decimal.Zero, ""
}

// locationBasis is the basis note of grid g's location-based factor
// (gridChoice.basisNote), "" when the set lacks the grid.
func (c *e1Compute) locationBasis(g string) string {
	gc, ok := chooseGridFactor(c.req, g, c.r.Period, "")
	if !ok {
		return ""
	}
	return gc.basisNote()
}

// after20261 completes the 2026.1 parts that need scope 2: on-site
// electricity whose certificates were sold is valued at the residual
// mix in the market-based figure (G13); the network domains' scope 2
// (G10); and the data centres' market-based CUE numerators (G11).
func (c *e1Compute) after20261(s2 *scope2Result) {
	s := c.v26
	for _, r := range s.sold {
		kg, how := c.residualKg(r.grid, r.kwh)
		s2.MarketKg = s2.MarketKg.Add(kg)
		s2.MarketNotes = append(s2.MarketNotes, fmt.Sprintf(
			"%s: %s kWh generated on site with its certificates sold (methodology 2026.1 G13) x %s = %s kg", r.path, r.kwh, how, kg))
		if ledger.OneOf(r.domain, ledger.NetworkDomains) {
			s.p.NetworkScope2MarketKg = e1Add(s.p.NetworkScope2MarketKg, kg)
		}
	}
	const tb = "e1.emissions_per_tb_kgco2e"
	for _, g := range e1Keys(s.domKWh) {
		for _, d := range e1Keys(s.domKWh[g]) {
			kwh := s.domKWh[g][d]
			if !ledger.OneOf(d, ledger.NetworkDomains) || kwh.IsZero() {
				continue
			}
			loc := kwh.Mul(s2.ByGrid[g].LocationFactor)
			mkt, how := c.marketKg(*s2, g, d, kwh)
			s.p.NetworkScope2LocationKg = e1Add(s.p.NetworkScope2LocationKg, loc)
			s.p.NetworkScope2MarketKg = e1Add(s.p.NetworkScope2MarketKg, mkt)
			s.note(tb, "grid %s, domain %s: %s kWh; location %s kg (%s); market %s kg (%s)", g, d, kwh, loc, c.locationBasis(g), mkt, how)
		}
	}
	for _, r := range s.dcRows {
		kg, how := c.marketKg(*s2, r.grid, "data_centre", r.gridKWh)
		kg = kg.Add(r.genKg)
		s.note("e1.data_centres."+r.id+".cue_market", "%s kWh from grid %s x %s + %s kg generators = %s kg", r.gridKWh, r.grid, how, r.genKg, kg)
		for i := range c.e.Parts.DataCentres {
			if dc := &c.e.Parts.DataCentres[i]; dc.ID == r.id {
				dc.MarketKgCO2e = e1Add(dc.MarketKgCO2e, kg)
			}
		}
	}
}
