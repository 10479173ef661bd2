package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// TestRegionPageCountsOneOperator: a region of one operator due says
// "1 operator due", not "1 operators due".
func TestRegionPageCountsOneOperator(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	acceptExample(t, env, env.Token(ledger.RoleRegulator), "op-a", "Alpha Telecom", "JP")
	if code, page := visit(pagesOf(t, env), "/region?period=2025-Q3"); code != 200 || !strings.Contains(page, ">1 operator due<") {
		t.Fatalf("status %d; the page does not say \"1 operator due\":\n%s", code, page)
	}
}
