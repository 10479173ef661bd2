package state

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger"
)

// sectorRecord is a well-formed record of a scope and period at a tree of
// at entries, as of the first day of 2025.
func sectorRecord(js []string, period string, at uint64) ledger.SectorRecorded {
	return ledger.SectorRecorded{Period: period, Jurisdictions: js, At: at, Root: tlog.Hash{2}.String(),
		AsOf: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), View: json.RawMessage(`{"period":"` + period + `"}`)}
}

// The latest record of each scope and span is the one the state keeps;
// a record of more entries than precede it, of a time after its own, or
// one that is not well formed, is refused.
func TestSectorRecordsKeepTheLatestOfAScopeAndSpan(t *testing.T) {
	st := New()
	apply := func(seq uint64, v any) error {
		raw, err := ledger.EncodeEntry(seq, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ledger.SystemActor, ledger.KindSectorRecorded, v)
		if err != nil {
			t.Fatal(err)
		}
		return st.Apply(seq, raw)
	}
	raw, err := ledger.EncodeEntry(0, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ledger.SystemActor, ledger.KindOperatorRegistered,
		ledger.Operator{ID: "op-a", Name: "A", Country: "JP", Kinds: []string{"mobile"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Apply(0, raw); err != nil {
		t.Fatal(err)
	}
	for seq, r := range []ledger.SectorRecorded{
		sectorRecord([]string{"JP"}, "2025-Q3", 1),
		sectorRecord([]string{"JP", "TH"}, "2025-Q3", 1),
		sectorRecord([]string{"*"}, "2025-Q3", 2),
		sectorRecord([]string{"JP"}, "2025-Q3", 3),
	} {
		if err := apply(uint64(seq)+1, r); err != nil {
			t.Fatal(err)
		}
	}
	for key, want := range map[string]uint64{"JP|2025-Q3": 4, "JP,TH|2025-Q3": 2, "*|2025-Q3": 3} {
		if r := st.SectorRecord(key); r == nil || r.Seq != want || r.Period != "2025-Q3" {
			t.Errorf("%s: %+v; want the record of entry %d", key, r, want)
		}
	}
	if r := st.SectorRecord("TH|2025-Q3"); r != nil {
		t.Errorf("TH: %+v; want none", r)
	}
	late := sectorRecord([]string{"JP"}, "2025", 4)
	late.AsOf = time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	bad := map[string]ledger.SectorRecorded{
		"past its own place":    sectorRecord([]string{"JP"}, "2025-Q3", 6),
		"as of 2026-01-02":      late,
		"period":                sectorRecord([]string{"JP"}, "2025-Q5", 3),
		"names no jurisdiction": sectorRecord(nil, "2025", 3),
		"stands alone":          sectorRecord([]string{"*", "JP"}, "2025", 3),
		"once each, in order":   sectorRecord([]string{"TH", "JP"}, "2025", 3),
		"not an ISO":            sectorRecord([]string{"XX"}, "2025", 3),
		"root":                  func() ledger.SectorRecorded { r := sectorRecord([]string{"JP"}, "2025", 3); r.Root = "x"; return r }(),
		"view": func() ledger.SectorRecorded {
			r := sectorRecord([]string{"JP"}, "2025", 3)
			r.View = json.RawMessage(`[]`)
			return r
		}(),
		"as_of": func() ledger.SectorRecorded {
			r := sectorRecord([]string{"JP"}, "2025", 3)
			r.AsOf = time.Time{}
			return r
		}(),
		"at": sectorRecord([]string{"JP"}, "2025", 0),
	}
	for want, r := range bad {
		if err := apply(5, r); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a record with a bad %s: %v", want, err)
		}
	}
}
