package templates

import (
	"time"

	"github.com/ictledger/ictledger/calculators"
)

// RegionReport is everything the public regional report of one period
// shows: each country's accepted returns summed, with the coverage that
// says how many operators the figures stand for, the countries'
// intensities against the region's median, and the region's totals.
type RegionReport struct {
	Period      string // "2025-Q3" or "2025"
	Methodology string // as in OperatorDisclosure
	FactorSet   string // the factor sets of the counted returns, comma-separated
	GWP         string
	Checkpoint  Checkpoint
	LedgerTime  time.Time // document date, required, as in OperatorDisclosure
	Countries   []RegionCountry
	// Metrics are the figures of every country's Figures, in that
	// order, with the region's value and, for an intensity, the median
	// of the countries.
	Metrics  []RegionMetric
	Coverage RegionCoverage // the region's: every country's operators added
	// Partial says, one sentence each, which counted operators of a
	// year have fewer accepted quarters than four.
	Partial []string
	// Record is, in a report drawn from a region.recorded entry
	// (region_v2), that entry; nil in region_v1, which is computed from
	// the returns it attaches.
	Record *RecordRef
}

// RecordRef is the entry a report drawn from a recorded view draws (a
// region.recorded entry in region_v2, a sector.recorded one in
// sector_v4): the entry itself, its inclusion proof in the checkpoint's
// tree, and the point of the ledger its view is of.
type RecordRef struct {
	Entry EntryRef
	Proof InclusionProof
	At    uint64 // the view is of the first At entries of the log
	Root  string // their tree hash, standard base64
	// AsOf is when a sector view counted lateness; zero in a region
	// record, which counts none.
	AsOf time.Time
}

// RegionCountry is one jurisdiction of the regional report.
type RegionCountry struct {
	Country string // ISO 3166-1 alpha-2
	// Name is the administration's name from its jurisdiction record,
	// with its name in its own language after it; the code when the
	// country has no record.
	Name     string
	Coverage RegionCoverage
	Figures  []calculators.Value // in the order of RegionReport.Metrics
}

// RegionCoverage says whom figures count: the operators due for the
// span, those that filed any version of it and those with an accepted
// return, which alone are counted (named in Counted).
type RegionCoverage struct {
	Due, Filed, Accepted int
	Counted              []string // operator names
}

// RegionMetric is one headline figure of the regional report.
type RegionMetric struct {
	Key       string
	Label     string
	Unit      Unit
	Intensity bool              // a ratio compared between countries
	Region    calculators.Value // recomputed from the region's sums
	Median    calculators.Value // of the countries' values; intensities only
	Reporting int               // countries with a value
}
