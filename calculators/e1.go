package calculators

import (
	"sort"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// E1 is the energy, renewables and emissions block of the metrics
// (docs/spec/metrics.md, section E1). Its JSON keys are the E1 keys of the spec; a
// metric that cannot be computed is null and has an entry in the trace's
// unavailable list.
//
// Every ratio is computed from Parts, which hold the additive quantities
// behind it in exact units. SumE1 adds Parts and recomputes the ratios, so
// a year or a sector is never an average of ratios.
type E1 struct {
	EnergyTotalMWh               Value            `json:"energy_total_mwh"`
	EnergyByCarrierMWh           map[string]Value `json:"energy_by_carrier_mwh"`
	EnergyByDomainMWh            map[string]Value `json:"energy_by_domain_mwh"`
	ElectricityTotalMWh          Value            `json:"electricity_total_mwh"`
	RenewableElectricityMWh      Value            `json:"renewable_electricity_mwh"`
	RenewableElectricitySharePct Value            `json:"renewable_electricity_share_pct"`
	RenewableEnergySharePct      Value            `json:"renewable_energy_share_pct"`
	Scope1TCO2e                  Value            `json:"scope1_tco2e"`
	Scope1BySourceTCO2e          map[string]Value `json:"scope1_by_source_tco2e"`
	BiogenicCO2T                 Value            `json:"biogenic_co2_t"`
	NonKyotoRefrigerantsTCO2e    Value            `json:"non_kyoto_refrigerants_tco2e"`
	Scope2LocationTCO2e          Value            `json:"scope2_location_tco2e"`
	Scope2MarketTCO2e            Value            `json:"scope2_market_tco2e"`
	Scope2InstrumentsSharePct    Value            `json:"scope2_instruments_share_pct"`
	// Scope3Cat3ElectricityTCO2e is upstream emissions of the purchased
	// electricity (methodology 2026.1 G1): absent under 2025.1, null
	// (with the reason in the unavailable list) where a grid's publisher
	// gives no upstream factor.
	Scope3Cat3ElectricityTCO2e  *Value          `json:"scope3_cat3_electricity_tco2e,omitempty"`
	NetworkEnergyMWh            Value           `json:"network_energy_mwh"`
	NetworkEnergyPerTBKWh       Value           `json:"network_energy_per_tb_kwh"`
	DataVolumeEfficiencyBitPerJ Value           `json:"data_volume_efficiency_bit_per_j"`
	EmissionsPerTBKgCO2e        Value           `json:"emissions_per_tb_kgco2e"`
	EnergyPerSubscriptionKWh    Value           `json:"energy_per_subscription_kwh"`
	DataCentres                 []DataCentreKPI `json:"data_centres"`

	// The metrics methodology 2026.1 adds (E1 items G4 to G14). Each is
	// absent under 2025.1, so that its figures encode as before, and
	// null, with the reason in the unavailable list, when it cannot be
	// computed.
	RenewableElectricityShareEstimatedPct   *Value           `json:"renewable_electricity_share_estimated_pct,omitempty"`
	Scope1ByGasT                            map[string]Value `json:"scope1_by_gas_t,omitempty"`
	Scope1ByGasTCO2e                        map[string]Value `json:"scope1_by_gas_tco2e,omitempty"`
	ODSLeakedKgCFC11e                       *Value           `json:"ods_leaked_kg_cfc11e,omitempty"`
	ODSImportedKgCFC11e                     *Value           `json:"ods_imported_kg_cfc11e,omitempty"`
	EmissionsPerRevenueTCO2ePerMUSD         *Value           `json:"emissions_per_revenue_tco2e_per_musd,omitempty"`
	EmissionsPerRevenueTCO2ePerMUSDLocation *Value           `json:"emissions_per_revenue_tco2e_per_musd_location,omitempty"`
	MobileAccessEfficiencyBitPerJ           *Value           `json:"mobile_access_efficiency_bit_per_j,omitempty"`
	EmissionsPerTBKgCO2eLocation            *Value           `json:"emissions_per_tb_kgco2e_location,omitempty"`
	EnergyEstimatedSharePct                 *Value           `json:"energy_estimated_share_pct,omitempty"`
	EnergyUnspecifiedSharePct               *Value           `json:"energy_unspecified_share_pct,omitempty"`
	// Boundary is the return's boundary (G14); nil when not stated, or
	// when summed parts state different ones (flagged boundary_mixed).
	Boundary *ledger.Boundary `json:"boundary,omitempty"`

	// Parts are the additive quantities every ratio above is computed from.
	Parts E1Parts `json:"parts"`

	// methodology is the methodology the figures were computed under; a
	// sum is under 2026.1 only when every part is.
	methodology string
	// InstrumentsNotApplied are the renewable claims the market-based
	// method does not count (methodology 2026.1 G3); absent when none.
	InstrumentsNotApplied []InstrumentNotApplied `json:"instruments_not_applied,omitempty"`
}

// DataCentreKPI holds the ISO/IEC 30134 KPIs of one facility: pue, ref and
// erf are plain ratios, cue is kgCO2e per IT kWh, wue litres per IT kWh.
type DataCentreKPI struct {
	ID  string `json:"id"`
	PUE Value  `json:"pue"`
	REF Value  `json:"ref"`
	ERF Value  `json:"erf"`
	CUE Value  `json:"cue"`
	WUE Value  `json:"wue"`
	// CUELocation and CUEMarket are CUE from the facility's own sources
	// (methodology 2026.1 G11), absent under 2025.1; cue equals
	// cue_location under 2026.1.
	CUELocation *Value `json:"cue_location,omitempty"`
	CUEMarket   *Value `json:"cue_market,omitempty"`

	// Operator is set in a sum of operators, where a facility is keyed by
	// its operator and id (R1); empty in one operator's figures.
	Operator string `json:"operator,omitempty"`
}

// E1Parts are the additive quantities behind the E1 ratios, in the units
// their names give. They are exact: sums of filed quantities times factors,
// with no division (electricity in GJ is kWh x 0.0036).
type E1Parts struct {
	// EnergyGJ is energy (net calorific basis for fuels) by carrier, then
	// by domain, in GJ. Every MWh figure of E1 is one of its sums / 3.6.
	// Only cells that some row fed are present.
	EnergyGJ map[string]map[string]Value `json:"energy_gj"`
	// PurchasedKWh is grid electricity bought (electricity rows and site
	// rows' grid_kwh).
	PurchasedKWh Value `json:"purchased_kwh"`
	// ClaimedKWh is electricity covered by renewable claims (all instruments).
	ClaimedKWh Value `json:"claimed_kwh"`
	// OnsiteRenewableKWh is renewable electricity generated and used on site.
	OnsiteRenewableKWh Value `json:"onsite_renewable_kwh"`
	// GeneratedKWh is metered generator output from fuels (generated_kwh).
	GeneratedKWh Value `json:"generated_kwh"`
	// BioFuelEnergyGJ is the energy of the bio share of fuel blends.
	BioFuelEnergyGJ Value `json:"bio_fuel_energy_gj"`
	// DataTrafficTB is the traffic carried (a flow); null when not filed.
	DataTrafficTB Value `json:"data_traffic_tb"`
	// Subscriptions is active connections at period end (a stock); null
	// when not filed.
	Subscriptions Value `json:"subscriptions"`
	// DataCentres are the per-facility totals, sorted by id.
	DataCentres []DataCentreParts `json:"data_centres"`
	// Since20261 are the parts of the metrics methodology 2026.1 adds;
	// nil under 2025.1.
	Since20261 *E1Parts20261 `json:"since_2026_1,omitempty"`
}

// DataCentreParts are one facility's additive totals. EmissionsKgCO2e is
// total_kwh x the grid factor of the facility's grid, the numerator of CUE.
type DataCentreParts struct {
	ID              string `json:"id"`
	Grid            string `json:"grid"` // "" when summed parts had different grids
	TotalKWh        Value  `json:"total_kwh"`
	ITKWh           Value  `json:"it_kwh"`
	RenewableKWh    Value  `json:"renewable_kwh"`
	ReusedKWh       Value  `json:"reused_kwh"`
	WaterM3         Value  `json:"water_m3"`
	EmissionsKgCO2e Value  `json:"emissions_kgco2e"`
	// Methodology 2026.1 G11 (absent under 2025.1): electricity bought
	// from the grid, generator CO2e, and the market-based numerator of
	// CUE; EmissionsKgCO2e is then grid_kwh x grid factor + generator
	// CO2e, the numerator of cue_location.
	GridKWh         Value `json:"grid_kwh,omitzero"`
	GeneratorKgCO2e Value `json:"generator_kgco2e,omitzero"`
	MarketKgCO2e    Value `json:"market_kgco2e,omitzero"`

	Operator string `json:"operator,omitempty"` // as in DataCentreKPI
}

// Energy carriers other than the fuels, and the scope 1 sources.
const (
	CarrierGrid            = "grid_electricity"
	CarrierOnsiteRenewable = "onsite_renewable"

	SourceStationary  = "stationary_combustion"
	SourceMobile      = "mobile_combustion"
	SourceRefrigerant = "refrigerants"
)

// E1Carriers are the keys of energy_by_carrier_mwh, always all present.
var E1Carriers = append([]string{CarrierGrid, CarrierOnsiteRenewable}, ledger.FuelKinds...)

// Scope1Sources are the keys of scope1_by_source_tco2e, always all present.
var Scope1Sources = []string{SourceStationary, SourceMobile, SourceRefrigerant}

// Fixed conversion constants, all exact.
var (
	e1GJPerKWh      = decimal.RequireFromString("0.0036") // 1 kWh = 3.6 MJ
	e1GJPerMWh      = decimal.RequireFromString("3.6")
	e1Hundred       = decimal.NewFromInt(100)
	e1Thousand      = decimal.NewFromInt(1000)
	e1BitsPerTBPerJ = decimal.NewFromInt(8000) // 8e12 bit per TB / 1e9 J per GJ
)

// newE1 returns an E1 with every additive value at zero and every map key
// present.
func newE1() *E1 {
	e := &E1{
		EnergyByCarrierMWh:  map[string]Value{},
		EnergyByDomainMWh:   map[string]Value{},
		Scope1BySourceTCO2e: map[string]Value{},
		DataCentres:         []DataCentreKPI{},
		Parts: E1Parts{
			EnergyGJ:           map[string]map[string]Value{},
			PurchasedKWh:       Some(decimal.Zero),
			ClaimedKWh:         Some(decimal.Zero),
			OnsiteRenewableKWh: Some(decimal.Zero),
			GeneratedKWh:       Some(decimal.Zero),
			BioFuelEnergyGJ:    Some(decimal.Zero),
			DataCentres:        []DataCentreParts{},
		},
	}
	for _, s := range Scope1Sources {
		e.Scope1BySourceTCO2e[s] = Some(decimal.Zero)
	}
	e.BiogenicCO2T = Some(decimal.Zero)
	e.NonKyotoRefrigerantsTCO2e = Some(decimal.Zero)
	e.Scope2LocationTCO2e = Some(decimal.Zero)
	e.Scope2MarketTCO2e = Some(decimal.Zero)
	return e
}

// addEnergyGJ adds gj to the carrier and domain cell of p.
func (p *E1Parts) addEnergyGJ(carrier, domain string, gj decimal.Decimal) {
	m := p.EnergyGJ[carrier]
	if m == nil {
		m = map[string]Value{}
		p.EnergyGJ[carrier] = m
	}
	m[domain] = Some(m[domain].D.Add(gj))
}

// e1Add adds d to an available value (an unavailable one counts as zero).
func e1Add(v Value, d decimal.Decimal) Value { return Some(v.D.Add(d)) }

// e1Keys returns the keys of a map in order, for deterministic output.
func e1Keys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
