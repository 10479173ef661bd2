package state

import (
	"bytes"
	"encoding"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
)

// TestSnapshotRoundTrip: a state loaded from a snapshot holds the rows of
// the state it was written from, in every table, and carries on applying
// entries as that one does.
func TestSnapshotRoundTrip(t *testing.T) {
	entries := journalOf(t)
	// A real factor set, with its decimals and maps, besides the
	// journal's empty one.
	raw, err := os.ReadFile("../testdata/factors-apt-2025.1.canonical.json")
	if err != nil {
		t.Fatal(err)
	}
	var fs ledger.FactorSet
	if err := json.Unmarshal(raw, &fs); err != nil {
		t.Fatal(err)
	}
	// Values gob does not carry as they are: a pointer to false and an
	// empty list, which a replay decodes from the entry's JSON.
	for k, g := range fs.Grid {
		no := false
		g.BasisConfirmed = &no
		fs.Grid[k] = g
		break
	}
	fs.NonKyoto = []string{}
	e, err := ledger.EncodeEntry(uint64(len(entries)), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ledger.SystemActor, ledger.KindFactorSetPublished, fs)
	if err != nil {
		t.Fatal(err)
	}
	entries = append(entries, e)
	// A filing whose entry writes its warnings as [], as the service's do.
	p := ledger.Period{Year: 2030, Quarter: 1}
	e, err = ledger.EncodeEntry(uint64(len(entries)), time.Date(2030, 4, 1, 0, 0, 0, 0, time.UTC), ledger.SystemActor, ledger.KindReturnFiled,
		ledger.ReturnFiled{ID: ledger.ReturnID("op-a", p, 1), Version: 1, FactorSet: "f1", Warnings: []ledger.Warning{},
			Return: ledger.Return{Operator: "op-a", Period: p}})
	if err != nil {
		t.Fatal(err)
	}
	entries = append(entries, e)
	// A regional view recorded.
	e, err = ledger.EncodeEntry(uint64(len(entries)), time.Date(2030, 4, 2, 0, 0, 0, 0, time.UTC), ledger.SystemActor, ledger.KindRegionRecorded,
		regionRecord("2030-Q1", uint64(len(entries))))
	if err != nil {
		t.Fatal(err)
	}
	entries = append(entries, e)
	// A sector view recorded.
	e, err = ledger.EncodeEntry(uint64(len(entries)), time.Date(2030, 4, 3, 0, 0, 0, 0, time.UTC), ledger.SystemActor, ledger.KindSectorRecorded,
		sectorRecord([]string{"JP"}, "2030-Q1", uint64(len(entries))))
	if err != nil {
		t.Fatal(err)
	}
	entries = append(entries, e)
	half := uint64(len(entries) / 2)

	full := New()
	for seq, raw := range entries {
		if err := full.Apply(uint64(seq), raw); err != nil {
			t.Fatal(err)
		}
		if uint64(seq)+1 == half {
			// A snapshot of the first half, then the rest applied.
			var buf bytes.Buffer
			v := full.View()
			if v.Size() != half {
				t.Fatalf("view of size %d, want %d", v.Size(), half)
			}
			if err := v.WriteSnapshot(&buf, entryOf(entries)); err != nil {
				t.Fatal(err)
			}
			loaded := New()
			if err := loaded.LoadSnapshot(&buf, int64(buf.Len()), v.Size()); err != nil {
				t.Fatal(err)
			}
			if d := Diff(full, loaded); d != "" {
				t.Fatalf("loaded at %d: %s", half, d)
			}
			defer func() {
				// The loaded state applies the second half as the full one did.
				r := loaded.NewReplay()
				for seq := half; seq < uint64(len(entries)); seq++ {
					if err := r.Apply(seq, entries[seq], ledger.LeafHash(entries[seq])); err != nil {
						t.Fatal(err)
					}
				}
				r.Finish()
				if d := Diff(full, loaded); d != "" {
					t.Fatalf("loaded at %d, then replayed: %s", half, d)
				}
			}()
		}
	}
	var buf bytes.Buffer
	if err := full.View().WriteSnapshot(&buf, entryOf(entries)); err != nil {
		t.Fatal(err)
	}
	loaded := New()
	if err := loaded.LoadSnapshot(bytes.NewReader(buf.Bytes()), int64(buf.Len()), full.Size()); err != nil {
		t.Fatal(err)
	}
	if d := Diff(full, loaded); d != "" {
		t.Fatal(d)
	}
	if len(loaded.Jurisdictions()) == 0 || loaded.Jurisdictions()[0].Location == nil {
		t.Fatal("the jurisdictions' time zones were not loaded")
	}
	if fs := loaded.FactorSet(fs.Version); fs == nil || len(fs.Set.Grid) == 0 {
		t.Fatal("the factor set's grid was not loaded")
	}
	// A cut snapshot loads nothing and leaves the state empty.
	cut := New()
	if err := cut.LoadSnapshot(bytes.NewReader(buf.Bytes()[:buf.Len()*2/3]), int64(buf.Len()*2/3), full.Size()); err == nil || cut.Size() != 0 || len(cut.Operators()) != 0 {
		t.Fatalf("a cut snapshot: %v, size %d", err, cut.Size())
	}
	// So does one with bytes after its rows.
	long := append(bytes.Clone(buf.Bytes()), 0)
	if err := cut.LoadSnapshot(bytes.NewReader(long), int64(len(long)), full.Size()); err == nil || cut.Size() != 0 {
		t.Fatalf("a snapshot with a byte after its rows: %v, size %d", err, cut.Size())
	}
	// Diff sees a state one entry short.
	short := New()
	for seq, raw := range entries[:len(entries)-1] {
		if err := short.Apply(uint64(seq), raw); err != nil {
			t.Fatal(err)
		}
	}
	if Diff(full, short) == "" {
		t.Fatal("Diff found no difference with a state one entry short")
	}
	// And a row that differs in one field.
	a, b := New(), New()
	for st, name := range map[*State]string{a: "A", b: "B"} {
		raw, err := ledger.EncodeEntry(0, time.Now(), ledger.SystemActor, ledger.KindOperatorRegistered,
			ledger.Operator{ID: "op-a", Name: name, Country: "JP", Kinds: []string{"mobile"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Apply(0, raw); err != nil {
			t.Fatal(err)
		}
	}
	if Diff(a, b) == "" {
		t.Fatal("Diff found no difference between two operators' names")
	}
}

// TestSnapshotCarriesEveryField: gob, the snapshot's encoding, drops a
// struct's unexported fields without a word and cannot encode an
// interface it was not told of, so a row type that gains such a field
// would lose it across a restart. Every field of every row type, at any
// depth, must be one gob carries, or of a type that encodes itself
// (time.Time, decimal.Decimal); the jurisdiction's time zone, the one
// exception, is written by name (snapshotJurisdiction), which must carry
// every other field of the row.
func TestSnapshotCarriesEveryField(t *testing.T) {
	rows := map[string]any{
		tableOperators: Operator{}, tableTokens: Token{}, tableFactorSets: FactorSet{}, tableReturns: ReturnVersion{},
		tableIdempotency: Idempotency{}, tableDeadlines: Deadline{}, tableLatest: latestVersion{}, tableDisclosures: Disclosure{},
		tableFigures: Figures{}, tableCerts: Certificate{}, tableJurisdictions: snapshotJurisdiction{}, tableRegionRecords: RegionRecord{},
		tableSectorRecords: SectorRecord{},
	}
	for name := range schema().Tables {
		if _, ok := rows[name]; !ok {
			t.Errorf("table %s: its row type is not checked here", name)
		}
	}
	// gob brings an empty list or map back as nil and a pointer to a
	// zero value back as nil. Each field that can hold one is named here
	// with the reason a replay never leaves it so (or the way the
	// snapshot carries it); a new one fails until it is looked at.
	nilable := map[string]string{
		"operators.Kinds":          "the service refuses an operator with no kinds",
		"tokens.Jurisdictions":     "omitempty in the entry: none decodes as nil",
		"returns.Warnings":         "fileReturnTxn keeps none as nil",
		"returns.Reviews":          "appended to: nil or not empty",
		"returns.Reviews.Findings": "omitempty in the entry: none decodes as nil",
		"returns.Raw":              "writeReturns records nil apart from empty",
		"returns.Certificates":     "appended to: nil or not empty",
		"factor_sets.Set":          "carried as the entry that published it (writeFactorSets)",
		"figures.Values":           "figures are not in a snapshot",
		"jurisdictions.Location":   "not in a snapshot; loaded from TimeZone",
	}
	gobEncoder := reflect.TypeFor[gob.GobEncoder]()
	binaryMarshaler := reflect.TypeFor[encoding.BinaryMarshaler]()
	seen := map[string]bool{}
	var walk func(path string, ty reflect.Type)
	walk = func(path string, ty reflect.Type) {
		key := path + " " + ty.String()
		if seen[key] {
			return
		}
		seen[key] = true
		if ty.Implements(gobEncoder) || reflect.PointerTo(ty).Implements(gobEncoder) ||
			ty.Implements(binaryMarshaler) || reflect.PointerTo(ty).Implements(binaryMarshaler) {
			return
		}
		switch ty.Kind() {
		case reflect.Struct:
			for i := range ty.NumField() {
				f := ty.Field(i)
				if !f.IsExported() {
					t.Errorf("%s.%s (%s): unexported, gob would drop it", path, f.Name, ty)
					continue
				}
				name := path + "." + f.Name
				if f.Anonymous {
					name = path
				}
				switch f.Type.Kind() {
				case reflect.Pointer, reflect.Slice, reflect.Map:
					if _, ok := nilable[path+"."+f.Name]; !ok {
						t.Errorf("%s.%s (%s): gob brings it back nil when empty or zero; say why a replay never holds that, or carry it otherwise", path, f.Name, f.Type)
					}
					if f.Name == "Set" || f.Name == "Location" || f.Name == "Values" {
						continue // not carried by gob
					}
				}
				walk(name, f.Type)
			}
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(path, ty.Elem())
		case reflect.Map:
			walk(path+"[key]", ty.Key())
			walk(path, ty.Elem())
		case reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer, reflect.Complex64, reflect.Complex128:
			t.Errorf("%s (%s): gob cannot carry it as is", path, ty)
		}
	}
	for name, row := range rows {
		walk(name, reflect.TypeOf(row))
	}
	// snapshotJurisdiction is Jurisdiction without its time zone.
	have := map[string]reflect.Type{}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[snapshotJurisdiction]()) {
		have[f.Name] = f.Type
	}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[Jurisdiction]()) {
		if f.Name != "Location" && have[f.Name] != f.Type {
			t.Errorf("Jurisdiction.%s (%s) is not in snapshotJurisdiction", f.Name, f.Type)
		}
	}
}

// entryOf reads entries as the journal does.
func entryOf(entries [][]byte) func(seq uint64) ([]byte, error) {
	return func(seq uint64) ([]byte, error) {
		if seq >= uint64(len(entries)) {
			return nil, fmt.Errorf("no entry %d", seq)
		}
		return entries[seq], nil
	}
}
