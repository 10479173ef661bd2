package calculators

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// bitFormula20261 is the label of data_volume_efficiency_bit_per_j under
// methodology 2026.1 (G10): all traffic over all network energy is not
// the ETSI ES 203 228 indicator, which is mobile traffic over RAN energy.
const bitFormula20261 = "data_traffic_tb x 8e12 / (network_energy_mwh x 3.6e9): all traffic (fixed and mobile) over the energy of all network domains, " +
	"computed as TB x 8000 / network GJ; not the ETSI ES 203 228 indicator (see mobile_access_efficiency_bit_per_j)"

// e1Totals are the figures finish has computed that the 2026.1 metrics
// reuse.
type e1Totals struct {
	s1, elecKWh, reKWh, totalGJ decimal.Decimal // scope 1 in t
	traffic                     Value
}

// partRef is an input reference to a 2026.1 part.
func partRef(key string, v Value, unit string) InputRef {
	return e1ValueRef("parts.since_2026_1."+key, v, unit)
}

// finish20261 computes the metrics methodology 2026.1 adds from
// e.Parts.Since20261 (items G4, G7 to G10, G12), for ComputeE1 and
// SumE1 alike.
func (e *E1) finish20261(t *Trace, refs e1Refs, r e1Ratios, tot e1Totals) {
	p := e.Parts.Since20261
	notes := func(metric string) []string { return refs.Notes20261[metric] }
	ptr := func(v Value) *Value { return &v }
	exact := func(metric, formula string, v Value, ins []InputRef) {
		t.Derive(Derivation{Metric: metric, Formula: formula, Inputs: e1InputRefs(ins), Factors: []FactorRef{},
			Notes: append(append(notes(metric), refs.Notes...), e1ExactNote), Value: v})
	}

	// G4: the share with the generator output the filing lacks estimated.
	const est = "e1.renewable_electricity_share_estimated_pct"
	estKWh, why := decimal.Zero, ""
	switch {
	case p.SitesWithoutGeneratorOutput == 0:
	case p.EstimatedGeneratorKWh.OK:
		estKWh = p.EstimatedGeneratorKWh.D
	default:
		why = fmt.Sprintf("%d site rows burn diesel without generator_kwh and the factor set has no sourced genset_kwh_per_l to estimate their output",
			p.SitesWithoutGeneratorOutput)
	}
	den := tot.elecKWh.Add(estKWh)
	e.RenewableElectricityShareEstimatedPct = ptr(r.ratio(est,
		"renewable electricity x 100 / (electricity_total_mwh + litres of diesel at sites without generator_kwh x genset_kwh_per_l), in kWh (methodology 2026.1 G4); "+
			"equal to renewable_electricity_share_pct when every site burning diesel files its generator output",
		tot.reKWh.Mul(e1Hundred), den, e1FirstWhy(why, e1WhyIf(den.IsZero(), "electricity_total_mwh is 0")),
		append(e1InputRefs(refs.Renewable), append(refs.Electricity,
			partRef("diesel_without_generator_l", p.DieselWithoutGeneratorL, "l"),
			partRef("estimated_generator_kwh", p.EstimatedGeneratorKWh, "kWh"))...)))

	// G8: scope 1 by gas and by group.
	e.Scope1ByGasT = map[string]Value{}
	byGas := []InputRef{}
	for _, g := range e1Keys(p.GasKg) {
		e.Scope1ByGasT[g] = Some(p.GasKg[g].D.Shift(-3))
		byGas = append(byGas, partRef("gas_kg."+g, p.GasKg[g], "kg"))
	}
	e.Scope1ByGasTCO2e = map[string]Value{}
	byGroup := []InputRef{}
	var groups decimal.Decimal
	for _, g := range Scope1GasGroups() {
		v := p.GasGroupKgCO2e[g].D
		groups = groups.Add(v)
		e.Scope1ByGasTCO2e[g] = Some(v.Shift(-3))
		byGroup = append(byGroup, partRef("gas_group_kgco2e."+g, p.GasGroupKgCO2e[g], "kgCO2e"))
	}
	exact("e1.scope1_by_gas_t", "scope 1 in tonnes of each gas: fossil CO2, CH4 and N2O of combustion, kg_lost of each Kyoto refrigerant; kg / 1000 (methodology 2026.1 G8)",
		None, byGas)
	exact("e1.scope1_by_gas_tco2e", "scope 1 by gas group co2, ch4, n2o, hfcs (HFCs and HFC blends), pfcs, sf6, nf3 (GHG Protocol Corporate Standard ch. 9): "+
		"each gas x its GWP, kg / 1000; the groups add up to scope1_tco2e (methodology 2026.1 G8)", Some(groups.Shift(-3)), byGroup)

	// G7: ozone-depleting gases.
	e.ODSLeakedKgCFC11e = ptr(p.ODSLeakedKgCFC11e)
	exact("e1.ods_leaked_kg_cfc11e", "sum of refrigerants' kg_lost x ODP of the gas (R-22 0.055, Montreal Protocol Annex C), kg CFC-11e (methodology 2026.1 G7, GRI 305-6)",
		p.ODSLeakedKgCFC11e, []InputRef{partRef("ods_leaked_kg_cfc11e", p.ODSLeakedKgCFC11e, "kg CFC-11e")})
	e.ODSImportedKgCFC11e = ptr(p.ODSImportedKgCFC11e)
	if p.ODSImportedKgCFC11e.OK {
		exact("e1.ods_imported_kg_cfc11e", "sum of refrigerants' ods_imported_kg x ODP of the gas, kg CFC-11e (methodology 2026.1 G7, GRI 305-6)",
			p.ODSImportedKgCFC11e, []InputRef{partRef("ods_imported_kg_cfc11e", p.ODSImportedKgCFC11e, "kg CFC-11e")})
	} else {
		t.Missing("e1.ods_imported_kg_cfc11e", "no refrigerant row gives ods_imported_kg")
	}

	// G9: revenue intensity, both scope 2 methods.
	rev := p.RevenueMUSD
	revWhy := e1FirstWhy(e1WhyIf(!rev.OK, "revenue_musd is not given"), e1WhyIf(rev.D.IsZero(), "revenue_musd is 0"))
	revIn := partRef("revenue_musd", rev, "MUSD")
	e.EmissionsPerRevenueTCO2ePerMUSD = ptr(r.ratio("e1.emissions_per_revenue_tco2e_per_musd",
		"(scope1_tco2e + scope2_market_tco2e) / revenue_musd, tCO2e per million USD (GRI 305-4: scopes 1 and 2, market-based; methodology 2026.1 G9)",
		tot.s1.Add(e.Scope2MarketTCO2e.D), rev.D, revWhy,
		[]InputRef{e1ValueRef("e1.scope1_tco2e", e.Scope1TCO2e, "t"), e1ValueRef("e1.scope2_market_tco2e", e.Scope2MarketTCO2e, "t"), revIn}))
	e.EmissionsPerRevenueTCO2ePerMUSDLocation = ptr(r.ratio("e1.emissions_per_revenue_tco2e_per_musd_location",
		"(scope1_tco2e + scope2_location_tco2e) / revenue_musd, tCO2e per million USD (GRI 305-4: scopes 1 and 2, location-based; methodology 2026.1 G9)",
		tot.s1.Add(e.Scope2LocationTCO2e.D), rev.D, revWhy,
		[]InputRef{e1ValueRef("e1.scope1_tco2e", e.Scope1TCO2e, "t"), e1ValueRef("e1.scope2_location_tco2e", e.Scope2LocationTCO2e, "t"), revIn}))

	// G10: the RAN indicator, and emissions per TB over the network domains.
	mob, ran := p.MobileTrafficTB, p.RANElectricityKWh
	ranGJ := ran.D.Mul(e1GJPerKWh)
	e.MobileAccessEfficiencyBitPerJ = ptr(r.ratio("e1.mobile_access_efficiency_bit_per_j",
		"ES 203 228-style (RAN electricity; backhaul filed under transport is outside): mobile_traffic_tb x 8e12 bit / (electricity of ran rows in kWh x 3.6e6 J), "+
			"computed as TB x 8000 / (kWh x 0.0036) (methodology 2026.1 G10)",
		mob.D.Mul(e1BitsPerTBPerJ), ranGJ,
		e1FirstWhy(e1WhyIf(!mob.OK, "mobile_traffic_tb is not given"), e1WhyIf(ranGJ.IsZero(), "no electricity is filed for domain ran")),
		[]InputRef{partRef("mobile_traffic_tb", mob, "TB"), partRef("ran_electricity_kwh", ran, "kWh")}))
	traffic := tot.traffic
	trafficWhy := e1FirstWhy(e1WhyIf(!traffic.OK, "data_traffic_tb is not given"), e1WhyIf(traffic.D.IsZero(), "data_traffic_tb is 0"))
	fuel := p.NetworkFuelKgCO2e
	netIn := func(key string, v Value) []InputRef {
		return append([]InputRef{partRef("network_fuel_kgco2e", fuel, "kgCO2e"), partRef(key, v, "kg")}, refs.Traffic...)
	}
	tbNotes := notes("e1.emissions_per_tb_kgco2e")
	e.EmissionsPerTBKgCO2e = r.withNotes(tbNotes).ratio("e1.emissions_per_tb_kgco2e",
		"(scope 1 of fuels burnt in network domains + market-based scope 2 of their electricity) in kg / data_traffic_tb, the scope of network_energy_per_tb_kwh (methodology 2026.1 G10)",
		fuel.D.Add(p.NetworkScope2MarketKg.D), traffic.D, trafficWhy, netIn("network_scope2_market_kg", p.NetworkScope2MarketKg))
	e.EmissionsPerTBKgCO2eLocation = ptr(r.withNotes(tbNotes).ratio("e1.emissions_per_tb_kgco2e_location",
		"(scope 1 of fuels burnt in network domains + location-based scope 2 of their electricity) in kg / data_traffic_tb (methodology 2026.1 G10)",
		fuel.D.Add(p.NetworkScope2LocationKg.D), traffic.D, trafficWhy, netIn("network_scope2_location_kg", p.NetworkScope2LocationKg)))

	// G12: shares of energy by data quality.
	q := p.EnergyByQualityGJ
	qIn := []InputRef{}
	for _, k := range dataQualityKeys() {
		qIn = append(qIn, partRef("energy_by_quality_gj."+k, q[k], "GJ"))
	}
	qWhy := e1WhyIf(tot.totalGJ.IsZero(), "energy_total_mwh is 0")
	e.EnergyEstimatedSharePct = ptr(r.ratio("e1.energy_estimated_share_pct",
		"(energy of rows of quality estimated + proxy) x 100 / energy_total_mwh, in GJ (methodology 2026.1 G12)",
		q["estimated"].D.Add(q["proxy"].D).Mul(e1Hundred), tot.totalGJ, qWhy, qIn))
	e.EnergyUnspecifiedSharePct = ptr(r.ratio("e1.energy_unspecified_share_pct",
		"energy of rows without a quality (and of on-site renewable rows, which have none) x 100 / energy_total_mwh, in GJ (methodology 2026.1 G12)",
		q["unspecified"].D.Mul(e1Hundred), tot.totalGJ, qWhy, qIn))
}

// withNotes returns r adding notes to every derivation it writes.
func (r e1Ratios) withNotes(notes []string) e1Ratios {
	if len(notes) == 0 {
		return r
	}
	inner := r.note
	r.note = func(d Derivation) Derivation {
		d.Notes = append(append([]string{}, notes...), d.Notes...)
		return inner(d)
	}
	return r
}

// cue20261 sets the facility's CUE from its own sources (methodology
// 2026.1 G11): cue_location = (grid_kwh x grid factor + generator CO2e)
// / it_kwh, cue_market the same with the market-based rate of the grid
// for the data_centre domain; cue is cue_location.
func (k *DataCentreKPI) cue20261(dc DataCentreParts, q func(key, formula string, num, den Value, numName, denName string) Value) {
	loc := "(grid_kwh x location-based factor of the facility's grid (methodology 2026.1 G1) + CO2e of its generators' diesel_l) / it_kwh, kgCO2e/kWh " +
		"(ISO/IEC 30134-8; methodology 2026.1 G11: the facility's own sources; renewable_kwh feeds REF only)"
	k.CUE = q("cue", "equal to cue_location: "+loc, dc.EmissionsKgCO2e, dc.ITKWh, "grid_kwh x grid factor + generator CO2e", "it_kwh")
	l := q("cue_location", loc, dc.EmissionsKgCO2e, dc.ITKWh, "grid_kwh x grid factor + generator CO2e", "it_kwh")
	k.CUELocation = &l
	m := q("cue_market", "(grid_kwh x market-based rate of the data_centre domain in the facility's grid + CO2e of its generators' diesel_l) / it_kwh, kgCO2e/kWh "+
		"(methodology 2026.1 G11; the rate is the grid's market-based kg over its purchased kWh until claims are allocated per row, G3)",
		dc.MarketKgCO2e, dc.ITKWh, "grid_kwh x market-based rate + generator CO2e", "it_kwh")
	k.CUEMarket = &m
}

// boundaryNote says in words which boundaries summed parts state.
func boundaryNote(seen []string) string {
	return "the parts state different boundaries: " + strings.Join(seen, "; ")
}
