package service

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"math"

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
// bundle (disclosure.Bundle.Coverage) by the rule of Region, as of the
// tree of CountedAt entries, the one its checkpoint proves (or a later
// one); they are part of the document's cache key, so a new filing
// makes a new document, and VerifyDisclosure counts them again. A
// span without an accepted return has no document (404). Renders share
// the download admission of every PDF: busy is a 503. A span whose
// bundle would be over what a verifier reads has no document either
// (503, see RegionDisclosureTooLarge): on a regional ledger of ten years
// that is every span.
func (s *Service) RegionDisclosure(ctx context.Context, a ledger.Actor, span ledger.Span) ([]byte, error) {
	if first := span.Quarters()[0]; s.now().Before(first.Start()) {
		return nil, ledger.Errorf(ledger.ENotFound, "%s has not begun", span)
	}
	in := s.regionInputs(span)
	if len(in.seqs) == 0 {
		return nil, ledger.Errorf(ledger.ENotFound, "no accepted return for %s", span)
	}
	if err := in.refusal(); err != nil {
		return nil, err
	}
	b := &disclosure.Bundle{Format: disclosure.Format, Document: disclosure.DocRegion, Template: templates.RegionTemplateVersion,
		Period: span.String(), Basis: disclosure.BasisAccepted, Coverage: in.coverage, CountedAt: in.at}
	return s.renderBundle(ctx, a, b, maps.Clone(in.seqs), true)
}

// regionBundleInputs are what a regional document is made from: the
// entries it attaches and the counts it states (see RegionDisclosure).
type regionBundleInputs struct {
	seqs     map[uint64]bool
	coverage map[string]disclosure.RegionCounts
	at       uint64
	// least is a lower bound of the length of the bundle's encoding,
	// known without reading an entry: the base64 of the returns it
	// attaches as the state keeps them (a return entry holds those bytes
	// and more; a return with site rows, which the state does not keep,
	// counts nothing here).
	least int
}

// refusal is the error of a regional document whose bundle is known, from
// least, to be over what a verifier reads, or nil. A bundle under that
// bound may still be over the limit; renderBundle finds out as it reads.
func (in *regionBundleInputs) refusal() error {
	if err := disclosure.CheckBundleSize(in.least, len(in.seqs)); err != nil {
		return tooLarge(err, "could not render the regional report", len(in.seqs))
	}
	return nil
}

// regionPDFSize is what the last gathering of a span's regional inputs
// found of its document's size (see RegionDisclosureTooLarge).
type regionPDFSize struct {
	entries  int
	tooLarge bool
}

// RegionDisclosureTooLarge reports whether RegionDisclosure refuses span
// because its bundle, of entries entries, is over what a verifier reads,
// as far as that is known without reading the ledger's entries; the
// regional page says so instead of linking a document that cannot be
// issued. It answers from the last gathering of the span's inputs, which
// may be some entries older than the ledger (a download gathers them
// again at the ledger's size, and answers exactly): gathering them reads
// every operator's latest versions, about as much as the regional view
// does again after a new entry, and a page needs no more than a hint.
func (s *Service) RegionDisclosureTooLarge(span ledger.Span) (entries int, tooLarge bool) {
	if v, ok := s.results.get("region-pdf-size|" + span.String()); ok {
		v := v.(regionPDFSize)
		return v.entries, v.tooLarge
	}
	in := s.regionInputs(span)
	return len(in.seqs), in.refusal() != nil
}

// regionInputs gathers a regional document's inputs, once per span and
// state of the ledger, a span without an accepted return (no entries)
// too: every download of it would otherwise read every operator again
// before finding the document, or its absence, in the cache.
func (s *Service) regionInputs(span ledger.Span) *regionBundleInputs {
	key := fmt.Sprintf("region-pdf|%s|%d", span, s.st.Size())
	if v, ok := s.results.get(key); ok {
		return v.(*regionBundleInputs)
	}
	last := span.Last()
	coverage, at := s.regionCounts(span, math.MaxUint64)
	seqs := map[uint64]bool{}
	least := 0
	for _, op := range s.st.Operators() {
		latest := s.st.LatestOf(op.ID)
		if !acceptedIn(latest, span) {
			continue // neither its name nor its returns reach the document
		}
		seqs[op.Seq] = true
		s.addAcceptedHistory(seqs, latest, last)
		for _, rv := range latest {
			if seqs[rv.Seq] {
				least += base64.StdEncoding.EncodedLen(len(rv.Raw))
			}
		}
	}
	if len(seqs) > 0 {
		for _, j := range s.st.Jurisdictions() {
			seqs[j.Seq] = true
		}
	}
	in := &regionBundleInputs{seqs: seqs, coverage: coverage, at: at, least: least}
	s.results.put(key, in, heldBytes(in))
	s.results.put("region-pdf-size|"+span.String(), regionPDFSize{entries: len(seqs), tooLarge: in.refusal() != nil}, heldBytes(regionPDFSize{}))
	return in
}

// acceptedIn reports whether any of an operator's latest versions in the
// span is public (isPublic): whether the regional view counts it.
func acceptedIn(latest []*state.ReturnVersion, span ledger.Span) bool {
	for _, rv := range latest {
		if isPublic(rv) && inSpan(rv.Period, span) {
			return true
		}
	}
	return false
}

// regionCounts counts, by country, the operators due for the span and
// those that filed any version of it, by the rule of Region, from the
// entries before seq before only; it returns the counts and the size of
// the smallest tree that holds every entry they depend on (the
// operators' registrations and their first filing for the span). With
// before past the ledger's end it counts what Region counts; with the
// size it returned, it counts the same again.
func (s *Service) regionCounts(span ledger.Span, before uint64) (map[string]disclosure.RegionCounts, uint64) {
	last := span.Last()
	out := map[string]disclosure.RegionCounts{}
	var at uint64
	for _, op := range s.st.Operators() {
		if op.Seq >= before {
			continue
		}
		filed := false
		for _, p := range span.Quarters() {
			if vs := s.st.Versions(op.ID, p); len(vs) > 0 && vs[0].Seq < before {
				filed = true
				at = max(at, vs[0].Seq+1)
			}
		}
		if last.Before(op.DueFrom()) && !filed {
			continue // due from a later quarter, and filed nothing here
		}
		at = max(at, op.Seq+1)
		n := out[op.Country]
		n.Due++
		if filed {
			n.Filed++
		}
		out[op.Country] = n
	}
	return out, at
}

// checkRegionCounts adds to a verification of a regional document a
// problem when its counts of operators due and filed are not what this
// ledger counts at the tree size the document states.
func (s *Service) checkRegionCounts(res *disclosure.Result) {
	b := res.Bundle()
	if b == nil || b.Document != disclosure.DocRegion {
		return
	}
	span, err := ledger.ParseSpan(b.Period)
	if err != nil || b.CountedAt > s.st.Size() {
		res.Problems = append(res.Problems, "the document's counts of operators due and filed cannot be checked against this ledger")
		return
	}
	want, _ := s.regionCounts(span, b.CountedAt)
	if !maps.Equal(want, b.Coverage) {
		res.Problems = append(res.Problems, "the document's counts of operators due and filed are not this ledger's at that size: they were altered")
	}
}
