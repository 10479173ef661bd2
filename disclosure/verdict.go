package disclosure

import "github.com/ictledger/ictledger/templates"

// Verdict is what a verification concludes, in one word the API answers
// as "verdict" and the web page and the command line present in words:
// see Result.Decide, the one place that decides it.
type Verdict string

// The three verdicts of a verification.
const (
	// VerdictCurrent: the document is authentic (this log issued it, and
	// not a byte of it changed) and every return it presents is still
	// the latest version of its quarter.
	VerdictCurrent Verdict = "current"
	// VerdictSuperseded: the document is authentic, but the operator has
	// restated a return it presents since; SupersededBy says by which
	// version, when and why.
	VerdictSuperseded Verdict = "superseded"
	// VerdictNotAuthentic: the document is not one this log issued, or it
	// was changed after; Problems say what failed.
	VerdictNotAuthentic Verdict = "not_authentic"
)

// Supersession is one return a document presents that its operator has
// restated since the document was issued.
type Supersession struct {
	// Return is the version the document presents.
	Return string `json:"return"`
	// By is the version that restated it, Filed when that version was
	// filed (RFC 3339, UTC, to the second) and Reason the reason it was
	// filed with. Reason is given only once By is accepted: until then
	// it is an operator's unreviewed word, which public answers do not
	// carry.
	By     string `json:"by"`
	Filed  string `json:"filed"`
	Reason string `json:"reason,omitempty"`
	// Current is the latest version of the quarter today (By, unless it
	// was restated in turn), and Accepted whether a regulator has
	// accepted it, which is when the current document becomes public.
	Current  string `json:"current"`
	Accepted bool   `json:"accepted"`
}

// FiguresChange says that the view a report drawn from a record presents
// is no longer what that record holds: for a regional report (a
// region.recorded entry), returns were accepted, restated or filed
// since; for a sector report (a sector.recorded entry), returns were
// filed, reviewed or restated, or a deadline passed.
type FiguresChange struct {
	// Record is the recorded entry the document presents.
	Record uint64 `json:"record"`
	// Latest is the period's latest record when it holds today's view,
	// which the current report is drawn from; zero when today's view is
	// not recorded yet (the next download of the report records it).
	Latest uint64 `json:"latest,omitempty"`
	// NoneAccepted says that no return of the period counts today (each
	// was restated and the new versions are not accepted yet): there is
	// no current report.
	NoneAccepted bool `json:"none_accepted,omitempty"`
}

// The kinds of failure a verification names, from the first check that
// failed; Summary says each in plain words.
const (
	failNoProof   = "no_proof"   // no readable proof attachment
	failSignature = "signature"  // the checkpoint is not signed by the key
	failInclusion = "inclusion"  // an entry is not in the signed tree
	failRules     = "rules"      // an entry breaks the rules it was filed under
	failAltered   = "altered"    // the bytes differ from what the entries render
	failOtherLog  = "other_log"  // the checkpoint is not this log's tree
	failUnrender  = "unrendered" // the entries do not render at all
)

// Decide concludes a verification: not authentic when any check failed
// (Problems is not empty, or the document was never rendered again and
// compared), superseded when it is authentic and superseded lists a
// return restated since or FiguresChanged is set (a report drawn from a
// record whose view changed since),
// current otherwise. It sets Verdict, Valid
// (true for both authentic verdicts, as the API has always answered for
// an authentic document), SupersededBy and Summary. It is the only code
// that decides a verdict: the API, the web page and the command line
// each call it and only present its answer.
func (r *Result) Decide(superseded []Supersession) {
	authentic := r.confirmed && len(r.Problems) == 0
	r.Valid = authentic
	r.SupersededBy = nil
	switch {
	case !authentic:
		r.Verdict = VerdictNotAuthentic
		r.FiguresChanged = nil
	case len(superseded) > 0 || r.FiguresChanged != nil:
		r.Verdict = VerdictSuperseded
		r.SupersededBy = superseded
	default:
		r.Verdict = VerdictCurrent
	}
	r.Summary = r.summary()
}

// AddProblem records a check a caller made beyond the document itself
// (that the checkpoint is this log's tree) as failed, with the problem
// in words; Decide then finds the document not authentic.
func (r *Result) AddProblem(msg string) {
	r.Problems = append(r.Problems, msg)
	if r.failure == "" {
		r.failure = failOtherLog
	}
}

// filers names who filed the returns the document presents: its
// operator, or the operators of a sector or regional report.
func (r *Result) filers() string {
	if r.Document == DocOperator {
		return "the operator"
	}
	return "the operators"
}

// corrector names who restated a return the document presents.
func (r *Result) corrector() string {
	if r.Document == DocOperator {
		return "the operator"
	}
	return "an operator"
}

// summary is the verdict in one sentence a member of the public reads.
func (r *Result) summary() string {
	switch r.Verdict {
	case VerdictCurrent:
		if r.bundle != nil && r.bundle.Template == templates.RegionTemplateV2 {
			// Drawn from a record of the view, not from returns.
			return "This document is authentic: the ledger issued it and not a byte of it has changed. Its figures are still the regional view of its period: no return of it was accepted or corrected since."
		}
		if r.bundle != nil && r.bundle.Template == templates.SectorTemplateV4 {
			return "This document is authentic: the ledger issued it and not a byte of it has changed. Its figures and filing status are still the sector view of its period: nothing was filed, reviewed or corrected since, and no deadline passed that changes it."
		}
		return "This document is authentic: the ledger issued it and not a byte of it has changed. Its figures are still the latest " + r.filers() + " filed."
	case VerdictSuperseded:
		if len(r.SupersededBy) == 0 && r.FiguresChanged != nil && r.Document == DocSector {
			return "This document is authentic: the ledger issued it and not a byte of it has changed. But the sector view of its period has changed since (a return filed, reviewed or corrected, or a deadline passed), so its figures are no longer the current ones."
		}
		if len(r.SupersededBy) == 0 && r.FiguresChanged != nil {
			return "This document is authentic: the ledger issued it and not a byte of it has changed. But returns of its period were accepted or corrected since, so its figures are no longer the current ones."
		}
		return "This document is authentic: the ledger issued it and not a byte of it has changed. But " + r.corrector() + " has corrected its figures since, so it is no longer the current version."
	}
	switch r.failure {
	case failNoProof:
		return "This file is not a disclosure of this ledger: it carries no proof the ledger can read."
	case failSignature:
		return "This file is not authentic: its proof is not signed by this ledger's key."
	case failInclusion:
		return "This file is not authentic: the records it names are not in this ledger's signed log."
	case failRules:
		return "This file is not authentic: the records it carries are not ones this ledger would accept."
	case failAltered:
		return "This file is not authentic: it was changed after the ledger issued it, so its contents differ from what its records produce."
	case failOtherLog:
		return "This file is not authentic for this ledger: its proof comes from another log, or from a history this log does not have."
	case failUnrender:
		return "This file is not authentic: the records it carries do not make a document."
	}
	return "This file is not authentic: it could not be checked against this ledger."
}
