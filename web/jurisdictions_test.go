package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

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

// A return not filed before its deadline is not shown as in time: the
// dashboard says it is not filed yet and names the deadline, and late
// once the deadline has passed.
func TestDashboardMissingReturnNamesItsDeadline(t *testing.T) {
	s := newSite(t)
	s.env.Operator("op-c", "Charlie Mobile", "JP")
	_, page := s.get("/dashboard?period=2025-Q3", s.reg)
	if !strings.Contains(page, "not filed yet, due 15 Nov 2025") {
		t.Errorf("a missing return before its deadline does not say it is not filed yet, with the deadline:\n%s", page)
	}
	s.clock.Set(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	delete(s.sessionIDs, s.reg) // the session has expired by then
	if _, page := s.get("/dashboard?period=2025-Q3", s.reg); strings.Contains(page, "not filed yet") || !strings.Contains(page, `<span class="status late">late</span>`) {
		t.Errorf("a missing return past its deadline is not shown late")
	}
}
