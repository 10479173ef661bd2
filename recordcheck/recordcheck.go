// Package recordcheck checks the server's recorded views against the
// entries they speak for. A regional report (region_v2) and a sector
// report (sector_v4) prove offline only that the log recorded their
// figures (a region.recorded or sector.recorded entry under the log's
// signature); whether those figures are right is a question for anyone
// who holds the entries: this package replays a journal into a new state
// and, at each record's point, computes the view again with the same
// code the server runs (a sector view as of the time the record counted
// lateness at), then compares it with the record byte for byte. A record
// that differs is signed evidence against the server.
//
// The view is computed by the running build: a record made by an earlier
// build also differs where a calculation was corrected since, so a
// difference is judged with the release notes of the builds in between.
package recordcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/journal"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/service"
)

// Record is what the check found of one recorded view.
type Record struct {
	Seq    uint64      // the entry
	Kind   ledger.Kind // region.recorded or sector.recorded
	Period string      // the span it records
	// Scope is, for a sector view, the jurisdictions it covers ("TH",
	// "JP,TH" or "*"); empty for the region.
	Scope string
	At    uint64 // how many entries its view is of
	// Countries and Operators are how many the recorded view shows and
	// counts (a sector view: the operators due it lists).
	Countries int
	Operators int
	// Difference is empty when the record is exactly what the entries
	// give; otherwise it names the first field that differs, with the
	// recorded and the computed value.
	Difference string
	// OtherBuild is set when a sector record names another build than
	// the one checking it (or none): a difference may then be a
	// calculation corrected between the two.
	OtherBuild bool
}

// Holds reports whether the record is what its entries give.
func (r Record) Holds() bool { return r.Difference == "" }

// Report is the outcome of a check.
type Report struct {
	Entries uint64   // the entries read (the journal as it was opened)
	Records []Record // every recorded view, in log order
}

// Wrong counts the records that do not hold.
func (r Report) Wrong() int {
	n := 0
	for _, rec := range r.Records {
		if !rec.Holds() {
			n++
		}
	}
	return n
}

// Dir checks every region.recorded and sector.recorded entry of the
// journal in the data directory dir. It reads the journal as it stands
// when called, without its lock, so it runs next to a live server; it
// writes nothing.
//
// An error means the check could not be made (the journal is damaged, an
// entry does not apply, or a view could not be computed); a record that
// does not hold is not an error but a Record with a Difference.
func Dir(ctx context.Context, dir string, log *slog.Logger) (Report, error) {
	var points []point
	r, err := journal.OpenReader(dir, journal.InspectOptions{Visit: func(seq uint64, data []byte) error {
		// Most entries are returns; only the few that can be records are
		// decoded here.
		if !bytes.Contains(data, []byte(ledger.KindRegionRecorded)) && !bytes.Contains(data, []byte(ledger.KindSectorRecorded)) {
			return nil
		}
		e, err := ledger.DecodeEntry(data)
		if err != nil {
			return nil // the replay reports an entry that does not decode
		}
		p := point{seq: seq, kind: e.Kind}
		switch e.Kind {
		case ledger.KindRegionRecorded:
			var rec ledger.RegionRecorded
			if err := json.Unmarshal(e.Payload, &rec); err != nil {
				return fmt.Errorf("region record: %w", err)
			}
			if err := rec.Check(); err != nil {
				return err
			}
			p.at, p.period = rec.At, rec.Period
		case ledger.KindSectorRecorded:
			var rec ledger.SectorRecorded
			if err := json.Unmarshal(e.Payload, &rec); err != nil {
				return fmt.Errorf("sector record: %w", err)
			}
			if err := rec.Check(); err != nil {
				return err
			}
			p.at, p.period, p.scope, p.asOf = rec.At, rec.Period, rec.Jurisdictions, rec.AsOf
		default:
			return nil
		}
		if p.at > seq {
			return fmt.Errorf("%s of %s is of the first %d entries, which it cannot follow", e.Kind, p.period, p.at)
		}
		points = append(points, p)
		return nil
	}})
	if err != nil {
		return Report{}, err
	}
	defer r.Close()
	return check(ctx, r, points, log)
}

// point is one record to check: the view of span period (of the
// jurisdictions scope, as of asOf, for a sector view) as of the first at
// entries, recorded by entry seq (read again when its turn comes, so
// that a log of many records is not held in memory).
type point struct {
	seq    uint64
	kind   ledger.Kind
	at     uint64
	period string
	scope  []string
	asOf   time.Time
}

func check(ctx context.Context, r *journal.Reader, points []point, log *slog.Logger) (Report, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rep := Report{Entries: r.Size(), Records: make([]Record, len(points))}
	if len(points) == 0 {
		return rep, nil
	}
	// Visit the points in the order of the ledger's size they are of; a
	// record's point is at or before its own entry, so not in log order.
	order := make([]int, len(points))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return points[order[a]].at < points[order[b]].at })

	st := state.New()
	svc := service.New(service.Config{State: st, Logger: log})
	if err := svc.Start(&prefix{r: r, st: st}, nil); err != nil {
		return rep, err
	}
	replay, next := st.NewReplay(), uint64(0)
	for _, i := range order {
		p := points[i]
		for ; next < p.at; next++ {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			raw, err := r.Read(next)
			if err != nil {
				return rep, err
			}
			if err := replay.Apply(next, raw, tlog.RecordHash(raw)); err != nil {
				return rep, err
			}
		}
		replay.Finish()
		rec, err := recordAt(svc, r, p)
		if err != nil {
			return rep, err
		}
		rep.Records[i] = rec
		log.Info("record checked", "seq", p.seq, "kind", p.kind, "period", p.period, "at", p.at, "holds", rec.Holds())
	}
	return rep, nil
}

// recordAt computes p's record from the service, whose state holds the
// first p.at entries, and compares it with the one entry p.seq records.
func recordAt(svc *service.Service, r *journal.Reader, p point) (Record, error) {
	out := Record{Seq: p.seq, Kind: p.kind, Period: p.period, Scope: strings.Join(p.scope, ","), At: p.at}
	raw, err := r.Read(p.seq)
	if err != nil {
		return out, err
	}
	e, err := ledger.DecodeEntry(raw)
	if err != nil {
		return out, fmt.Errorf("entry %d: %w", p.seq, err)
	}
	payload := e.Payload
	span, err := ledger.ParseSpan(p.period)
	if err != nil {
		return out, err
	}
	var rec any
	var view json.RawMessage
	switch p.kind {
	case ledger.KindSectorRecorded:
		var recorded ledger.SectorRecorded
		if json.Unmarshal(payload, &recorded) == nil {
			view = recorded.View
		}
		var sr *ledger.SectorRecorded
		if sr, err = svc.SectorRecordOf(p.scope, span, p.asOf); err == nil {
			// Which build computed the record is not a figure: it is
			// compared as the record says it, and told apart.
			out.OtherBuild = recorded.Build != sr.Build
			sr.Build = recorded.Build
		}
		rec = sr
	default:
		rec, err = svc.RegionRecordOf(span)
		var recorded ledger.RegionRecorded
		if json.Unmarshal(payload, &recorded) == nil {
			out.Operators, view = len(recorded.Operators), recorded.View
		}
	}
	if err != nil {
		return out, fmt.Errorf("entry %d: the view of %s at %d entries: %w", p.seq, p.period, p.at, err)
	}
	got, err := ledger.Canonical(rec)
	if err != nil {
		return out, err
	}
	var v struct {
		Countries, Administrations, Operators []json.RawMessage
	}
	if json.Unmarshal(view, &v) == nil {
		out.Countries = len(v.Countries)
		if p.kind == ledger.KindSectorRecorded {
			out.Countries, out.Operators = len(v.Administrations), len(v.Operators)
		}
	}
	if !bytes.Equal(got, payload) {
		out.Difference = difference(payload, got)
	}
	return out, nil
}

// difference names the first place where the recorded JSON differs from
// the computed one, as a path with both values.
func difference(recorded, computed []byte) string {
	var a, b any
	if err := decode(recorded, &a); err != nil {
		return "the record does not decode: " + err.Error()
	}
	if err := decode(computed, &b); err != nil {
		return "the computed record does not decode: " + err.Error()
	}
	if d := firstDifference("", a, b); d != "" {
		return d
	}
	return "the record is not in canonical form"
}

func decode(b []byte, v *any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

func firstDifference(path string, a, b any) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return differs(path, a, b)
		}
		keys := make([]string, 0, len(x)+len(y))
		for k := range x {
			keys = append(keys, k)
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			va, inA := x[k]
			vb, inB := y[k]
			p := join(path, k)
			switch {
			case !inA:
				return p + ": not recorded, computed " + show(vb)
			case !inB:
				return p + ": recorded " + show(va) + ", computed nothing"
			}
			if d := firstDifference(p, va, vb); d != "" {
				return d
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok {
			return differs(path, a, b)
		}
		for i := 0; i < len(x) && i < len(y); i++ {
			if d := firstDifference(path+"["+strconv.Itoa(i)+"]", x[i], y[i]); d != "" {
				return d
			}
		}
		if len(x) != len(y) {
			return fmt.Sprintf("%s: %d recorded, %d computed", path, len(x), len(y))
		}
		return ""
	}
	if show(a) != show(b) {
		return differs(path, a, b)
	}
	return ""
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func differs(path string, a, b any) string {
	return path + ": recorded " + show(a) + ", computed " + show(b)
}

// show is a value as it reads in JSON, cut short when long.
func show(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 120 {
		return string(b[:117]) + "..."
	}
	return string(b)
}

// prefix is the journal as the service sees it while the check replays:
// the entries the state holds so far, and no more, so that the view is
// computed as of exactly that many entries. It never appends.
type prefix struct {
	r  *journal.Reader
	st *state.State
}

var errReadOnly = errors.New("recordcheck: the check reads entries and tree hashes only")

func (p *prefix) Append(context.Context, func(uint64) ([]byte, error)) (uint64, error) {
	return 0, errReadOnly
}

func (p *prefix) Size() uint64 { return p.st.Size() }

func (p *prefix) Read(seq uint64) ([]byte, error) {
	if seq >= p.st.Size() {
		return nil, fmt.Errorf("%w: entry %d is past the %d replayed", journal.ErrNotFound, seq, p.st.Size())
	}
	return p.r.Read(seq)
}

func (p *prefix) TreeHash(size uint64) (tlog.Hash, error) {
	if size > p.st.Size() {
		return tlog.Hash{}, fmt.Errorf("%w: tree size %d is past the %d entries replayed", journal.ErrNotFound, size, p.st.Size())
	}
	return p.r.TreeHash(size)
}

func (p *prefix) InclusionProof(uint64, uint64) (tlog.RecordProof, error) {
	return nil, errReadOnly
}

func (p *prefix) ConsistencyProof(uint64, uint64) (tlog.TreeProof, error) {
	return nil, errReadOnly
}

func (p *prefix) TileData(tlog.Tile) ([]byte, error) { return nil, errReadOnly }
