package service_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// TestRollupsFollowTheLedger: cached metrics and roll-ups (operator
// metrics, sector view) change when a version they draw on is restated, including an
// earlier quarter that only feeds the history-based metrics, and when a
// quarter of the span is filed.
func TestRollupsFollowTheLedger(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	op := env.Operator("op-a", "Operator A", "JP")
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	q1 := env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q1"))
	q2 := env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q2"))

	year := ledger.Span{Year: 2025}
	q2span := ledger.Span{Year: 2025, Quarter: 2}
	// rollupOf reads a roll-up twice: the second read, with nothing
	// changed, must come from the cache.
	rollupOf := func(span ledger.Span) *calculators.Rollup {
		t.Helper()
		r, err := env.Service.OperatorMetrics(reg, "op-a", span, "")
		if err != nil {
			t.Fatal(err)
		}
		again, _ := env.Service.OperatorMetrics(reg, "op-a", span, "")
		if again != r {
			t.Fatal("a second read with nothing changed was not served from the cache")
		}
		return r
	}
	sectorReturns := func() int {
		t.Helper()
		sec, err := env.Service.SectorMetrics(reg, year, "")
		if err != nil || len(sec.Rows) != 1 {
			t.Fatalf("sector view: %v %+v", err, sec)
		}
		return len(sec.Rows[0].Returns)
	}
	// metricsOf reads Q2's own metrics twice, the second from the cache.
	metricsOf := func() *calculators.Metrics {
		t.Helper()
		m, err := env.Service.ReturnMetrics(reg, q2.ID, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := env.Service.ReturnMetrics(reg, q2.ID, "", ""); again != m {
			t.Fatal("a second metrics read with nothing changed was not served from the cache")
		}
		return m
	}
	q2MetricsBefore := metricsOf()
	yearBefore := rollupOf(year)
	if got := yearBefore.Returns; len(got) != 2 {
		t.Fatalf("year returns %v", got)
	}
	q2Before := rollupOf(q2span)
	if n := sectorReturns(); n != 2 {
		t.Fatalf("sector view of the year: %d returns, want 2", n)
	}

	// Restate Q1 with fewer smartphones placed on the market: the year's
	// figures change, and so do Q2's, whose e-waste generated draws on
	// Q1's inflow.
	var m map[string]any
	if err := json.Unmarshal(servicetest.ExampleReturn(t, "op-a", "2025-Q1"), &m); err != nil {
		t.Fatal(err)
	}
	phones := m["devices"].([]any)[0].(map[string]any)
	phones["inflow"] = map[string]any{"units": 300000, "kg": "57000"}
	m["restates"], m["reason"] = q1.ID, "corrected"
	b, _ := json.Marshal(m)
	env.File(op, b)
	yearAfter := rollupOf(year)
	if got := yearAfter.Returns; len(got) != 2 || got[0] == q1.ID {
		t.Fatalf("after restating Q1 the year still lists %v", got)
	}
	q2After := rollupOf(q2span)
	q2MetricsAfter := metricsOf()
	if q2MetricsAfter == q2MetricsBefore {
		t.Error("Q2's metrics came from the cache after the Q1 they draw on was restated")
	}
	before, _ := json.Marshal(q2MetricsBefore.E2)
	after, _ := json.Marshal(q2MetricsAfter.E2)
	if string(before) == string(after) {
		t.Error("Q2's e-waste metrics did not change after Q1 was restated")
	}
	for name, pair := range map[string][2]any{"the year": {yearBefore.E2, yearAfter.E2}, "Q2": {q2Before.E2, q2After.E2}} {
		before, _ := json.Marshal(pair[0])
		after, _ := json.Marshal(pair[1])
		if string(before) == string(after) {
			t.Errorf("%s's e-waste figures did not change after Q1 was restated", name)
		}
	}

	// A new quarter of the span: the year takes it in; the sector view
	// of the year sees three returns.
	env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	if got := rollupOf(year).Returns; len(got) != 3 {
		t.Fatalf("after filing Q3 the year lists %v", got)
	}
	if n := sectorReturns(); n != 3 {
		t.Fatalf("sector view of the year after filing Q3: %d returns, want 3", n)
	}
}
