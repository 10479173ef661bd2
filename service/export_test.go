package service

import "strings"

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
