package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/ictledger/ictledger/httpstatus"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// TestClientGoneIsNotAServerError: a client that hangs up while its
// change waits for the journal is logged and counted as 499 (client
// closed request), never as a 500 or 503, and nothing is logged at
// error level.
func TestClientGoneIsNotAServerError(t *testing.T) {
	env := servicetest.New(t, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC))
	admin := env.Token(ledger.RoleAdmin)
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	s := New(Config{Service: env.Service, Registry: reg,
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client is gone before the journal takes the change
	body := `{"id":"gone-op","name":"Gone Op","country":"JP","kinds":["mobile"]}`
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/v1/operators", strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+admin)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	if rec.Code != httpstatus.ClientClosedRequest {
		t.Fatalf("status %d, want %d; body %s", rec.Code, httpstatus.ClientClosedRequest, rec.Body)
	}
	if env.Service.State().Operator("gone-op") != nil {
		t.Fatal("the operator was registered although the request ended first")
	}

	var access map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		if m["level"] == "ERROR" || m["level"] == "WARN" {
			t.Errorf("a hang-up was logged at %s: %s", m["level"], line)
		}
		if m["msg"] == "request" {
			access = m
		}
	}
	if access == nil || access["status"] != float64(httpstatus.ClientClosedRequest) || access["route"] != "/v1/operators" {
		t.Fatalf("access line: %v\n%s", access, logs.String())
	}
	for _, l := range httpSeries(t, reg)["ictledger_http_requests_total"] {
		if l["code"] != "499" {
			t.Errorf("counted as %v", l)
		}
	}
}
