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
// disclosure_v4 for every new operator disclosure (it draws what
// methodology 2026.1 adds when m is 2026.1 or later, as disclosure_v3
// did); otherwise the layout the caller chose (sector_v4, region_v2). Documents
// issued in disclosure_v2 and disclosure_v3 name their layout in their
// bundle and keep rendering in it. Like the methodology, it is a
// function of the entries, which the document cache key covers.
func templateFor(document, m, chosen string) string {
	if document == disclosure.DocOperator {
		return templates.OperatorTemplateV4
	}
	return chosen
}
