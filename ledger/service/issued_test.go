package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/service/servicetest"
)

// A client that hangs up while its disclosure renders still gets the
// document recorded as issued: the record does not depend on the request
// staying, and it is written once.
func TestDisclosureIssuedAfterTheClientLeft(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	op := env.Operator("op-a", "Operator A", "JP")
	env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	span, err := ledger.ParseSpan("2025-Q3")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	size := env.Service.Size()
	if _, err := env.Service.OperatorDisclosure(ctx, env.Actor(op), "op-a", span); err != nil {
		t.Fatal(err)
	}
	if got := env.Service.Size(); got != size+1 {
		t.Fatalf("ledger grew from %d to %d entries, want one disclosure.issued", size, got)
	}
	if _, err := env.Service.OperatorDisclosure(context.Background(), env.Actor(op), "op-a", span); err != nil {
		t.Fatal(err)
	}
	if got := env.Service.Size(); got != size+1 {
		t.Fatalf("a second download appended again: %d entries", got)
	}
}
