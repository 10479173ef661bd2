package service_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/service/servicetest"
)

// TestRollupsFollowTheLedger: cached roll-ups (operator metrics, sector
// view) change when a version they draw on is restated, including an
// earlier quarter that only feeds the history-based metrics, and when a
// quarter of the span is filed.
func TestRollupsFollowTheLedger(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	op := env.Operator("op-a", "Operator A", "JP")
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	q1 := env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q1"))
	env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q2"))

	year := ledger.Span{Year: 2025}
	q2span := ledger.Span{Year: 2025, Quarter: 2}
	returnsOf := func(span ledger.Span) []string {
		t.Helper()
		r, err := env.Service.OperatorMetrics(reg, "op-a", span, "")
		if err != nil {
			t.Fatal(err)
		}
		again, _ := env.Service.OperatorMetrics(reg, "op-a", span, "")
		if again != r {
			t.Fatal("a second read with nothing changed was not served from the cache")
		}
		return r.Returns
	}
	if got := returnsOf(year); len(got) != 2 {
		t.Fatalf("year returns %v", got)
	}
	yearBefore, err := env.Service.OperatorMetrics(reg, "op-a", year, "")
	if err != nil {
		t.Fatal(err)
	}
	q2Before, err := env.Service.OperatorMetrics(reg, "op-a", q2span, "")
	if err != nil {
		t.Fatal(err)
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
	if got := returnsOf(year); len(got) != 2 || got[0] == q1.ID {
		t.Fatalf("after restating Q1 the year still lists %v", got)
	}
	yearAfter, err := env.Service.OperatorMetrics(reg, "op-a", year, "")
	if err != nil {
		t.Fatal(err)
	}
	q2After, err := env.Service.OperatorMetrics(reg, "op-a", q2span, "")
	if err != nil {
		t.Fatal(err)
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
	if got := returnsOf(year); len(got) != 3 {
		t.Fatalf("after filing Q3 the year lists %v", got)
	}
	sec, err := env.Service.SectorMetrics(reg, year, "")
	if err != nil || len(sec.Rows) != 1 || len(sec.Rows[0].Returns) != 3 {
		t.Fatalf("sector view: %v %+v", err, sec)
	}
}
