package service

import (
	"strings"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

// PublicRollupsKept counts the operators' public roll-ups in the result
// cache, so that a test can see how many a regional view computed.
func PublicRollupsKept(s *Service) int {
	s.results.mu.Lock()
	defer s.results.mu.Unlock()
	n := 0
	for k := range s.results.byKey {
		if strings.HasPrefix(k, "public-rollup|") {
			n++
		}
	}
	return n
}

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

// RegionBundleLeast is the lower bound of the length of the regional
// bundle of span that s knows without reading an entry.
func RegionBundleLeast(s *Service, span ledger.Span) int {
	return s.regionInputs(span).least
}
