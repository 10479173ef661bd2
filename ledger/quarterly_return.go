package ledger

import (
	"time"

	"github.com/shopspring/decimal"
)

// Return is one operator's quarterly return, as docs/spec/quarterly-return.md defines
// it. Field names and JSON tags are part of the public contract.
//
// These types are the one description of the return (describe.go): a
// field added here, with its json and ret tags, is read from JSON and
// CSV, checked for its enumeration, text kind, presence and sign, and
// published in the OpenAPI document, without another edit; rules between
// fields are added to filing's Validate.
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
}

// Activity holds the denominators of the intensity metrics.
type Activity struct {
	DataTrafficTB *decimal.Decimal `json:"data_traffic_tb,omitempty"` // TB = 10^12 bytes
	Subscriptions *int64           `json:"subscriptions,omitempty"`   // active at quarter end
	SitesTotal    *int64           `json:"sites_total,omitempty"`     // derived from sites[] when given
	RevenueMUSD   *decimal.Decimal `json:"revenue_musd,omitempty"`
}

// Electricity is purchased electricity for one grid region and network domain.
type Electricity struct {
	Domain               string           `json:"domain" ret:"required,enum=Domains"`
	Grid                 string           `json:"grid" ret:"required,text=id"`
	KWh                  decimal.Decimal  `json:"kwh" ret:"required"`
	SupplierKgCO2ePerKWh *decimal.Decimal `json:"supplier_kgco2e_per_kwh,omitempty"`
	Supplier             string           `json:"supplier,omitempty" ret:"text=name"`
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
}

// OnsiteRenewable is renewable electricity generated and consumed on own sites.
type OnsiteRenewable struct {
	Domain string          `json:"domain" ret:"required,enum=Domains"`
	Source string          `json:"source" ret:"required,enum=RenewableSources"`
	KWh    decimal.Decimal `json:"kwh" ret:"required"`
}

// RenewableClaim is a contractual instrument for purchased electricity.
type RenewableClaim struct {
	Instrument   string          `json:"instrument" ret:"required,enum=Instruments"`
	Grid         string          `json:"grid" ret:"required,text=id"`
	KWh          decimal.Decimal `json:"kwh" ret:"required"`
	Technology   string          `json:"technology" ret:"required,enum=Technologies"`
	Certificates []string        `json:"certificates,omitempty" ret:"text=id"`
	Vintage      int             `json:"vintage" ret:"required"`
}

// Refrigerant is refrigerant lost from owned equipment.
type Refrigerant struct {
	Gas    string          `json:"gas" ret:"required,enum=Gases"`
	KgLost decimal.Decimal `json:"kg_lost" ret:"required"`
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
}

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

// Outage is one climate-related outage event.
type Outage struct {
	Hazard         string          `json:"hazard" ret:"required,enum=Hazards"`
	Started        time.Time       `json:"started" ret:"required"`
	SitesAffected  int64           `json:"sites_affected" ret:"required"`
	SiteHoursLost  decimal.Decimal `json:"site_hours_lost" ret:"required"`
	HoursToRestore decimal.Decimal `json:"hours_to_restore" ret:"required"`
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
}
