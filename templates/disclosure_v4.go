package templates

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/ictledger/ictledger/calculators"
)

// OperatorTemplateV4 is the operator disclosure as a regulator would
// publish it: the pages of disclosure_v3 (the additions of methodology
// 2026.1 drawn only for a document of that methodology), with the label
// column of the bar charts as wide as its labels, a palette that repeats
// no colour within a chart, figures that are not available named in
// words, each pointer to them kept under its section's heading, each
// factor's source printed once in a numbered list and referred to by
// number, the regulator's acceptance note apart from the review findings,
// and the attachment's file name in its /F entry. Documents of earlier
// versions keep rendering as they were issued.
const OperatorTemplateV4 = "disclosure_v4"

// v4 reports whether the document is drawn in disclosure_v4, whose
// changes to the shared blocks are switched on here.
func (d *doc) v4() bool { return d.meta.template == OperatorTemplateV4 }

// RenderOperatorDisclosureV4 draws the operator disclosure in layout
// disclosure_v4 and embeds attachment as AttachmentName. The same view
// model and attachment always give the same bytes.
func RenderOperatorDisclosureV4(v *OperatorDisclosure, attachment []byte) ([]byte, error) {
	if v == nil {
		return nil, errors.New("render disclosure: no view model")
	}
	if v.LedgerTime.IsZero() {
		return nil, errNoLedgerTime
	}
	d := newDoc(docMeta{
		title:      v.Operator,
		period:     v.Period,
		root:       v.Checkpoint.Root,
		size:       v.Checkpoint.Size,
		template:   OperatorTemplateV4,
		subject:    fmt.Sprintf("Sustainability disclosure, %s, %s", v.Operator, v.Period),
		ledgerTime: v.LedgerTime,
	}, attachment)
	d.sources = newSourceList(v)
	s := v.Since20261
	pages := []func(){
		func() { discCover(d, v) },
		func() {
			discSummary(d, v)
			if s != nil {
				comparisonNote(d, v, s)
			}
		},
		func() {
			// The reporting boundary is about the whole section: it goes
			// under the heading, with the pointer to what is unavailable.
			d.headingNote = sectionNANote(v, "e1.")
			if s != nil {
				d.headingNote = strings.TrimSpace(boundaryText(s.Boundary) + " " + d.headingNote)
			}
			discE1(d, v)
			if s != nil {
				addedFigures(d, "E1", s.E1)
				cueTable(d, s.DataCentres)
			}
		},
		func() {
			d.headingNote = sectionNANote(v, "e2.")
			discE2(d, v)
			if s != nil {
				addedFigures(d, "E2", s.E2)
			}
		},
		func() {
			d.headingNote = sectionNANote(v, "e3.")
			discE3(d, v)
			if s != nil {
				addedFigures(d, "E3", s.E3)
			}
		},
	}
	if s != nil {
		pages = append(pages, func() { methodologySection(d, v, s); dataQualitySection(d, s) })
	}
	pages = append(pages, func() { discMethod(d, v) }, func() { discAppendix(d, v) })
	for i, page := range pages {
		if i == 0 || !d.roomForSection() {
			d.pdf.AddPage()
		} else {
			d.pdf.Ln(6)
		}
		page()
	}
	b, err := d.namedBytes()
	if err != nil {
		return nil, fmt.Errorf("render disclosure of %s %s: %w", v.OperatorID, v.Period, err)
	}
	return b, nil
}

// sectionNANote points from a section (metric keys starting with prefix)
// to the reasons its unavailable figures are listed with, naming up to
// three of them; "" when none is unavailable. disclosure_v4 draws it
// under the section's heading, where it cannot be left alone on a page.
func sectionNANote(v *OperatorDisclosure, prefix string) string {
	var names []string
	for _, u := range notAvailable(v) {
		if strings.HasPrefix(u.Key, prefix) {
			names = append(names, u.Name)
		}
	}
	switch {
	case len(names) == 0:
		return ""
	case len(names) <= 3:
		return NA + ": not available in this section: " + strings.Join(names, "; ") +
			". The reasons are listed under \u201cNot available\u201d after the summary."
	}
	return fmt.Sprintf("%s: %d figures of this section are not available; each is listed with the reason under \u201cNot available\u201d after the summary.", NA, len(names))
}

// boundaryText states the reporting boundary the figures cover:
// disclosure_v3 draws it as a note of its own (boundaryNote),
// disclosure_v4 under the E1 heading.
func boundaryText(b string) string {
	if b == "" {
		return "Reporting boundary: not stated in the return."
	}
	return "Reporting boundary: " + b + "."
}

// notAvailable is the document's unavailable figures named in words: the
// view model's NotAvailable, or its Unavailable under their keys when the
// caller named none.
func notAvailable(v *OperatorDisclosure) []NotAvailable {
	if len(v.NotAvailable) > 0 || len(v.Unavailable) == 0 {
		return v.NotAvailable
	}
	out := make([]NotAvailable, 0, len(v.Unavailable))
	for _, u := range v.Unavailable {
		out = append(out, NotAvailable{Key: u.Metric, Name: u.Metric, Reason: u.Reason})
	}
	return out
}

// unavailableListV4 lists every unavailable figure by its name, with the
// reason, in proportional type that wraps between words.
func unavailableListV4(d *doc, v *OperatorDisclosure) {
	na := notAvailable(v)
	if len(na) == 0 {
		return
	}
	rs := make([]row, 0, len(na))
	for _, u := range na {
		rs = append(rs, cells(u.Name, readableReason(u.Reason)))
	}
	d.subheading("Not available ("+NA+")", 10)
	d.table([]col{{title: "Figure", w: 72}, {title: "Reason", w: 108}}, rs)
}

// acceptanceNotes draws the regulator's comments on accepting the
// returns, apart from the review findings.
func acceptanceNotes(d *doc, ns []Note) {
	d.subheading("Regulator's acceptance note", 10)
	noteTable(d, ns, "Return", "Note", "No acceptance note was recorded.")
}

// metricKeyInText finds a metric key quoted in a reason
// ("see e2.weee_categories.6"), and weeeCategoryKey the key of a WEEE
// category's yearly targets.
var (
	metricKeyInText = regexp.MustCompile(`\be[123]\.[a-z0-9_.-]*[a-z0-9_]`)
	weeeCategoryKey = regexp.MustCompile(`^e2\.weee_categories\.(\d+)$`)
)

// readableReason is a reason for a figure's absence with the metric keys
// it refers to named in words, as the figures themselves are named: "see
// e2.weee_categories.6" reads "see WEEE category 6". A key breaks across
// lines mid-word in a narrow column and means nothing to a reader.
func readableReason(reason string) string {
	return metricKeyInText.ReplaceAllStringFunc(reason, func(key string) string {
		if m := weeeCategoryKey.FindStringSubmatch(key); m != nil {
			return "the yearly figures of WEEE category " + m[1]
		}
		return calculators.MetricName(key)
	})
}

// sectionCarryOver is the share of a page's body that the end of one
// section may fill before the next section starts on a page of its own.
const sectionCarryOver = 0.3

// roomForSection reports whether the next section starts on the current
// page: a section that overflowed onto a new page by a table or two
// would otherwise leave that page nearly empty (a lone 2026.1 table
// under the E2 section, then a blank to the foot of the page).
func (d *doc) roomForSection() bool {
	used := d.pdf.GetY() - marginT
	return used < sectionCarryOver*pageBody
}
