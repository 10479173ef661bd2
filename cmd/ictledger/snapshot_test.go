package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/ledger/store"
	"github.com/ictledger/ictledger/loadtest"
	"github.com/ictledger/ictledger/service"
)

// TestSnapshotHoldsWhatAReplayBuilds serves the demo ledger, stops (the
// stop writes the state snapshot), serves it again to add an entry of
// every kind the demo lacks (a regulator token bound to a country and a
// revoked one, a deadline, a jurisdiction, an operator reporting from a
// given quarter, a filing under an Idempotency-Key, its restatement, a
// review with findings, an issued disclosure), and stops again. A start
// from either snapshot, the older with those entries after it, must
// build the state a full replay of the journal builds: every table of
// the schema, every row, every field (state.Diff), and no figures (the
// only rows the journal does not write, which the served state held).
// The ledger must set every field of every row type at least once, so
// that the comparison proves each carried.
func TestSnapshotHoldsWhatAReplayBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("serves the demo ledger")
	}
	ts, _ := startDemo(t, Config{AdminToken: testAdminToken})
	dir := ts.m.cfg.DataDir
	ts.stop()
	older := readSnapshot(t, dir)

	ts = startConfigured(t, dir, Config{AdminToken: testAdminToken})
	svc := ts.m.Service()
	ctx := context.Background()
	admin, err := svc.Authenticate(testAdminToken)
	if err != nil {
		t.Fatal(err)
	}
	ts.mustJSON("POST", "/v1/operators", testAdminToken, map[string]any{"id": "snap-op", "name": "Snapshot Operator",
		"country": "JP", "kinds": []string{"mobile"}, "reporting_from": "2020-Q1"}, 201, nil)
	var opTok token
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "snap-op", "label": "filing desk"}, 201, &opTok)
	var regTok token
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "regulator", "jurisdictions": []string{"JP"}, "label": "JP desk"}, 201, &regTok)
	var gone token
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "regulator", "jurisdictions": []string{"*"}, "label": "revoked"}, 201, &gone)
	if err := svc.RevokeToken(ctx, admin, gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetJurisdiction(ctx, admin, ledger.Jurisdiction{Country: "JP", Name: "Japan", NameLocal: "日本",
		DeadlineDays: 60, TimeZone: "Asia/Tokyo", FactorSet: "apt-2026.1"}); err != nil {
		t.Fatal(err)
	}
	ret := exampleReturn(t)
	ret["operator"] = "snap-op"
	claim := ret["renewable_claims"].([]any)[0].(map[string]any)
	claim["registry"], claim["vintage_month"] = "JEPX", 6
	ownCertificates(ret)
	p, err := ledger.ParsePeriod(ret["period"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetDeadline(ctx, admin, p, time.Date(p.Year+1, 1, 31, 15, 0, 0, 0, time.UTC), "extended"); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(ret)
	var filed filedReturn
	if code, _ := ts.do("POST", "/v1/operators/snap-op/returns", opTok.Token, "application/json", body, &filed, "Idempotency-Key", "snap-1"); code != 201 {
		t.Fatalf("filing: status %d", code)
	}
	reg, err := svc.Authenticate(regTok.Token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Review(ctx, reg, filed.ID, ledger.Review{Return: filed.ID, Decision: ledger.DecisionReturn, Comment: "see the findings",
		Findings: []ledger.FieldError{{Path: "electricity", Message: "the meter readings do not add up"}}}); err != nil {
		t.Fatal(err)
	}
	ret["restates"], ret["reason"] = filed.ID, "meter readings corrected"
	ts.mustJSON("POST", "/v1/operators/snap-op/returns", opTok.Token, ret, 201, &filed)
	span, err := ledger.ParseSpan(p.String())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.OperatorDisclosure(ctx, admin, "snap-op", span); err != nil {
		t.Fatal(err)
	}
	// Read paths that compute from the rows: whatever they did to a row
	// in place, the snapshot written at the stop would carry.
	if _, err := svc.ReturnMetricsJSON(admin, filed.ID, service.MetricsQuery{}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SectorMetrics(reg, span, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Region(span); err != nil {
		t.Fatal(err)
	}
	if have, _ := svc.State().PeriodFigures(p); len(have) == 0 {
		t.Fatalf("the served state holds no figures of %s: the test would not show the snapshot leaves them out", p)
	}
	ts.stop()
	newer := readSnapshot(t, dir)

	want := replayState(t, dir)
	var unset []string
	for _, f := range state.UnsetFields(want) {
		switch {
		case strings.HasPrefix(f, "factor_sets.Set."):
			// A snapshot carries a factor set as its entry, applied again.
		case f == "returns.Reviews[].Actor.Operator":
			// A review is never an operator's; returns.Actor.Operator
			// proves the field of ledger.Actor carried.
		default:
			unset = append(unset, f)
		}
	}
	if len(unset) > 0 {
		t.Errorf("no row of the ledger sets %v: give the test an entry that does", unset)
	}
	loadedAsReplayed(t, dir, want, "the demo's snapshot and the entries after it", older)
	loadedAsReplayed(t, dir, want, "the last snapshot", newer)
}

// TestRegionSnapshotHoldsWhatAReplayBuilds: a small regional ledger
// (loadtest.GenerateRegion: jurisdictions in their time zones, tokens of
// each, returns filed, restated, reviewed with findings) starts from its
// snapshot to the state a full replay builds.
func TestRegionSnapshotHoldsWhatAReplayBuilds(t *testing.T) {
	dir := t.TempDir()
	if _, err := loadtest.GenerateRegion(context.Background(), dir, loadtest.RegionConfig{Jurisdictions: 3, Operators: 4, Years: 2, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	// The generator appends without a state; a start replays the
	// journal, and its stop writes the snapshot.
	s, err := store.Open(dir, state.New(), store.Options{Origin: "ictledger", CheckpointInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	snap := readSnapshot(t, dir)
	loadedAsReplayed(t, dir, replayState(t, dir), "the region's snapshot", snap)
}

// loadedAsReplayed puts snap in dir as its snapshot, opens dir and checks
// that the snapshot was loaded and the state is want, the full replay's.
func loadedAsReplayed(t *testing.T, dir string, want *state.State, name string, snap []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, store.SnapshotFile), snap, 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	st := state.New()
	s, err := store.Open(dir, st, store.Options{Origin: "ictledger", Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		CheckpointInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "state snapshot loaded") {
		t.Errorf("%s: not loaded: %s", name, logs.String())
	}
	if d := state.Diff(want, st); d != "" {
		t.Errorf("%s: the state differs from a full replay: %s", name, d)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// readSnapshot reads dir's snapshot, which only its owner may read: it
// holds every token's hash and every return's figures.
func readSnapshot(t *testing.T, dir string) []byte {
	t.Helper()
	path := filepath.Join(dir, store.SnapshotFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// replayState is the state a full replay of dir's journal builds: the
// directory is opened without its snapshot (moved aside and back).
func replayState(t *testing.T, dir string) *state.State {
	t.Helper()
	path := filepath.Join(dir, store.SnapshotFile)
	aside := filepath.Join(t.TempDir(), "aside")
	if err := os.Rename(path, aside); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	st := state.New()
	s, err := store.Open(dir, st, store.Options{Origin: "ictledger", Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		CheckpointInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "snapshot") {
		t.Fatalf("opened without a snapshot, the store logged: %s", logs.String())
	}
	if err := s.Close(); err != nil { // writes a snapshot, put aside below
		t.Fatal(err)
	}
	if err := os.Rename(aside, path); err != nil {
		t.Fatal(err)
	}
	return st
}
