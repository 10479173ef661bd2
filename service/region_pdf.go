package service

import (
	"context"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/templates"
)

// RegionDisclosure renders the public regional report of a quarter or a
// year (anyone): the figures of Region as a PDF that verifies offline,
// recorded as issued on its first download like a public operator
// disclosure.
//
// Its bundle holds the jurisdiction records (the names it prints) and,
// of each operator with an accepted return in the span, its
// registration and what a public document may use (addAcceptedHistory):
// accepted latest versions up to the span's end, their reviews and
// factor sets. Nothing submitted, returned or superseded is attached,
// nor an operator without an accepted return. How many operators each
// country had due and filing is the ledger's count, stated in the
// bundle (disclosure.Bundle.Coverage) by the rule of Region; it is part
// of the document's cache key, so a new filing makes a new document. A
// span without an accepted return has no document (404). Renders share the download admission of every PDF: busy is a
// 503.
func (s *Service) RegionDisclosure(ctx context.Context, a ledger.Actor, span ledger.Span) ([]byte, error) {
	if first := span.Quarters()[0]; s.now().Before(first.Start()) {
		return nil, ledger.Errorf(ledger.ENotFound, "%s has not begun", span)
	}
	last := span.Last()
	seqs := map[uint64]bool{}
	coverage := map[string]disclosure.RegionCounts{}
	for _, op := range s.st.Operators() {
		filed := s.hasAny(op.ID, span)
		if last.Before(op.DueFrom()) && !filed {
			continue // due from a later quarter, and filed nothing here
		}
		n := coverage[op.Country]
		n.Due++
		if filed {
			n.Filed++
		}
		coverage[op.Country] = n
		latest := s.st.LatestOf(op.ID)
		if !acceptedIn(latest, span) {
			continue // neither its name nor its returns reach the document
		}
		seqs[op.Seq] = true
		s.addAcceptedHistory(seqs, latest, last)
	}
	if len(seqs) == 0 {
		return nil, ledger.Errorf(ledger.ENotFound, "no accepted return for %s", span)
	}
	for _, j := range s.st.Jurisdictions() {
		seqs[j.Seq] = true
	}
	b := &disclosure.Bundle{Format: disclosure.Format, Document: disclosure.DocRegion, Template: templates.RegionTemplateVersion,
		Period: span.String(), Basis: disclosure.BasisAccepted, Coverage: coverage}
	return s.renderBundle(ctx, a, b, seqs, true)
}

// acceptedIn reports whether any of an operator's latest versions in the
// span is public (isPublic): whether the regional view counts it.
func acceptedIn(latest []*state.ReturnVersion, span ledger.Span) bool {
	for _, rv := range latest {
		if isPublic(rv) && rv.Period.Year == span.Year && (span.IsYear() || rv.Period.Quarter == span.Quarter) {
			return true
		}
	}
	return false
}
