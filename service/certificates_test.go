package service_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// certEnv is a service with apt-2026.1 published beside the default set.
func certEnv(t *testing.T) *servicetest.Env {
	env := servicetest.New(t, filingTime)
	if _, err := env.Service.PublishFactorSet(context.Background(), ledger.SystemActor, fixtures.FactorSet20261()); err != nil {
		t.Fatal(err)
	}
	return env
}

// certReturn is the example return of operator for period under factor
// set fs, its eac claiming certs, edited by more when not nil.
func certReturn(t *testing.T, operator, period, fs string, certs []string, more func(map[string]any)) []byte {
	return servicetest.ReturnWith(t, operator, period, func(m map[string]any) {
		m["factor_set"] = fs
		claims := m["renewable_claims"].([]any)
		claims[0].(map[string]any)["certificates"] = certs
		claims[0].(map[string]any)["registry"] = "JEPX"
		m["renewable_claims"] = claims[:1] // the eac
		if more != nil {
			more(m)
		}
	})
}

// TestCertificatesUniqueAcrossTheLedger (methodology 2026.1 G3): a
// certificate another operator's return claims, or another quarter's, is
// a 422 naming that return; a restatement of the same return may claim
// its own again; after a restatement drops a certificate, it is free.
// Returns under 2025.1 are not held to the rule.
func TestCertificatesUniqueAcrossTheLedger(t *testing.T) {
	env := certEnv(t)
	a, b := env.Actor(env.Operator("op-a", "A", "JP")), env.Actor(env.Operator("op-b", "B", "JP"))
	certs := []string{"JP-NFC-2025-000118", "JP-NFC-2025-000119"}
	first, err := file(env, a, "op-a", certReturn(t, "op-a", "2025-Q3", "apt-2026.1", certs, nil), "")
	if err != nil {
		t.Fatal(err)
	}
	refused := func(actor ledger.Actor, body []byte, claimer string) {
		t.Helper()
		before := env.Service.Size()
		_, err := file(env, actor, actor.Operator, body, "")
		le := wantCode(t, err, ledger.EInvalid)
		if got := strings.Join(fieldPaths(le), ","); got != "renewable_claims[0].certificates[0],renewable_claims[0].certificates[1]" {
			t.Fatalf("fields %s: %v", got, le)
		}
		if !strings.Contains(le.Fields[0].Message, "already claimed by return "+claimer) {
			t.Fatalf("message %q does not name %s", le.Fields[0].Message, claimer)
		}
		unchanged(t, env, before)
	}
	// Another operator: refused, naming op-a's return.
	refused(b, certReturn(t, "op-b", "2025-Q3", "apt-2026.1", certs, nil), first.ID)
	// The same operator's other quarter: refused too.
	refused(a, certReturn(t, "op-a", "2025-Q2", "apt-2026.1", certs, nil), first.ID)
	// The same return's restatement: accepted.
	restated, err := file(env, a, "op-a", certReturn(t, "op-a", "2025-Q3", "apt-2026.1", certs, func(m map[string]any) {
		m["restates"], m["reason"] = first.ID, "fuel corrected"
	}), "")
	if err != nil {
		t.Fatalf("a restatement claiming its own certificates: %v", err)
	}
	refused(b, certReturn(t, "op-b", "2025-Q3", "apt-2026.1", certs, nil), restated.ID)
	// A restatement without the second certificate releases it.
	if _, err := file(env, a, "op-a", certReturn(t, "op-a", "2025-Q3", "apt-2026.1", certs[:1], func(m map[string]any) {
		m["restates"], m["reason"] = restated.ID, "one certificate was cancelled"
	}), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := file(env, b, "op-b", certReturn(t, "op-b", "2025-Q3", "apt-2026.1", certs[1:], nil), ""); err != nil {
		t.Fatalf("a released certificate: %v", err)
	}
	// Under 2025.1 the rule does not apply (its returns keep today's rules).
	c := env.Actor(env.Operator("op-c", "C", "JP"))
	if _, err := file(env, c, "op-c", certReturn(t, "op-c", "2025-Q3", "apt-2025.1", certs, nil), ""); err != nil {
		t.Fatalf("under 2025.1: %v", err)
	}
}

// TestCertificateRace: operators filing one certificate at the same time
// (possibly in one group commit): exactly one filing is kept, and the
// other is refused (a 422 naming the winner, or a conflict to retry).
func TestCertificateRace(t *testing.T) {
	env := certEnv(t)
	const n = 4
	actors := make([]ledger.Actor, n)
	for i := range actors {
		actors[i] = env.Actor(env.Operator(fmt.Sprintf("op-%d", i), "Op", "JP"))
	}
	for round := range 5 {
		period := []string{"2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"}[round]
		cert := []string{fmt.Sprintf("RACE-%d", round)}
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i, a := range actors {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = file(env, a, a.Operator, certReturn(t, a.Operator, period, "apt-2026.1", cert, nil), "")
			}()
		}
		wg.Wait()
		kept := 0
		for _, err := range errs {
			switch {
			case err == nil:
				kept++
			case !strings.Contains(err.Error(), "already claimed by return") && !strings.Contains(err.Error(), "concurrent change"):
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if kept != 1 {
			t.Fatalf("round %d: %d filings of one certificate kept", round, kept)
		}
	}
}

// TestCertificateNearMissesInSectorView: two operators claiming
// certificates of one id pattern (JP-NFC-####-######), the same kWh
// (20,000,000) and vintage (2025) are listed in both rows of the
// regulator's sector view; a third with another kWh is not.
func TestCertificateNearMissesInSectorView(t *testing.T) {
	env := certEnv(t)
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	for _, f := range []struct{ op, cert, kwh string }{
		{"op-a", "JP-NFC-2025-000118", "20000000"},
		{"op-b", "JP-NFC-2025-000218", "20000000.0"},
		{"op-c", "JP-NFC-2025-000318", "19000000"},
	} {
		a := env.Actor(env.Operator(f.op, f.op, "JP"))
		body := certReturn(t, f.op, "2025-Q3", "apt-2026.1", []string{f.cert}, func(m map[string]any) {
			m["renewable_claims"].([]any)[0].(map[string]any)["kwh"] = f.kwh
		})
		if _, err := file(env, a, f.op, body, ""); err != nil {
			t.Fatal(err)
		}
	}
	sm, err := env.Service.SectorMetrics(reg, ledger.Span{Year: 2025, Quarter: 3}, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, row := range sm.Rows {
		for _, w := range row.Outliers {
			if w.Rule == "certificate_near_miss" {
				got[row.Operator] = append(got[row.Operator], w.Path+": "+w.Message)
			}
		}
	}
	want := map[string][]string{
		"op-a": {`renewable_claims[0].certificates: certificate "JP-NFC-2025-000118" of return op-a-2025-Q3-v1 looks like "JP-NFC-2025-000218" claimed by op-b in return op-b-2025-Q3-v1: the same id pattern, 20000000 kWh and vintage 2025`},
		"op-b": {`renewable_claims[0].certificates: certificate "JP-NFC-2025-000218" of return op-b-2025-Q3-v1 looks like "JP-NFC-2025-000118" claimed by op-a in return op-a-2025-Q3-v1: the same id pattern, 20000000 kWh and vintage 2025`},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("near-misses\n%v\nwant\n%v", got, want)
	}
}
