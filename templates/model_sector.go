package templates

import (
	"time"

	"github.com/ictledger/ictledger/calculators"
)

// SectorReport is everything the regulator's sector report of one period
// shows.
type SectorReport struct {
	Period      string // "2025-Q3" or "2025"
	Country     string // ISO 3166-1 alpha-2; "" for all countries
	CountryName string // e.g. "Japan"; ignored when Country is ""
	// Administration names the national administration the report is
	// for (e.g. "Office of the NBTC (สำนักงาน กสทช.)"), from its
	// jurisdiction record; empty draws nothing, as in every report made
	// before jurisdictions existed.
	Administration string
	FactorSet      string
	GWP            string
	Methodology    string // as in OperatorDisclosure
	Checkpoint     Checkpoint
	LedgerTime     time.Time // document date, required, as in OperatorDisclosure
	Status         []FilingStatus
	Totals         []Metric // sector totals of the headline metrics
	Metrics        []SectorMetric
	Warnings       []Note // open warnings; Ref names the operator
	Findings       []Note // open review findings; Ref names the operator

	// Coverage says, one sentence each, which operators the totals leave
	// out of what (R2, R5); drawn under the totals. Empty draws nothing,
	// as in every report made before it existed.
	Coverage []string

	// Administrations are the administrations whose operators the report
	// covers, each with its filing deadline, in the order given (normally
	// by country code). Drawn from sector_v3 on; earlier layouts draw
	// Administration only.
	Administrations []AdministrationDeadline

	// Record is, in a report drawn from a sector.recorded entry
	// (sector_v4), that entry; nil in the earlier layouts, which are
	// computed from the returns they attach.
	Record *RecordRef
}

// AdministrationDeadline is one administration of a sector report and the
// filing deadline of the report's last quarter under its rule.
type AdministrationDeadline struct {
	Country     string // ISO 3166-1 alpha-2
	CountryName string // e.g. "Thailand"
	// Name is the administration's name as the report prints it; empty
	// when the country has no record, and so the service's defaults.
	Name     string
	Rule     string    // how the deadline is set, e.g. "45 days after the quarter, Asia/Bangkok"
	Deadline time.Time // the filing deadline of the report's last quarter
}

// FilingStatus is the state of one registered operator's return.
type FilingStatus struct {
	Operator string // display name
	ID       string // ledger id
	Country  string
	State    string    // "missing", "submitted", "returned" or "accepted"
	Late     bool      // filed after the deadline, or missing past it
	Filed    time.Time // ledger time of the latest version; zero when missing
	Version  int       // 0 when missing
	// Deadline is the filing deadline of the operator's administration,
	// which sector_v3 names for a return not filed yet; zero draws no
	// date (and earlier layouts never draw it).
	Deadline time.Time
}

// SectorMetric is one headline metric across operators.
type SectorMetric struct {
	Key    string
	Label  string
	Unit   Unit
	Median calculators.Value
	// Direction is how the metric is ranked: calculators.RankLower,
	// RankHigher or RankNone. Drawn from sector_v3 on; "" says nothing.
	Direction string
	// Rows are drawn in the order given (normally by rank); operators
	// whose value is unavailable come with Rank 0 and a Reason.
	Rows []OperatorValue
}

// OperatorValue is one operator's value of a sector metric.
type OperatorValue struct {
	Operator string
	Value    calculators.Value
	Rank     int    // 1 = first; 0 = not ranked
	Reason   string // why the value is unavailable
}
