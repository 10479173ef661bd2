package disclosure

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

// A sector_v4 report draws one sector.recorded entry: the sector view the
// ledger recorded for a scope and span (ledger.SectorRecorded). Its
// bundle attaches that entry alone, with its inclusion proof, as a
// region_v2 report attaches its record; and as there, everything the
// renderer draws from the record is bounded here first.

// Bounds on a recorded sector view beyond those of a region record:
// operators listed (a region of 2,000 operators is the largest deployment
// measured), and the digits of an exact figure (a division keeps
// calculators.DivPrecision places; sums of filed quantities have at most
// 18 digits before the point and 18 after).
const (
	maxSectorOperators = 20000
	maxSectorNotes     = 200000
	maxExactPlaces     = 48
	maxExactDigits     = 96
)

// sectorRecorded is a sector.recorded entry of a bundle, decoded and
// checked by decodeSectorRecord.
type sectorRecorded struct {
	ledger.SectorRecorded
	view SectorView
	Seq  uint64
	Time time.Time
}

// decodeSectorRecord reads a sector.recorded entry strictly: a payload
// with no unknown field that passes SectorRecorded.Check, and a view that
// decodes, with no unknown field, into a SectorView that checkView
// accepts. Every string is bounded before the view is decoded.
func decodeSectorRecord(e ledger.Entry) (*sectorRecorded, error) {
	r := &sectorRecorded{Seq: e.Seq, Time: e.Time}
	if err := e.DecodePayload(&r.SectorRecorded); err != nil {
		return nil, err
	}
	if err := r.Check(); err != nil {
		return nil, fmt.Errorf("entry %d: %w", e.Seq, err)
	}
	if r.At > e.Seq || r.AsOf.After(e.Time) {
		return nil, fmt.Errorf("entry %d: sector record: it is of %d entries as of %s, past its own place", e.Seq, r.At, r.AsOf.Format(time.RFC3339))
	}
	if err := decodeView(r.View, &r.view); err != nil {
		return nil, fmt.Errorf("entry %d: sector record: %w", e.Seq, err)
	}
	if err := r.checkView(); err != nil {
		return nil, fmt.Errorf("entry %d: sector record: %w", e.Seq, err)
	}
	return r, nil
}

// checkView holds the record's view to what a sector view always is: the
// record's span, its one country when it has one, operators of its scope
// listed once each in id order with a filing state that says what it
// holds, the headline metrics in their order with values of operators
// named once each, and no figure, name or list beyond the bounds above.
// It does not judge the figures.
func (r *sectorRecorded) checkView() error {
	v := &r.view
	if v.Period != r.Period {
		return fmt.Errorf("the view is of %q; the record of %s", v.Period, r.Period)
	}
	sole := ""
	if len(r.Jurisdictions) == 1 && r.Jurisdictions[0] != ledger.AllJurisdictions {
		sole = r.Jurisdictions[0]
	}
	if v.Country != sole {
		return fmt.Errorf("the view is of country %q; the record's scope is %s", v.Country, strings.Join(r.Jurisdictions, ","))
	}
	for what, s := range map[string]string{"country name": v.CountryName, "administration": v.Administration} {
		if err := checkOptionalName(s); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := ledger.CheckMethodology("methodology", v.Methodology); err != nil {
		return err
	}
	// The GWP sets are those of the factor sets filed under: none
	// before anyone filed.
	if (v.GWP == "") != (len(v.FactorSets) == 0) || len(v.GWP) > ledger.TextID.MaxRunes() {
		return fmt.Errorf("GWP %q for %d factor sets: a short name, empty only when no return was filed", v.GWP, len(v.FactorSets))
	}
	if err := checkListed(v.FactorSets); err != nil {
		return fmt.Errorf("factor sets: %w", err)
	}
	inScope := func(cc string) bool { return ledger.IsCountryCode(cc) && ledger.Covers(r.Jurisdictions, cc) }
	for i, a := range v.Administrations {
		if !inScope(a.Country) || i > 0 && a.Country <= v.Administrations[i-1].Country {
			return fmt.Errorf("administration %q: a country of the scope, listed once, in code order", a.Country)
		}
		for _, s := range []string{a.CountryName, a.Name, a.Rule} {
			if err := checkOptionalName(s); err != nil {
				return fmt.Errorf("administration %s: %w", a.Country, err)
			}
		}
	}
	if len(v.Operators) > maxSectorOperators || len(v.Names) > 2*maxSectorOperators {
		return fmt.Errorf("%d operators and %d names, over %d", len(v.Operators), len(v.Names), maxSectorOperators)
	}
	for id, name := range v.Names {
		if id == "" || len(id) > ledger.TextID.MaxRunes() {
			return fmt.Errorf("operator %q: not an id", id)
		}
		if err := checkName(name); err != nil {
			return fmt.Errorf("operator %s: name: %w", id, err)
		}
	}
	// Every operator the view speaks of is named, and every name is of
	// one it speaks of.
	named := map[string]bool{}
	name := func(id string) error {
		if _, ok := v.Names[id]; !ok {
			return fmt.Errorf("operator %q is not named", id)
		}
		named[id] = true
		return nil
	}
	for i, op := range v.Operators {
		if op.ID == "" || len(op.ID) > ledger.TextID.MaxRunes() || i > 0 && op.ID <= v.Operators[i-1].ID {
			return fmt.Errorf("operator %q: an id, listed once, in order", op.ID)
		}
		if err := name(op.ID); err != nil {
			return err
		}
		if !inScope(op.Country) {
			return fmt.Errorf("operator %s: country %q is not of the scope", op.ID, op.Country)
		}
		filed := op.Filed != nil
		switch {
		case !slices.Contains([]string{"missing", "submitted", "returned", "accepted"}, op.State):
			return fmt.Errorf("operator %s: state %q", op.ID, op.State)
		case filed != (op.State != "missing") || filed != (op.Version > 0):
			return fmt.Errorf("operator %s: state %s with version %d and a filing time %v", op.ID, op.State, op.Version, filed)
		}
	}
	heads := calculators.Headlines()
	if len(v.Metrics) != 0 && len(v.Metrics) != len(heads) {
		return fmt.Errorf("the view has %d metrics; a sector view has %d, or none without filings", len(v.Metrics), len(heads))
	}
	var filed map[string]bool // the operators the metrics rank
	for i, m := range v.Metrics {
		h := heads[i]
		if m.Key != h.Key || m.Label != h.Label || m.Unit != h.Unit {
			return fmt.Errorf("metric %d is %q (%q, %q); the sector view's is %q (%q, %q)", i, m.Key, m.Label, m.Unit, h.Key, h.Label, h.Unit)
		}
		if !slices.Contains([]string{calculators.RankLower, calculators.RankHigher, calculators.RankNone}, m.Direction) {
			return fmt.Errorf("metric %s: direction %q", m.Key, m.Direction)
		}
		for what, x := range map[string]calculators.Exact{"total": m.Total, "median": m.Median} {
			if err := checkExact(x); err != nil {
				return fmt.Errorf("metric %s, %s: %w", m.Key, what, err)
			}
		}
		if i == 0 {
			filed = map[string]bool{}
			for _, row := range m.Rows {
				if filed[row.Operator] {
					return fmt.Errorf("metric %s: operator %q: listed once", m.Key, row.Operator)
				}
				if err := name(row.Operator); err != nil {
					return fmt.Errorf("metric %s: %w", m.Key, err)
				}
				filed[row.Operator] = true
			}
			if len(filed) > maxSectorOperators {
				return fmt.Errorf("metric %s ranks %d operators, over %d", m.Key, len(filed), maxSectorOperators)
			}
		}
		if len(m.Rows) != len(filed) {
			return fmt.Errorf("metric %s has %d rows; the first metric %d", m.Key, len(m.Rows), len(filed))
		}
		seen := map[string]bool{}
		for _, row := range m.Rows {
			if !filed[row.Operator] || seen[row.Operator] {
				return fmt.Errorf("metric %s: operator %q is not the first metric's, or is listed twice", m.Key, row.Operator)
			}
			seen[row.Operator] = true
			if row.Rank < 0 || row.Rank > len(m.Rows) {
				return fmt.Errorf("metric %s, operator %s: rank %d", m.Key, row.Operator, row.Rank)
			}
			if err := checkExact(row.Value); err != nil {
				return fmt.Errorf("metric %s, operator %s: %w", m.Key, row.Operator, err)
			}
			if err := checkOptionalName(row.Reason); err != nil {
				return fmt.Errorf("metric %s, operator %s: reason: %w", m.Key, row.Operator, err)
			}
		}
	}
	if (v.Coverage == nil) != (len(v.Metrics) == 0) {
		return fmt.Errorf("the view states coverage only with metrics")
	}
	if c := v.Coverage; c != nil {
		if len(c.Partial) > len(filed) || len(c.LeftOut) > maxRecordListed {
			return fmt.Errorf("the coverage names more than the operators of the view, or over %d metrics", maxRecordListed)
		}
		for _, p := range c.Partial {
			if !filed[p.Operator] || len(p.Quarters)+len(p.Missing) > 4 {
				return fmt.Errorf("partial operator %q: not ranked, or more quarters than a year", p.Operator)
			}
		}
		for key, ids := range c.LeftOut {
			// Any ratio over a stock, not only the headlines: the
			// report names only those it shows.
			if key == "" || len(key) > ledger.TextID.MaxRunes() || len(ids) > len(filed) {
				return fmt.Errorf("metric %q left out: not a metric key, or more operators than ranked", key)
			}
			for _, id := range ids {
				if !filed[id] {
					return fmt.Errorf("metric %q left out operator %q, which is not ranked", key, id)
				}
			}
		}
	}
	if len(v.Warnings)+len(v.Findings) > maxSectorNotes {
		return fmt.Errorf("%d warnings and findings, over %d", len(v.Warnings)+len(v.Findings), maxSectorNotes)
	}
	for _, n := range slices.Concat(v.Warnings, v.Findings) {
		if n.Message == "" {
			return fmt.Errorf("a note of operator %q has no message", n.Operator)
		}
		if err := name(n.Operator); err != nil {
			return fmt.Errorf("a note: %w", err)
		}
	}
	if len(named) != len(v.Names) {
		return fmt.Errorf("the view names %d operators and speaks of %d", len(v.Names), len(named))
	}
	return nil
}

// checkExact bounds an exact figure's digits.
func checkExact(x calculators.Exact) error {
	return checkDigits(calculators.Value(x), maxExactPlaces, maxExactDigits)
}

// checkOptionalName bounds a text the report prints that may be empty.
func checkOptionalName(s string) error {
	if s == "" {
		return nil
	}
	return checkName(s)
}

// sectorReportV4 builds the view model of a sector_v4 report from its
// bundle: the record's view as it stands. The bundle says nothing the
// record does not: its period, its one country, no deadlines, GWP,
// methodology or roll-up of its own, and a checkpoint whose tree holds
// the record.
func sectorReportV4(b *Bundle, in *inputs) (*templates.SectorReport, error) {
	if len(in.sectorRecords) != 1 || len(b.Entries) != 1 {
		return nil, fmt.Errorf("a %s report attaches exactly one entry, its %s record; this bundle attaches %d entries, %d of them records",
			templates.SectorTemplateV4, ledger.KindSectorRecorded, len(b.Entries), len(in.sectorRecords))
	}
	r := in.sectorRecords[0]
	v := &r.view
	if b.Period != r.Period || b.Country != v.Country {
		return nil, fmt.Errorf("the bundle is of %q, country %q; its record (entry %d) of %q, country %q", b.Period, b.Country, r.Seq, r.Period, v.Country)
	}
	if b.Basis != "" || b.Operator != "" || b.GWP != "" || b.Deadline != "" || len(b.Deadlines) > 0 || b.Methodology != "" || b.Rollup != 0 || len(b.Coverage) > 0 || b.CountedAt != 0 {
		return nil, fmt.Errorf("a %s report says only what its record says: the bundle's basis, operator, GWP, deadlines, methodology, roll-up and coverage must be empty", templates.SectorTemplateV4)
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
	rep := &templates.SectorReport{Period: v.Period, Country: v.Country, CountryName: v.CountryName, Administration: v.Administration,
		FactorSet: strings.Join(v.FactorSets, ", "), GWP: v.GWP, Methodology: v.Methodology,
		Checkpoint: templates.Checkpoint{Origin: cp.Origin, Size: cp.Size, Root: cp.Root.String(), Note: b.Checkpoint},
		LedgerTime: r.Time,
		Record: &templates.RecordRef{
			Entry: templates.EntryRef{Seq: r.Seq, Kind: string(ledger.KindSectorRecorded), LeafHash: be.LeafHash, Time: r.Time},
			Proof: templates.InclusionProof{Seq: r.Seq, Size: cp.Size, LeafHash: be.LeafHash, Root: cp.Root.String(), Hashes: be.Proof},
			At:    r.At, Root: r.Root, AsOf: r.AsOf,
		}}
	for _, a := range v.Administrations {
		rep.Administrations = append(rep.Administrations, templates.AdministrationDeadline{Country: a.Country, CountryName: a.CountryName,
			Name: a.Name, Rule: a.Rule, Deadline: a.Deadline})
	}
	name := func(id string) string { return v.Names[id] }
	for _, op := range v.Operators {
		st := templates.FilingStatus{Operator: name(op.ID), ID: op.ID, Country: op.Country, State: op.State, Late: op.Late,
			Version: op.Version, Deadline: op.Deadline}
		if op.Filed != nil {
			st.Filed = *op.Filed
		}
		rep.Status = append(rep.Status, st)
	}
	rep.Totals, rep.Metrics = drawMetrics(v.Metrics, name)
	rep.Coverage = coverageLines(v.Coverage, v.Metrics, v.Methodology, name)
	for _, n := range v.Warnings {
		rep.Warnings = append(rep.Warnings, templates.Note{Ref: name(n.Operator) + " " + n.Path, Text: n.Message})
	}
	for _, n := range v.Findings {
		rep.Findings = append(rep.Findings, templates.Note{Ref: name(n.Operator) + " " + n.Path, Text: n.Message})
	}
	return rep, nil
}
