package service

import (
	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
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

// templateFor is the layout a new document of methodology m is drawn in:
// disclosure_v3 for an operator disclosure of methodology 2026.1 or
// later, which shows what that methodology adds; otherwise the layout
// the caller chose (disclosure_v2, sector_v3), so that documents of
// methodology 2025.1 are drawn as before. Like the methodology, it is a
// function of the entries, which the document cache key covers.
func templateFor(document, m, chosen string) string {
	if document == disclosure.DocOperator && m != "" && ledger.MethodologyAtLeast(m, ledger.Methodology20261) {
		return templates.OperatorTemplateV3
	}
	return chosen
}
