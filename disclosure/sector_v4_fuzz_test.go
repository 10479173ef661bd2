package disclosure

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

// FuzzDecodeSectorRecord: whatever view a sector.recorded entry holds,
// decodeSectorRecord either refuses it or passes one that the renderer
// can draw without failing: every operator it speaks of named, every
// metric a headline with one row per ranked operator, and no list past
// its bound.
func FuzzDecodeSectorRecord(f *testing.F) {
	raw, err := os.ReadFile("testdata/sector-bundle-v4.json")
	if err != nil {
		f.Fatal(err)
	}
	var b Bundle
	if err := json.Unmarshal(raw, &b); err != nil {
		f.Fatal(err)
	}
	canonical, err := base64.StdEncoding.DecodeString(b.Entries[0].Canonical)
	if err != nil {
		f.Fatal(err)
	}
	e, err := ledger.DecodeEntry(canonical)
	if err != nil {
		f.Fatal(err)
	}
	var seed ledger.SectorRecorded
	if err := json.Unmarshal(e.Payload, &seed); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(seed.View))
	f.Add([]byte(`{"period":"2025","country":"","country_name":"","administration":"","methodology":"2025.1","gwp":"","factor_sets":[],"administrations":[],"names":{},"operators":[],"metrics":[],"coverage":null,"warnings":[],"findings":[]}`))
	heads := len(calculators.Headlines())
	f.Fuzz(func(t *testing.T, view []byte) {
		var v SectorView
		if json.Unmarshal(view, &v) != nil || len(view) == 0 || view[0] != '{' {
			return
		}
		js := []string{ledger.AllJurisdictions}
		if v.Country != "" {
			js = []string{v.Country}
		}
		rec := &ledger.SectorRecorded{Period: v.Period, Jurisdictions: js, At: 7, Root: tlog.Hash{1}.String(),
			AsOf: time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC), View: view}
		raw, err := ledger.EncodeEntry(9, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), ledger.SystemActor, ledger.KindSectorRecorded, rec)
		if err != nil {
			return
		}
		e, err := ledger.DecodeEntry(raw)
		if err != nil {
			return
		}
		r, err := decodeSectorRecord(e)
		if err != nil {
			return
		}
		w := &r.view
		if len(w.Metrics) != 0 && len(w.Metrics) != heads || len(w.Operators) > maxSectorOperators {
			t.Fatalf("a view of %d metrics and %d operators passed", len(w.Metrics), len(w.Operators))
		}
		for _, op := range w.Operators {
			if w.Names[op.ID] == "" {
				t.Fatalf("operator %q passed without a name", op.ID)
			}
		}
		for _, m := range w.Metrics {
			if len(m.Rows) != len(w.Metrics[0].Rows) {
				t.Fatalf("metric %s passed with %d rows, the first %d", m.Key, len(m.Rows), len(w.Metrics[0].Rows))
			}
			for _, row := range m.Rows {
				if w.Names[row.Operator] == "" {
					t.Fatalf("metric %s ranks %q, which has no name", m.Key, row.Operator)
				}
			}
		}
		name := func(id string) string { return w.Names[id] }
		drawMetrics(w.Metrics, name)
		coverageLines(w.Coverage, w.Metrics, w.Methodology, name)
	})
}
