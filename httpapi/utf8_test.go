package httpapi

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// TestSmallBodiesMustBeUTF8: an admin body with invalid UTF-8 in a name is
// refused, not stored with U+FFFD in its place (encoding/json would
// replace the bytes silently), and nothing is written.
func TestSmallBodiesMustBeUTF8(t *testing.T) {
	env := servicetest.New(t, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC))
	s := New(Config{Service: env.Service})
	admin := env.Token(ledger.RoleAdmin)
	before := env.Service.Size()
	body := `{"id":"bad-utf8","name":"Op ` + "\xff\xfe" + `","country":"JP","kinds":["mobile"]}`
	r := httptest.NewRequest("POST", "/v1/operators", strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+admin)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "UTF-8") {
		t.Fatalf("status %d, body %s; want 400 naming UTF-8", rec.Code, rec.Body)
	}
	if env.Service.Size() != before || env.Service.State().Operator("bad-utf8") != nil {
		t.Fatal("the operator was registered")
	}
}
