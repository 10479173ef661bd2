package state

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// The records below are what the tables hold. They are immutable once
// inserted: a change copies the record, edits the copy and inserts it.

// Operator is a registered operator and the entry that registered it.
type Operator struct {
	ledger.Operator
	Seq          uint64
	RegisteredAt time.Time
}

// DueFrom is the first quarter the operator must file for: the one it
// was registered for, or else the quarter it was registered in.
func (o *Operator) DueFrom() ledger.Period {
	if !o.ReportingFrom.IsZero() {
		return o.ReportingFrom
	}
	return ledger.LastEndedQuarter(o.RegisteredAt).Next()
}

// Jurisdiction is an administration's latest record and the entry that
// set it.
type Jurisdiction struct {
	ledger.Jurisdiction
	Seq   uint64
	SetAt time.Time
	// Location is TimeZone loaded once, when the record was applied.
	Location *time.Location
}

// Deadline is the filing deadline of period p under the record's rule,
// counted in its time zone.
func (j *Jurisdiction) Deadline(p ledger.Period) time.Time {
	return j.Jurisdiction.DeadlineIn(p, j.Location)
}

// Token is an issued bearer token, known only by the hash of its secret.
type Token struct {
	ID         string
	SecretHash string
	Role       ledger.Role
	Operator   string
	Label      string
	// Jurisdictions are a regulator token's countries; nil for every
	// token issued before tokens named them (ledger.Covers).
	Jurisdictions []string
	IssuedSeq     uint64
	IssuedAt      time.Time
	Revoked       bool
	RevokedAt     time.Time
}

// FactorSet is a published factor set.
type FactorSet struct {
	Version     string
	Seq         uint64
	PublishedAt time.Time
	Set         *ledger.FactorSet
}

// ReturnVersion is one filed version of an operator's return for a period.
// The full return stays in the journal (entry Seq). Raw keeps the latest
// version's return as canonical JSON when it has no site rows, so that
// history-based metrics need not read the journal; memory grows neither
// with site-level filings nor with long chains of restatements (Raw is
// nil for those and for superseded versions).
type ReturnVersion struct {
	ID             string
	Operator       string
	Period         ledger.Period
	PeriodKey      string
	Version        int
	Supersedes     string
	SupersededBy   string
	Reason         string
	FactorSet      string
	IdempotencyKey string
	Warnings       []ledger.Warning
	Seq            uint64
	LeafHash       [32]byte
	FiledAt        time.Time
	Actor          ledger.Actor
	Reviews        []Review
	Raw            []byte // the return as canonical JSON; nil with site rows or once superseded
	// Certificates are the keys (ledger.CertificateKey) of the
	// certificates this version holds in the certificates table, in the
	// order of its claims; nil once superseded.
	Certificates []string
}

// Status is derived from the record: superseded once a later version
// exists, otherwise the decision of the latest review, otherwise submitted.
func (r *ReturnVersion) Status() ledger.Status {
	if r.SupersededBy != "" {
		return ledger.StatusSuperseded
	}
	if n := len(r.Reviews); n > 0 {
		if r.Reviews[n-1].Decision == ledger.DecisionAccept {
			return ledger.StatusAccepted
		}
		return ledger.StatusReturned
	}
	return ledger.StatusSubmitted
}

// Review is a recorded review decision.
type Review struct {
	ledger.Review
	Seq      uint64
	LeafHash [32]byte
	Time     time.Time
	Actor    ledger.Actor
}

// Idempotency remembers which return a POST with an Idempotency-Key made.
type Idempotency struct {
	Key      string // operator + "\x00" + the header value
	ReturnID string
}

// IdempotencyKey is the table key of an operator's Idempotency-Key.
func IdempotencyKey(operator, key string) string { return operator + "\x00" + key }

// Disclosure is a disclosure the ledger recorded as issued.
type Disclosure struct {
	ledger.DisclosureIssued
	Seq  uint64
	Time time.Time
}

// RegionRecord is the latest region.recorded entry of a span: where it is
// in the journal, and the point of the ledger its view is of. The view
// itself stays in the journal (Seq), read back when a report needs it.
type RegionRecord struct {
	Period string // the span, "2025-Q3" or "2025"
	At     uint64 // the view is of the first At entries
	Root   string // their tree hash, as the entry gives it
	Seq    uint64 // the entry's
	Time   time.Time
}

// SectorRecord is the latest sector.recorded entry of a scope and span:
// where it is in the journal, and the point of the ledger its view is
// of. The view stays in the journal (Seq), like a region record's.
type SectorRecord struct {
	Key    string // ledger.SectorRecordKey: "TH|2025-Q3"
	Period string
	At     uint64
	Root   string
	AsOf   time.Time // when its view counted lateness
	Build  string    // the build that computed it (ledger.SectorRecorded.Build)
	Seq    uint64
	Time   time.Time
}

// Deadline is an admin's override of a period's filing deadline.
type Deadline struct {
	PeriodKey string
	Deadline  time.Time
	Reason    string
	Seq       uint64
}

// latestVersion points at the latest version of an operator's quarter.
type latestVersion struct {
	Key       string // latestKey: operator + "\x00" + period
	PeriodKey string
	ReturnID  string
	FactorSet string // the one the version was filed under
	Seq       uint64 // the version's ledger position, for HistoryMark
}

// latestKey is operator, NUL, period. Periods print as YYYY-Qn with a
// four-digit year (ParsePeriod), so an operator's keys sort by period.
func latestKey(operator string, p ledger.Period) string { return operator + "\x00" + p.String() }

// Figures are figures derived from one return version under one factor
// set: what a filing's checks compare (its change against the previous
// quarter, its energy per TB against the sector median). They depend on
// nothing but the version and the set, so they are state rather than a
// cache: the service computes them once, when a version is filed or when
// they are first needed after a start, and the state keeps them while the
// version is the latest of its quarter. The transaction that supersedes a
// version drops its figures. Values holds the available figures by name;
// an unavailable figure is absent.
type Figures struct {
	ReturnID  string
	FactorSet string
	Values    map[string]decimal.Decimal
}
