package service_test

import (
	"context"
	"testing"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// A token authenticates as its role and operator until it is revoked,
// and never after; revoking is the admin's, and only once.
func TestTokenRevocation(t *testing.T) {
	env := servicetest.New(t, filingTime)
	ctx := context.Background()
	admin := env.Actor(env.Token(ledger.RoleAdmin))
	env.Operator("op-a", "Operator A", "JP")
	tok, err := env.Service.IssueToken(ctx, admin, ledger.RoleOperator, "op-a", "upload robot")
	if err != nil {
		t.Fatal(err)
	}
	a, err := env.Service.Authenticate(tok.Token)
	if err != nil || a != (ledger.Actor{TokenID: tok.ID, Role: ledger.RoleOperator, Operator: "op-a"}) {
		t.Fatalf("before revoking: %+v, %v", a, err)
	}

	for _, who := range []ledger.Actor{a, env.Actor(env.Token(ledger.RoleRegulator))} {
		before := env.Service.Size()
		wantCode(t, env.Service.RevokeToken(ctx, who, tok.ID), ledger.EForbidden)
		unchanged(t, env, before)
	}
	before := env.Service.Size()
	if err := env.Service.RevokeToken(ctx, admin, tok.ID); err != nil {
		t.Fatal(err)
	}
	if env.Service.Size() != before+1 {
		t.Fatalf("revoking wrote %d entries", env.Service.Size()-before)
	}
	a, err = env.Service.Authenticate(tok.Token)
	wantCode(t, err, ledger.EUnauthorized)
	if a != service.Public {
		t.Fatalf("a revoked token authenticated as %+v", a)
	}

	before = env.Service.Size()
	wantCode(t, env.Service.RevokeToken(ctx, admin, tok.ID), ledger.EConflict)
	wantCode(t, env.Service.RevokeToken(ctx, admin, "tok-000000000000"), ledger.ENotFound)
	unchanged(t, env, before)
}

// Unknown and empty secrets are EUnauthorized; an admin secret from the
// environment authenticates without a ledger entry.
func TestAuthenticate(t *testing.T) {
	env := servicetest.New(t, filingTime)
	for _, secret := range []string{"", "ictl_not-a-real-token", env.Token(ledger.RoleRegulator) + "x"} {
		if a, err := env.Service.Authenticate(secret); ledger.ErrorCode(err) != ledger.EUnauthorized || a != service.Public {
			t.Errorf("%q: %+v, %v", secret, a, err)
		}
	}
}

// Issuing a token checks its request: an operator token needs a
// registered operator, other roles none.
func TestIssueTokenRefused(t *testing.T) {
	env := servicetest.New(t, filingTime)
	ctx := context.Background()
	admin := env.Actor(env.Token(ledger.RoleAdmin))
	tests := []struct {
		name     string
		actor    ledger.Actor
		role     ledger.Role
		operator string
		code     string
		field    string
	}{
		{"a regulator issuing", env.Actor(env.Token(ledger.RoleRegulator)), ledger.RoleRegulator, "", ledger.EForbidden, ""},
		{"an unknown role", admin, "auditor", "", ledger.EInvalid, "role"},
		{"an operator token without operator", admin, ledger.RoleOperator, "", ledger.EInvalid, "operator"},
		{"a regulator token with an operator", admin, ledger.RoleRegulator, "op-a", ledger.EInvalid, "operator"},
		{"an unregistered operator", admin, ledger.RoleOperator, "op-z", ledger.EInvalid, "operator"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := env.Service.Size()
			_, err := env.Service.IssueToken(ctx, tc.actor, tc.role, tc.operator, "")
			e := wantCode(t, err, tc.code)
			if tc.field != "" && (len(e.Fields) != 1 || e.Fields[0].Path != tc.field) {
				t.Fatalf("fields %+v, want one at %s", e.Fields, tc.field)
			}
			unchanged(t, env, before)
		})
	}
}
