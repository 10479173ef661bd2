package state

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger"
)

// regionRecord is a well-formed record of period at a tree of at entries.
func regionRecord(period string, at uint64) ledger.RegionRecorded {
	return ledger.RegionRecorded{Period: period, At: at, Root: tlog.Hash{1}.String(), View: json.RawMessage(`{"period":"` + period + `"}`),
		Operators: map[string]string{}, FactorSets: []string{}, GWP: []string{}, Methodology: []string{}}
}

// A span's latest record is the one the state keeps; a record of more
// entries than precede it, or one that is not well formed, is refused.
func TestRegionRecordsKeepTheLatestOfASpan(t *testing.T) {
	st := New()
	apply := func(seq uint64, kind ledger.Kind, v any) error {
		raw, err := ledger.EncodeEntry(seq, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ledger.SystemActor, kind, v)
		if err != nil {
			t.Fatal(err)
		}
		return st.Apply(seq, raw)
	}
	if err := apply(0, ledger.KindOperatorRegistered, ledger.Operator{ID: "op-a", Name: "A", Country: "JP", Kinds: []string{"mobile"}}); err != nil {
		t.Fatal(err)
	}
	if err := apply(1, ledger.KindRegionRecorded, regionRecord("2025-Q3", 1)); err != nil {
		t.Fatal(err)
	}
	if err := apply(2, ledger.KindRegionRecorded, regionRecord("2025", 2)); err != nil {
		t.Fatal(err)
	}
	if err := apply(3, ledger.KindRegionRecorded, regionRecord("2025-Q3", 3)); err != nil {
		t.Fatal(err)
	}
	if r := st.RegionRecord("2025-Q3"); r == nil || r.Seq != 3 || r.At != 3 {
		t.Fatalf("2025-Q3: %+v; want the record of entry 3", r)
	}
	if r := st.RegionRecord("2025"); r == nil || r.Seq != 2 {
		t.Fatalf("2025: %+v; want the record of entry 2", r)
	}
	if r := st.RegionRecord("2024"); r != nil {
		t.Fatalf("2024: %+v; want none", r)
	}
	bad := map[string]ledger.RegionRecorded{
		"past its own place": regionRecord("2025-Q3", 5),
		"period":             regionRecord("2025-Q5", 3),
		"root":               func() ledger.RegionRecorded { r := regionRecord("2025", 3); r.Root = "x"; return r }(),
		"view":               func() ledger.RegionRecorded { r := regionRecord("2025", 3); r.View = json.RawMessage(`[]`); return r }(),
		"at":                 regionRecord("2025", 0),
	}
	for want, r := range bad {
		if err := apply(4, ledger.KindRegionRecorded, r); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a record with a bad %s: %v", want, err)
		}
	}
}
