package disclosure

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

// A region_v2 report draws one region.recorded entry: the regional view
// the ledger recorded for a span (ledger.RegionRecorded). Its bundle
// attaches that entry alone, with its inclusion proof; what the figures
// are computed from stays in the ledger. So verifying the document proves
// that the signed log holds the record and that the document is its
// rendering, not that the figures are right (see ledger.KindRegionRecorded).
//
// The record comes from the signed log, and verification renders a
// bundle only after its proof checks; still, everything the renderer
// draws from it is bounded here, so that a record, whoever wrote it,
// cannot make a document grow faster than what it says: at most one
// jurisdiction per ISO code, each metric of the regional view once, and
// strings and numbers of bounded length.

// Bounds on what a record may hold, each far above what the ledger
// admits: names are at most 200 characters (ledger.TextName), figures
// sums of filed quantities of at most 18 digits before the point.
const (
	maxRecordString = 4096 // bytes of any string of the view, before it is decoded
	maxRecordName   = 1000 // characters of a country's or an operator's name
	maxRecordDigits = 64   // digits of a figure
	maxRecordPlaces = 18   // digits of a figure after the point
	maxRecordListed = 64   // factor sets, GWP sets or methodologies named
	maxProofHashes  = 63   // of an inclusion proof: Verify checks it, Render only bounds it
)

// recorded is a region.recorded entry of a bundle, decoded and checked by
// decodeRecord.
type recorded struct {
	ledger.RegionRecorded
	view calculators.RegionView
	Seq  uint64
	Time time.Time
}

// decodeRecord reads a region.recorded entry strictly: a payload with no
// unknown field that passes RegionRecorded.Check, and a view that
// decodes, with no unknown field, into calculators.RegionView. Every
// string of the view is bounded before it is decoded: a figure is a
// decimal in a string, and one of millions of digits would cost the
// decoder more than its bytes.
func decodeRecord(e ledger.Entry) (*recorded, error) {
	r := &recorded{Seq: e.Seq, Time: e.Time}
	if err := e.DecodePayload(&r.RegionRecorded); err != nil {
		return nil, err
	}
	if err := r.Check(); err != nil {
		return nil, fmt.Errorf("entry %d: %w", e.Seq, err)
	}
	if err := decodeView(r.View, &r.view); err != nil {
		return nil, fmt.Errorf("entry %d: region record: %w", e.Seq, err)
	}
	if err := r.checkView(); err != nil {
		return nil, fmt.Errorf("entry %d: region record: %w", e.Seq, err)
	}
	return r, nil
}

// decodeView decodes a record's view into v strictly: no string over
// maxRecordString bytes (checked before decoding: a figure is a decimal
// in a string, and one of millions of digits would cost the decoder more
// than its bytes), no unknown field, nothing after the object.
func decodeView(raw json.RawMessage, v any) error {
	if n := longestString(raw); n > maxRecordString {
		return fmt.Errorf("the view holds a string of %d bytes, over %d", n, maxRecordString)
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("the view does not decode: %w", err)
	}
	if d.More() {
		return fmt.Errorf("the view has data after its object")
	}
	return nil
}

// longestString is the length in bytes of the longest string literal of
// raw, valid JSON, escapes counted as written.
func longestString(raw []byte) int {
	longest, start, in := 0, 0, false
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case in && c == '\\':
			i++ // the escaped byte cannot end the string
		case c == '"' && in:
			longest, in = max(longest, i-start), false
		case c == '"':
			start, in = i+1, true
		}
	}
	return longest
}

// checkView holds the record's view to what the regional view always is,
// and to the names and lists the record gives with it: one span and
// basis, the regional metrics of calculators.RegionHeadlines in their
// order, each country once in code order with its own operators counted,
// the region's coverage adding up, every counted operator named, and no
// figure or name beyond the bounds above. It does not judge the figures.
func (r *recorded) checkView() error {
	v := &r.view
	span, err := ledger.ParseSpan(r.Period)
	if err != nil {
		return err
	}
	if v.Period != span.String() || v.Basis != BasisAccepted {
		return fmt.Errorf("the view is of %q on basis %q; the record is of %s on basis %q", v.Period, v.Basis, span, BasisAccepted)
	}
	heads := calculators.RegionHeadlines()
	if len(v.Metrics) != len(heads) {
		return fmt.Errorf("the view has %d metrics; the regional view has %d", len(v.Metrics), len(heads))
	}
	counted := map[string]string{} // operator id → its country
	var due, filed, accepted int
	for i, c := range v.Countries {
		if !ledger.IsCountryCode(c.Country) {
			return fmt.Errorf("country %q is not an ISO 3166-1 alpha-2 code", c.Country)
		}
		if i > 0 && c.Country <= v.Countries[i-1].Country {
			return fmt.Errorf("country %s follows %s: the countries are listed once each, in code order", c.Country, v.Countries[i-1].Country)
		}
		if err := checkName(c.Name); err != nil {
			return fmt.Errorf("country %s: name: %w", c.Country, err)
		}
		if err := checkCoverage(c.Coverage, span); err != nil {
			return fmt.Errorf("country %s: %w", c.Country, err)
		}
		if c.Coverage.Accepted == 0 {
			return fmt.Errorf("country %s counts no operator; the view lists only countries with an accepted return", c.Country)
		}
		for _, id := range c.Coverage.Counted {
			if cc, dup := counted[id]; dup {
				return fmt.Errorf("operator %q is counted in %s and in %s", id, cc, c.Country)
			}
			counted[id] = c.Country
		}
		if len(c.Figures) != len(heads) {
			return fmt.Errorf("country %s has %d figures; the regional view has %d", c.Country, len(c.Figures), len(heads))
		}
		for _, h := range heads {
			f, ok := c.Figures[h.Key]
			if !ok {
				return fmt.Errorf("country %s has no figure %s", c.Country, h.Key)
			}
			if err := checkFigure(f); err != nil {
				return fmt.Errorf("country %s, %s: %w", c.Country, h.Key, err)
			}
		}
		due, filed, accepted = due+c.Coverage.Due, filed+c.Coverage.Filed, accepted+c.Coverage.Accepted
	}
	for i, m := range v.Metrics {
		h := heads[i]
		if m.Key != h.Key || m.Label != h.Label || m.Unit != h.Unit || m.Intensity != h.Intensity {
			return fmt.Errorf("metric %d is %q (%q, %q, intensity %v); the regional view's is %q (%q, %q, intensity %v)",
				i, m.Key, m.Label, m.Unit, m.Intensity, h.Key, h.Label, h.Unit, h.Intensity)
		}
		// An intensity no country reports has a median of null, which
		// reads back as no median at all.
		if m.Median != nil && !h.Intensity {
			return fmt.Errorf("metric %s: a median is given for intensities only", m.Key)
		}
		if err := checkFigure(m.Region); err != nil {
			return fmt.Errorf("metric %s, region: %w", m.Key, err)
		}
		if m.Median != nil {
			if err := checkFigure(*m.Median); err != nil {
				return fmt.Errorf("metric %s, median: %w", m.Key, err)
			}
		}
		reporting := 0
		for _, c := range v.Countries {
			if c.Figures[m.Key].OK {
				reporting++
			}
		}
		if m.Reporting != reporting {
			return fmt.Errorf("metric %s: %d countries reporting, but %d have a value", m.Key, m.Reporting, reporting)
		}
	}
	rc := v.Coverage
	if err := checkCoverage(rc, span); err != nil {
		return fmt.Errorf("the region: %w", err)
	}
	if rc.Due < due || rc.Filed < filed || rc.Accepted != accepted {
		return fmt.Errorf("the region's coverage (%d due, %d filed, %d accepted) does not add its countries' (%d, %d, %d)",
			rc.Due, rc.Filed, rc.Accepted, due, filed, accepted)
	}
	for _, id := range rc.Counted {
		if _, ok := counted[id]; !ok {
			return fmt.Errorf("the region counts operator %q, which no country counts", id)
		}
	}
	if len(r.Operators) != len(counted) {
		return fmt.Errorf("the record names %d operators; the view counts %d", len(r.Operators), len(counted))
	}
	for id := range counted {
		name, ok := r.Operators[id]
		if !ok {
			return fmt.Errorf("the view counts operator %q, which the record does not name", id)
		}
		if err := checkName(name); err != nil {
			return fmt.Errorf("operator %q: name: %w", id, err)
		}
	}
	for what, list := range map[string][]string{"factor sets": r.FactorSets, "GWP sets": r.GWP, "methodologies": r.Methodology} {
		if err := checkListed(list); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if (len(list) == 0) != (len(counted) == 0) {
			return fmt.Errorf("%s: %d named for %d operators counted", what, len(list), len(counted))
		}
	}
	for _, m := range r.Methodology {
		if err := ledger.CheckMethodology("methodology", m); err != nil {
			return err
		}
	}
	return nil
}

// checkCoverage holds one coverage to its order (accepted of filed of
// due), its counted operators to its accepted count, each once, and its
// partial operators to counted ones with quarters of the span.
func checkCoverage(c calculators.RegionViewCoverage, span ledger.Span) error {
	if c.Accepted < 0 || c.Filed < c.Accepted || c.Due < c.Filed {
		return fmt.Errorf("%d accepted, %d filed, %d due", c.Accepted, c.Filed, c.Due)
	}
	if len(c.Counted) != c.Accepted {
		return fmt.Errorf("%d operators accepted, %d counted", c.Accepted, len(c.Counted))
	}
	seen := map[string]bool{}
	for _, id := range c.Counted {
		if id == "" || seen[id] {
			return fmt.Errorf("operator %q is counted twice or has no id", id)
		}
		seen[id] = true
	}
	partial := map[string]bool{}
	quarters := map[string]bool{}
	for _, q := range span.Quarters() {
		quarters[q.String()] = true
	}
	for _, p := range c.Partial {
		if !seen[p.Operator] || partial[p.Operator] {
			return fmt.Errorf("partial operator %q is not counted, or listed twice", p.Operator)
		}
		partial[p.Operator] = true
		if len(p.Quarters) == 0 || len(p.Missing) == 0 {
			return fmt.Errorf("partial operator %q: it has quarters and misses some", p.Operator)
		}
		given := map[string]bool{}
		for _, q := range slices.Concat(p.Quarters, p.Missing) {
			if !quarters[q] || given[q] {
				return fmt.Errorf("partial operator %q: quarter %q is not one of %s, or is given twice", p.Operator, q, span)
			}
			given[q] = true
		}
	}
	return nil
}

// checkFigure bounds a figure's digits.
func checkFigure(v calculators.Value) error { return checkDigits(v, maxRecordPlaces, maxRecordDigits) }

// checkDigits bounds a recorded value to places digits after the point
// and digits in all: a decimal of millions of digits would cost what
// draws it far more than its bytes.
func checkDigits(v calculators.Value, places, digits int) error {
	if !v.OK {
		return nil
	}
	if p := -int(v.D.Exponent()); p > places {
		return fmt.Errorf("%s has %d digits after the point, over %d", v.D, p, places)
	}
	if n := len(v.D.Coefficient().Text(10)); n > digits+1 { // the sign
		return fmt.Errorf("%s has over %d digits", v.D, digits)
	}
	return nil
}

// checkName bounds a name the report prints.
func checkName(s string) error {
	switch n := utf8.RuneCountInString(s); {
	case s == "":
		return fmt.Errorf("empty")
	case !utf8.ValidString(s):
		return fmt.Errorf("not valid UTF-8")
	case n > maxRecordName:
		return fmt.Errorf("%d characters, over %d", n, maxRecordName)
	}
	return nil
}

// checkListed holds a list of the record's cover to at most
// maxRecordListed short names, sorted and each once, as the service
// writes it.
func checkListed(list []string) error {
	if len(list) > maxRecordListed {
		return fmt.Errorf("%d named, over %d", len(list), maxRecordListed)
	}
	for i, s := range list {
		if s == "" || len(s) > ledger.TextID.MaxRunes() || !utf8.ValidString(s) {
			return fmt.Errorf("%q is not a short name", s)
		}
		if i > 0 && s <= list[i-1] {
			return fmt.Errorf("%q follows %q: they are listed once each, in order", s, list[i-1])
		}
	}
	return nil
}

// checkRecordPlace refuses a recorded view anywhere but in the report
// drawn from it: a region.recorded entry in any bundle but a region_v2
// report's, a sector.recorded entry in any but a sector_v4 report's; and
// in those two, any entry beside the one record. So a record never
// stands for returns in another document, nor returns beside it.
func checkRecordPlace(b *Bundle, es []ledger.Entry) error {
	places := map[ledger.Kind]struct{ document, template string }{
		ledger.KindRegionRecorded: {DocRegion, templates.RegionTemplateV2},
		ledger.KindSectorRecorded: {DocSector, templates.SectorTemplateV4},
	}
	var want ledger.Kind
	for kind, p := range places {
		if b.Document == p.document && b.Template == p.template {
			want = kind
		}
	}
	for _, e := range es {
		if p, ok := places[e.Kind]; ok && e.Kind != want {
			return fmt.Errorf("entry %d: a %s entry belongs only in a %s report, not in a %s document of layout %q",
				e.Seq, e.Kind, p.template, b.Document, b.Template)
		}
	}
	if want != "" && (len(es) != 1 || es[0].Kind != want) {
		kinds := make([]string, len(es))
		for i, e := range es {
			kinds[i] = string(e.Kind)
		}
		return fmt.Errorf("a %s report attaches exactly one entry, its %s record; this bundle attaches %d (%s)",
			b.Template, want, len(es), strings.Join(kinds, ", "))
	}
	return nil
}

// regionReportV2 builds the view model of a region_v2 report from its
// bundle: the record's view as it stands, operators named as the record
// names them. The bundle says nothing the record does not: no coverage
// of its own, no counting point, the record's period, and a checkpoint
// whose tree holds the record.
func regionReportV2(b *Bundle, in *inputs) (*templates.RegionReport, error) {
	if b.Basis != BasisAccepted {
		return nil, fmt.Errorf("a regional document uses accepted returns only; its basis must be %q, not %q", BasisAccepted, b.Basis)
	}
	if len(in.records) != 1 || len(b.Entries) != 1 {
		return nil, fmt.Errorf("a %s report attaches exactly one entry, its %s record; this bundle attaches %d entries, %d of them records",
			templates.RegionTemplateV2, ledger.KindRegionRecorded, len(b.Entries), len(in.records))
	}
	r := in.records[0]
	if len(b.Coverage) > 0 || b.CountedAt != 0 {
		return nil, fmt.Errorf("a %s report takes its coverage from its record: the bundle states coverage of %d countries counted at %d, and must state none",
			templates.RegionTemplateV2, len(b.Coverage), b.CountedAt)
	}
	if b.Operator != "" || b.Country != "" || b.GWP != "" || b.Deadline != "" || len(b.Deadlines) > 0 || b.Methodology != "" || b.Rollup != 0 {
		return nil, fmt.Errorf("a %s report says only what its record says: the bundle's operator, country, GWP, deadlines, methodology and roll-up must be empty", templates.RegionTemplateV2)
	}
	if b.Period != r.Period {
		return nil, fmt.Errorf("the bundle is of period %q, its record (entry %d) of %q", b.Period, r.Seq, r.Period)
	}
	if r.At > r.Seq {
		return nil, fmt.Errorf("the record (entry %d) is of the first %d entries, which it cannot precede", r.Seq, r.At)
	}
	cp, err := b.checkpointOf()
	if err != nil {
		return nil, err
	}
	if cp.Size <= r.Seq {
		return nil, fmt.Errorf("the checkpoint's tree of %d entries does not hold the record, entry %d", cp.Size, r.Seq)
	}
	be := b.Entries[0]
	if len(be.Proof) > maxProofHashes {
		return nil, fmt.Errorf("the record's inclusion proof has %d hashes; one in a tree of 2^63 entries has %d", len(be.Proof), maxProofHashes)
	}
	v := &r.view
	rep := &templates.RegionReport{Period: v.Period, Methodology: strings.Join(r.Methodology, ", "),
		FactorSet: strings.Join(r.FactorSets, ", "), GWP: strings.Join(r.GWP, ", "),
		Checkpoint: templates.Checkpoint{Origin: cp.Origin, Size: cp.Size, Root: cp.Root.String(), Note: b.Checkpoint},
		LedgerTime: r.Time,
		Record: &templates.RecordRef{
			Entry: templates.EntryRef{Seq: r.Seq, Kind: string(ledger.KindRegionRecorded), LeafHash: be.LeafHash, Time: r.Time},
			Proof: templates.InclusionProof{Seq: r.Seq, Size: cp.Size, LeafHash: be.LeafHash, Root: cp.Root.String(), Hashes: be.Proof},
			At:    r.At, Root: r.Root,
		}}
	names := func(ids []string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = r.Operators[id]
		}
		return out
	}
	heads := calculators.RegionHeadlines()
	for _, c := range v.Countries {
		rc := templates.RegionCountry{Country: c.Country, Name: c.Name,
			Coverage: templates.RegionCoverage{Due: c.Coverage.Due, Filed: c.Coverage.Filed, Accepted: c.Coverage.Accepted, Counted: names(c.Coverage.Counted)}}
		for _, h := range heads {
			rc.Figures = append(rc.Figures, c.Figures[h.Key])
		}
		rep.Countries = append(rep.Countries, rc)
	}
	for _, m := range v.Metrics {
		median := calculators.None
		if m.Median != nil {
			median = *m.Median
		}
		rep.Metrics = append(rep.Metrics, templates.RegionMetric{Key: m.Key, Label: m.Label, Unit: unitOf(m.Unit), Intensity: m.Intensity,
			Region: m.Region, Median: median, Reporting: m.Reporting})
	}
	rep.Coverage = templates.RegionCoverage{Due: v.Coverage.Due, Filed: v.Coverage.Filed, Accepted: v.Coverage.Accepted, Counted: names(v.Coverage.Counted)}
	for _, p := range v.Coverage.Partial {
		rep.Partial = append(rep.Partial, fmt.Sprintf("%s: accepted returns for %s only (none for %s); its flows count those quarters, its stocks are those of the last.",
			r.Operators[p.Operator], strings.Join(p.Quarters, ", "), strings.Join(p.Missing, ", ")))
	}
	return rep, nil
}
