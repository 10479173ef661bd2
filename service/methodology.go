package service

import (
	"github.com/ictledger/ictledger/ledger"
)

// bundleMethodology is the methodology a document made of the entries
// seqs follows: the latest methodology among the factor sets the entries
// include, so that quarters filed under an older set are recomputed under
// the newer methodology and compare like with like (methodology 2026.1,
// versioning rules). It is "" for 2025.1, which a bundle leaves out, so
// that bundles of 2025.1 encode, and render, exactly as before.
func (s *Service) bundleMethodology(seqs map[uint64]bool) string {
	m := ledger.Methodology20251
	for _, fs := range s.st.FactorSets() {
		if seqs[fs.Seq] && !ledger.MethodologyAtLeast(m, fs.Set.MethodologyOf()) {
			m = fs.Set.MethodologyOf()
		}
	}
	if m == ledger.Methodology20251 {
		return ""
	}
	return m
}
