package service_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// TestDisclosures lists accepted latest versions only: a submitted, a
// returned, and an accepted-then-restated quarter are left out, and a
// year appears once its four quarters are accepted.
func TestDisclosures(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	a := env.Operator("op-a", "Operator A", "JP")
	b := env.Operator("op-b", "Operator B", "FJ")
	reg := env.Token(ledger.RoleRegulator)
	accept := ledger.Review{Decision: ledger.DecisionAccept}

	if got := env.Service.Disclosures(); len(got) != 0 {
		t.Fatalf("empty ledger lists %v", got)
	}
	for _, p := range []string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"} {
		f := env.File(a, servicetest.ExampleReturn(t, "op-a", p))
		env.Review(reg, f.ID, accept)
	}
	// op-b: Q1 submitted, Q2 returned, Q3 accepted then restated.
	env.File(b, servicetest.ExampleReturn(t, "op-b", "2025-Q1"))
	q2 := env.File(b, servicetest.ExampleReturn(t, "op-b", "2025-Q2"))
	env.Review(reg, q2.ID, ledger.Review{Decision: ledger.DecisionReturn, Findings: []ledger.FieldError{{Path: "fuels[0]", Message: "check"}}})
	q3 := env.File(b, servicetest.ExampleReturn(t, "op-b", "2025-Q3"))
	env.Review(reg, q3.ID, accept)
	q4 := env.File(b, servicetest.ExampleReturn(t, "op-b", "2025-Q4"))
	env.Review(reg, q4.ID, accept)

	var m map[string]any
	if err := json.Unmarshal(servicetest.ExampleReturn(t, "op-b", "2025-Q3"), &m); err != nil {
		t.Fatal(err)
	}
	m["restates"], m["reason"] = q3.ID, "late meter reading"
	restated, _ := json.Marshal(m)
	env.File(b, restated)

	got := env.Service.Disclosures()
	var list []string
	for _, d := range got {
		list = append(list, d.Operator+" "+d.Period)
	}
	want := []string{"op-a 2025", "op-a 2025-Q4", "op-a 2025-Q3", "op-a 2025-Q2", "op-a 2025-Q1", "op-b 2025-Q4"}
	if len(list) != len(want) {
		t.Fatalf("disclosures %v, want %v", list, want)
	}
	for i := range want {
		if list[i] != want[i] {
			t.Fatalf("disclosures %v, want %v", list, want)
		}
	}
	if y := got[0]; len(y.Returns) != 4 || y.Name != "Operator A" || y.AcceptedAt.IsZero() {
		t.Fatalf("year disclosure %+v", y)
	}
	if q := got[5]; q.Returns[0] != q4.ID || q.Country != "FJ" {
		t.Fatalf("quarter disclosure %+v", q)
	}
}
