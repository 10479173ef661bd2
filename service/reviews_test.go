package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// review records r on id as actor.
func review(env *servicetest.Env, a ledger.Actor, id string, r ledger.Review) error {
	_, err := env.Service.Review(context.Background(), a, id, r)
	return err
}

var (
	accept   = ledger.Review{Decision: ledger.DecisionAccept, Comment: "  fine  "}
	sendBack = ledger.Review{Decision: ledger.DecisionReturn, Comment: "check fuels", Findings: []ledger.FieldError{
		{Path: "fuels[0].quantity", Message: "litres look double counted"},
		{Path: "refrigerants", Message: "r22 top-up missing"},
	}}
)

// A regulator accepts a return; the review is kept on the version with
// its entry, and the version is accepted. Accepting again is EConflict.
func TestReviewAccept(t *testing.T) {
	env := servicetest.New(t, filingTime)
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	f := env.File(env.Operator("op-a", "Operator A", "JP"), servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	before := env.Service.Size()
	v, err := env.Service.Review(context.Background(), reg, f.ID, accept)
	if err != nil {
		t.Fatal(err)
	}
	if v.Decision != ledger.DecisionAccept || v.Comment != "fine" || v.By != reg.TokenID || v.Entry.Seq != before || len(v.Findings) != 0 {
		t.Fatalf("review %+v", v)
	}
	rv := env.Service.State().Return(f.ID)
	if rv.Status() != ledger.StatusAccepted || len(rv.Reviews) != 1 || env.Service.Size() != before+1 {
		t.Fatalf("after accepting: %s with %d reviews", rv.Status(), len(rv.Reviews))
	}
	before = env.Service.Size()
	for _, r := range []ledger.Review{accept, sendBack} {
		e := wantCode(t, review(env, reg, f.ID, r), ledger.EConflict)
		if !strings.Contains(e.Message, "accepted already") {
			t.Fatalf("second review: %q", e.Message)
		}
	}
	unchanged(t, env, before)
}

// A return sent back with findings is returned; it cannot be reviewed
// again until the operator restates it, and then only the new version
// can be reviewed, the superseded one is EConflict.
func TestReviewReturnThenRestate(t *testing.T) {
	env := servicetest.New(t, filingTime)
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	tok := env.Operator("op-a", "Operator A", "JP")
	v1 := env.File(tok, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	v, err := env.Service.Review(context.Background(), reg, v1.ID, sendBack)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Findings) != 2 || v.Findings[0].Path != "fuels[0].quantity" {
		t.Fatalf("review %+v", v)
	}
	if got := env.Service.State().Return(v1.ID).Status(); got != ledger.StatusReturned {
		t.Fatalf("after returning: %s", got)
	}
	before := env.Service.Size()
	e := wantCode(t, review(env, reg, v1.ID, accept), ledger.EConflict)
	if !strings.Contains(e.Message, "restate") {
		t.Fatalf("review of a returned version: %q", e.Message)
	}
	unchanged(t, env, before)

	v2 := env.File(tok, restatement(t, "op-a", v1.ID, "fuel litres corrected after the findings"))
	if got := env.Service.State().Return(v1.ID).Status(); got != ledger.StatusSuperseded {
		t.Fatalf("v1 after the restatement: %s", got)
	}
	before = env.Service.Size()
	e = wantCode(t, review(env, reg, v1.ID, accept), ledger.EConflict)
	if !strings.Contains(e.Message, v2.ID) {
		t.Fatalf("review of a superseded version: %q does not name %s", e.Message, v2.ID)
	}
	unchanged(t, env, before)

	if err := review(env, reg, v2.ID, accept); err != nil {
		t.Fatal(err)
	}
	st := env.Service.State()
	if st.Return(v2.ID).Status() != ledger.StatusAccepted || st.Return(v1.ID).Status() != ledger.StatusSuperseded ||
		len(st.Return(v1.ID).Reviews) != 1 {
		t.Fatalf("v1 %s, v2 %s", st.Return(v1.ID).Status(), st.Return(v2.ID).Status())
	}
}

// Only a regulator reviews, a review must say what it decides and what
// to fix, and an unknown return is not found; nothing is written.
func TestReviewRefused(t *testing.T) {
	env := servicetest.New(t, filingTime)
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	tok := env.Operator("op-a", "Operator A", "JP")
	f := env.File(tok, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	tests := []struct {
		name   string
		actor  ledger.Actor
		id     string
		review ledger.Review
		code   string
		fields string
	}{
		{"no token", ledger.Actor{}, f.ID, accept, ledger.EUnauthorized, ""},
		{"its operator", env.Actor(tok), f.ID, accept, ledger.EForbidden, ""},
		{"an admin", env.Actor(env.Token(ledger.RoleAdmin)), f.ID, accept, ledger.EForbidden, ""},
		{"an unknown return", reg, "op-a-2025-Q2-v1", accept, ledger.ENotFound, ""},
		{"no decision", reg, f.ID, ledger.Review{}, ledger.EInvalid, "decision"},
		{"return without findings", reg, f.ID, ledger.Review{Decision: ledger.DecisionReturn}, ledger.EInvalid, "findings"},
		{"a finding without a message", reg, f.ID, ledger.Review{Decision: ledger.DecisionReturn,
			Findings: []ledger.FieldError{{Path: "fuels", Message: "ok"}, {Path: "fuels", Message: " "}}}, ledger.EInvalid, "findings[1].message"},
		{"a long comment", reg, f.ID, ledger.Review{Decision: ledger.DecisionAccept, Comment: strings.Repeat("x", 10001)}, ledger.EInvalid, "comment"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := env.Service.Size()
			e := wantCode(t, review(env, tc.actor, tc.id, tc.review), tc.code)
			if got := strings.Join(fieldPaths(e), ","); got != tc.fields {
				t.Fatalf("problems at %q, want %q", got, tc.fields)
			}
			unchanged(t, env, before)
		})
	}
	if got := env.Service.State().Return(f.ID).Status(); got != ledger.StatusSubmitted {
		t.Fatalf("after refused reviews: %s", got)
	}
}
