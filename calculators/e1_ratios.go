package calculators

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// e1Refs are the inputs behind each part, for the derivations that finish
// writes: filed paths when computing a return, part paths when summing.
type e1Refs struct {
	Energy        []InputRef // every energy input
	Network       []InputRef // energy inputs of the network domains
	Electricity   []InputRef // purchased, on-site renewable and generated kWh
	Renewable     []InputRef // on-site renewable and claimed kWh
	Purchased     []InputRef
	Claimed       []InputRef
	Bio           []InputRef // bio share of blends
	Traffic       []InputRef
	Subscriptions []InputRef
	Notes         []string // added to every derivation finish writes

	EnergyFactors  []FactorRef // density and NCV of the fuels burnt
	NetworkFactors []FactorRef // the same, for fuels of network domains

	DataCentres       map[string][]InputRef  // per facility id
	DataCentreFactors map[string][]FactorRef // per facility id: its grid factor
	// Notes20261 are notes per metric of the methodology 2026.1 figures.
	Notes20261 map[string][]string
}

// e1PrecisionNote says how the MWh figures and ratios are computed.
var e1PrecisionNote = fmt.Sprintf(
	"parts are exact decimal sums; each figure is one division of exact parts at %d decimal places, rounded half away from zero; shown rounded half-even to %d places",
	DivPrecision, DisplayPlaces)

// finish computes every non-additive E1 value from e.Parts and the
// additive emissions: the MWh figures, shares, intensities, scope 1 total
// and data-centre KPIs. Unavailable ratios are recorded in t. It is the
// single place ratios are made, for ComputeE1 and SumE1 alike.
func (e *E1) finish(t *Trace, refs e1Refs) {
	p := &e.Parts
	gjByCarrier := map[string]decimal.Decimal{}
	gjByDomain := map[string]decimal.Decimal{}
	var totalGJ, networkGJ decimal.Decimal
	for _, c := range e1Keys(p.EnergyGJ) {
		for _, d := range e1Keys(p.EnergyGJ[c]) {
			v := p.EnergyGJ[c][d].D
			gjByCarrier[c] = gjByCarrier[c].Add(v)
			gjByDomain[d] = gjByDomain[d].Add(v)
			totalGJ = totalGJ.Add(v)
			if ledger.OneOf(d, ledger.NetworkDomains) {
				networkGJ = networkGJ.Add(v)
			}
		}
	}
	mwh := func(gj decimal.Decimal) Value { return Some(Div(gj, e1GJPerMWh)) }
	e.EnergyByCarrierMWh = map[string]Value{}
	for _, c := range E1Carriers {
		e.EnergyByCarrierMWh[c] = mwh(gjByCarrier[c])
	}
	e.EnergyByDomainMWh = map[string]Value{}
	for _, d := range ledger.FuelDomains {
		e.EnergyByDomainMWh[d] = mwh(gjByDomain[d])
	}
	// Carriers or domains outside the fixed lists (none today) still count.
	for c, v := range gjByCarrier {
		if _, ok := e.EnergyByCarrierMWh[c]; !ok {
			e.EnergyByCarrierMWh[c] = mwh(v)
		}
	}
	for d, v := range gjByDomain {
		if _, ok := e.EnergyByDomainMWh[d]; !ok {
			e.EnergyByDomainMWh[d] = mwh(v)
		}
	}
	e.EnergyTotalMWh = mwh(totalGJ)
	e.NetworkEnergyMWh = mwh(networkGJ)

	elecKWh := p.PurchasedKWh.D.Add(p.OnsiteRenewableKWh.D).Add(p.GeneratedKWh.D)
	reKWh := p.OnsiteRenewableKWh.D.Add(p.ClaimedKWh.D)
	v26 := p.Since20261
	if v26 != nil {
		// G13: on-site electricity whose certificates were sold is
		// consumed but not renewable for the operator.
		reKWh = reKWh.Sub(v26.OnsiteSoldKWh.D)
	}
	e.ElectricityTotalMWh = Some(elecKWh.Shift(-3))
	e.RenewableElectricityMWh = Some(reKWh.Shift(-3))

	var s1 decimal.Decimal
	for _, s := range e1Keys(e.Scope1BySourceTCO2e) {
		s1 = s1.Add(e.Scope1BySourceTCO2e[s].D)
	}
	e.Scope1TCO2e = Some(s1)

	note := func(d Derivation) Derivation {
		d.Notes = append(append(d.Notes, refs.Notes...), e1PrecisionNote)
		return d
	}
	t.Derive(note(Derivation{
		Metric:  "e1.energy_total_mwh",
		Formula: "fuel energy (net calorific value: quantity x density -> mass, mass x NCV -> GJ) + purchased electricity + on-site renewable electricity, all in GJ (1 kWh = 0.0036 GJ), / 3.6 GJ per MWh",
		Inputs:  e1InputRefs(refs.Energy),
		Factors: e1FactorRefs(refs.EnergyFactors),
		Notes:   []string{"energy parts: " + totalGJ.String() + " GJ"},
		Value:   e.EnergyTotalMWh,
	}))
	t.Derive(note(Derivation{
		Metric:  "e1.network_energy_mwh",
		Formula: "energy (electricity and fuels) of the domains ran, core, transport, fixed_access and data_centre, in GJ, / 3.6 GJ per MWh",
		Inputs:  e1InputRefs(refs.Network),
		Factors: e1FactorRefs(refs.NetworkFactors),
		Notes:   []string{"network energy parts: " + networkGJ.String() + " GJ"},
		Value:   e.NetworkEnergyMWh,
	}))
	elecFormula := "(purchased kWh + on-site renewable kWh + generator output kWh (generated_kwh)) / 1000"
	if v26 != nil {
		elecFormula = "(purchased kWh + on-site renewable kWh + fossil generator output kWh (fuel rows' generated_kwh and site rows' generator_kwh, methodology 2026.1 G4; the fuel itself is in energy_total_mwh, never the output)) / 1000"
	}
	t.Derive(Derivation{
		Metric:  "e1.electricity_total_mwh",
		Formula: elecFormula,
		Inputs:  e1InputRefs(refs.Electricity),
		Factors: []FactorRef{},
		Notes:   []string{fmt.Sprintf("(%s + %s + %s) / 1000, exact", p.PurchasedKWh.D, p.OnsiteRenewableKWh.D, p.GeneratedKWh.D)},
		Value:   e.ElectricityTotalMWh,
	})
	t.Derive(Derivation{
		Metric:  "e1.renewable_electricity_mwh",
		Formula: "(on-site renewable kWh + kWh of renewable claims, all instruments) / 1000",
		Inputs:  e1InputRefs(refs.Renewable),
		Factors: []FactorRef{},
		Notes:   []string{fmt.Sprintf("(%s + %s) / 1000, exact", p.OnsiteRenewableKWh.D, p.ClaimedKWh.D)},
		Value:   e.RenewableElectricityMWh,
	})

	r := e1Ratios{t: t, note: note}
	e.RenewableElectricitySharePct = r.ratio("e1.renewable_electricity_share_pct",
		"renewable_electricity_mwh / electricity_total_mwh x 100, computed as (on-site + claimed kWh) x 100 / (purchased + on-site + generated kWh)",
		reKWh.Mul(e1Hundred), elecKWh, e1WhyIf(elecKWh.IsZero(), "electricity_total_mwh is 0"),
		append(e1InputRefs(refs.Renewable), refs.Electricity...))
	bioGJ := p.BioFuelEnergyGJ.D
	e.RenewableEnergySharePct = r.ratio("e1.renewable_energy_share_pct",
		"(renewable electricity + bio share of fuel energy) / energy_total_mwh x 100, computed as ((on-site + claimed kWh) x 0.0036 + bio GJ) x 100 / energy GJ",
		reKWh.Mul(e1GJPerKWh).Add(bioGJ).Mul(e1Hundred), totalGJ, e1WhyIf(totalGJ.IsZero(), "energy_total_mwh is 0"),
		append(append(e1InputRefs(refs.Renewable), refs.Bio...), e1ValueRef("e1.energy_total_mwh", e.EnergyTotalMWh, "MWh")))
	e.Scope2InstrumentsSharePct = r.ratio("e1.scope2_instruments_share_pct",
		"claimed kWh / purchased kWh x 100",
		p.ClaimedKWh.D.Mul(e1Hundred), p.PurchasedKWh.D, e1WhyIf(p.PurchasedKWh.D.IsZero(), "no purchased electricity"),
		append(e1InputRefs(refs.Claimed), refs.Purchased...))

	traffic := p.DataTrafficTB
	trafficWhy := e1FirstWhy(e1WhyIf(!traffic.OK, "data_traffic_tb is not given"), e1WhyIf(traffic.D.IsZero(), "data_traffic_tb is 0"))
	netRef := e1ValueRef("e1.network_energy_mwh", e.NetworkEnergyMWh, "MWh")
	e.NetworkEnergyPerTBKWh = r.ratio("e1.network_energy_per_tb_kwh",
		"network_energy_mwh x 1000 / data_traffic_tb, computed as network GJ x 1000 / (3.6 x TB)",
		networkGJ.Mul(e1Thousand), traffic.D.Mul(e1GJPerMWh), trafficWhy,
		append([]InputRef{netRef}, refs.Traffic...))
	bitFormula := "data_traffic_tb x 8e12 / (network_energy_mwh x 3.6e9) (ETSI ES 203 228 / ITU-T L.1331), computed as TB x 8000 / network GJ"
	if v26 != nil {
		bitFormula = bitFormula20261
	}
	e.DataVolumeEfficiencyBitPerJ = r.ratio("e1.data_volume_efficiency_bit_per_j", bitFormula,
		traffic.D.Mul(e1BitsPerTBPerJ), networkGJ,
		e1FirstWhy(e1WhyIf(!traffic.OK, "data_traffic_tb is not given"), e1WhyIf(networkGJ.IsZero(), "network_energy_mwh is 0")),
		append([]InputRef{netRef}, refs.Traffic...))
	if v26 == nil {
		e.EmissionsPerTBKgCO2e = r.ratio("e1.emissions_per_tb_kgco2e",
			"(scope1_tco2e + scope2_market_tco2e) x 1000 / data_traffic_tb",
			s1.Add(e.Scope2MarketTCO2e.D).Shift(3), traffic.D, trafficWhy,
			append([]InputRef{e1ValueRef("e1.scope1_tco2e", e.Scope1TCO2e, "t"), e1ValueRef("e1.scope2_market_tco2e", e.Scope2MarketTCO2e, "t")}, refs.Traffic...))
	}
	subs := p.Subscriptions
	e.EnergyPerSubscriptionKWh = r.ratio("e1.energy_per_subscription_kwh",
		"energy_total_mwh x 1000 / subscriptions, computed as energy GJ x 1000 / (3.6 x subscriptions)",
		totalGJ.Mul(e1Thousand), subs.D.Mul(e1GJPerMWh),
		e1FirstWhy(e1WhyIf(!subs.OK, "subscriptions is not given"), e1WhyIf(subs.D.IsZero(), "subscriptions is 0")),
		append([]InputRef{e1ValueRef("e1.energy_total_mwh", e.EnergyTotalMWh, "MWh")}, refs.Subscriptions...))

	e.DataCentres = make([]DataCentreKPI, 0, len(p.DataCentres))
	for _, dc := range p.DataCentres {
		e.DataCentres = append(e.DataCentres, dc.kpis(t, refs))
	}
	if v26 != nil {
		e.finish20261(t, refs, r, e1Totals{s1: s1, elecKWh: elecKWh, reKWh: reKWh, totalGJ: totalGJ, traffic: traffic})
	}
}

// kpis computes the ISO/IEC 30134 KPIs of one facility from its totals,
// with a derivation for each available one.
func (dc DataCentreParts) kpis(t *Trace, refs e1Refs) DataCentreKPI {
	k := DataCentreKPI{ID: dc.ID, Operator: dc.Operator}
	m := "e1.data_centres." + dc.key() + "."
	q := func(key, formula string, num, den Value, numName, denName string) Value {
		switch {
		case !num.OK:
			t.Missing(m+key, numName+" is not given")
		case !den.OK:
			t.Missing(m+key, denName+" is not given")
		case den.D.Sign() == 0:
			t.Missing(m+key, denName+" is 0")
		default:
			v := Some(Div(num.D, den.D))
			var factors []FactorRef
			if key == "cue" || key == "cue_market" {
				factors = refs.DataCentreFactors[dc.key()]
			}
			notes := append(append([]string{fmt.Sprintf("%s / %s", num.D, den.D)}, refs.Notes20261[m+key]...), refs.Notes...)
			t.Derive(Derivation{
				Metric:  m + key,
				Formula: formula,
				Inputs:  e1InputRefs(refs.DataCentres[dc.key()]),
				Factors: e1FactorRefs(factors),
				Notes:   append(notes, e1PrecisionNote),
				Value:   v,
			})
			return v
		}
		return None
	}
	k.PUE = q("pue", "total_kwh / it_kwh (ISO/IEC 30134-2)", dc.TotalKWh, dc.ITKWh, "total_kwh", "it_kwh")
	k.REF = q("ref", "renewable_kwh / total_kwh (ISO/IEC 30134-3)", dc.RenewableKWh, dc.TotalKWh, "renewable_kwh", "total_kwh")
	k.ERF = q("erf", "reused_kwh / total_kwh (ISO/IEC 30134-6)", dc.ReusedKWh, dc.TotalKWh, "reused_kwh", "total_kwh")
	if dc.MarketKgCO2e.OK || dc.GridKWh.OK {
		k.cue20261(dc, q)
	} else {
		k.CUE = q("cue", "total_kwh x grid factor of the facility's grid / it_kwh, kgCO2e/kWh (ISO/IEC 30134-8)",
			dc.EmissionsKgCO2e, dc.ITKWh, "total_kwh x grid factor", "it_kwh")
	}
	water := dc.WaterM3
	if water.OK {
		water = Some(water.D.Mul(e1Thousand))
	}
	k.WUE = q("wue", "water_m3 x 1000 / it_kwh, L/kWh (ISO/IEC 30134-9)", water, dc.ITKWh, "water_m3", "it_kwh")
	return k
}

// e1Ratios computes ratios with their derivations.
type e1Ratios struct {
	t    *Trace
	note func(Derivation) Derivation
}

// ratio is Div(num, den) with a derivation, or None and an unavailable
// entry when why is not empty.
func (r e1Ratios) ratio(metric, formula string, num, den decimal.Decimal, why string, inputs []InputRef) Value {
	if why != "" {
		r.t.Missing(metric, why)
		return None
	}
	v := Some(Div(num, den))
	r.t.Derive(r.note(Derivation{
		Metric:  metric,
		Formula: formula,
		Inputs:  e1InputRefs(inputs),
		Factors: []FactorRef{},
		Notes:   []string{fmt.Sprintf("%s / %s", num, den)},
		Value:   v,
	}))
	return v
}

// e1WhyIf returns why when cond holds, else "".
func e1WhyIf(cond bool, why string) string {
	if cond {
		return why
	}
	return ""
}

// e1FirstWhy returns the first non-empty reason.
func e1FirstWhy(whys ...string) string {
	for _, w := range whys {
		if w != "" {
			return w
		}
	}
	return ""
}

// e1ValueRef is an input reference to a computed value.
func e1ValueRef(path string, v Value, unit string) InputRef {
	s := v.Display()
	if !v.OK {
		s = "null"
	}
	return InputRef{Path: path, Value: s, Unit: unit}
}

// e1FactorRefs returns a copy of refs that encodes as [] rather than null.
func e1FactorRefs(refs []FactorRef) []FactorRef {
	return append(make([]FactorRef, 0, len(refs)), refs...)
}

// e1InputRefs returns a copy of refs that encodes as [] rather than null.
func e1InputRefs(refs []InputRef) []InputRef {
	return append(make([]InputRef, 0, len(refs)), refs...)
}
