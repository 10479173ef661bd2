package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ictledger/ictledger/service/servicetest"
)

// TestNosniffOnEveryAnswer: every answer of the API carries
// X-Content-Type-Options: nosniff, the problems (401 before routing, 404
// of an unknown path, 400 of a method a route does not take, 403) and a
// recovered panic included.
func TestNosniffOnEveryAnswer(t *testing.T) {
	env := servicetest.New(t, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC))
	s := New(Config{Service: env.Service})
	s.router.Handle("/v1/test-panic", s.observe("/v1/test-panic", func(http.ResponseWriter, *http.Request) { panic("boom") }))
	for _, tc := range []struct {
		method, path, token string
		status              int
	}{
		{"GET", "/healthz", "", 200},
		{"GET", "/metrics", "", 200},
		{"GET", "/v1/openapi.json", "", 200},
		{"GET", "/v1/ledger/checkpoint", "", 200},
		{"GET", "/v1/no-such-endpoint", "", 404},
		{"GET", "/v1/x", "ictl_unknown", 401},
		{"BREW", "/v1/operators", "", 400},
		{"GET", "/v1/sector/export.csv?period=2025-Q3", "", 401},
		{"GET", "/v1/test-panic", "", 500},
	} {
		r := httptest.NewRequest(tc.method, tc.path, nil)
		if tc.token != "" {
			r.Header.Set("Authorization", "Bearer "+tc.token)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		if rec.Code != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, rec.Code, tc.status)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s %s (%d): X-Content-Type-Options %q", tc.method, tc.path, rec.Code, got)
		}
	}
}
