package service_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/loadtest"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// TestRegionAfterAChangeElsewhere: on a generated regional ledger, a
// regional view asked again after new entries for two operators
// recomputes those two only, and gives, to the last digit, what a new
// service with nothing kept computes from the same state, for a year and
// for a quarter.
func TestRegionAfterAChangeElsewhere(t *testing.T) {
	dir := t.TempDir()
	if _, err := loadtest.GenerateRegion(context.Background(), dir, loadtest.RegionConfig{Jurisdictions: 4, Operators: 5, Years: 3, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	d := openGenerated(t, dir, "")
	cur := d.Service()
	spans := []ledger.Span{{Year: 2025}, {Year: 2025, Quarter: 4}}
	before := map[ledger.Span]string{}
	for _, sp := range spans {
		before[sp] = regionJSON(t, cur, sp)
	}
	computed := service.RegionTermsComputed(cur)

	// A restated and accepted first quarter of an operator that has
	// accepted quarters after it (their e-waste history changes), and a
	// new operator with one accepted quarter.
	env := &servicetest.Env{T: t, Service: cur}
	reg := env.Token(ledger.RoleRegulator)
	restated := restateAccepted(t, env, reg, ledger.Period{Year: 2025, Quarter: 1})
	op := env.Operator("op-new", "New Operator", "TH")
	f := env.File(op, servicetest.ReturnWith(t, "op-new", "2025-Q4", func(m map[string]any) { delete(m, "renewable_claims") }))
	env.Review(reg, f.ID, ledger.Review{Decision: ledger.DecisionAccept})

	for _, sp := range spans {
		after := regionJSON(t, cur, sp)
		if after == before[sp] {
			t.Errorf("%s: the view did not change after restating %s and adding op-new", sp, restated)
		}
		if fresh := regionJSON(t, d.Restart(t), sp); after != fresh {
			t.Errorf("%s: the view kept across the change differs from a new service's:\n%s\n%s", sp, after, fresh)
		}
	}
	// Each span recomputed the two operators and reused the others.
	if got := service.RegionTermsComputed(cur); got != computed+2*len(spans) {
		t.Errorf("%d operators' terms computed after the change, want %d + %d", got, computed, 2*len(spans))
	}
}

func regionJSON(t *testing.T, svc *service.Service, span ledger.Span) string {
	t.Helper()
	r, err := svc.Region(span)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// restateAccepted restates, with the example return, the accepted
// quarter p of an operator whose later quarters of the year are all
// accepted, accepts the restatement, and names the operator.
func restateAccepted(t *testing.T, env *servicetest.Env, reg string, p ledger.Period) string {
	t.Helper()
	for _, op := range env.Service.State().Operators() {
		latest := env.Service.State().LatestOf(op.ID)
		ok, first := len(latest) > 0, ""
		for _, rv := range latest {
			if rv.Period.Year != p.Year || rv.Period.Before(p) {
				continue
			}
			ok = ok && rv.Status() == ledger.StatusAccepted
			if rv.Period == p {
				first = rv.ID
			}
		}
		if !ok || first == "" {
			continue
		}
		tok, err := env.Service.IssueToken(context.Background(), ledger.SystemActor, ledger.RoleOperator, op.ID, "test "+op.ID)
		if err != nil {
			t.Fatal(err)
		}
		body := servicetest.ReturnWith(t, op.ID, p.String(), func(m map[string]any) {
			m["restates"], m["reason"] = first, "a corrected meter reading"
			delete(m, "renewable_claims")
		})
		f := env.File(tok.Token, body)
		env.Review(reg, f.ID, ledger.Review{Decision: ledger.DecisionAccept})
		return op.ID
	}
	t.Fatal("no operator with every quarter of the year accepted")
	return ""
}
