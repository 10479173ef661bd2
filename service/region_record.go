package service

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ictledger/ictledger/ledger"
)

// recordTries is how many times a record of a view is computed again
// when entries were applied while it computed.
const recordTries = 3

// RegionRecordOf is what a region.recorded entry of span says of the
// ledger as it stands: the regional view (Region) of the first At
// entries, their tree hash, and the names, factor sets, GWP sets and
// methodologies the report prints.
//
// The record must be exactly the view of its first At entries, since
// anyone holding them computes it again to check the server (ictledger
// verify records); see atOnePoint.
func (s *Service) RegionRecordOf(span ledger.Span) (*ledger.RegionRecorded, error) {
	var rec *ledger.RegionRecorded
	err := s.atOnePoint("the regional view of "+span.String(), func(at uint64) (err error) {
		rec, err = s.regionRecordAt(span, at)
		return err
	})
	return rec, err
}

// atOnePoint runs record with the ledger's size as it stands, again when
// that size moved while record ran. A recorded view reads the live
// state, so an entry applied while it computes could reach it; after
// recordTries such tries the answer is busy. Reading the size again
// through State.View waits for a commit under way, whose rows a reader
// may already see.
func (s *Service) atOnePoint(what string, record func(at uint64) error) error {
	for range recordTries {
		at := s.st.Size()
		if at == 0 {
			return ledger.Errorf(ledger.ENotFound, "the ledger is empty")
		}
		if err := record(at); err != nil {
			return err
		}
		if s.st.View().Size() == at {
			return nil
		}
	}
	return ledger.Errorf(ledger.EBusy, "the ledger changed while %s was recorded; try again shortly", what)
}

// regionRecordAt makes the record of span from the state, which should
// hold the first at entries and no more (RegionRecordOf checks that).
func (s *Service) regionRecordAt(span ledger.Span, at uint64) (*ledger.RegionRecorded, error) {
	view, err := s.Region(span)
	if err != nil {
		return nil, err
	}
	raw, err := ledger.Canonical(view)
	if err != nil {
		return nil, err
	}
	root, err := s.treeHash(at)
	if err != nil {
		return nil, err
	}
	rec := &ledger.RegionRecorded{Period: span.String(), At: at, Root: root.String(), View: raw,
		Operators: map[string]string{}, FactorSets: []string{}, GWP: []string{}, Methodology: []string{}}
	factorSets, gwps, methodologies := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, id := range view.Coverage.Counted {
		op := s.st.Operator(id)
		if op == nil {
			return nil, ledger.Errorf(ledger.EInternal, "the regional view counts operator %s, which is not registered", id)
		}
		rec.Operators[id] = op.Name
		// As publicRollup computes a span: under the factor set of the
		// latest counted quarter.
		_, in := publicVersions(span, s.st.LatestOf(id))
		if len(in) == 0 {
			return nil, ledger.Errorf(ledger.EInternal, "the regional view counts operator %s, which has no accepted return for %s", id, span)
		}
		version := in[len(in)-1].FactorSet
		fs := s.st.FactorSet(version)
		if fs == nil {
			return nil, ledger.Errorf(ledger.EInternal, "the factor set %s of operator %s is not published", version, id)
		}
		factorSets[version] = true
		gwps[strings.ToUpper(fs.Set.GWPDefault)] = true
		methodologies[fs.Set.MethodologyOf()] = true
	}
	rec.FactorSets = slices.Sorted(maps.Keys(factorSets))
	rec.GWP = slices.Sorted(maps.Keys(gwps))
	rec.Methodology = slices.Sorted(maps.Keys(methodologies))
	return rec, nil
}

// recordings lets one request at a time decide the record of a view
// (a span's region.recorded entry, a scope and span's sector.recorded
// entry); the others asking for the same view meanwhile wait for its
// answer instead of computing, and perhaps appending, their own.
type recordings struct {
	mu       sync.Mutex
	inflight map[string]*recordCall
}

// recordCall is one request deciding a view's record; seq and err are
// its answer, read by the waiters once done is closed.
type recordCall struct {
	done chan struct{}
	seq  uint64
	err  error
}

// once runs decide for key unless a request is deciding it already, in
// which case it waits for that answer as long as ctx allows. decide runs
// without ctx's cancellation: waiters rely on its answer.
func (r *recordings) once(ctx context.Context, key string, decide func(context.Context) (uint64, error)) (uint64, error) {
	r.mu.Lock()
	if c, ok := r.inflight[key]; ok {
		r.mu.Unlock()
		select {
		case <-c.done:
			return c.seq, c.err
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	c := &recordCall{done: make(chan struct{}), err: ledger.Errorf(ledger.EInternal, "the record of %s could not be made", key)}
	if r.inflight == nil {
		r.inflight = map[string]*recordCall{}
	}
	r.inflight[key] = c
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.inflight, key)
		r.mu.Unlock()
		close(c.done)
	}()
	c.seq, c.err = decide(context.WithoutCancel(ctx))
	return c.seq, c.err
}

// regionRecord is the sequence number of the region.recorded entry that
// a regional report of span is drawn from: the span's latest record when
// its figures (everything but At and Root) are still those of the view
// now, or else a record of the view now, appended as the server
// (ledger.SystemActor) through the one commit path.
//
// Anyone may download a regional report, so what a download may append
// is bounded here: one record per span and change of its view. The
// requests for a span decide one at a time (recordings.once), so
// concurrent downloads after a change append one record, not one each;
// a later download at the same view finds that record and appends
// nothing; and a span without an accepted return appends nothing
// (ENotFound). The same record gives the same bundle, so the same cached
// document and disclosure.issued entry.
func (s *Service) regionRecord(ctx context.Context, span ledger.Span) (uint64, error) {
	return s.records.once(ctx, "region|"+span.String(), func(ctx context.Context) (uint64, error) {
		return s.decideRegionRecord(ctx, span)
	})
}

// decideRegionRecord computes span's record now and reuses or appends
// it (see regionRecord). The decision is kept for the ledger's size it
// was made at, so that downloads with no entry between them compute
// nothing again.
func (s *Service) decideRegionRecord(ctx context.Context, span ledger.Span) (uint64, error) {
	key := fmt.Sprintf("region-record|%s|", span)
	if v, ok := s.results.get(key + strconv.FormatUint(s.st.Size(), 10)); ok {
		return v.(uint64), nil
	}
	rec, err := s.RegionRecordOf(span)
	if err != nil {
		return 0, err
	}
	if len(rec.Operators) == 0 {
		return 0, ledger.Errorf(ledger.ENotFound, "no accepted return for %s", span)
	}
	latest := s.st.RegionRecord(rec.Period)
	if latest != nil {
		same, err := s.sameRegionFigures(latest.Seq, rec)
		if err != nil {
			return 0, err
		}
		if same {
			s.results.put(key+strconv.FormatUint(rec.At, 10), latest.Seq, 8)
			return latest.Seq, nil
		}
	}
	return s.appendRecord(ctx, recordAppend{kind: ledger.KindRegionRecorded, key: "region-record:" + rec.Period,
		what: "regional report of " + span.String(), payload: rec,
		unchanged: func() bool {
			now := s.st.RegionRecord(rec.Period)
			return (now == nil) == (latest == nil) && (now == nil || now.Seq == latest.Seq)
		}})
}

// recordAppend is a view's record to append (appendRecord).
type recordAppend struct {
	kind    ledger.Kind
	key     string // the commit key of the view's records
	what    string // the report it is for, as errors name it
	payload any
	// unchanged reports, as the entry is encoded, whether the view's
	// latest record is still the one the decision to append saw.
	unchanged func() bool
	notBefore time.Time // the entry's time is at least this
}

// appendRecord appends a view's record as the server (ledger.SystemActor)
// through the one commit path, unless the ledger is read-only (a report
// drawn from a record is not issued without one) or another record of
// the view was appended meanwhile (only recordings.once appends them,
// one view at a time; the check holds the rule should that change).
func (s *Service) appendRecord(ctx context.Context, r recordAppend) (uint64, error) {
	if err := s.ReadOnly(); err != nil {
		return 0, &ledger.Error{Code: ledger.EUnavailable, Err: err,
			Message: fmt.Sprintf("the %s is drawn from a record of its view in the ledger, which the ledger cannot append while it is read-only; no report is issued without it", r.what)}
	}
	payload, err := ledger.Canonical(r.payload)
	if err != nil {
		return 0, err
	}
	var seq uint64
	err = s.commit(ctx, change{actor: ledger.SystemActor, kind: r.kind, payload: payload, keys: []string{r.key},
		check: func() error {
			if !r.unchanged() {
				return ledger.Errorf(ledger.EBusy, "the view of the %s was recorded meanwhile; try again shortly", r.what)
			}
			return nil
		},
		applied:   func(q uint64) { seq = q },
		notBefore: r.notBefore})
	if err != nil {
		return 0, err
	}
	return seq, nil
}

// sameRegionFigures reports whether the region.recorded entry seq
// records what rec does, apart from the point (At, Root) it was taken at:
// the same view, operators' names, factor sets, GWP and methodologies.
func (s *Service) sameRegionFigures(seq uint64, rec *ledger.RegionRecorded) (bool, error) {
	var old ledger.RegionRecorded
	if err := s.readRecord(seq, ledger.KindRegionRecorded, &old); err != nil {
		return false, err
	}
	a, err := regionFigures(&old)
	if err != nil {
		return false, err
	}
	b, err := regionFigures(rec)
	if err != nil {
		return false, err
	}
	return bytes.Equal(a, b), nil
}

// regionFigures is the canonical encoding of a record without its point.
func regionFigures(r *ledger.RegionRecorded) ([]byte, error) {
	c := *r
	c.At, c.Root = 0, ""
	return ledger.Canonical(&c)
}
