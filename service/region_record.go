package service

import (
	"maps"
	"slices"
	"strings"

	"github.com/ictledger/ictledger/ledger"
)

// regionRecordTries is how many times RegionRecordOf computes the view
// again when entries were applied while it computed.
const regionRecordTries = 3

// RegionRecordOf is what a region.recorded entry of span says of the
// ledger as it stands: the regional view (Region) of the first At
// entries, their tree hash, and the names, factor sets, GWP sets and
// methodologies the report prints.
//
// The record must be exactly the view of its first At entries, since
// anyone holding them computes it again to check the server (ictledger
// verify region-records). The view reads the live state, so an entry
// applied while it computes could reach it; the view is taken again
// when the state's size moved meanwhile, and after regionRecordTries
// such tries the answer is busy. Reading the size again through
// State.View waits for a commit under way, whose rows a reader may
// already see.
func (s *Service) RegionRecordOf(span ledger.Span) (*ledger.RegionRecorded, error) {
	for range regionRecordTries {
		at := s.st.Size()
		rec, err := s.regionRecordAt(span, at)
		if err != nil {
			return nil, err
		}
		if s.st.View().Size() == at {
			return rec, nil
		}
	}
	return nil, ledger.Errorf(ledger.EBusy, "the ledger changed while the regional view of %s was recorded; try again shortly", span)
}

// regionRecordAt makes the record of span from the state, which should
// hold the first at entries and no more (RegionRecordOf checks that).
func (s *Service) regionRecordAt(span ledger.Span, at uint64) (*ledger.RegionRecorded, error) {
	if at == 0 {
		return nil, ledger.Errorf(ledger.ENotFound, "the ledger is empty")
	}
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
