package disclosure

import (
	"fmt"
	"strings"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/templates"
)

// Two roll-up bugs were fixed after sector documents had been issued with
// them (methodology-2026, R1 and R2). Such a document still verifies: its
// bundle has no Rollup, and renders with the roll-up it was made with.
// But a reader is owed the corrected figures, so verification computes
// the report both ways and names every total the fix changes.

// corrections says which figures of a verified document were corrected
// since it was issued, one notice each: none for a document made with the
// corrected roll-up, for an operator document, or when the correction
// changes none of the figures the document shows, as it shows them. R1 changes the sector
// sum's data-centre list, which no sector layout shows, so in practice
// only R2 reaches a notice.
func corrections(b *Bundle) ([]string, error) {
	if b.Document != DocSector || b.Rollup != 0 {
		return nil, nil
	}
	// Both reports read the same entries: they are decoded once. Building
	// a report only reads them.
	in, err := bundleInputs(b)
	if err != nil {
		return nil, err
	}
	old, err := sectorReport(b, in)
	if err != nil {
		return nil, err
	}
	fixed := *b
	fixed.Rollup = RollupCorrected
	now, err := sectorReport(&fixed, in)
	if err != nil {
		return nil, err
	}
	var out []string
	for i, m := range old.Totals {
		if i >= len(now.Totals) || now.Totals[i].Key != m.Key {
			return nil, fmt.Errorf("corrected sector totals do not list %s where the document does", m.Key)
		}
		v := now.Totals[i].Value
		if m.Unit.Format(m.Value) == m.Unit.Format(v) {
			continue // the figure as the document shows it stands
		}
		out = append(out, fmt.Sprintf(
			"corrected since: the sector total %q was %s and is %s: the roll-up this document was made with summed the two terms of a ratio over a stock over different operators, counting an operator that did not file the numerator as having none (R2, fixed in every methodology)",
			m.Label, noticeValue(m.Value, m.Unit), noticeValue(v, m.Unit)))
	}
	return out, nil
}

// noticeValue writes a value for a notice, as the document shows it.
func noticeValue(v calculators.Value, u templates.Unit) string {
	s := u.Format(v)
	if v.OK && u != "" {
		return strings.TrimSpace(s + " " + string(u))
	}
	return s
}
