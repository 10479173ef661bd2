package state

import (
	"bufio"
	"encoding/gob"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/ictledger/ictledger/ledger"
)

// A snapshot is the state's rows as of one size, written so that a start
// can load them instead of applying every entry again. Loading still
// inserts every row into new radix trees, but once, in key order and in
// one transaction a table, where a replay decodes each entry and inserts
// or re-inserts its rows a batch at a time. The encoding is gob of the
// records below; it is trusted only by the build that wrote it (the
// store checks that, and the tree the snapshot reflects), so it needs no
// compatibility across versions.
//
// The figures table is left out: it is the one table the journal does
// not write (PutFigures), and a replayed state starts without figures
// too.
//
// Factor sets are not gob of their rows but the entries that published
// them, applied again when the snapshot is loaded: gob does not carry a
// pointer to a zero value nor an empty list as such (both come back
// nil), and a factor set holds both as a replay decodes them from the
// entry's JSON (a basis_confirmed of false, a list written []), which
// GET /v1/factor-sets/{version} serves back. Every other row type holds
// no pointer to a value that can be zero and no list that a replay
// leaves empty rather than nil; the completeness test of cmd/ictledger
// (TestSnapshotHoldsWhatAReplayBuilds) compares every row with a replay.

// snapshotJurisdiction is a Jurisdiction without its loaded time zone,
// which is loaded again from the record's name, as applying it does.
type snapshotJurisdiction struct {
	ledger.Jurisdiction
	Seq   uint64
	SetAt time.Time
}

// View is the state as of one size, read consistently: the entries
// below Size and nothing else.
type View struct {
	txn  *memdb.Txn
	size uint64
}

// View returns the state as it is now.
func (s *State) View() *View {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	return &View{txn: s.db.Txn(false), size: s.size.Load()}
}

// Size is the number of entries the view reflects.
func (v *View) Size() uint64 { return v.size }

// snapshotChunk is how many rows a gob message of a snapshot holds:
// one message for a whole table would be buffered whole on both sides
// (tens of MB for the returns of the regional ledger).
const snapshotChunk = 1024

// WriteSnapshot writes the view's rows to w: the tables in a fixed order,
// each as its number of rows and then chunks of rows in the order of its
// id index. entry reads the journal's entry of a sequence number (below
// the view's size): factor sets are written as their entries.
func (v *View) WriteSnapshot(w io.Writer, entry func(seq uint64) ([]byte, error)) error {
	enc := gob.NewEncoder(w)
	err := writeTable(enc, v.txn, tableOperators, same[*Operator])
	if err == nil {
		err = writeTable(enc, v.txn, tableTokens, same[*Token])
	}
	if err == nil {
		err = writeFactorSets(enc, v.txn, entry)
	}
	if err == nil {
		err = writeReturns(enc, w, v.txn)
	}
	if err == nil {
		err = writeTable(enc, v.txn, tableIdempotency, same[*Idempotency])
	}
	if err == nil {
		err = writeTable(enc, v.txn, tableDeadlines, same[*Deadline])
	}
	if err == nil {
		err = writeTable(enc, v.txn, tableLatest, same[*latestVersion])
	}
	if err == nil {
		err = writeTable(enc, v.txn, tableDisclosures, same[*Disclosure])
	}
	if err == nil {
		err = writeTable(enc, v.txn, tableCerts, same[*Certificate])
	}
	if err == nil {
		err = writeTable(enc, v.txn, tableJurisdictions, func(j *Jurisdiction) *snapshotJurisdiction {
			return &snapshotJurisdiction{Jurisdiction: j.Jurisdiction, Seq: j.Seq, SetAt: j.SetAt}
		})
	}
	if err == nil {
		err = writeTable(enc, v.txn, tableRegionRecords, same[*RegionRecord])
	}
	if err == nil {
		err = writeTable(enc, v.txn, tableSectorRecords, same[*SectorRecord])
	}
	if err != nil {
		return fmt.Errorf("state: write snapshot: %w", err)
	}
	return nil
}

// writeTable writes a table's rows, each converted by conv. Every row
// type is a pointer to a struct: gob sends its pointee.
func writeTable[T, R any](enc *gob.Encoder, txn *memdb.Txn, table string, conv func(T) R) error {
	it, err := txn.Get(table, indexID)
	if err != nil {
		panic(err) // tables and indexes are constants; see TestSchemaBuilds
	}
	rows := collect[T](it)
	if err := enc.Encode(len(rows)); err != nil {
		return err
	}
	chunk := make([]R, 0, snapshotChunk)
	for len(rows) > 0 {
		n := min(len(rows), snapshotChunk)
		chunk = chunk[:0]
		for _, r := range rows[:n] {
			chunk = append(chunk, conv(r))
		}
		if err := enc.Encode(chunk); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

func same[T any](v T) T { return v }

// snapshotEntry is a journal entry in a snapshot, applied again when it
// is loaded.
type snapshotEntry struct {
	Seq uint64
	Raw []byte
}

// writeFactorSets writes the entries that published the factor sets, in
// the order of the table's id index, as one chunk (a ledger has a few).
func writeFactorSets(enc *gob.Encoder, txn *memdb.Txn, entry func(seq uint64) ([]byte, error)) error {
	it, err := txn.Get(tableFactorSets, indexID)
	if err != nil {
		panic(err)
	}
	var out []snapshotEntry
	for _, fs := range collect[*FactorSet](it) {
		raw, err := entry(fs.Seq)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", tableFactorSets, fs.Version, err)
		}
		out = append(out, snapshotEntry{Seq: fs.Seq, Raw: raw})
	}
	if err := enc.Encode(len(out)); err != nil {
		return err
	}
	if len(out) == 0 {
		return nil
	}
	return enc.Encode(out)
}

// readFactorSets reads what writeFactorSets wrote and applies each entry
// as a replay does; each must publish a factor set.
func readFactorSets(dec *gob.Decoder, txn *memdb.Txn) error {
	var n int
	if err := dec.Decode(&n); err != nil {
		return fmt.Errorf("%s: %w", tableFactorSets, err)
	}
	if n <= 0 {
		if n < 0 {
			return fmt.Errorf("%s: %d rows", tableFactorSets, n)
		}
		return nil
	}
	var entries []snapshotEntry
	if err := dec.Decode(&entries); err != nil {
		return fmt.Errorf("%s: %w", tableFactorSets, err)
	}
	if len(entries) != n {
		return fmt.Errorf("%s: %d entries where %d were announced", tableFactorSets, len(entries), n)
	}
	for _, se := range entries {
		pe := prepare(se.Seq, se.Raw)
		if pe.err == nil && pe.e.Kind != ledger.KindFactorSetPublished {
			pe.err = fmt.Errorf("entry %d is a %s entry", se.Seq, pe.e.Kind)
		}
		if pe.err == nil {
			pe.err = applyTxn(txn, pe.e, pe.payload, ledger.LeafHash(se.Raw))
		}
		if pe.err != nil {
			return fmt.Errorf("%s: %w", tableFactorSets, pe.err)
		}
	}
	return nil
}

// writeReturns writes the returns table as writeTable does, but with
// each chunk the lengths of its versions' Raw (-1 for nil), then the
// bytes of each Raw, outside gob: decoding them as gob reads every
// chunk (about 3.5 MB of the regional ledger) into a buffer of its own
// before copying them out of it.
func writeReturns(enc *gob.Encoder, w io.Writer, txn *memdb.Txn) error {
	it, err := txn.Get(tableReturns, indexID)
	if err != nil {
		panic(err)
	}
	rows := collect[*ReturnVersion](it)
	if err := enc.Encode(len(rows)); err != nil {
		return err
	}
	for len(rows) > 0 {
		n := min(len(rows), snapshotChunk)
		chunk, lens := make([]*ReturnVersion, n), make([]int, n)
		for i, rv := range rows[:n] {
			c := *rv
			c.Raw, lens[i] = nil, len(rv.Raw)
			if rv.Raw == nil {
				lens[i] = -1
			}
			chunk[i] = &c
		}
		if err := enc.Encode(chunk); err != nil {
			return fmt.Errorf("%s: %w", tableReturns, err)
		}
		if err := enc.Encode(lens); err != nil {
			return fmt.Errorf("%s: %w", tableReturns, err)
		}
		for _, rv := range rows[:n] {
			if _, err := w.Write(rv.Raw); err != nil {
				return err
			}
		}
		rows = rows[n:]
	}
	return nil
}

// LoadSnapshot replaces an empty state with the rows a View of size
// entries wrote to r, which holds n bytes of them. The state is changed
// only when every row was read and inserted; on an error it is still
// empty. The caller must check that the snapshot is whole and that it
// reflects the first size entries of the journal the state will follow;
// entries from size on are then applied as usual. Like Reset, it is for
// the store while it opens the ledger, before anything else reads the
// state.
func (s *State) LoadSnapshot(r io.Reader, n int64, size uint64) error {
	if s.Size() != 0 {
		return fmt.Errorf("state: load snapshot: the state holds %d entries already", s.Size())
	}
	db, err := memdb.NewMemDB(schema())
	if err != nil {
		panic(fmt.Sprintf("state: invalid schema: %v", err))
	}
	db = db.Snapshot() // see New
	txn := db.Txn(true)
	defer txn.Abort()
	// gob reads no further than a message from a reader that reads a
	// byte at a time, so the bytes of Raw can be read between messages.
	br := &boundedReader{r: bufio.NewReaderSize(r, 1<<20), left: n}
	dec := gob.NewDecoder(br)
	err = readTable[*Operator](dec, txn, tableOperators, nil)
	if err == nil {
		err = readTable[*Token](dec, txn, tableTokens, nil)
	}
	if err == nil {
		err = readFactorSets(dec, txn)
	}
	if err == nil {
		err = readReturns(dec, br, txn)
	}
	if err == nil {
		err = readTable[*Idempotency](dec, txn, tableIdempotency, nil)
	}
	if err == nil {
		err = readTable[*Deadline](dec, txn, tableDeadlines, nil)
	}
	if err == nil {
		err = readTable[*latestVersion](dec, txn, tableLatest, nil)
	}
	if err == nil {
		err = readTable[*Disclosure](dec, txn, tableDisclosures, nil)
	}
	if err == nil {
		err = readTable[*Certificate](dec, txn, tableCerts, nil)
	}
	if err == nil {
		err = readTable(dec, txn, tableJurisdictions, func(j *snapshotJurisdiction) any {
			return &Jurisdiction{Jurisdiction: j.Jurisdiction, Seq: j.Seq, SetAt: j.SetAt, Location: j.Location()}
		})
	}
	if err == nil {
		err = readTable[*RegionRecord](dec, txn, tableRegionRecords, nil)
	}
	if err == nil {
		err = readTable[*SectorRecord](dec, txn, tableSectorRecords, nil)
	}
	if err == nil && br.left != 0 {
		err = fmt.Errorf("%d bytes after the rows", br.left)
	}
	if err != nil {
		return fmt.Errorf("state: read snapshot: %w", err)
	}
	txn.Commit()
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	if s.Size() != 0 {
		return fmt.Errorf("state: load snapshot: the state holds %d entries already", s.Size())
	}
	s.db = db
	s.size.Store(size)
	return nil
}

// readTable reads what writeTable wrote, as rows of type R, and inserts
// each (converted by conv, when not nil) into table.
func readTable[R any](dec *gob.Decoder, txn *memdb.Txn, table string, conv func(R) any) error {
	var n int
	if err := dec.Decode(&n); err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	if n < 0 {
		return fmt.Errorf("%s: %d rows", table, n)
	}
	for n > 0 {
		var rows []R
		if err := dec.Decode(&rows); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		if len(rows) == 0 || len(rows) > n {
			return fmt.Errorf("%s: a chunk of %d rows where %d are left", table, len(rows), n)
		}
		for _, r := range rows {
			var obj any = r
			if conv != nil {
				obj = conv(r)
			}
			if err := txn.Insert(table, obj); err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
		}
		n -= len(rows)
	}
	return nil
}

// Diff names the first row in which a and b differ, "" when they hold
// the same rows in every table of the schema and count the same entries.
// It knows no table nor field by name, so a table or a field that a
// snapshot forgot shows up as a difference; the one exception is a
// jurisdiction's loaded time zone, compared by name (a zone loaded twice
// is two values). The figures table is compared too: neither a replay
// nor a snapshot carries figures, so two states built from the journal
// alone hold none. The store's tests hold a state loaded from a snapshot
// to the one a full replay builds with it.
func Diff(a, b *State) string {
	va, vb := a.View(), b.View()
	if va.size != vb.size {
		return fmt.Sprintf("size %d against %d", va.size, vb.size)
	}
	tables := make([]string, 0, len(schema().Tables))
	for name := range schema().Tables {
		tables = append(tables, name)
	}
	slices.Sort(tables)
	for _, table := range tables {
		ra, rb := viewRows(va.txn, table), viewRows(vb.txn, table)
		if len(ra) != len(rb) {
			return fmt.Sprintf("%s: %d rows against %d", table, len(ra), len(rb))
		}
		for i := range ra {
			x, y := ra[i], rb[i]
			if jx, ok := x.(*Jurisdiction); ok {
				jy, ok := y.(*Jurisdiction)
				if !ok {
					return fmt.Sprintf("%s: row %d: %T against %T", table, i, x, y)
				}
				if jx.Location.String() != jy.Location.String() {
					return fmt.Sprintf("%s: row %d: time zone %s against %s", table, i, jx.Location, jy.Location)
				}
				cx, cy := *jx, *jy
				cx.Location, cy.Location = nil, nil
				x, y = cx, cy
			}
			if !reflect.DeepEqual(x, y) {
				return fmt.Sprintf("%s: row %d: %s", table, i, difference("", reflect.ValueOf(x), reflect.ValueOf(y)))
			}
		}
	}
	return ""
}

func viewRows(txn *memdb.Txn, table string) []any {
	it, err := txn.Get(table, indexID)
	if err != nil {
		panic(err)
	}
	return collect[any](it)
}

// readReturns reads what writeReturns wrote into the returns table.
func readReturns(dec *gob.Decoder, br *boundedReader, txn *memdb.Txn) error {
	var n int
	if err := dec.Decode(&n); err != nil {
		return fmt.Errorf("%s: %w", tableReturns, err)
	}
	for n > 0 {
		var rows []*ReturnVersion
		var lens []int
		if err := dec.Decode(&rows); err != nil {
			return fmt.Errorf("%s: %w", tableReturns, err)
		}
		if err := dec.Decode(&lens); err != nil {
			return fmt.Errorf("%s: %w", tableReturns, err)
		}
		if len(rows) == 0 || len(rows) > n || len(lens) != len(rows) {
			return fmt.Errorf("%s: a chunk of %d rows and %d lengths where %d are left", tableReturns, len(rows), len(lens), n)
		}
		for i, rv := range rows {
			if l := lens[i]; l >= 0 {
				if int64(l) > br.left {
					return fmt.Errorf("%s: %s: %d bytes of return where %d are left", tableReturns, rv.ID, l, br.left)
				}
				rv.Raw = make([]byte, l)
				if _, err := io.ReadFull(br, rv.Raw); err != nil {
					return fmt.Errorf("%s: %s: %w", tableReturns, rv.ID, err)
				}
			}
			if err := txn.Insert(tableReturns, rv); err != nil {
				return fmt.Errorf("%s: %w", tableReturns, err)
			}
		}
		n -= len(rows)
	}
	return nil
}

// boundedReader reads a snapshot of a known length, counting what is
// left of it; it reads bytes one at a time too (io.ByteReader), so that
// gob does not buffer ahead of its messages.
type boundedReader struct {
	r    *bufio.Reader
	left int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *boundedReader) ReadByte() (byte, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	c, err := b.r.ReadByte()
	if err == nil {
		b.left--
	}
	return c, err
}

// UnsetFields names the row fields, at any depth, that no row of s sets
// (each a path from its table, as "tokens.RevokedAt" or
// "factor_sets.Set.Grid[].Year"). A test that compares a loaded snapshot
// with a replay (Diff) proves a field carried only where some row sets
// it; this tells which fields its ledger leaves unproved.
func UnsetFields(s *State) []string {
	v := s.View()
	set := map[string]bool{}
	tables := make([]string, 0, len(schema().Tables))
	for name := range schema().Tables {
		tables = append(tables, name)
	}
	slices.Sort(tables)
	for _, table := range tables {
		for _, row := range viewRows(v.txn, table) {
			markFields(set, table, reflect.ValueOf(row), 0)
		}
	}
	var out []string
	for path, ok := range set {
		if !ok {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out
}

// markFields records in set every field path under v, true where v
// holds a value other than the zero one. A type that encodes itself
// (time.Time, decimal.Decimal) or has no exported fields is one field.
func markFields(set map[string]bool, path string, v reflect.Value, depth int) {
	t := v.Type()
	leaf := depth > 8 || t.Implements(gobEncoderType) || reflect.PointerTo(t).Implements(gobEncoderType)
	if !leaf && t.Kind() == reflect.Struct {
		leaf = true
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				leaf = false
			}
		}
	}
	if leaf {
		set[path] = set[path] || !v.IsZero()
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			markFields(set, path, reflect.Zero(t.Elem()), depth+1)
			return
		}
		markFields(set, path, v.Elem(), depth+1)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				name := path + "." + f.Name
				if f.Anonymous {
					name = path // an embedded struct's fields are the row's own
				}
				markFields(set, name, v.Field(i), depth+1)
			}
		}
	case reflect.Slice, reflect.Array, reflect.Map:
		set[path] = set[path] || !v.IsZero() && v.Len() > 0
		elem := reflect.Zero(t.Elem())
		markFields(set, path+"[]", elem, depth+1)
		if t.Kind() == reflect.Map {
			for it := v.MapRange(); it.Next(); {
				markFields(set, path+"[]", it.Value(), depth+1)
			}
		} else {
			for i := range v.Len() {
				markFields(set, path+"[]", v.Index(i), depth+1)
			}
		}
	default:
		set[path] = set[path] || !v.IsZero()
	}
}

var gobEncoderType = reflect.TypeFor[gob.GobEncoder]()

// difference names where two values that are not deeply equal differ:
// the path to the first field, element or entry that does, and its two
// values.
func difference(path string, x, y reflect.Value) string {
	if x.IsValid() && y.IsValid() && x.Type() == y.Type() {
		switch x.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !x.IsNil() && !y.IsNil() {
				return difference(path, x.Elem(), y.Elem())
			}
		case reflect.Struct:
			for i := range x.NumField() {
				if f := x.Type().Field(i); f.IsExported() && !reflect.DeepEqual(x.Field(i).Interface(), y.Field(i).Interface()) {
					return difference(path+"."+f.Name, x.Field(i), y.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			if x.Len() == y.Len() && (x.Kind() == reflect.Array || x.IsNil() == y.IsNil()) {
				for i := range x.Len() {
					if !reflect.DeepEqual(x.Index(i).Interface(), y.Index(i).Interface()) {
						return difference(fmt.Sprintf("%s[%d]", path, i), x.Index(i), y.Index(i))
					}
				}
			}
		case reflect.Map:
			if x.Len() == y.Len() && x.IsNil() == y.IsNil() {
				for it := x.MapRange(); it.Next(); {
					yv := y.MapIndex(it.Key())
					if !yv.IsValid() || !reflect.DeepEqual(it.Value().Interface(), yv.Interface()) {
						return difference(fmt.Sprintf("%s[%v]", path, it.Key()), it.Value(), yv)
					}
				}
			}
		}
	}
	show := func(v reflect.Value) string {
		switch {
		case !v.IsValid():
			return "nothing"
		case (v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.IsNil():
			return "nil"
		case !v.CanInterface():
			return v.String()
		}
		return fmt.Sprintf("%#v", v.Interface())
	}
	if path == "" {
		path = "the row"
	}
	return fmt.Sprintf("%s: %s against %s", strings.TrimPrefix(path, "."), show(x), show(y))
}
