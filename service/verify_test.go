package service_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// countingEnv is servicetest.New with a renderer that counts its calls.
func countingEnv(t *testing.T, now time.Time, renders *atomic.Int64) *servicetest.Env {
	t.Helper()
	render := func(b *disclosure.Bundle) ([]byte, error) {
		renders.Add(1)
		return disclosure.Render(b)
	}
	return servicetest.NewConfigured(t, now, service.Config{Render: render})
}

// publicPDF files and accepts a return of op-a for 2025-Q3 and downloads
// its public disclosure.
func publicPDF(t *testing.T, env *servicetest.Env) []byte {
	t.Helper()
	op := env.Operator("op-a", "Operator A", "JP")
	f := env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	env.Review(env.Token(ledger.RoleRegulator), f.ID, ledger.Review{Decision: ledger.DecisionAccept})
	span, _ := ledger.ParseSpan("2025-Q3")
	pdf, err := env.Service.OperatorDisclosure(context.Background(), service.Public, "op-a", span)
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// A document that fails the cheap checks (here: a disclosure of another
// log, whose checkpoint this log's key does not verify) is answered
// without rendering and without waiting for a render slot, even for a
// client that has already gone; only a document that passes them is
// rendered again.
func TestVerifyDisclosureRendersOnlyWhatPassesTheChecks(t *testing.T) {
	now := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	var renders atomic.Int64
	env := countingEnv(t, now, &renders)
	own := publicPDF(t, env)
	foreign := publicPDF(t, servicetest.New(t, now))

	before := renders.Load()
	res, err := env.Service.VerifyDisclosure(context.Background(), own)
	if err != nil || !res.Valid || renders.Load() != before+1 {
		t.Fatalf("own document: %+v, %v, %d renders", res, err, renders.Load()-before)
	}

	// With ctx done, waiting for a slot fails; had a slot been taken, the
	// wait would have failed in about half of these (select picks at
	// random between a free slot and a done ctx).
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before = renders.Load()
	for range 20 {
		res, err = env.Service.VerifyDisclosure(ctx, foreign)
		if err != nil {
			t.Fatalf("document of another log: %v", err)
		}
		if res.Valid || len(res.Problems) == 0 || !strings.Contains(res.Problems[0], "signature does not verify") {
			t.Fatalf("document of another log: valid %v, problems %q", res.Valid, res.Problems)
		}
	}
	if n := renders.Load() - before; n != 0 {
		t.Fatalf("documents of another log rendered %d times", n)
	}
}
