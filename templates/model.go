package templates

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// The view model: what the documents show, ready for display. Numbers are
// exact (calculators.Value or decimal.Decimal) and the templates round
// them; labels are plain strings shown as given. Slices are drawn in the
// order given, so the caller fixes every order (no maps anywhere).
//
// A calculators.Value with OK false is drawn "n/a"; the reason belongs in
// the Unavailable list of the document, keyed by the metric key.

// OperatorDisclosure is everything the operator disclosure of one quarter
// or one year shows.
type OperatorDisclosure struct {
	Operator    string // display name, any script DejaVu Sans covers
	OperatorID  string // ledger id, e.g. "sakura-mobile"
	Country     string // ISO 3166-1 alpha-2, e.g. "JP"
	CountryName string // e.g. "Japan"
	Period      string // "2025-Q3" or "2025"
	Returns     []ReturnRef
	Review      string // overall review status: "accepted", "under review" or "returned"
	FactorSet   string // e.g. "apt-2025.1"
	GWP         string // e.g. "AR6"
	// Methodology is the methodology the figures follow when it is not
	// 2025.1 (e.g. "2026.1"); empty for 2025.1, so that documents of
	// bundles made before methodology versions draw as they did.
	Methodology string
	Entries     []EntryRef
	Checkpoint  Checkpoint
	// LedgerTime is the ledger time the document was produced at (the
	// time of the checkpoint's last entry). It is the document date and the
	// PDF creation and modification date, and it is required.
	LedgerTime time.Time

	Summary     Summary
	E1          E1
	E2          E2
	E3          E3
	Method      Method
	Proofs      []InclusionProof
	Unavailable []calculators.Unavailable // every metric shown n/a, with why
	// Since20261 is what disclosure_v3 adds for methodology 2026.1; nil
	// for earlier methodologies, and ignored by earlier layouts.
	Since20261 *Since20261
	// NotAvailable is Unavailable with each metric's name in words, for
	// disclosure_v4, which shows names a reader knows instead of metric
	// keys; earlier layouts ignore it and show Unavailable.
	NotAvailable []NotAvailable
}

// NotAvailable is one figure shown n/a, named for people, with why.
type NotAvailable struct {
	Key    string // metric key, e.g. "e2.by_category.cpe.mci"
	Name   string // e.g. "Material Circularity Indicator, CPE (customer premises equipment)"
	Reason string
}

// ReturnRef names one return version a disclosure covers.
type ReturnRef struct {
	Period  string // "2025-Q3"
	ID      string // return id
	Version int
	Review  string // review status of this version
}

// EntryRef is one ledger entry a document derives from.
type EntryRef struct {
	Seq      uint64
	Kind     string    // e.g. "return.filed"
	LeafHash string    // standard base64 of the 32-byte RFC 6962 leaf hash
	Time     time.Time // ledger time of the entry
}

// Checkpoint is the signed checkpoint a document was produced under.
type Checkpoint struct {
	Origin string
	Size   uint64
	Root   string // standard base64 of the root hash
	Note   string // the signed note text, signature lines included
}

// InclusionProof proves that entry Seq is in the tree of size Size.
type InclusionProof struct {
	Seq      uint64
	Size     uint64
	LeafHash string
	Root     string
	Hashes   []string // the proof, base64, in order
}

// Metric is one labelled value with its unit.
type Metric struct {
	Key   string // metric key of docs/spec/metrics.md, e.g. "e1.scope1_tco2e"; "" for a filed or derived figure
	Label string
	Unit  Unit
	Value calculators.Value
}

// Amount is one part of a breakdown (by carrier, domain, source, ...), in
// the unit of the breakdown.
type Amount struct {
	Label string
	Value calculators.Value
}

// Trend is a headline metric with its comparison periods.
type Trend struct {
	Key      string
	Label    string
	Unit     Unit
	Current  calculators.Value
	Previous calculators.Value // previous quarter (previous year for a year)
	YearAgo  calculators.Value // same quarter a year before; unused for a year (Summary.YearAgoLabel "")
	// ChangePrevious and ChangeYearAgo are the changes in % against
	// Previous and YearAgo.
	ChangePrevious calculators.Value
	ChangeYearAgo  calculators.Value
}

// Summary is the headline table: E1, E2 and E3 metrics with their trends.
type Summary struct {
	PreviousLabel string // column title, e.g. "2025-Q2"
	YearAgoLabel  string // e.g. "2024-Q3"; "" hides the year-ago columns
	E1, E2, E3    []Trend
}

// E1 is energy and emissions.
type E1 struct {
	EnergyTotal             calculators.Value // MWh
	EnergyByCarrier         []Amount          // MWh
	EnergyByDomain          []Amount          // MWh
	ElectricityTotal        calculators.Value // MWh
	RenewableElectricity    calculators.Value // MWh, on-site + all instruments
	RenewableByInstrument   []Amount          // MWh: "on-site", "EAC", "PPA", "green tariff"
	RenewableElectricityPct calculators.Value // %
	RenewableEnergyPct      calculators.Value // %
	Scope2InstrumentsPct    calculators.Value // % of purchased electricity covered by claims
	Scope1                  calculators.Value // t CO2e
	Scope1BySource          []Amount          // t CO2e
	Scope2Location          calculators.Value // t CO2e
	Scope2Market            calculators.Value // t CO2e
	BiogenicCO2             calculators.Value // t CO2, outside the scopes
	NonKyotoRefrigerants    calculators.Value // t CO2e, outside the scopes
	Intensities             []Metric          // network energy per TB, bit/J, kg CO2e/TB, kWh per subscription, ...
	DataCentres             []DataCentre
	Quarters                []QuarterPoint // oldest first, up to the last 8 quarters ending with this period
}

// DataCentre is the KPI row of one facility (ISO/IEC 30134).
type DataCentre struct {
	ID       string
	TotalMWh calculators.Value
	ITMWh    calculators.Value
	PUE      calculators.Value // ratio
	REF      calculators.Value // ratio
	ERF      calculators.Value // ratio
	CUE      calculators.Value // kg CO2e/kWh
	WUE      calculators.Value // L/kWh
}

// QuarterPoint is one quarter of the E1 trend charts.
type QuarterPoint struct {
	Period                  string            // "2025-Q3"
	Scope1                  calculators.Value // t CO2e
	Scope2Location          calculators.Value // t CO2e
	Scope2Market            calculators.Value // t CO2e
	RenewableElectricityPct calculators.Value // %
}

// E2 is e-waste and circularity.
type E2 struct {
	Flows []Flow // one row per category and stream, in order
	Total Flow   // all categories and streams
	Rates []Rates
	// Targets are the WEEE Annex V targets per category (both streams).
	Targets []Target
	// CollectionPOM is the customer collection rate against put on market
	// (% , rolling year); Partial when part of the history was missing.
	CollectionPOM        calculators.Value
	CollectionPOMPartial bool
	CollectionGenerated  calculators.Value // % of e-waste generated
	Generated            []Amount          // e-waste generated estimate per category, kg
	GeneratedTotal       calculators.Value // kg
	Circularity          []Circularity     // per category
	MCITotal             calculators.Value // mass-weighted by inflow
}

// Flow is the mass balance of one category and stream, in kg.
type Flow struct {
	Category  string
	Stream    string // "customer", "network"; "" for both
	Inflow    calculators.Value
	Collected calculators.Value
	Reused    calculators.Value
	Recycled  calculators.Value
	Recovered calculators.Value
	Disposed  calculators.Value
	Gap       calculators.Value // collected - treated - stock change
}

// Rates are the treatment rates of one stream (or the total), in % of
// collected.
type Rates struct {
	Stream            string // "customer", "network", "total"
	Reuse             calculators.Value
	Recycling         calculators.Value
	Recovery          calculators.Value
	ReuseAndRecycling calculators.Value
	Disposal          calculators.Value
}

// Target is one category against its WEEE Annex V targets.
type Target struct {
	Category             string
	WEEECategory         string            // e.g. "6 small IT and telecom"
	Recovery             calculators.Value // %
	RecoveryTarget       decimal.Decimal   // %
	RecoveryMet          bool
	ReuseRecycling       calculators.Value // %
	ReuseRecyclingTarget decimal.Decimal   // %
	ReuseRecyclingMet    bool
	// NotJudged is set when this document does not judge the category
	// against its targets (under methodology 2026.1 they apply to the
	// WEEE category over the calendar year): from disclosure_v4 on its
	// "Met" columns say n/a rather than "not met".
	NotJudged bool
}

// Circularity is the MCI of one category.
type Circularity struct {
	Category      string
	CircularInPct calculators.Value // circular inflow %
	MCI           calculators.Value // 0..1
	Basis         string            // "generated" or "collected"
}

// E3 is climate resilience.
type E3 struct {
	SitesTotal         int64
	SitesWithBackup    int64
	BackupCoverage     calculators.Value // %
	BackupBands        []Band
	HazardAssessed     calculators.Value // %
	SitesAssessed      int64
	SitesHighHazard    int64
	SitesHardened      int64
	HighHazardHardened calculators.Value // %
	OffgridRenewable   calculators.Value // sites
	Outages            []Outage
	OutageEvents       calculators.Value // count
	OutageSiteHours    calculators.Value // site-h
	MeanHoursRestore   calculators.Value // h
	Availability       calculators.Value // %
	AlertsSent         int64
	PopulationCovered  int64
	PopulationServed   int64
	EarlyWarning       calculators.Value // % of population served
}

// Band is one backup-autonomy band: sites with at least that autonomy.
type Band struct {
	Label string            // e.g. "≥ 4 h"
	Sites int64             // sites in the band or above
	Pct   calculators.Value // % of all sites
}

// Outage is one climate-related outage as filed.
type Outage struct {
	Hazard         string
	Started        time.Time
	SitesAffected  int64
	SiteHoursLost  decimal.Decimal
	HoursToRestore decimal.Decimal
}

// Method is the method and factors section.
type Method struct {
	Factors  []Factor
	Formulas []Formula
	Warnings []Note // raised at filing
	Findings []Note // of the review
	// Acceptance is the regulator's comment on accepting each return,
	// for disclosure_v4, which shows it apart from the findings; the
	// view model of an earlier layout leaves it empty and lists the
	// comment among the Findings, as those layouts were issued.
	Acceptance []Note
}

// Factor is one factor a computation used.
type Factor struct {
	Key    string // e.g. "fuel.diesel.co2_kg_per_tj"
	Value  decimal.Decimal
	Unit   string
	Source string
}

// Formula is a metric's formula in words.
type Formula struct {
	Metric string
	Text   string
}

// Note is a warning or a review finding.
type Note struct {
	Ref  string // what it is about: a path, a metric, an operator
	Text string
}
