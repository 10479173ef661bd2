package service

import (
	"bytes"
	"context"
	"encoding/gob"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/templates"
)

// RegionTermsComputed counts the operators' regional terms s computed
// so far, so that a test can see how many a regional view computed.
func RegionTermsComputed(s *Service) int {
	s.regionGate <- struct{}{}
	defer func() { <-s.regionGate }()
	return s.regionTerms.computed
}

// WaitRegionTerms returns once s has written the regional terms it
// computed to its derived directory.
func WaitRegionTerms(s *Service) { s.regionTerms.wait() }

// ResultCacheMisses is how many look-ups s's result cache could not
// answer so far.
func ResultCacheMisses(s *Service) int64 {
	s.results.mu.Lock()
	defer s.results.mu.Unlock()
	return s.results.misses
}

// HeldBytes is heldBytes, for the package's external tests.
func HeldBytes(v any) int64 { return heldBytes(v) }

// FreshMetrics computes the default metrics of return id again, with
// the result cache emptied first.
func FreshMetrics(s *Service, id string) (*calculators.Metrics, error) {
	s.results = newResultCache(0)
	e, err := s.metricsEntryOf(s.st.Return(id), MetricsQuery{}, true)
	if err != nil {
		return nil, err
	}
	return e.m, nil
}

// RegionV1Disclosure issues the regional report of span in the released
// layout region_v1, as the service did before region_v2: attaching the
// jurisdiction records and, of every operator with an accepted return in
// the span, its registration and accepted history, and stating the
// counts of operators due and filed. Documents issued so are still
// verified (checkRegionCounts); tests make them with it.
func RegionV1Disclosure(ctx context.Context, s *Service, span ledger.Span) ([]byte, error) {
	coverage, at := s.regionCounts(span, math.MaxUint64)
	seqs := map[uint64]bool{}
	for _, op := range s.st.Operators() {
		latest := s.st.LatestOf(op.ID)
		if !slices.ContainsFunc(latest, func(rv *state.ReturnVersion) bool { return isPublic(rv) && inSpan(rv.Period, span) }) {
			continue
		}
		seqs[op.Seq] = true
		s.addAcceptedHistory(seqs, latest, span.Last())
	}
	for _, j := range s.st.Jurisdictions() {
		seqs[j.Seq] = true
	}
	b := &disclosure.Bundle{Format: disclosure.Format, Document: disclosure.DocRegion, Template: templates.RegionTemplateVersion,
		Period: span.String(), Basis: disclosure.BasisAccepted, Coverage: coverage, CountedAt: at}
	return s.renderBundle(ctx, Public, b, seqs, true)
}

// RegionBySector is the regional view as it was made before the terms:
// every counted operator's public roll-up added by calculators.Sector
// and read with calculators.RegionFigures. Tests hold Region to it. Its
// quarters are computed with their derivations, as they were then, so
// that it also holds the view's figures-only computation to the full one.
func RegionBySector(s *Service, span ledger.Span) (*calculators.RegionView, error) {
	out := &calculators.RegionView{Period: span.String(), Basis: "accepted", Countries: []calculators.RegionViewCountry{}}
	coverage := map[string]*calculators.RegionViewCoverage{}
	var counted []calculators.OperatorRollup
	for _, op := range s.st.Operators() {
		latest := s.st.LatestOf(op.ID)
		filed := slices.ContainsFunc(latest, func(rv *state.ReturnVersion) bool { return inSpan(rv.Period, span) })
		if span.Last().Before(op.DueFrom()) && !filed {
			continue
		}
		c := coverage[op.Country]
		if c == nil {
			c = &calculators.RegionViewCoverage{Counted: []string{}, Partial: []calculators.PartialOperator{}}
			coverage[op.Country] = c
		}
		c.Due++
		if !filed {
			continue
		}
		c.Filed++
		accepted, in := publicVersions(span, latest)
		if len(in) == 0 {
			continue
		}
		r, err := s.publicRollup(op.ID, span, accepted, in, false)
		if err != nil {
			return nil, err
		}
		c.Accepted++
		c.Counted = append(c.Counted, op.ID)
		counted = append(counted, calculators.OperatorRollup{Country: op.Country, Rollup: r})
	}
	total := calculators.RegionViewCoverage{Counted: []string{}, Partial: []calculators.PartialOperator{}}
	for _, c := range coverage {
		total.Due += c.Due
		total.Filed += c.Filed
		total.Accepted += c.Accepted
	}
	if len(counted) == 0 {
		out.Metrics = regionMetrics(nil, nil)
		out.Coverage = total
		return out, nil
	}
	sum, byCountry := calculators.Sector(counted)
	for _, cc := range sortedKeys(byCountry) {
		t, c := byCountry[cc], coverage[cc]
		c.Partial = t.Coverage.Partial
		out.Countries = append(out.Countries, calculators.RegionViewCountry{Country: cc, Name: s.countryName(cc), Coverage: *c, Figures: calculators.RegionFigures(t)})
	}
	out.Metrics = regionMetrics(calculators.RegionFigures(sum), out.Countries)
	total.Counted = append(total.Counted, sum.Operators...)
	total.Partial = sum.Coverage.Partial
	out.Coverage = total
	return out, nil
}

// AlterRegionTerms rewrites the span file at path with one field of its
// header changed: "build", "span", "root" or "at" (one entry later).
func AlterRegionTerms(path, field string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var f regionTermsFile
	if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&f); err != nil {
		return err
	}
	switch field {
	case "build":
		f.Build = "another" + f.Build
	case "span":
		f.Span = "1999"
	case "root":
		f.Root = strings.Repeat("0", len(f.Root))
	case "at":
		f.At++
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(f); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o600)
}

// RegionTouched is touchedSince over the entries from seq from to seq
// to: the operators whose regional facts they may change, or all.
func RegionTouched(s *Service, from, to uint64) (touched []string, all bool) {
	m, all := s.touchedSince(from, to)
	for op := range m {
		touched = append(touched, op)
	}
	slices.Sort(touched)
	return touched, all
}

// SetRegionAfterSize has f run once each regional view of s has read the
// ledger's size, before it reads the operators: entries f commits are in
// the state the view reads but past the size it names.
func SetRegionAfterSize(s *Service, f func()) { s.regionTerms.afterSize = f }

// RegionOperatorsRead counts the operators whose versions s's regional
// views read from the state so far.
func RegionOperatorsRead(s *Service) int {
	s.regionGate <- struct{}{}
	defer func() { <-s.regionGate }()
	return s.regionTerms.read
}

// RefuseWrites makes s read-only, as after an entry it could not apply:
// ReadOnly reports err and every change is refused.
func RefuseWrites(s *Service, err error) { s.applyErr.Store(&err) }

// SectorViewsComputed counts the sector views s computed so far.
func SectorViewsComputed(s *Service) int64 { return s.sectorViews.Load() }

// AppendSectorRecordOfBuild appends the sector record of scope and span
// as it stands, as the build named build would have recorded it.
func AppendSectorRecordOfBuild(ctx context.Context, s *Service, scope []string, span ledger.Span, build string) (uint64, error) {
	rec, err := s.SectorRecordOf(scope, span, s.now())
	if err != nil {
		return 0, err
	}
	rec.Build = build
	return s.appendRecord(ctx, recordAppend{kind: ledger.KindSectorRecorded, key: "sector-record:" + rec.Key(),
		what: "test", payload: rec, notBefore: rec.AsOf, unchanged: func() bool { return true }})
}
