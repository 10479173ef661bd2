package web_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
	"github.com/ictledger/ictledger/web"
)

// TestRegionPageCountsOneOperator: a region of one operator due says
// "1 operator due", not "1 operators due".
func TestRegionPageCountsOneOperator(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	reg := env.Token(ledger.RoleRegulator)
	a := env.Operator("op-a", "Alpha Telecom", "JP")
	env.Review(reg, env.File(a, servicetest.ExampleReturn(t, "op-a", "2025-Q3")).ID, ledger.Review{Decision: ledger.DecisionAccept})
	h, err := web.New(web.Config{Service: env.Service, Now: env.Clock.Now, Secret: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/region?period=2025-Q3", nil))
	body, _ := io.ReadAll(w.Result().Body)
	if page := string(body); w.Code != 200 || !strings.Contains(page, ">1 operator due<") {
		t.Fatalf("status %d; the page does not say \"1 operator due\":\n%s", w.Code, page)
	}
}
