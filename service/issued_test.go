package service_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// A document rendered for a client that has already hung up is still
// recorded as issued: with a slot free the render does not wait, so it
// runs, and the record must not depend on the request's context. It is
// written once.
func TestDisclosureIssuedAfterTheClientLeft(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	op := env.Operator("op-a", "Operator A", "JP")
	f := env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	env.Review(env.Token(ledger.RoleRegulator), f.ID, ledger.Review{Decision: ledger.DecisionAccept})
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

// Many first downloads of one document at once record it once; a draft
// (a return not yet accepted) is not recorded at all; a sector report for
// a period that has not begun is refused.
func TestDisclosureIssuedOnce(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	op := env.Operator("op-a", "Operator A", "JP")
	reg := env.Token(ledger.RoleRegulator)
	q3, _ := ledger.ParseSpan("2025-Q3")
	f := env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))

	size := env.Service.Size()
	if _, err := env.Service.OperatorDisclosure(context.Background(), env.Actor(op), "op-a", q3); err != nil {
		t.Fatal(err)
	}
	if got := env.Service.Size(); got != size {
		t.Fatalf("a draft was recorded as issued: %d entries, had %d", got, size)
	}

	env.Review(reg, f.ID, ledger.Review{Decision: ledger.DecisionAccept})
	size = env.Service.Size()
	var wg sync.WaitGroup
	pdfs := make([][]byte, 16)
	for i := range pdfs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pdf, err := env.Service.OperatorDisclosure(context.Background(), service.Public, "op-a", q3)
			if err != nil {
				t.Error(err)
			}
			pdfs[i] = pdf
		}()
	}
	wg.Wait()
	if got := env.Service.Size(); got != size+1 {
		t.Fatalf("16 downloads at once appended %d entries, want 1", got-size)
	}
	for _, pdf := range pdfs[1:] {
		if !bytes.Equal(pdf, pdfs[0]) {
			t.Fatal("the downloads differ")
		}
	}
	if res, err := env.Service.VerifyDisclosure(context.Background(), pdfs[0]); err != nil || !res.Valid || res.Issued == nil || res.Issued.Seq != size {
		t.Fatalf("verify: %+v, %v", res, err)
	}

	future, _ := ledger.ParseSpan("2026-Q2")
	_, err := env.Service.SectorDisclosure(context.Background(), env.Actor(reg), future, "")
	var le *ledger.Error
	if !errors.As(err, &le) || le.Code != ledger.ENotFound || env.Service.Size() != size+1 {
		t.Fatalf("sector report of a period not begun: %v, %d entries", err, env.Service.Size())
	}
	// A sector report appends the record of its view, then its own
	// disclosure.issued entry.
	if _, err := env.Service.SectorDisclosure(context.Background(), env.Actor(reg), q3, ""); err != nil || env.Service.Size() != size+3 {
		t.Fatalf("sector report: %v, %d entries", err, env.Service.Size())
	}
}
