package calculators

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// ComputeE1 computes the E1 metrics of req.Return with req.Factors and the
// GWP set req.GWP (the factor set's gwp_default when empty). It is pure and
// exact: sums and products of decimals, each MWh figure and ratio one
// division at DivPrecision places. The trace holds a derivation for every
// headline metric and the reason for every unavailable one.
//
// A grid, fuel, unit or gas the factor set cannot serve is an error with
// code ledger.EInvalid naming every offending path; nothing falls back
// silently. Site rows are summed per domain, grid and fuel before any
// factor is applied, so their count costs one pass of additions.
func ComputeE1(req Request) (*E1, *Trace, error) {
	if req.Return == nil {
		return nil, nil, ledger.Errorf(ledger.EInternal, "compute E1: no return")
	}
	if req.Factors == nil {
		return nil, nil, ledger.Errorf(ledger.EInternal, "compute E1: no factor set")
	}
	m, err := resolveMethodology(req)
	if err != nil {
		return nil, nil, err
	}
	req.Methodology = m
	fs := req.Factors
	set := req.GWP
	if set == "" {
		set = fs.GWPDefault
	}
	g, err := gwpOf(fs, set)
	if err != nil {
		return nil, nil, err
	}
	c := &e1Compute{
		req: req, fs: fs, gwp: g, r: req.Return, e: newE1(), t: &Trace{},
		grids: map[string]*gridUse{}, s1Kg: map[string]decimal.Decimal{},
		s1log: newE1FactorLog(fs), biolog: newE1FactorLog(fs), nklog: newE1FactorLog(fs),
		loclog: newE1FactorLog(fs), mktlog: newE1FactorLog(fs),
		energylog: newE1FactorLog(fs), netlog: newE1FactorLog(fs),
	}
	c.energylog.also = c.s1log
	c.netlog.also = c.energylog
	c.start20261()
	c.electricity()
	c.onsite()
	c.claims()
	c.fuels()
	c.sites()
	c.refrigerants()
	c.dataCentres()
	c.activity()
	s2, err := scope2(req, c.grids, c.loclog, c.mktlog, c.t)
	if err != nil {
		c.keep(err)
	}
	if c.v26 != nil && err == nil {
		c.after20261(&s2)
	}
	if len(c.errs) > 0 {
		return nil, nil, c.fail()
	}
	c.emissions(s2)
	c.refs.EnergyFactors = c.energylog.refs()
	c.refs.NetworkFactors = c.netlog.refs()
	if c.v26 != nil {
		c.refs.Notes20261 = c.v26.notes
	}
	c.e.finish(c.t, c.refs)
	return c.e, c.t, nil
}

// e1Compute is the state of one ComputeE1 call.
type e1Compute struct {
	req   Request // methodology resolved
	fs    *ledger.FactorSet
	gwp   gwpSet
	r     *ledger.Return
	e     *E1
	t     *Trace
	grids map[string]*gridUse
	refs  e1Refs
	errs  []ledger.FieldError

	// Emissions in kg, exact, and what the derivations need.
	s1Kg                                 map[string]decimal.Decimal
	bioKg, nonKyotoKg                    decimal.Decimal
	s1In, bioIn, nkIn, s2In              []InputRef
	s1Notes, bioNotes, nkNotes           []string
	s1log, biolog, nklog, loclog, mktlog *e1FactorLog
	energylog, netlog                    *e1FactorLog // density and NCV, all domains / network domains
	siteRows                             int
	dcs                                  map[string]*DataCentreParts
	v26                                  *e1Since20261 // nil under 2025.1
}

// errf records a problem with one field.
func (c *e1Compute) errf(path, format string, args ...any) {
	c.errs = append(c.errs, ledger.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

// fail is the one error for every problem found.
func (c *e1Compute) fail() error {
	return &ledger.Error{
		Code: ledger.EInvalid,
		Message: fmt.Sprintf("cannot compute E1 with factor set %s: %s: %s",
			c.fs.Version, c.errs[0].Path, c.errs[0].Message),
		Fields: c.errs,
	}
}

// keep records err (from the fuel helpers) as field errors.
func (c *e1Compute) keep(err error) {
	var e *ledger.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		c.errs = append(c.errs, e.Fields...)
		return
	}
	c.errf("", "%v", err)
}

// grid returns the use of grid g, created empty.
func (c *e1Compute) grid(g string) *gridUse {
	u := c.grids[g]
	if u == nil {
		u = &gridUse{}
		c.grids[g] = u
	}
	return u
}

// purchasing returns the grid's use for a row that buys electricity; path
// (the row's grid field) is kept for the error if the grid is unknown.
func (c *e1Compute) purchasing(g, path string) *gridUse {
	u := c.grid(g)
	u.HasPurchasing = true
	u.Paths = append(u.Paths, path)
	return u
}

// elog is the log for energy factors of a domain: they reach the energy
// (and, for network domains, network energy) and scope 1 derivations.
func (c *e1Compute) elog(domain string) *e1FactorLog {
	if ledger.OneOf(domain, ledger.NetworkDomains) {
		return c.netlog
	}
	return c.energylog
}

// energyRef records an energy input under its domain.
func (c *e1Compute) energyRef(in InputRef, domain string) {
	c.refs.Energy = append(c.refs.Energy, in)
	if ledger.OneOf(domain, ledger.NetworkDomains) {
		c.refs.Network = append(c.refs.Network, in)
	}
}

// electricity adds the purchased electricity rows.
func (c *e1Compute) electricity() {
	p := &c.e.Parts
	for i, row := range c.r.Electricity {
		path := fmt.Sprintf("electricity[%d]", i)
		u := c.purchasing(row.Grid, path+".grid")
		u.Rows = append(u.Rows, &s2Row{Path: path, Domain: row.Domain, Grid: row.Grid, Supplier: row.Supplier,
			KWh: row.KWh, Rate: row.SupplierKgCO2ePerKWh})
		in := InputRef{Path: path + ".kwh", Value: row.KWh.String(), Unit: "kWh"}
		if row.SupplierKgCO2ePerKWh != nil {
			u.SupplierKWh = u.SupplierKWh.Add(row.KWh)
			u.SupplierKg = u.SupplierKg.Add(row.KWh.Mul(*row.SupplierKgCO2ePerKWh))
			c.s2In = append(c.s2In, in, InputRef{Path: path + ".supplier_kgco2e_per_kwh",
				Value: row.SupplierKgCO2ePerKWh.String(), Unit: "kgCO2e/kWh"})
		} else {
			u.PlainKWh = u.PlainKWh.Add(row.KWh)
			c.s2In = append(c.s2In, in)
		}
		p.PurchasedKWh = e1Add(p.PurchasedKWh, row.KWh)
		p.addEnergyGJ(CarrierGrid, row.Domain, row.KWh.Mul(e1GJPerKWh))
		c.energyRef(in, row.Domain)
		c.refs.Electricity = append(c.refs.Electricity, in)
		c.refs.Purchased = append(c.refs.Purchased, in)
		if c.v26 != nil {
			c.v26.bought(row.Grid, row.Domain, row.KWh)
			c.v26.energyQuality(row.Quality, row.KWh.Mul(e1GJPerKWh))
		}
	}
}

// onsite adds the on-site renewable rows.
func (c *e1Compute) onsite() {
	p := &c.e.Parts
	for i, row := range c.r.OnsiteRenewables {
		in := InputRef{Path: fmt.Sprintf("onsite_renewables[%d].kwh", i), Value: row.KWh.String(), Unit: "kWh"}
		p.OnsiteRenewableKWh = e1Add(p.OnsiteRenewableKWh, row.KWh)
		p.addEnergyGJ(CarrierOnsiteRenewable, row.Domain, row.KWh.Mul(e1GJPerKWh))
		c.energyRef(in, row.Domain)
		c.refs.Electricity = append(c.refs.Electricity, in)
		c.refs.Renewable = append(c.refs.Renewable, in)
		if c.v26 != nil {
			c.v26.onsite(row, fmt.Sprintf("onsite_renewables[%d]", i))
		}
	}
}

// claims adds the renewable claims to their grids.
func (c *e1Compute) claims() {
	p := &c.e.Parts
	for i, row := range c.r.RenewableClaims {
		path := fmt.Sprintf("renewable_claims[%d]", i)
		in := InputRef{Path: path + ".kwh", Value: row.KWh.String(), Unit: "kWh"}
		if !c.claimApplies(path, row) {
			continue
		}
		u := c.grid(row.Grid)
		if row.Supplier != "" && c.req.since(ledger.Methodology20261) {
			u.supplierClaim(row.Supplier, row.KWh)
		} else {
			u.ClaimedKWh = u.ClaimedKWh.Add(row.KWh)
		}
		p.ClaimedKWh = e1Add(p.ClaimedKWh, row.KWh)
		c.refs.Renewable = append(c.refs.Renewable, in)
		c.refs.Claimed = append(c.refs.Claimed, in)
		c.s2In = append(c.s2In, in)
	}
}

// burnt adds one combustion to energy and emissions. what describes it
// for the notes, in is the input it came from.
func (c *e1Compute) burnt(fuel, use, domain, what string, in InputRef, b combustion) {
	p := &c.e.Parts
	p.addEnergyGJ(fuel, domain, b.EnergyGJ)
	c.energyRef(in, domain)
	source := SourceStationary
	if use == "mobile" {
		source = SourceMobile
	}
	kg := b.co2eKg(c.gwp)
	if c.v26 != nil {
		c.v26.burnt(domain, b, c.gwp)
	}
	c.s1Kg[source] = c.s1Kg[source].Add(kg)
	c.s1In = append(c.s1In, in)
	c.s1Notes = append(c.s1Notes, fmt.Sprintf(
		"%s (%s, %s, domain %s): %s GJ; fossil CO2 %s kg, CH4 %s kg, N2O %s kg -> %s kgCO2e (%s)",
		what, fuel, use, domain, b.EnergyGJ, b.CO2Kg, b.CH4Kg, b.N2OKg, kg, source))
	if b.BioGJ.Sign() != 0 || b.BioCO2Kg.Sign() != 0 {
		p.BioFuelEnergyGJ = e1Add(p.BioFuelEnergyGJ, b.BioGJ)
		c.bioKg = c.bioKg.Add(b.BioCO2Kg)
		c.bioIn = append(c.bioIn, in)
		c.bioNotes = append(c.bioNotes, fmt.Sprintf("%s: bio part %s GJ -> biogenic CO2 %s kg", what, b.BioGJ, b.BioCO2Kg))
		c.refs.Bio = append(c.refs.Bio, in)
	}
}

// fuels burns the fuel rows; generator output counts as electricity.
func (c *e1Compute) fuels() {
	p := &c.e.Parts
	for i, row := range c.r.Fuels {
		path := fmt.Sprintf("fuels[%d]", i)
		in := InputRef{Path: path + ".quantity", Value: row.Quantity.String(), Unit: row.Unit}
		qty, ok := c.fuelQuantity(row, path)
		if !ok {
			continue
		}
		b, err := burnFuel(c.fs, path, row.Fuel, row.Use, qty, row.Unit, row.BioShare, c.elog(row.Domain), c.s1log)
		if err != nil {
			c.keep(err)
			continue
		}
		c.burnt(row.Fuel, row.Use, row.Domain, path, in, b)
		if c.v26 != nil {
			c.v26.fuelRow(row, b)
		}
		if row.Fuel == "biodiesel_blend" {
			// Burn the bio part again only to log its factors for the
			// biogenic derivation; it succeeded above.
			_, _ = burn(c.fs, path, "biodiesel", row.Use, row.Quantity.Mul(*row.BioShare), row.Unit, c.biolog, c.biolog)
			c.bioIn = append(c.bioIn, InputRef{Path: path + ".bio_share", Value: row.BioShare.String()})
		}
		if row.GeneratedKWh != nil {
			gin := InputRef{Path: path + ".generated_kwh", Value: row.GeneratedKWh.String(), Unit: "kWh"}
			p.GeneratedKWh = e1Add(p.GeneratedKWh, *row.GeneratedKWh)
			c.refs.Electricity = append(c.refs.Electricity, gin)
		}
	}
}

// e1SiteSums are site rows summed per domain.
type e1SiteSums struct {
	diesel, petrol, lpg, solar, wind decimal.Decimal
	grid                             decimal.Decimal // per quality only (methodology 2026.1 G12)
}

// sites sums the site rows per (domain, grid) and per domain, then applies
// factors to the sums. Sums of exact decimals are exact, so this equals
// computing row by row.
func (c *e1Compute) sites() {
	rows := c.r.Sites
	c.siteRows = len(rows)
	if len(rows) == 0 {
		return
	}
	type dg struct{ domain, grid string }
	gridKWh := map[dg]decimal.Decimal{}
	first := map[dg]int{}
	byDomain := map[string]*e1SiteSums{}
	for i := range rows {
		s := &rows[i]
		k := dg{s.Domain, s.Grid}
		if _, ok := first[k]; !ok {
			first[k] = i
		}
		if !s.GridKWh.IsZero() {
			gridKWh[k] = gridKWh[k].Add(s.GridKWh)
		}
		d := byDomain[s.Domain]
		if d == nil {
			d = &e1SiteSums{}
			byDomain[s.Domain] = d
		}
		if !s.DieselL.IsZero() {
			d.diesel = d.diesel.Add(s.DieselL)
		}
		if !s.PetrolL.IsZero() {
			d.petrol = d.petrol.Add(s.PetrolL)
		}
		if !s.LPGKg.IsZero() {
			d.lpg = d.lpg.Add(s.LPGKg)
		}
		if !s.SolarKWh.IsZero() {
			d.solar = d.solar.Add(s.SolarKWh)
		}
		if !s.WindKWh.IsZero() {
			d.wind = d.wind.Add(s.WindKWh)
		}
		if c.v26 != nil {
			c.siteRow20261(s)
		}
	}
	if c.v26 != nil {
		c.sitesDone20261()
	}
	p := &c.e.Parts
	keys := make([]dg, 0, len(gridKWh))
	for k := range gridKWh {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].domain != keys[j].domain {
			return keys[i].domain < keys[j].domain
		}
		return keys[i].grid < keys[j].grid
	})
	n := len(rows)
	for _, k := range keys {
		kwh := gridKWh[k]
		in := InputRef{Path: fmt.Sprintf("sites[?(@.domain=='%s' && @.grid=='%s')].grid_kwh", k.domain, k.grid),
			Value: kwh.String(), Unit: "kWh"}
		u := c.purchasing(k.grid, fmt.Sprintf("sites[%d].grid", first[k]))
		u.PlainKWh = u.PlainKWh.Add(kwh)
		if c.v26 != nil {
			c.v26.bought(k.grid, k.domain, kwh)
		}
		u.Rows = append(u.Rows, &s2Row{Path: in.Path, Domain: k.domain, Grid: k.grid, KWh: kwh})
		p.PurchasedKWh = e1Add(p.PurchasedKWh, kwh)
		p.addEnergyGJ(CarrierGrid, k.domain, kwh.Mul(e1GJPerKWh))
		c.energyRef(in, k.domain)
		c.refs.Electricity = append(c.refs.Electricity, in)
		c.refs.Purchased = append(c.refs.Purchased, in)
		c.s2In = append(c.s2In, in)
	}
	for _, d := range e1Keys(byDomain) {
		s := byDomain[d]
		for _, f := range []struct {
			field, fuel, unit string
			qty               decimal.Decimal
		}{
			{"diesel_l", "diesel", "l", s.diesel},
			{"petrol_l", "petrol", "l", s.petrol},
			{"lpg_kg", "lpg", "kg", s.lpg},
		} {
			if f.qty.IsZero() {
				continue
			}
			path := fmt.Sprintf("sites[?(@.domain=='%s')].%s", d, f.field)
			in := InputRef{Path: path, Value: f.qty.String(), Unit: f.unit}
			b, err := burn(c.fs, path, f.fuel, "stationary", f.qty, f.unit, c.elog(d), c.s1log)
			if err != nil {
				c.keep(err)
				continue
			}
			c.burnt(f.fuel, "stationary", d, "site rows", in, b)
		}
		for _, r := range []struct {
			field string
			kwh   decimal.Decimal
		}{{"solar_kwh", s.solar}, {"wind_kwh", s.wind}} {
			if r.kwh.IsZero() {
				continue
			}
			in := InputRef{Path: fmt.Sprintf("sites[?(@.domain=='%s')].%s", d, r.field), Value: r.kwh.String(), Unit: "kWh"}
			p.OnsiteRenewableKWh = e1Add(p.OnsiteRenewableKWh, r.kwh)
			p.addEnergyGJ(CarrierOnsiteRenewable, d, r.kwh.Mul(e1GJPerKWh))
			c.energyRef(in, d)
			c.refs.Electricity = append(c.refs.Electricity, in)
			c.refs.Renewable = append(c.refs.Renewable, in)
		}
	}
	c.refs.Notes = append(c.refs.Notes, fmt.Sprintf(
		"inputs sites[?(...)] are sums over the return's %d site rows of that domain (and grid)", n))
}

// refrigerants adds refrigerant losses to scope 1, or to the non-Kyoto
// total for gases on the factor set's non_kyoto list.
func (c *e1Compute) refrigerants() {
	for i, row := range c.r.Refrigerants {
		path := fmt.Sprintf("refrigerants[%d]", i)
		in := InputRef{Path: path + ".kg_lost", Value: row.KgLost.String(), Unit: "kg"}
		gwp, err := c.fs.GWPOf(c.gwp.Name, row.Gas)
		if err != nil {
			c.errf(path+".gas", "%v", err)
			continue
		}
		kg := row.KgLost.Mul(gwp)
		if c.v26 != nil {
			c.refrigerant20261(row, path, !c.fs.IsNonKyoto(row.Gas), kg)
		}
		key := "gwp." + c.gwp.Name + "." + row.Gas
		note := fmt.Sprintf("%s: %s kg %s x GWP %s = %s kgCO2e", path, row.KgLost, row.Gas, gwp, kg)
		if c.fs.IsNonKyoto(row.Gas) {
			c.nonKyotoKg = c.nonKyotoKg.Add(kg)
			c.nkIn = append(c.nkIn, in)
			c.nkNotes = append(c.nkNotes, note)
			c.nklog.use(key, gwp, "", "gwp")
			continue
		}
		c.s1Kg[SourceRefrigerant] = c.s1Kg[SourceRefrigerant].Add(kg)
		c.s1In = append(c.s1In, in)
		c.s1Notes = append(c.s1Notes, note+" (refrigerants)")
		c.s1log.use(key, gwp, "", "gwp")
	}
}

// dataCentres collects the facilities' totals, merged by id.
func (c *e1Compute) dataCentres() {
	c.dcs = map[string]*DataCentreParts{}
	for i, row := range c.r.DataCentres {
		path := fmt.Sprintf("data_centres[%d]", i)
		gc, ok := chooseGridFactor(c.req, row.Grid, c.r.Period, "e1.data_centres.cue")
		if !ok {
			c.errf(path+".grid", "grid %q is not in factor set %s", row.Grid, c.fs.Version)
			continue
		}
		for _, d := range gc.Flags {
			d.Row = path
			c.t.Flag(d)
		}
		opt := func(d *decimal.Decimal) Value {
			if d == nil {
				return None
			}
			return Some(*d)
		}
		if c.refs.DataCentres == nil {
			c.refs.DataCentres = map[string][]InputRef{}
			c.refs.DataCentreFactors = map[string][]FactorRef{}
		}
		ins := []InputRef{
			{Path: path + ".total_kwh", Value: row.TotalKWh.String(), Unit: "kWh"},
			{Path: path + ".it_kwh", Value: row.ITKWh.String(), Unit: "kWh"},
		}
		for _, o := range []struct {
			field, unit string
			v           *decimal.Decimal
		}{{"renewable_kwh", "kWh", row.RenewableKWh}, {"reused_kwh", "kWh", row.ReusedKWh}, {"water_m3", "m3", row.WaterM3}} {
			if o.v != nil {
				ins = append(ins, InputRef{Path: path + "." + o.field, Value: o.v.String(), Unit: o.unit})
			}
		}
		c.refs.DataCentres[row.ID] = append(c.refs.DataCentres[row.ID], ins...)
		flog := newE1FactorLog(c.fs)
		gc.logTo(flog)
		c.refs.DataCentreFactors[row.ID] = append(c.refs.DataCentreFactors[row.ID], flog.refs()...)
		dc := DataCentreParts{
			ID: row.ID, Grid: row.Grid,
			TotalKWh: Some(row.TotalKWh), ITKWh: Some(row.ITKWh),
			RenewableKWh: opt(row.RenewableKWh), ReusedKWh: opt(row.ReusedKWh), WaterM3: opt(row.WaterM3),
			EmissionsKgCO2e: Some(row.TotalKWh.Mul(gc.Value)),
		}
		if c.v26 != nil {
			n := len(flog.list)
			c.dataCentre20261(row, path, gc, &dc, flog)
			c.refs.DataCentreFactors[row.ID] = append(c.refs.DataCentreFactors[row.ID], flog.refs()[n:]...)
		}
		if prev := c.dcs[row.ID]; prev != nil {
			*prev = prev.plus(dc)
			continue
		}
		c.dcs[row.ID] = &dc
	}
	for _, id := range e1Keys(c.dcs) {
		c.e.Parts.DataCentres = append(c.e.Parts.DataCentres, *c.dcs[id])
	}
}

// plus adds two facilities' totals; an optional total is available only
// when both are.
func (dc DataCentreParts) plus(o DataCentreParts) DataCentreParts {
	both := func(a, b Value) Value {
		if !a.OK || !b.OK {
			return None
		}
		return Some(a.D.Add(b.D))
	}
	r := DataCentreParts{
		ID: dc.ID, Operator: dc.Operator, Grid: dc.Grid,
		TotalKWh: both(dc.TotalKWh, o.TotalKWh), ITKWh: both(dc.ITKWh, o.ITKWh),
		RenewableKWh: both(dc.RenewableKWh, o.RenewableKWh), ReusedKWh: both(dc.ReusedKWh, o.ReusedKWh),
		WaterM3: both(dc.WaterM3, o.WaterM3), EmissionsKgCO2e: both(dc.EmissionsKgCO2e, o.EmissionsKgCO2e),
		GridKWh: both(dc.GridKWh, o.GridKWh), GeneratorKgCO2e: both(dc.GeneratorKgCO2e, o.GeneratorKgCO2e),
		MarketKgCO2e: both(dc.MarketKgCO2e, o.MarketKgCO2e),
	}
	if o.Grid != dc.Grid {
		r.Grid = ""
	}
	return r
}

// activity takes the intensity denominators.
func (c *e1Compute) activity() {
	a := c.r.Activity
	p := &c.e.Parts
	if a.DataTrafficTB != nil {
		p.DataTrafficTB = Some(*a.DataTrafficTB)
		c.refs.Traffic = []InputRef{{Path: "activity.data_traffic_tb", Value: a.DataTrafficTB.String(), Unit: "TB"}}
	}
	if a.Subscriptions != nil {
		p.Subscriptions = Some(decimal.NewFromInt(*a.Subscriptions))
		c.refs.Subscriptions = []InputRef{{Path: "activity.subscriptions", Value: fmt.Sprint(*a.Subscriptions)}}
	}
	if c.v26 != nil {
		c.activity20261()
	}
}

// e1ExactNote says that a figure involves no division.
const e1ExactNote = "exact decimal arithmetic (products and sums only, no rounding); kg / 1000 = t; shown rounded half-even to 6 places"

// emissions sets the emission values and writes their derivations.
func (c *e1Compute) emissions(s2 scope2Result) {
	e := c.e
	for _, s := range Scope1Sources {
		e.Scope1BySourceTCO2e[s] = Some(c.s1Kg[s].Shift(-3))
	}
	var s1 decimal.Decimal
	for _, s := range Scope1Sources {
		s1 = s1.Add(c.s1Kg[s])
	}
	e.BiogenicCO2T = Some(c.bioKg.Shift(-3))
	e.NonKyotoRefrigerantsTCO2e = Some(c.nonKyotoKg.Shift(-3))
	e.Scope2LocationTCO2e = Some(s2.LocationKg.Shift(-3))
	e.Scope2MarketTCO2e = Some(s2.MarketKg.Shift(-3))

	if len(c.s1Kg) > 0 || len(c.r.Fuels) > 0 || c.siteRows > 0 {
		c.s1log.logGWP(c.gwp)
	}
	t := c.t
	t.Derive(Derivation{
		Metric: "e1.scope1_tco2e",
		Formula: "stationary + mobile combustion + Kyoto refrigerants. Per fuel: mass = quantity x density (l, m3) or quantity (kg); " +
			"energy GJ = mass / 1000 x NCV (gj: as given; kwh: x 0.0036); gas kg = GJ / 1000 x EF (kg/TJ), CH4/N2O factors of the use " +
			"(stationary: commercial/institutional, mobile: road transport); CO2e = fossil CO2 x GWP(CO2) + CH4 x GWP(CH4) + N2O x GWP(N2O) " +
			"(the CO2 of the bio share of a blend is biogenic and excluded; its CH4 and N2O count). Refrigerants: kg_lost x GWP, " +
			"gases of the factor set's non_kyoto list excluded. Sum in kg / 1000",
		Inputs:  e1InputRefs(c.s1In),
		Factors: c.s1log.refs(),
		Notes: append(append(c.s1Notes, fmt.Sprintf("total %s kgCO2e: stationary %s, mobile %s, refrigerants %s; GWP set %s",
			s1, c.s1Kg[SourceStationary], c.s1Kg[SourceMobile], c.s1Kg[SourceRefrigerant], c.gwp.Name)), c.refs.Notes...),
		Value: Some(s1.Shift(-3)),
	})
	t.Derive(Derivation{
		Metric:  "e1.biogenic_co2_t",
		Formula: "CO2 of the bio share of biodiesel blends: litres x bio_share x density x NCV / 10^6 (TJ) x EF_CO2 of the factor set's biodiesel entry, in kg / 1000; reported outside the scopes",
		Inputs:  e1InputRefs(c.bioIn),
		Factors: c.biolog.refs(),
		Notes:   append(c.bioNotes, e1ExactNote),
		Value:   e.BiogenicCO2T,
	})
	t.Derive(Derivation{
		Metric:  "e1.non_kyoto_refrigerants_tco2e",
		Formula: "kg_lost x GWP of refrigerants in the factor set's non_kyoto list (ozone-depleting gases such as r22), / 1000; never part of scope 1",
		Inputs:  e1InputRefs(c.nkIn),
		Factors: c.nklog.refs(),
		Notes:   append(c.nkNotes, e1ExactNote),
		Value:   e.NonKyotoRefrigerantsTCO2e,
	})
	locFormula := "sum over purchased electricity (electricity rows and site rows' grid_kwh): kWh x average factor of the row's grid, kg / 1000"
	if c.req.since(ledger.Methodology20261) {
		locFormula = "sum over purchased electricity (electricity rows and site rows' grid_kwh): kWh x the location-based factor of the row's grid, kg / 1000. " +
			"Methodology 2026.1 G1: the grid's direct factor; where the set has none, its lifecycle average, then a margin factor, each flagged in data_quality"
	}
	t.Derive(Derivation{
		Metric:  "e1.scope2_location_tco2e",
		Formula: locFormula,
		Inputs:  e1InputRefs(c.refs.Purchased),
		Factors: c.loclog.refs(),
		Notes:   append(append(s2.LocationNotes, c.refs.Notes...), e1ExactNote),
		Value:   e.Scope2LocationTCO2e,
	})
	c.scope3Cat3(s2)
	t.Derive(Derivation{
		Metric: "e1.scope2_market_tco2e",
		Formula: "per grid: claimed kWh x 0 + supplier-rate kWh x their rate + the rest x the residual-mix factor of the grid (grid average where the set has none); " +
			"claims cover the grid's kWh without a supplier rate first, only an excess covers supplier-rate rows, pro rata to their kWh; kg / 1000",
		Inputs:  e1InputRefs(c.s2In),
		Factors: c.mktlog.refs(),
		Notes: append(append(s2.MarketNotes, c.refs.Notes...),
			"exact except the pro-rata fraction, when claims exceed a grid's kWh without supplier rate"),
		Value: e.Scope2MarketTCO2e,
	})
}

// scope3Cat3 sets scope 3 category 3 of the purchased electricity and
// its derivation (methodology 2026.1 G1); under 2025.1 the metric does
// not exist.
func (c *e1Compute) scope3Cat3(s2 scope2Result) {
	if !c.req.since(ledger.Methodology20261) {
		return
	}
	const metric = "e1.scope3_cat3_electricity_tco2e"
	v := None
	if s2.Cat3Kg.OK {
		v = Some(s2.Cat3Kg.D.Shift(-3))
	} else {
		c.t.Missing(metric, "no upstream factor from the grid factor's own publisher (methodology 2026.1 G1 never mixes publishers): "+
			strings.Join(s2.Cat3Missing, "; "))
	}
	c.e.Scope3Cat3ElectricityTCO2e = &v
	c.t.Derive(Derivation{
		Metric:  metric,
		Formula: "sum over purchased electricity: kWh x the upstream (and T&D, where outside scope 2) factor the grid factor's publisher gives, kg / 1000; null where a grid's publisher gives none",
		Inputs:  e1InputRefs(c.refs.Purchased),
		Factors: s2.Cat3Factors.refs(),
		Notes:   append(append(s2.Cat3Notes, s2.Cat3Missing...), e1ExactNote),
		Value:   v,
	})
}
