package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/ledger/store"
)

// TestGenerateRegion writes a small region, opens it as a server would
// and checks that it holds what the summary says: every operator, a
// jurisdiction and a regulator token per country, the planned statuses of
// the latest versions, and returns that the filing rules accept.
func TestGenerateRegion(t *testing.T) {
	dir := t.TempDir()
	cfg := RegionConfig{Jurisdictions: 3, Operators: 4, Years: 2, LastYear: 2025, Seed: 7}
	sum, err := GenerateRegion(context.Background(), dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	st := state.New()
	s, err := store.Open(dir, st, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st.Size() != sum.Entries {
		t.Fatalf("state holds %d entries, the summary says %d", st.Size(), sum.Entries)
	}
	if n := len(st.Operators()); n != 12 {
		t.Errorf("%d operators, want 12", n)
	}
	if n := len(st.Jurisdictions()); n != 3 {
		t.Errorf("%d jurisdictions, want 3", n)
	}
	var tokens map[string]string
	raw, err := os.ReadFile(filepath.Join(dir, TokensFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &tokens); err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 2+3 || tokens["regulator:TH"] == "" || len(st.Tokens()) != len(tokens) {
		t.Errorf("tokens file %v, %d tokens in the ledger", tokens, len(st.Tokens()))
	}
	latest := map[string]int{}
	versions, restated := 0, 0
	factors, err := ledger.ParseFactorSet(fixtures.DefaultFactorSet())
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range st.Operators() {
		for _, rv := range st.ReturnsOf(op.ID) {
			versions++
			if rv.Version > 1 {
				restated++
			}
			if rv.SupersededBy == "" {
				latest[string(rv.Status())]++
			}
		}
	}
	if versions != sum.Returns || restated != sum.Restated {
		t.Errorf("%d versions (%d restated), the summary says %d (%d)", versions, restated, sum.Returns, sum.Restated)
	}
	for k, n := range sum.Latest {
		if latest[k] != n {
			t.Errorf("latest %s: %d in the ledger, %d in the summary", k, latest[k], n)
		}
	}
	if sum.Latest["accepted"] == 0 || sum.Latest["submitted"] == 0 || sum.Restated == 0 {
		t.Errorf("no realistic mix: %+v", sum)
	}
	// Each version, read back, passes the rules of a filing.
	g, err := newRegionGen(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range st.Operators()[:2] {
		for _, rv := range st.ReturnsOf(op.ID) {
			r := g.returnOf(op.Operator, rv.Period, rv.Version)
			r.Restates = rv.Supersedes
			if r.Restates != "" {
				r.Reason = "a reason"
			}
			body, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			d, err := filing.ReadJSON(bytes.NewReader(body), filing.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.Check(filing.Context{Operator: op.ID, Factors: factors, Latest: rv.Supersedes,
				Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
				t.Fatalf("%s: %v", rv.ID, err)
			}
		}
	}
}

// TestGenerateRegionRefusesBadInput names the field a bad configuration
// breaks and writes nothing into a directory that holds a journal.
func TestGenerateRegionRefusesBadInput(t *testing.T) {
	for _, c := range []struct {
		cfg  RegionConfig
		want string
	}{
		{RegionConfig{Jurisdictions: 0, Operators: 1, Years: 1}, "jurisdictions"},
		{RegionConfig{Jurisdictions: 41, Operators: 1, Years: 1}, "jurisdictions"},
		{RegionConfig{Jurisdictions: 1, Operators: 1000, Years: 1}, "operators"},
		{RegionConfig{Jurisdictions: 1, Operators: 1, Years: 0}, "years"},
	} {
		_, err := GenerateRegion(context.Background(), t.TempDir(), c.cfg)
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(c.want)) {
			t.Errorf("%+v: %v, want an error naming %s", c.cfg, err, c.want)
		}
	}
	dir := t.TempDir()
	ok := RegionConfig{Jurisdictions: 1, Operators: 1, Years: 1}
	if _, err := GenerateRegion(context.Background(), dir, ok); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateRegion(context.Background(), dir, ok); err == nil {
		t.Error("a second generation into the same directory was not refused")
	}
}
