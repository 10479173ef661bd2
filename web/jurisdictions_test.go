package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// The dashboard says which jurisdictions the signed-in token covers, and
// a regulator of one country sees that country's operators only.
func TestDashboardShowsJurisdictions(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	if _, err := s.svc.SetJurisdiction(ctx, ledger.SystemActor, ledger.Jurisdiction{Country: "FJ", Name: "Fiji Commerce Commission"}); err != nil {
		t.Fatal(err)
	}
	fj, err := s.svc.IssueTokenFor(ctx, ledger.SystemActor, service.TokenRequest{Role: ledger.RoleRegulator, Jurisdictions: []string{"FJ"}})
	if err != nil {
		t.Fatal(err)
	}
	_, page := s.get("/dashboard?period=2025-Q3", fj.Token)
	if !strings.Contains(page, "Jurisdictions: Fiji Commerce Commission (FJ)") {
		t.Errorf("the FJ regulator's dashboard does not name its jurisdiction")
	}
	if strings.Contains(page, "Alpha Telecom") || !strings.Contains(page, "Bravo Networks") {
		t.Errorf("the FJ regulator's dashboard shows the wrong operators")
	}
	if _, page := s.get("/dashboard?period=2025-Q3", s.reg); !strings.Contains(page, "Jurisdictions: every country") {
		t.Errorf("an all-countries regulator's dashboard does not say so")
	}
}
