package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// The public home page links exactly the disclosures anyone may download:
// an accepted quarter, not one under review, and not a year of which a
// quarter is unaccepted; and it names nothing of the unaccepted return.
func TestHomeListsPublicDisclosuresOnly(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	op := env.Operator("op-a", "Alpha Telecom", "JP")
	reg := env.Token(ledger.RoleRegulator)
	accept := ledger.Review{Decision: ledger.DecisionAccept}
	for _, p := range []string{"2025-Q1", "2025-Q3", "2025-Q4"} {
		env.Review(reg, env.File(op, servicetest.ExampleReturn(t, "op-a", p)).ID, accept)
	}
	q2 := env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q2"))
	_, page := visit(pagesOf(t, env), "/")
	if !strings.Contains(page, "/v1/operators/op-a/disclosures/2025-Q3.pdf") {
		t.Fatalf("the accepted quarter is not linked:\n%s", page)
	}
	for _, leak := range []string{"disclosures/2025-Q2.pdf", "disclosures/2025.pdf", q2.ID} {
		if strings.Contains(page, leak) {
			t.Errorf("the home page offers %s", leak)
		}
	}
}
