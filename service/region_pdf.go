package service

import (
	"bytes"
	"context"
	"fmt"
	"maps"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

// RegionDisclosure renders the public regional report of a quarter or a
// year (anyone), layout region_v2: the regional view (Region) as one
// region.recorded entry holds it, proved in the log, recorded as issued
// on its first download like a public operator disclosure.
//
// The report attaches that one entry and its inclusion proof, nothing
// else: a regional view rests on every accepted return of the region,
// with years of history, far more than a verifier reads. Offline the
// document proves that the log recorded these figures, under the log's
// signature; whether they are right is checked by computing the view of
// the record's first At entries again (ictledger verify records).
//
// The entry is the span's latest record when its figures are still the
// view's (see regionRecord): a record is appended at most once per span
// and change of its view, however many download the report, and a span
// without an accepted return appends nothing (404), so this public
// endpoint cannot grow the log faster than filings and reviews change
// what it reports. A span not begun is 404 too. Busy (the view being
// computed for another request, or no render slot) is a 503 to retry; a
// read-only ledger serves a report whose record it holds, and refuses
// one it would have to record.
func (s *Service) RegionDisclosure(ctx context.Context, a ledger.Actor, span ledger.Span) ([]byte, error) {
	if first := span.Quarters()[0]; s.now().Before(first.Start()) {
		return nil, ledger.Errorf(ledger.ENotFound, "%s has not begun", span)
	}
	seq, err := s.regionRecord(ctx, span)
	if err != nil {
		return nil, err
	}
	b := &disclosure.Bundle{Format: disclosure.Format, Document: disclosure.DocRegion, Template: templates.RegionTemplateV2,
		Period: span.String(), Basis: disclosure.BasisAccepted}
	return s.renderBundle(ctx, a, b, map[uint64]bool{seq: true}, true)
}

// regionCounts counts, by country, the operators due for the span and
// those that filed any version of it, as a regional report of layout
// region_v1 states them (it attached the accepted returns and stated
// these counts; reports are no longer issued in it, but those issued
// are still verified), by the rule of Region, from the
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

// checkRegionCounts adds to a verification of a regional document of
// layout region_v1 a problem when its counts of operators due and filed
// are not what this ledger counts at the tree size the document states.
// A region_v2 document states no counts beside its record: they are in
// the recorded view, whose figures ictledger verify records computes
// again.
func (s *Service) checkRegionCounts(res *disclosure.Result) {
	b := res.Bundle()
	if b == nil || b.Document != disclosure.DocRegion || b.Template != templates.RegionTemplateVersion {
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

// presentedRecord is the entry of kind that a report of layout template
// (drawn from that one record) presents, when the document passed every
// check so far: its signature, proof and rendering, and this log's tree
// at its checkpoint, so that the entry is this log's entry seq.
func (s *Service) presentedRecord(res *disclosure.Result, template string, kind ledger.Kind) (uint64, bool) {
	b := res.Bundle()
	if b == nil || b.Template != template || len(res.Problems) > 0 || res.Checkpoint == nil || res.Checkpoint.Size > s.j.Size() {
		return 0, false
	}
	for _, e := range res.Entries {
		if e.Kind == string(kind) && e.Seq < res.Checkpoint.Size {
			return e.Seq, true
		}
	}
	return 0, false
}

// regionFiguresSince sets res.FiguresChanged when res is a regional
// report of layout region_v2 that passed every check so far and the
// view of its period today differs from the record it presents (figures,
// operators' names, factor sets; the point aside). The view is computed
// as a download computes it, but nothing is appended: the change names
// the period's latest record only when that record holds today's view.
func (s *Service) regionFiguresSince(res *disclosure.Result) error {
	seq, ok := s.presentedRecord(res, templates.RegionTemplateV2, ledger.KindRegionRecorded)
	if !ok {
		return nil
	}
	var presented ledger.RegionRecorded
	if err := s.readRecord(seq, ledger.KindRegionRecorded, &presented); err != nil {
		return err
	}
	span, err := ledger.ParseSpan(presented.Period)
	if err != nil {
		return &ledger.Error{Code: ledger.EInternal, Message: fmt.Sprintf("region record %d names no period", seq), Err: err}
	}
	now, err := s.RegionRecordOf(span)
	if err != nil {
		return err
	}
	was, err := regionFigures(&presented)
	if err != nil {
		return err
	}
	is, err := regionFigures(now)
	if err != nil {
		return err
	}
	if bytes.Equal(was, is) {
		return nil
	}
	change := &disclosure.FiguresChange{Record: seq, NoneAccepted: len(now.Operators) == 0}
	if latest := s.st.RegionRecord(presented.Period); latest != nil && latest.Seq != seq {
		same, err := s.sameRegionFigures(latest.Seq, now)
		if err != nil {
			return err
		}
		if same {
			change.Latest = latest.Seq
		}
	}
	res.FiguresChanged = change
	return nil
}
