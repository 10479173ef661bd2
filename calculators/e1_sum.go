package calculators

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// SumE1 adds E1 results: quarters of a year (AcrossTime, in order) or
// operators of one period (AcrossOperators). Flows and emissions add up;
// every ratio is recomputed from the summed parts, never averaged.
// Subscriptions are a stock: AcrossTime takes the last part's,
// AcrossOperators adds them. Data traffic and subscriptions are available
// only when every part that counts has them. Data centres are merged by
// facility id as given: right for the quarters of one operator, wrong
// across operators, whose ids are their own (R1). Operators are added by
// SumOperatorsE1; SumE1 with AcrossOperators is kept to render sector
// documents issued before that fix exactly as they were. Nil parts are
// skipped.
//
// The scope 2 market figure is the sum of the parts' figures: claims are
// matched to purchases within each part, never across parts.
func SumE1(how Combine, parts []*E1) (*E1, *Trace) {
	return sumE1(how, parts, nil)
}

// SumOperatorsE1 adds the E1 results of operators of one period as SumE1
// with AcrossOperators does, except that a data centre is keyed by its
// operator and id (methodology 2026.1, R1): two operators' dc-1 are two
// facilities, each with its own KPIs, listed by operator then id.
// operators[i] is the operator of parts[i].
func SumOperatorsE1(operators []string, parts []*E1) (*E1, *Trace, error) {
	if len(operators) != len(parts) {
		return nil, nil, fmt.Errorf("sum of operators: %d operators for %d parts", len(operators), len(parts))
	}
	e, t := sumE1(AcrossOperators, parts, operators)
	return e, t, nil
}

// sumE1 is SumE1; owners, when not nil, names the operator of each part,
// and facilities are then keyed by operator and id.
func sumE1(how Combine, parts []*E1, owners []string) (*E1, *Trace) {
	e := newE1()
	t := &Trace{}
	var refs e1Refs
	in := func(i int, key string, v Value, unit string) InputRef {
		return e1ValueRef(fmt.Sprintf("parts[%d].%s", i, key), v, unit)
	}
	var n int
	trafficOK, subsOK := true, true
	var traffic, subs decimal.Decimal
	var lastSubs Value
	dcs := map[string]*DataCentreParts{}
	var s1In, bioIn, nkIn, locIn, mktIn []InputRef
	var v26 sum20261
	for i, x := range parts {
		if x == nil {
			continue
		}
		n++
		v26.add(n == 1, x)
		p := &x.Parts
		for c, byDomain := range p.EnergyGJ {
			for d, v := range byDomain {
				e.Parts.addEnergyGJ(c, d, v.D)
			}
		}
		e.Parts.PurchasedKWh = e1Add(e.Parts.PurchasedKWh, p.PurchasedKWh.D)
		e.Parts.ClaimedKWh = e1Add(e.Parts.ClaimedKWh, p.ClaimedKWh.D)
		e.Parts.OnsiteRenewableKWh = e1Add(e.Parts.OnsiteRenewableKWh, p.OnsiteRenewableKWh.D)
		e.Parts.GeneratedKWh = e1Add(e.Parts.GeneratedKWh, p.GeneratedKWh.D)
		e.Parts.BioFuelEnergyGJ = e1Add(e.Parts.BioFuelEnergyGJ, p.BioFuelEnergyGJ.D)
		for s, v := range x.Scope1BySourceTCO2e {
			e.Scope1BySourceTCO2e[s] = e1Add(e.Scope1BySourceTCO2e[s], v.D)
		}
		e.BiogenicCO2T = e1Add(e.BiogenicCO2T, x.BiogenicCO2T.D)
		e.NonKyotoRefrigerantsTCO2e = e1Add(e.NonKyotoRefrigerantsTCO2e, x.NonKyotoRefrigerantsTCO2e.D)
		e.Scope2LocationTCO2e = e1Add(e.Scope2LocationTCO2e, x.Scope2LocationTCO2e.D)
		e.Scope2MarketTCO2e = e1Add(e.Scope2MarketTCO2e, x.Scope2MarketTCO2e.D)

		trafficOK = trafficOK && p.DataTrafficTB.OK
		traffic = traffic.Add(p.DataTrafficTB.D)
		subsOK = subsOK && p.Subscriptions.OK
		subs = subs.Add(p.Subscriptions.D)
		lastSubs = p.Subscriptions
		for _, dc := range p.DataCentres {
			if refs.DataCentres == nil {
				refs.DataCentres = map[string][]InputRef{}
			}
			if owners != nil {
				dc.Operator = owners[i]
			}
			key := dc.key()
			at := fmt.Sprintf("parts[%d].parts.data_centres[?(@.id=='%s')].", i, dc.ID)
			refs.DataCentres[key] = append(refs.DataCentres[key],
				e1ValueRef(at+"total_kwh", dc.TotalKWh, "kWh"), e1ValueRef(at+"it_kwh", dc.ITKWh, "kWh"),
				e1ValueRef(at+"renewable_kwh", dc.RenewableKWh, "kWh"), e1ValueRef(at+"reused_kwh", dc.ReusedKWh, "kWh"),
				e1ValueRef(at+"water_m3", dc.WaterM3, "m3"), e1ValueRef(at+"emissions_kgco2e", dc.EmissionsKgCO2e, "kgCO2e"))
			if prev := dcs[key]; prev != nil {
				*prev = prev.plus(dc)
			} else {
				d := dc
				dcs[key] = &d
			}
		}

		refs.Energy = append(refs.Energy, in(i, "energy_total_mwh", x.EnergyTotalMWh, "MWh"))
		refs.Network = append(refs.Network, in(i, "network_energy_mwh", x.NetworkEnergyMWh, "MWh"))
		refs.Electricity = append(refs.Electricity, in(i, "electricity_total_mwh", x.ElectricityTotalMWh, "MWh"))
		refs.Renewable = append(refs.Renewable, in(i, "renewable_electricity_mwh", x.RenewableElectricityMWh, "MWh"))
		refs.Purchased = append(refs.Purchased, in(i, "parts.purchased_kwh", p.PurchasedKWh, "kWh"))
		refs.Claimed = append(refs.Claimed, in(i, "parts.claimed_kwh", p.ClaimedKWh, "kWh"))
		refs.Bio = append(refs.Bio, in(i, "parts.bio_fuel_energy_gj", p.BioFuelEnergyGJ, "GJ"))
		refs.Traffic = append(refs.Traffic, in(i, "parts.data_traffic_tb", p.DataTrafficTB, "TB"))
		refs.Subscriptions = append(refs.Subscriptions, in(i, "parts.subscriptions", p.Subscriptions, ""))
		s1In = append(s1In, in(i, "scope1_tco2e", x.Scope1TCO2e, "t"))
		bioIn = append(bioIn, in(i, "biogenic_co2_t", x.BiogenicCO2T, "t"))
		nkIn = append(nkIn, in(i, "non_kyoto_refrigerants_tco2e", x.NonKyotoRefrigerantsTCO2e, "t"))
		locIn = append(locIn, in(i, "scope2_location_tco2e", x.Scope2LocationTCO2e, "t"))
		mktIn = append(mktIn, in(i, "scope2_market_tco2e", x.Scope2MarketTCO2e, "t"))
	}
	if n > 0 && trafficOK {
		e.Parts.DataTrafficTB = Some(traffic)
	}
	switch {
	case n == 0:
	case how == AcrossTime:
		e.Parts.Subscriptions = lastSubs
		refs.Subscriptions = refs.Subscriptions[len(refs.Subscriptions)-1:]
	case subsOK:
		e.Parts.Subscriptions = Some(subs)
	}
	e.Parts.DataCentres = append(e.Parts.DataCentres, sortedFacilities(dcs)...)
	e1SumNote(how, &refs, n)
	v26.done(e, t)
	e.finish(t, refs)

	sum := func(metric string, v Value, ins []InputRef) {
		t.Derive(Derivation{
			Metric: metric, Formula: "sum of the parts' " + strings.TrimPrefix(metric, "e1."),
			Inputs: e1InputRefs(ins), Factors: []FactorRef{}, Notes: refs.Notes, Value: v,
		})
	}
	sum("e1.scope1_tco2e", e.Scope1TCO2e, s1In)
	sum("e1.biogenic_co2_t", e.BiogenicCO2T, bioIn)
	sum("e1.non_kyoto_refrigerants_tco2e", e.NonKyotoRefrigerantsTCO2e, nkIn)
	sum("e1.scope2_location_tco2e", e.Scope2LocationTCO2e, locIn)
	sum("e1.scope2_market_tco2e", e.Scope2MarketTCO2e, mktIn)
	return e, t
}

// e1SumNote says in the derivations what the parts are.
func e1SumNote(how Combine, refs *e1Refs, n int) {
	switch how {
	case AcrossTime:
		refs.Notes = append(refs.Notes, fmt.Sprintf(
			"parts[i] are the E1 results of %d quarters in order; flows add up, subscriptions (a stock) are the last quarter's", n))
	default:
		refs.Notes = append(refs.Notes, fmt.Sprintf(
			"parts[i] are the E1 results of %d operators; flows and stocks add up", n))
	}
}

// sum20261 adds the methodology 2026.1 parts of E1 results: a sum is
// under 2026.1 only when every part is, and keeps a boundary only when
// every part states the same one (G14).
type sum20261 struct {
	methodology string
	parts       *E1Parts20261
	boundary    *ledger.Boundary
	boundaries  []string
	mixed       bool
}

// add adds one part; first is true for the first.
func (s *sum20261) add(first bool, x *E1) {
	b := "not stated"
	if x.Boundary != nil {
		b = fmt.Sprintf("consolidation %q, tower_energy %q", x.Boundary.Consolidation, x.Boundary.TowerEnergy)
	}
	if first {
		s.methodology, s.parts, s.boundary = x.methodology, x.Parts.Since20261, x.Boundary
		s.boundaries = []string{b}
		return
	}
	if x.methodology != s.methodology {
		s.methodology = ""
	}
	if s.parts != nil && x.Parts.Since20261 != nil {
		s.parts = s.parts.plus(x.Parts.Since20261)
	} else {
		s.parts = nil
	}
	if !contains(s.boundaries, b) {
		s.boundaries = append(s.boundaries, b)
		s.mixed, s.boundary = true, nil
	}
}

// done puts the sum's 2026.1 parts and boundary in e, flagging a
// boundary that differs between the parts (G14).
func (s *sum20261) done(e *E1, t *Trace) {
	e.methodology = s.methodology
	if s.parts == nil || !ledger.MethodologyAtLeast(s.methodology, ledger.Methodology20261) {
		return
	}
	e.Parts.Since20261 = s.parts
	if s.boundary != nil {
		b := *s.boundary
		e.Boundary = &b
	}
	if s.mixed {
		t.Flag(DataQuality{Code: DQBoundaryMixed, Metric: "e1", Message: boundaryNote(s.boundaries)})
	}
}

// DQBoundaryMixed: a sum adds parts of different boundaries
// (methodology 2026.1 G14).
const DQBoundaryMixed = "boundary_mixed"

// key is what a facility is merged and named by: its id within one
// operator's figures, its operator and id in a sum of operators.
func (dc DataCentreParts) key() string {
	if dc.Operator == "" {
		return dc.ID
	}
	return dc.Operator + "/" + dc.ID
}

// sortedFacilities lists facilities by operator, then id.
func sortedFacilities(dcs map[string]*DataCentreParts) []DataCentreParts {
	out := make([]DataCentreParts, 0, len(dcs))
	for _, dc := range dcs {
		out = append(out, *dc)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Operator != out[j].Operator {
			return out[i].Operator < out[j].Operator
		}
		return out[i].ID < out[j].ID
	})
	return out
}
