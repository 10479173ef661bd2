package ledger

import (
	"strconv"
	"time"
)

// Operator is a registered telecommunication or ICT operator.
type Operator struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Country string   `json:"country"` // ISO 3166-1 alpha-2
	Kinds   []string `json:"kinds"`
	// ReportingFrom is the first quarter the operator must file for.
	// Zero (every registration before the field existed, and one that
	// names none) means the quarter it was registered in; it is left out
	// then, so older entries keep their bytes.
	ReportingFrom Period `json:"reporting_from,omitzero"`
}

// TokenIssued is the payload of a token.issued entry. Only the SHA-256 of
// the secret is recorded; the secret itself is shown once to the caller.
type TokenIssued struct {
	ID         string `json:"id"`
	SecretHash string `json:"secret_hash"` // hex SHA-256 of the bearer secret
	Role       Role   `json:"role"`
	Operator   string `json:"operator,omitempty"`
	Label      string `json:"label,omitempty"`
	// Jurisdictions are the countries a regulator token covers (ISO
	// 3166-1 codes, or AllJurisdictions alone). Tokens issued before the
	// field existed have none and cover every country (Covers).
	Jurisdictions []string `json:"jurisdictions,omitempty"`
}

// TokenRevoked is the payload of a token.revoked entry.
type TokenRevoked struct {
	ID string `json:"id"`
}

// ReturnFiled is the payload of return.filed and return.restated entries.
type ReturnFiled struct {
	ID             string    `json:"id"`
	Version        int       `json:"version"`
	Supersedes     string    `json:"supersedes,omitempty"`
	FactorSet      string    `json:"factor_set"` // resolved at filing
	IdempotencyKey string    `json:"idempotency_key,omitempty"`
	Warnings       []Warning `json:"warnings"`
	Return         Return    `json:"return"`
}

// Warning is a finding raised at filing that does not block it but is
// shown to the regulator. It names the rule, the metric or path, and the
// values compared.
type Warning struct {
	Rule    string `json:"rule"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// Decision is a regulator's review decision.
type Decision string

// The review decisions.
const (
	DecisionAccept Decision = "accept"
	DecisionReturn Decision = "return"
)

// Review is the payload of a review.recorded entry.
type Review struct {
	Return   string       `json:"return"`
	Decision Decision     `json:"decision"`
	Comment  string       `json:"comment,omitempty"`
	Findings []FieldError `json:"findings,omitempty"`
}

// DisclosureIssued is the payload of a disclosure.issued entry: the
// server produced a PDF disclosure, written when a document is first
// asked for. The document itself names every entry it derives from and
// carries their proofs; this entry ties its exact bytes (SHA256) to the
// log, with the template that laid it out.
type DisclosureIssued struct {
	Document string `json:"document"` // "operator" or "sector"
	Operator string `json:"operator,omitempty"`
	Country  string `json:"country,omitempty"` // a sector report of one country
	Period   string `json:"period"`            // "2025-Q3" or "2025"
	Template string `json:"template"`
	// TreeSize is the size of the checkpoint the document is proved in:
	// its newest entry is TreeSize-1, and Entries counts the entries it
	// derives from.
	TreeSize uint64 `json:"tree_size"`
	Entries  int    `json:"entries"`
	SHA256   string `json:"sha256"` // hex, of the whole PDF
	Bytes    int    `json:"bytes"`
}

// DeadlineSet is the payload of a deadline.set entry: the filing deadline
// of a period, overriding the default of 45 days after quarter end.
type DeadlineSet struct {
	Period   Period    `json:"period"`
	Deadline time.Time `json:"deadline"`
	Reason   string    `json:"reason,omitempty"`
}

// Status is the state of a return version.
type Status string

// The return statuses.
const (
	StatusSubmitted  Status = "submitted"  // filed, not yet reviewed
	StatusAccepted   Status = "accepted"   // the latest review accepted it
	StatusReturned   Status = "returned"   // returned with findings; must be restated
	StatusSuperseded Status = "superseded" // a later version replaced it
)

// ReturnID is the id of version v of an operator's return for a period,
// e.g. "sakura-mobile-2025-Q3-v2". Ids are derived, so they are stable
// across replays and readable in logs.
func ReturnID(operator string, p Period, version int) string {
	return operator + "-" + p.String() + "-v" + strconv.Itoa(version)
}
