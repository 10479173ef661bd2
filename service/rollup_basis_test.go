package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// TestYearAddsLikeWithLike: a year whose first quarter was filed under
// apt-2025.1 and whose second under apt-2026.1 is summed with both
// quarters computed under apt-2026.1 (methodology 2026.1, versioning:
// compare like with like), and says so; a year filed under one set keeps
// it.
func TestYearAddsLikeWithLike(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 8, 20, 0, 0, 0, 0, time.UTC))
	if _, err := env.Service.PublishFactorSet(context.Background(), ledger.SystemActor, fixtures.FactorSet20261()); err != nil {
		t.Fatal(err)
	}
	op := env.Operator("sakura-mobile", "Sakura Mobile K.K.", "JP")
	// Without claims: a certificate counts once in the ledger, and both
	// quarters are the example's.
	set := func(fs string) func(map[string]any) {
		return func(m map[string]any) { m["factor_set"] = fs; delete(m, "renewable_claims") }
	}
	env.File(op, servicetest.ReturnWith(t, "sakura-mobile", "2026-Q1", set("apt-2025.1")))
	env.File(op, servicetest.ReturnWith(t, "sakura-mobile", "2026-Q2", set("apt-2026.1")))
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	y, err := env.Service.OperatorMetrics(reg, "sakura-mobile", ledger.Span{Year: 2026}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(y.FactorSets, []string{"apt-2026.1"}) {
		t.Fatalf("year computed with factor sets %v, want apt-2026.1 alone", y.FactorSets)
	}
	if !slices.ContainsFunc(y.Notes, func(n string) bool { return strings.Contains(n, "like with like") }) {
		t.Fatalf("the year does not say its quarters were recomputed: %v", y.Notes)
	}
	// Each quarter's own metrics keep the set it was filed under.
	q1, err := env.Service.ReturnMetrics(reg, "sakura-mobile-2026-Q1-v1", "", "")
	if err != nil || q1.FactorSet != "apt-2025.1" {
		t.Fatalf("Q1's own metrics: %v, %v", q1.FactorSet, err)
	}

	// A year filed under one set is computed under it and needs no note.
	one := env.Operator("fuji-net", "Fuji Net K.K.", "JP")
	env.File(one, servicetest.ReturnWith(t, "fuji-net", "2026-Q1", set("apt-2025.1")))
	env.File(one, servicetest.ReturnWith(t, "fuji-net", "2026-Q2", set("apt-2025.1")))
	y, err = env.Service.OperatorMetrics(reg, "fuji-net", ledger.Span{Year: 2026}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(y.FactorSets, []string{"apt-2025.1"}) {
		t.Fatalf("a year filed under apt-2025.1 computed with factor sets %v", y.FactorSets)
	}
	if slices.ContainsFunc(y.Notes, func(n string) bool { return strings.Contains(n, "like with like") }) {
		t.Fatalf("a year filed under one set says its quarters were recomputed: %v", y.Notes)
	}
}
