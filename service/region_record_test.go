package service_test

import (
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

// The record of a span holds the view as the API answers it, at the
// ledger's size and tree hash, and names exactly the counted operators.
func TestRegionRecordIsTheViewAtItsPoint(t *testing.T) {
	env := regionFixture(t)
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	rec, err := env.Service.RegionRecordOf(q3)
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Check(); err != nil {
		t.Fatal(err)
	}
	st := env.Service.State()
	if rec.At != st.Size() || rec.Period != "2025-Q3" {
		t.Errorf("record of %s at %d; want 2025-Q3 at %d", rec.Period, rec.At, st.Size())
	}
	root, err := env.Journal.TreeHash(rec.At)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Root != root.String() {
		t.Errorf("root %s; want %s", rec.Root, root)
	}
	view, err := env.Service.Region(q3)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ledger.Canonical(view)
	if err != nil {
		t.Fatal(err)
	}
	if string(rec.View) != string(want) {
		t.Errorf("recorded view\n%s\nwant\n%s", rec.View, want)
	}
	var back calculators.RegionView
	if err := json.Unmarshal(rec.View, &back); err != nil {
		t.Fatalf("the recorded view does not read back: %v", err)
	}
	if len(back.Metrics) != len(view.Metrics) || len(back.Countries) != len(view.Countries) || back.Metrics[0].Region.Display() != view.Metrics[0].Region.Display() {
		t.Errorf("the recorded view reads back as %+v", back)
	}
	counted := strings.Join(view.Coverage.Counted, ",")
	if counted != "op-a,op-b,op-c" {
		t.Fatalf("the fixture counts %s", counted)
	}
	for _, id := range view.Coverage.Counted {
		if rec.Operators[id] != st.Operator(id).Name {
			t.Errorf("operator %s named %q; want %q", id, rec.Operators[id], st.Operator(id).Name)
		}
	}
	if len(rec.Operators) != 3 || strings.Contains(string(rec.View), regionMarker) {
		t.Errorf("the record names %v and must name the counted operators only", rec.Operators)
	}
	if strings.Join(rec.FactorSets, ",") == "" || strings.Join(rec.GWP, ",") == "" || len(rec.Methodology) != 1 {
		t.Errorf("factor sets %v, GWP %v, methodology %v", rec.FactorSets, rec.GWP, rec.Methodology)
	}
	if _, err := tlog.ParseHash(rec.Root); err != nil {
		t.Error(err)
	}
}
