package service

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ictledger/ictledger/buildid"
	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/templates"
)

// SectorRecordOf is what a sector.recorded entry of a scope and span
// says of the ledger as it stands, lateness counted at asOf: the sector
// view (SectorView) of the first At entries and their tree hash.
//
// As with RegionRecordOf, the record must be exactly the view of its
// first At entries as of AsOf, since anyone holding them computes it
// again (ictledger verify records); see atOnePoint.
func (s *Service) SectorRecordOf(scope []string, span ledger.Span, asOf time.Time) (*ledger.SectorRecorded, error) {
	rec, _, err := s.sectorRecordOf(scope, span, asOf)
	return rec, err
}

// sectorRecordOf is SectorRecordOf with the view the record holds.
func (s *Service) sectorRecordOf(scope []string, span ledger.Span, asOf time.Time) (*ledger.SectorRecorded, *disclosure.SectorView, error) {
	if err := ledger.CheckScope(scope); err != nil {
		return nil, nil, ledger.Errorf(ledger.EInvalid, "a sector view's jurisdictions: %v", err)
	}
	asOf = asOf.UTC()
	var rec *ledger.SectorRecorded
	var view *disclosure.SectorView
	err := s.atOnePoint("the sector view of "+span.String(), func(at uint64) (err error) {
		if view, err = s.SectorView(scope, span, asOf); err != nil {
			return err
		}
		raw, err := ledger.Canonical(view)
		if err != nil {
			return err
		}
		root, err := s.treeHash(at)
		if err != nil {
			return err
		}
		rec = &ledger.SectorRecorded{Period: span.String(), Jurisdictions: scope, At: at, Root: root.String(), AsOf: asOf, View: raw,
			Build: runningBuild()}
		return nil
	})
	return rec, view, err
}

// SectorView is what a sector report of span shows for the operators of
// scope, lateness counted at asOf: the sector view's rows (sectorRows),
// ranked and summed as the report ranks and sums them, with
// what the report prints beside it, the administrations with their
// deadlines, the open warnings and findings, every figure exact. A view
// of one jurisdiction names its administration.
func (s *Service) SectorView(scope []string, span ledger.Span, asOf time.Time) (*disclosure.SectorView, error) {
	country := ""
	if len(scope) == 1 && scope[0] != ledger.AllJurisdictions {
		country = scope[0]
	}
	s.sectorViews.Add(1)
	m, _, err := s.sectorRows(scope, span, country, asOf)
	if err != nil {
		return nil, err
	}
	last := span.Last()
	v := &disclosure.SectorView{Period: span.String(), Country: country, FactorSets: []string{}, Names: map[string]string{},
		Administrations: []disclosure.SectorViewAdministration{}, Operators: []disclosure.SectorViewOperator{},
		Warnings: []disclosure.SectorViewNote{}, Findings: []disclosure.SectorViewNote{}}
	countries := map[string]bool{}
	if country != "" {
		countries[country] = true
		v.CountryName = s.gridCountryName(country)
		if j := s.st.Jurisdiction(country); j != nil {
			v.Administration = disclosure.AdministrationName(j.Jurisdiction)
		}
	}
	for _, st := range m.Status.Operators {
		countries[st.Country] = true
		v.Names[st.Operator] = st.Name
		op := disclosure.SectorViewOperator{ID: st.Operator, Country: st.Country, State: string(st.State),
			Late: st.Late, Deadline: st.Deadline.UTC()}
		if rv := s.st.Latest(st.Operator, last); rv != nil {
			filed := rv.FiledAt.UTC()
			op.Filed, op.Version = &filed, rv.Version
			for _, w := range rv.Warnings {
				v.Warnings = append(v.Warnings, disclosure.SectorViewNote{Operator: st.Operator, Path: w.Path, Message: w.Message})
			}
			if st.State == StateReturned {
				for _, f := range rv.Reviews[len(rv.Reviews)-1].Findings {
					v.Findings = append(v.Findings, disclosure.SectorViewNote{Operator: st.Operator, Path: f.Path, Message: f.Message})
				}
			}
		}
		v.Operators = append(v.Operators, op)
	}
	sort.Slice(v.Operators, func(i, j int) bool { return v.Operators[i].ID < v.Operators[j].ID })
	for _, c := range slices.Sorted(maps.Keys(countries)) {
		var rec *ledger.Jurisdiction
		if j := s.st.Jurisdiction(c); j != nil {
			rec = &j.Jurisdiction
		}
		deadline, _ := s.DeadlineIn(c, last)
		v.Administrations = append(v.Administrations, disclosure.SectorAdministration(c, s.gridCountryName(c), rec, last, deadline.UTC()))
	}
	var filed []disclosure.SectorFiled
	var rolls []*calculators.Rollup
	factorSets, gwps := map[string]bool{}, map[string]bool{}
	sort.Slice(m.Rows, func(i, j int) bool { return m.Rows[i].Operator < m.Rows[j].Operator })
	for _, row := range m.Rows {
		if row.rollup == nil {
			continue
		}
		v.Names[row.Operator] = row.Name
		filed = append(filed, disclosure.SectorFiled{ID: row.Operator, Country: row.Country, Rollup: row.rollup})
		rolls = append(rolls, row.rollup)
		for _, version := range row.rollup.FactorSets {
			factorSets[version] = true
			if fs := s.st.FactorSet(version); fs != nil {
				// As a roll-up computes: under the set's default GWP.
				gwps[strings.ToLower(fs.Set.GWPDefault)] = true
			}
		}
	}
	v.Methodology = s.viewMethodology(rolls)
	v.Metrics, v.Coverage = disclosure.SectorMetrics(filed, v.Methodology, true)
	v.FactorSets = slices.Sorted(maps.Keys(factorSets))
	v.GWP = strings.Join(slices.Sorted(maps.Keys(gwps)), ", ")
	return v, nil
}

// gridCountryName is a country's name as the factor sets' grid factors
// give it (the earliest set that names it), as a sector report prints
// it; the code when none does.
func (s *Service) gridCountryName(cc string) string {
	for _, fs := range s.st.FactorSets() {
		if g, ok := fs.Set.Grid[cc]; ok && g.Name != "" {
			return g.Name
		}
	}
	return cc
}

// sectorRecord is the sequence number of the sector.recorded entry that
// a sector report of scope and span is drawn from: the latest record of
// the scope and span when its figures (everything but At, Root and
// AsOf) are still those of the view now, or else a record of the view
// now, appended as the server (ledger.SystemActor).
//
// Only regulators and admins download sector reports, and what they may
// append is bounded as for the public regional report: one record per
// scope, span and change of its view, decided one request at a time. A
// scope with no operator registered appends nothing (ENotFound). A view
// changes with time as well as entries (an operator becomes late when
// its deadline passes), so the decision is made again on every download,
// from the roll-ups the result cache keeps.
func (s *Service) sectorRecord(ctx context.Context, scope []string, span ledger.Span) (uint64, error) {
	key := ledger.SectorRecordKey(scope, span.String())
	return s.records.once(ctx, "sector|"+key, func(ctx context.Context) (uint64, error) {
		now := s.now()
		latest := s.st.SectorRecord(key)
		if latest != nil && s.sectorRecordHolds(key, latest, scope, span, now) {
			return latest.Seq, nil
		}
		rec, view, err := s.sectorRecordOf(scope, span, now)
		if err != nil {
			return 0, err
		}
		if len(view.Operators) == 0 {
			return 0, ledger.Errorf(ledger.ENotFound, "no operator of %s is due for %s", strings.Join(scope, ", "), span)
		}
		if latest != nil {
			same, err := s.sameSectorFigures(latest.Seq, rec)
			if err != nil {
				return 0, err
			}
			if same {
				s.sectorChecks.put(key, sectorCheck{Seq: latest.Seq, At: rec.At, Root: rec.Root, AsOf: rec.AsOf})
				return latest.Seq, nil
			}
		}
		return s.appendRecord(ctx, recordAppend{kind: ledger.KindSectorRecorded, key: "sector-record:" + key,
			what: "sector report of " + span.String(), payload: rec, notBefore: rec.AsOf,
			unchanged: func() bool {
				now := s.st.SectorRecord(key)
				return (now == nil) == (latest == nil) && (now == nil || now.Seq == latest.Seq)
			}})
	})
}

// sectorRecordHolds reports whether latest, the latest record of key
// (scope and span), certainly still holds the view at now without
// computing it: from its own point when this build made it, else from
// the last point this process found it to hold at (sectorChecks).
func (s *Service) sectorRecordHolds(key string, latest *state.SectorRecord, scope []string, span ledger.Span, now time.Time) bool {
	if c, ok := s.sectorChecks.get(key); ok && c.Seq == latest.Seq && c.At <= s.st.Size() {
		if root, err := s.treeHash(c.At); err == nil && root.String() == c.Root {
			return s.sectorUnchangedSince(c.At, c.AsOf, scope, span, now)
		}
	}
	if latest.Build == "" || latest.Build != runningBuild() {
		return false // another build may compute the view otherwise
	}
	return s.sectorUnchangedSince(latest.At, latest.AsOf, scope, span, now)
}

// sectorUnchangedSince reports whether the view of scope and span as of
// the first at entries, lateness counted at asOf, is certainly still the
// view at now, without computing it: no entry since at filed, restated
// or reviewed a return of an operator of the scope or registered one
// (touchedSince), no factor set, deadline or administration record it
// reads was set since, and no deadline of the span's last quarter in the
// scope passed between asOf and now. False when it cannot tell; the
// view is then computed and compared.
//
// It is what lets a download after a restart draw the report from its
// record instead of computing fifty operators with ten years of history.
func (s *Service) sectorUnchangedSince(at uint64, asOf time.Time, scope []string, span ledger.Span, now time.Time) bool {
	size := s.st.Size()
	touched, all := s.touchedSince(at, size)
	if all {
		return false
	}
	countries := map[string]bool{}
	for _, op := range s.st.Operators() {
		if !ledger.Covers(scope, op.Country) {
			continue
		}
		if touched[op.ID] {
			return false
		}
		countries[op.Country] = true
	}
	for _, fs := range s.st.FactorSets() {
		if fs.Seq >= at {
			return false // the countries' names come from the factor sets
		}
	}
	last := span.Last()
	if d := s.st.Deadline(last); d != nil && d.Seq >= at {
		return false
	}
	for _, c := range scope {
		if c != ledger.AllJurisdictions {
			countries[c] = true // named, though it may have no operator
		}
	}
	for c := range countries {
		if j := s.st.Jurisdiction(c); j != nil && j.Seq >= at {
			return false
		}
		// Late means after the deadline (sectorStatus): an operator that
		// had not filed may have become late in between.
		if d, _ := s.DeadlineIn(c, last); !asOf.After(d) && now.After(d) {
			return false
		}
	}
	return true
}

// sameSectorFigures reports whether the sector.recorded entry seq
// records what rec does, apart from the point and time it was taken at.
func (s *Service) sameSectorFigures(seq uint64, rec *ledger.SectorRecorded) (bool, error) {
	old, err := s.readSectorRecord(seq)
	if err != nil {
		return false, err
	}
	a, err := sectorFigures(old)
	if err != nil {
		return false, err
	}
	b, err := sectorFigures(rec)
	if err != nil {
		return false, err
	}
	return bytes.Equal(a, b), nil
}

// readSectorRecord reads the sector.recorded entry seq back.
func (s *Service) readSectorRecord(seq uint64) (*ledger.SectorRecorded, error) {
	var rec ledger.SectorRecorded
	if err := s.readRecord(seq, ledger.KindSectorRecorded, &rec); err != nil {
		return nil, err
	}
	return &rec, nil
}

// readRecord reads entry seq back into the payload of a record of kind.
func (s *Service) readRecord(seq uint64, kind ledger.Kind, payload any) error {
	raw, err := s.j.Read(seq)
	if err != nil {
		return &ledger.Error{Code: ledger.EInternal, Message: "could not read the ledger", Err: err}
	}
	e, err := ledger.DecodeEntry(raw)
	if err != nil || e.Kind != kind {
		return ledger.Errorf(ledger.EInternal, "entry %d is not a %s entry (%s): %v", seq, kind, e.Kind, err)
	}
	if err := json.Unmarshal(e.Payload, payload); err != nil {
		return &ledger.Error{Code: ledger.EInternal, Message: fmt.Sprintf("could not read the %s entry %d", kind, seq), Err: err}
	}
	return nil
}

// sectorFigures is the canonical encoding of a record without its point,
// time and build.
func sectorFigures(r *ledger.SectorRecorded) ([]byte, error) {
	c := *r
	c.At, c.Root, c.AsOf, c.Build = 0, "", time.Time{}, ""
	return ledger.Canonical(&c)
}

// runningBuild is the hex of the running build's ID, which a sector
// record names; "" when it cannot be told, and then no record is reused
// without computing its view.
func runningBuild() string {
	id, err := buildid.Running() // worked out once per process
	if err != nil {
		return ""
	}
	return id.String()
}

// sectorFiguresSince sets res.FiguresChanged when res is a sector report
// of layout sector_v4 that passed every check so far and the view of its
// scope and period today (lateness counted now) differs from the record
// it presents. Nothing is appended: the change names the latest record
// of the scope and period only when that record holds today's view.
func (s *Service) sectorFiguresSince(res *disclosure.Result) error {
	seq, ok := s.presentedRecord(res, templates.SectorTemplateV4, ledger.KindSectorRecorded)
	if !ok {
		return nil
	}
	presented, err := s.readSectorRecord(seq)
	if err != nil {
		return err
	}
	span, err := ledger.ParseSpan(presented.Period)
	if err != nil {
		return &ledger.Error{Code: ledger.EInternal, Message: fmt.Sprintf("sector record %d names no period", seq), Err: err}
	}
	latest := s.st.SectorRecord(presented.Key())
	if latest != nil && latest.Seq == seq && s.sectorRecordHolds(presented.Key(), latest, presented.Jurisdictions, span, s.now()) {
		return nil // still the latest record, and nothing it shows changed
	}
	now, err := s.SectorRecordOf(presented.Jurisdictions, span, s.now())
	if err != nil {
		return err
	}
	same, err := s.sameSectorFigures(seq, now)
	if err != nil || same {
		return err
	}
	change := &disclosure.FiguresChange{Record: seq}
	if latest != nil && latest.Seq != seq {
		same, err := s.sameSectorFigures(latest.Seq, now)
		if err != nil {
			return err
		}
		if same {
			change.Latest = latest.Seq
		}
	}
	res.FiguresChanged = change
	return nil
}
