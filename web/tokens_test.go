package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// TestTokensPage: an admin's tokens page lists every token with its role
// and what it reads (an operator by name, a regulator's jurisdictions,
// "*" as every country), revoked ones marked, and never a secret or a
// secret's hash; operators and regulators get 403, a visitor the sign-in.
func TestTokensPage(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	admin := s.env.Token(ledger.RoleAdmin)
	th, err := s.svc.IssueTokenFor(ctx, ledger.SystemActor, service.TokenRequest{Role: ledger.RoleRegulator, Jurisdictions: []string{"TH", "JP"}, Label: "NBTC desk"})
	if err != nil {
		t.Fatal(err)
	}
	gone := s.env.Token(ledger.RoleRegulator)
	goneID, err := s.svc.Authenticate(gone)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.svc.RevokeToken(ctx, ledger.SystemActor, goneID.TokenID); err != nil {
		t.Fatal(err)
	}

	resp, page := s.get("/tokens", admin)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("admin: status %d", resp.StatusCode)
	}
	for _, want := range []string{">NBTC desk<", "TH, JP", "Alpha Telecom", "every country", "revoked", ">regulator<", ">operator<", ">admin<", `href="/tokens" aria-current="page"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the tokens page lacks %q", want)
		}
	}
	for _, secret := range []string{admin, th.Token, gone, s.opA, s.opB, s.reg} {
		if strings.Contains(page, secret) || strings.Contains(page, service.HashSecret(secret)) {
			t.Fatalf("the tokens page shows a secret or its hash")
		}
	}
	if strings.Contains(page, "unrestricted (all jurisdictions)") {
		t.Errorf("a token that names its jurisdictions is marked unrestricted")
	}
	for name, tok := range map[string]string{"regulator": s.reg, "operator": s.opA} {
		if resp, page := s.get("/tokens", tok); resp.StatusCode != http.StatusForbidden || strings.Contains(page, "NBTC desk") {
			t.Errorf("%s: status %d", name, resp.StatusCode)
		}
		if _, page := s.get("/dashboard", tok); strings.Contains(page, `href="/tokens"`) {
			t.Errorf("%s: the navigation links the tokens page", name)
		}
	}
	if resp, _ := s.get("/tokens", ""); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin" {
		t.Errorf("a visitor: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
