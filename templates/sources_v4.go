package templates

import "fmt"

// sourceList numbers the distinct sources of a document's factors in the
// order they are first met, so that disclosure_v4 prints each source once
// and refers to it by number: a factor set gives most factors the same
// few documents, and printing the source in every row filled pages.
type sourceList struct {
	texts []string
	index map[string]int // source text -> 1-based number
}

// newSourceList numbers the sources of the grid factors (drawn first,
// in the methodology section) and then of the factors used.
func newSourceList(v *OperatorDisclosure) *sourceList {
	l := &sourceList{index: map[string]int{}}
	if v.Since20261 != nil {
		for _, g := range v.Since20261.GridFactors {
			l.add(g.Source)
		}
	}
	for _, f := range v.Method.Factors {
		l.add(f.Source)
	}
	return l
}

func (l *sourceList) add(source string) {
	if source == "" || l.index[source] != 0 {
		return
	}
	l.texts = append(l.texts, source)
	l.index[source] = len(l.texts)
}

// ref is the reference to source, "[n]", or "" when it has none.
func (l *sourceList) ref(source string) string {
	if n := l.index[source]; n > 0 {
		return fmt.Sprintf("[%d]", n)
	}
	return ""
}

// methodV4 draws the rest of the method section of disclosure_v4 after
// its introduction: the factors with a reference to their source, the
// numbered sources, the formulas, the warnings, the regulator's
// acceptance note and the review findings.
func methodV4(d *doc, m Method, l *sourceList) {
	d.subheading("Factors used", 15)
	if len(m.Factors) == 0 {
		d.noData("factors")
	} else {
		rs := make([]row, 0, len(m.Factors))
		for _, f := range m.Factors {
			rs = append(rs, cells(f.Key, formatExact(f.Value), f.Unit, l.ref(f.Source)))
		}
		d.tableNote([]col{{title: "Factor", w: 92, mono: true}, {title: "Value", w: 34, right: true}, {title: "Unit", w: 38}, {title: "Source", w: 16}}, rs,
			"The numbers in the Source column (and in the grid factors' table) refer to the list of sources below.")
	}
	sourcesBlock(d, l)

	d.subheading("Formulas", 15)
	if len(m.Formulas) == 0 {
		d.noData("formulas")
	} else {
		rs := make([]row, 0, len(m.Formulas))
		for _, f := range m.Formulas {
			rs = append(rs, cells(f.Metric, f.Text))
		}
		d.table([]col{{title: "Metric", w: 55, mono: true}, {title: "Formula", w: 125}}, rs)
	}

	d.subheading("Warnings raised at filing", 10)
	noteTable(d, m.Warnings, "Where", "Warning", "No warnings were raised at filing.")
	acceptanceNotes(d, m.Acceptance)
	d.subheading("Review findings", 10)
	noteTable(d, m.Findings, "About", "Finding", "The review recorded no findings.")
}

// sourcesBlock prints the numbered list of sources.
func sourcesBlock(d *doc, l *sourceList) {
	if len(l.texts) == 0 {
		return
	}
	d.subheading("Sources", 10)
	rs := make([]row, 0, len(l.texts))
	for i, s := range l.texts {
		rs = append(rs, cells(fmt.Sprintf("[%d]", i+1), s))
	}
	d.table([]col{{title: "No.", w: 12}, {title: "Source", w: 168}}, rs)
}
