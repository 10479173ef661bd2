package ledger

import (
	"time"

	"github.com/shopspring/decimal"
)

// Return is one operator's quarterly return, as docs/spec/quarterly-return.md defines
// it. Field names and JSON tags are part of the public contract.
//
// Optional quantities are pointers so that "not given" and "zero" stay
// distinguishable: a metric whose denominator was not given is reported as
// unavailable, not as zero. Quantities are exact decimals and encode as JSON
// strings. A Return is immutable once filed; nothing mutates one in place.
type Return struct {
	Operator         string            `json:"operator" ret:"required,text=id"`
	Period           Period            `json:"period" ret:"required"`
	Restates         string            `json:"restates,omitempty" ret:"text=id"`
	Reason           string            `json:"reason,omitempty" ret:"text=note"`
	FactorSet        string            `json:"factor_set,omitempty" ret:"text=id"`
	Activity         Activity          `json:"activity" ret:"required"`
	Electricity      []Electricity     `json:"electricity,omitempty"`
	Fuels            []Fuel            `json:"fuels,omitempty"`
	OnsiteRenewables []OnsiteRenewable `json:"onsite_renewables,omitempty"`
	RenewableClaims  []RenewableClaim  `json:"renewable_claims,omitempty"`
	Refrigerants     []Refrigerant     `json:"refrigerants,omitempty"`
	DataCentres      []DataCentre      `json:"data_centres,omitempty"`
	Devices          []DeviceFlow      `json:"devices,omitempty"`
	HistoricInflow   []HistoricInflow  `json:"historic_inflow,omitempty"`
	Resilience       Resilience        `json:"resilience" ret:"required"`
	Sites            []Site            `json:"sites,omitempty"`
	// Boundary is the organisational boundary of the figures (return
	// v1.1, methodology 2026.1 G14); nil when not stated.
	Boundary *Boundary `json:"boundary,omitempty"`
}

// Boundary says what a return's figures cover (methodology 2026.1 G14):
// the consolidation approach (GHG Protocol Corporate Standard ch. 3) and
// whether the energy of sites leased from tower companies is in.
type Boundary struct {
	Consolidation string `json:"consolidation,omitempty" ret:"enum=Consolidations"`   // one of Consolidations
	TowerEnergy   string `json:"tower_energy,omitempty" ret:"enum=TowerEnergyScopes"` // one of TowerEnergyScopes
}

// Enumerations of the return v1.1 fields of methodology 2026.1.
var (
	// Consolidations are the GHG Protocol consolidation approaches.
	Consolidations = []string{"operational_control", "financial_control", "equity_share"}
	// TowerEnergyScopes say whether leased tower sites' energy is counted.
	TowerEnergyScopes = []string{"included", "excluded", "partial"}
	// DataQualities are the kinds of measurement a row may state (G12);
	// a row without one is "unspecified".
	DataQualities = []string{"metered", "invoiced", "estimated", "proxy"}
	// FuelBases are the calorific bases of a fuel row in kwh or gj (G5).
	FuelBases = []string{"ncv", "gcv"}
)

// Activity holds the denominators of the intensity metrics.
type Activity struct {
	DataTrafficTB *decimal.Decimal `json:"data_traffic_tb,omitempty"` // TB = 10^12 bytes
	Subscriptions *int64           `json:"subscriptions,omitempty"`   // active at quarter end
	SitesTotal    *int64           `json:"sites_total,omitempty"`     // derived from sites[] when given
	RevenueMUSD   *decimal.Decimal `json:"revenue_musd,omitempty"`
	// MobileTrafficTB is uplink plus downlink traffic over the RAN, part
	// of DataTrafficTB (return v1.1, methodology 2026.1 G10).
	MobileTrafficTB *decimal.Decimal `json:"mobile_traffic_tb,omitempty"`
}

// Electricity is purchased electricity for one grid region and network domain.
type Electricity struct {
	Domain               string           `json:"domain" ret:"required,enum=Domains"`
	Grid                 string           `json:"grid" ret:"required,text=id"`
	KWh                  decimal.Decimal  `json:"kwh" ret:"required"`
	SupplierKgCO2ePerKWh *decimal.Decimal `json:"supplier_kgco2e_per_kwh,omitempty"`
	Supplier             string           `json:"supplier,omitempty" ret:"text=name"`
	Quality              string           `json:"quality,omitempty" ret:"enum=DataQualities"` // v1.1: one of DataQualities
}

// Fuel is fuel burnt in owned or controlled equipment.
type Fuel struct {
	Domain       string           `json:"domain" ret:"required,enum=FuelDomains"`
	Fuel         string           `json:"fuel" ret:"required,enum=FuelKinds"`
	Use          string           `json:"use" ret:"required,enum=FuelUses"`
	Quantity     decimal.Decimal  `json:"quantity" ret:"required"`
	Unit         string           `json:"unit" ret:"required,enum=FuelUnits"`
	BioShare     *decimal.Decimal `json:"bio_share,omitempty" ret:"signed"` // biodiesel_blend only, 0..1 by volume
	GeneratedKWh *decimal.Decimal `json:"generated_kwh,omitempty"`          // stationary only
	// Basis is the calorific basis of a kwh or gj quantity (v1.1, G5):
	// "gcv" or "ncv"; empty is ncv.
	Basis   string `json:"basis,omitempty" ret:"enum=FuelBases"`
	Quality string `json:"quality,omitempty" ret:"enum=DataQualities"` // v1.1: one of DataQualities
}

// OnsiteRenewable is renewable electricity generated and consumed on own sites.
type OnsiteRenewable struct {
	Domain string          `json:"domain" ret:"required,enum=Domains"`
	Source string          `json:"source" ret:"required,enum=RenewableSources"`
	KWh    decimal.Decimal `json:"kwh" ret:"required"`
	// CertificatesSold says the certificates of this generation were sold
	// (v1.1, G13): the electricity is consumed but not renewable for the
	// operator, and is valued at Grid's residual mix.
	CertificatesSold bool   `json:"certificates_sold,omitempty"`
	Grid             string `json:"grid,omitempty" ret:"text=id"` // v1.1: required with CertificatesSold
}

// RenewableClaim is a contractual instrument for purchased electricity.
type RenewableClaim struct {
	Instrument   string          `json:"instrument" ret:"required,enum=Instruments"`
	Grid         string          `json:"grid" ret:"required,text=id"`
	KWh          decimal.Decimal `json:"kwh" ret:"required"`
	Technology   string          `json:"technology" ret:"required,enum=Technologies"`
	Certificates []string        `json:"certificates,omitempty" ret:"text=id"`
	Vintage      int             `json:"vintage" ret:"required"`
	// VintageMonth (1-12), Supplier and Registry are return v1.1
	// (methodology 2026.1 G3): the month of generation, the supplier
	// whose rows a contract covers first, and the registry that issued
	// the certificates (their ids are unique per registry).
	VintageMonth *int   `json:"vintage_month,omitempty"`
	Supplier     string `json:"supplier,omitempty" ret:"text=name"`
	Registry     string `json:"registry,omitempty" ret:"text=id"`
}

// Refrigerant is refrigerant lost from owned equipment.
type Refrigerant struct {
	Gas    string          `json:"gas" ret:"required,enum=Gases"`
	KgLost decimal.Decimal `json:"kg_lost" ret:"required"`
	// ODSImportedKg is the mass of an ozone-depleting gas imported in the
	// quarter (v1.1, G7: GRI 305-6).
	ODSImportedKg *decimal.Decimal `json:"ods_imported_kg,omitempty"`
}

// DataCentre is one facility's metering, used only for data-centre KPIs.
type DataCentre struct {
	ID           string           `json:"id" ret:"required,text=id"`
	Grid         string           `json:"grid" ret:"required,text=id"`
	TotalKWh     decimal.Decimal  `json:"total_kwh" ret:"required"`
	ITKWh        decimal.Decimal  `json:"it_kwh" ret:"required"`
	RenewableKWh *decimal.Decimal `json:"renewable_kwh,omitempty"`
	ReusedKWh    *decimal.Decimal `json:"reused_kwh,omitempty"`
	WaterM3      *decimal.Decimal `json:"water_m3,omitempty"`
	// GridKWh is electricity the facility bought from the grid and
	// DieselL the diesel its generators burnt (v1.1, G11: CUE from the
	// facility's own sources).
	GridKWh *decimal.Decimal `json:"grid_kwh,omitempty"`
	DieselL *decimal.Decimal `json:"diesel_l,omitempty"`
}

// Flow is a number of units and their mass in kg.
type Flow struct {
	Units int64           `json:"units"`
	Kg    decimal.Decimal `json:"kg" ret:"required"`
}

// DeviceFlow is one category and stream of devices and their flows in the
// quarter. An absent flow is zero; use the accessor methods to read flows.
type DeviceFlow struct {
	Category          string           `json:"category" ret:"required,enum=DeviceCategories"`
	Stream            string           `json:"stream" ret:"required,enum=Streams"`
	Inflow            *Flow            `json:"inflow,omitempty"`
	Collected         *Flow            `json:"collected,omitempty"`
	Reused            *Flow            `json:"reused,omitempty"`
	Recycled          *Flow            `json:"recycled,omitempty"`
	Recovered         *Flow            `json:"recovered,omitempty"`
	Disposed          *Flow            `json:"disposed,omitempty"`
	StockChange       *Flow            `json:"stock_change,omitempty" ret:"signed"` // may be negative
	RecycledContentKg *decimal.Decimal `json:"recycled_content_kg,omitempty" ret:"column=recycled_content"`
	ReusedContentKg   *decimal.Decimal `json:"reused_content_kg,omitempty" ret:"column=reused_content"`
	LifetimeYears     *decimal.Decimal `json:"lifetime_years,omitempty" ret:"signed"`
	Recycler          string           `json:"recycler,omitempty" ret:"text=name"`
	ExportedKg        *decimal.Decimal `json:"exported_kg,omitempty"`
	BaselNotification []string         `json:"basel_notification,omitempty" ret:"text=id"`
	// Redeployed is network equipment reinstalled in the operator's own
	// network (return v1.1, methodology 2026.1 W3): not waste, so never
	// part of collected, and outside the WEEE rates. Network stream only.
	Redeployed *Flow `json:"redeployed,omitempty"`
	// RecyclerEfficiencyPct is, on a battery row, the recycler's output
	// over its process input in percent (Regulation (EU) 2023/1542 Annex
	// XII Part A; return v1.1, methodology 2026.1 W5).
	RecyclerEfficiencyPct *decimal.Decimal `json:"recycler_efficiency_pct,omitempty"`
	// Exports are the shipments abroad of the row's treated mass, with
	// their Basel Convention codes and consents (return v1.1, methodology
	// 2026.1 W6).
	Exports []Export `json:"exports,omitempty"`
	// RecyclerAuthorisationID is the id of the permit or licence under
	// which the row's recycler treats waste (return v1.1, methodology
	// 2026.1 W6): treated mass with one counts as authorised treatment.
	RecyclerAuthorisationID string `json:"recycler_authorisation_id,omitempty" ret:"text=id"`
}

// Export is one shipment abroad of a device row's treated mass (return
// v1.1, methodology 2026.1 W6).
type Export struct {
	// Country is the ISO 3166-1 alpha-2 code of the country of import.
	Country string          `json:"country" ret:"required,text=id"`
	Kg      decimal.Decimal `json:"kg" ret:"required"`
	// BaselCode is the Basel Convention entry the waste was shipped under
	// (A1181 or Y49 for WEEE, A1160, A1170 or B1090 for batteries).
	BaselCode string `json:"basel_code,omitempty" ret:"text=id"`
	// ConsentID is the prior informed consent of the shipment.
	ConsentID string `json:"consent_id,omitempty" ret:"text=id"`
	// Purpose is ExportTreatment or ExportReuseTested.
	Purpose string `json:"purpose" ret:"required,enum=ExportPurposes"`
}

// Export purposes: shipped for treatment, or for reuse after functional
// testing (not waste).
const (
	ExportTreatment   = "treatment"
	ExportReuseTested = "reuse_tested"
)

// ExportPurposes are the values of Export.Purpose.
var ExportPurposes = []string{ExportTreatment, ExportReuseTested}

// FlowKg returns the mass of a flow, zero when the flow is absent.
func FlowKg(f *Flow) decimal.Decimal {
	if f == nil {
		return decimal.Zero
	}
	return f.Kg
}

// FlowUnits returns the units of a flow, zero when the flow is absent.
func FlowUnits(f *Flow) int64 {
	if f == nil {
		return 0
	}
	return f.Units
}

// OrZero returns *d, or zero when d is nil.
func OrZero(d *decimal.Decimal) decimal.Decimal {
	if d == nil {
		return decimal.Zero
	}
	return *d
}

// HistoricInflow is inflow in a calendar year before the operator's first
// return; it is spread evenly over that year's four quarters.
type HistoricInflow struct {
	Category string          `json:"category" ret:"required,enum=DeviceCategories"`
	Stream   string          `json:"stream" ret:"required,enum=Streams"`
	Year     int             `json:"year" ret:"required"`
	Units    int64           `json:"units" ret:"required"`
	Kg       decimal.Decimal `json:"kg" ret:"required"`
}

// Resilience holds the climate-resilience figures (E3). When the return has
// site rows the site counts are derived from them and are nil here.
type Resilience struct {
	SitesWithBackup         *int64          `json:"sites_with_backup,omitempty"`
	BackupAutonomy          *BackupAutonomy `json:"backup_autonomy,omitempty"`
	SitesHazardAssessed     *int64          `json:"sites_hazard_assessed,omitempty"`
	SitesHighHazard         *int64          `json:"sites_high_hazard,omitempty"`
	SitesHighHazardHardened *int64          `json:"sites_high_hazard_hardened,omitempty"`
	Outages                 []Outage        `json:"outages,omitempty"`
	EarlyWarning            *EarlyWarning   `json:"early_warning,omitempty"`
	// Recovery capacity (return v1.1, methodology 2026.1 R4), all optional:
	// the units ready to deploy at the end of the quarter, the events for
	// which service was given free of charge during the quarter, and the
	// resilience capital expenditure of the quarter.
	DeployableUnits            *DeployableUnits `json:"deployable_units,omitempty"`
	EmergencyFreeServiceEvents *int64           `json:"emergency_free_service_events,omitempty"`
	CapexMUSD                  *decimal.Decimal `json:"capex_musd,omitempty"`
}

// DeployableUnits counts, by kind, the recovery units an operator can
// deploy after a disaster (return v1.1). The kinds are counted apart
// because one satellite terminal and one cell on wheels restore very
// different service.
type DeployableUnits struct {
	CellsOnWheels      int64 `json:"cells_on_wheels" ret:"required"`
	SatelliteTerminals int64 `json:"satellite_terminals" ret:"required"`
	PortablePower      int64 `json:"portable_power" ret:"required"`
}

// Total is the number of units of every kind.
func (u DeployableUnits) Total() int64 {
	return u.CellsOnWheels + u.SatelliteTerminals + u.PortablePower
}

// BackupAutonomy counts sites by backup-power autonomy band.
type BackupAutonomy struct {
	LT4h    int64 `json:"lt_4h" ret:"required"`
	H4to8   int64 `json:"h4_to_8" ret:"required"`
	H8to24  int64 `json:"h8_to_24" ret:"required"`
	H24to72 int64 `json:"h24_to_72" ret:"required"`
	GE72h   int64 `json:"ge_72h" ret:"required"`
}

// Total is the number of sites over all bands.
func (b BackupAutonomy) Total() int64 { return b.LT4h + b.H4to8 + b.H8to24 + b.H24to72 + b.GE72h }

// Outage is one outage event attributed to a hazard. Started keeps the
// UTC offset it was filed with: the quarter's end in that offset bounds
// the site-hours lost (methodology 2026.1 R3).
type Outage struct {
	Hazard         string          `json:"hazard" ret:"required,enum=Hazards"`
	Started        time.Time       `json:"started" ret:"required"`
	SitesAffected  int64           `json:"sites_affected" ret:"required"`
	SiteHoursLost  decimal.Decimal `json:"site_hours_lost" ret:"required"`
	HoursToRestore decimal.Decimal `json:"hours_to_restore" ret:"required"`
	// Trigger is what set off a landslide (return v1.1); empty when not
	// given and for other hazards.
	Trigger string `json:"trigger,omitempty" ret:"enum=LandslideTriggers"`
}

// The classes of hazard (methodology 2026.1 R0).
const (
	// HazardClimate is a climate-related hazard.
	HazardClimate = "climate"
	// HazardGeophysical is an earthquake, a tsunami, a volcanic eruption,
	// or a landslide they set off.
	HazardGeophysical = "geophysical"
	// HazardOther is a hazard of neither class; it counts only in the
	// all-hazard figures.
	HazardOther = "other"
)

// HazardClass says whether the outage's hazard is climate-related,
// geophysical or other (methodology 2026.1 R0). A landslide is
// climate-related unless its trigger is seismic or volcanic: rainfall,
// snowmelt and a trigger not given count as climate.
func (o Outage) HazardClass() string {
	switch o.Hazard {
	case "earthquake", "tsunami", "volcanic":
		return HazardGeophysical
	case "landslide":
		if o.Trigger == "seismic" || o.Trigger == "volcanic" {
			return HazardGeophysical
		}
		return HazardClimate
	case "flood", "cyclone", "storm", "extreme_heat", "wildfire", "drought":
		return HazardClimate
	}
	return HazardOther
}

// EarlyWarning is the reach of disaster early-warning alerts.
type EarlyWarning struct {
	AlertsDisseminated int64 `json:"alerts_disseminated" ret:"required"`
	PopulationCovered  int64 `json:"population_covered" ret:"required"`
	PopulationServed   int64 `json:"population_served" ret:"required"`
}

// Site is one site-level row. Its energy adds to the return's electricity
// (grid, no supplier rate), stationary fuels and on-site renewables; absent
// quantities are zero.
type Site struct {
	SiteID         string          `json:"site_id" ret:"required,text=id"`
	Domain         string          `json:"domain" ret:"required,enum=Domains"`
	Grid           string          `json:"grid" ret:"required,text=id"`
	GridKWh        decimal.Decimal `json:"grid_kwh"`
	DieselL        decimal.Decimal `json:"diesel_l"`
	PetrolL        decimal.Decimal `json:"petrol_l"`
	LPGKg          decimal.Decimal `json:"lpg_kg"`
	SolarKWh       decimal.Decimal `json:"solar_kwh"`
	WindKWh        decimal.Decimal `json:"wind_kwh"`
	BackupHours    decimal.Decimal `json:"backup_hours"` // 0 = no backup
	HazardLevel    string          `json:"hazard_level" ret:"enum=HazardLevels,default=none"`
	HazardAssessed bool            `json:"hazard_assessed"`
	Hardened       bool            `json:"hardened"`
	Offgrid        bool            `json:"offgrid"`
	// GeneratorKWh is the metered output of the site's fossil generator
	// (v1.1, G4); nil when not filed.
	GeneratorKWh *decimal.Decimal `json:"generator_kwh,omitempty"`
	Quality      string           `json:"quality,omitempty" ret:"enum=DataQualities"` // v1.1: one of DataQualities
}
