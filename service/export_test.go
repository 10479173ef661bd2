package service

import "github.com/ictledger/ictledger/calculators"

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
