package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/service"
)

// Every request gets an id, echoed in X-Request-Id and in its access log
// line with the route template (not the path), the status and the
// caller; a sane incoming id is kept, anything else replaced.
func TestRequestIDAndAccessLog(t *testing.T) {
	var logs bytes.Buffer
	s := New(Config{Service: service.New(service.Config{State: state.New()}),
		Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	get := func(path, id, token string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		if id != "" {
			r.Header.Set("X-Request-Id", id)
		}
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		return rec
	}

	if got := get("/v1/returns/op-a-2025-Q3-v1/metrics", "proxy-id_42", "").Header().Get("X-Request-Id"); got != "proxy-id_42" {
		t.Fatalf("a sane incoming id was not kept: %q", got)
	}
	got := get("/v1/returns/op-a-2025-Q3-v1", "no spaces allowed", "").Header().Get("X-Request-Id")
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(got) {
		t.Fatalf("an unusable incoming id was not replaced: %q", got)
	}

	// An unknown path gets an id too (and is logged as "unmatched").
	nf := get("/v1/no-such-thing", "", "")
	if nf.Code != http.StatusNotFound || !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(nf.Header().Get("X-Request-Id")) {
		t.Fatalf("unknown path: %d, id %q", nf.Code, nf.Header().Get("X-Request-Id"))
	}

	// A refused token is logged too, under its own route name.
	if bad := get("/v1/no-such-thing", "", "ictl_not_a_token"); bad.Code != http.StatusUnauthorized {
		t.Fatalf("bad token: %d", bad.Code)
	}

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("want four access log lines, got:\n%s", logs.String())
	}
	var first, second map[string]any
	if json.Unmarshal([]byte(lines[0]), &first) != nil || json.Unmarshal([]byte(lines[1]), &second) != nil {
		t.Fatalf("log lines are not JSON:\n%s", logs.String())
	}
	if first["request_id"] != "proxy-id_42" || first["route"] != "/v1/returns/{rid}/metrics" ||
		first["method"] != "GET" || first["status"] != float64(401) || first["role"] != "" {
		t.Fatalf("first line: %v", first)
	}
	if second["request_id"] != got || second["route"] != "/v1/returns/{rid}" {
		t.Fatalf("second line: %v (id %s)", second, got)
	}
	var third map[string]any
	if json.Unmarshal([]byte(lines[2]), &third) != nil || third["route"] != "unmatched" || third["request_id"] != nf.Header().Get("X-Request-Id") {
		t.Fatalf("third line: %s", lines[2])
	}
	var fourth map[string]any
	if json.Unmarshal([]byte(lines[3]), &fourth) != nil || fourth["route"] != "unauthenticated" || fourth["status"] != float64(401) {
		t.Fatalf("fourth line: %s", lines[3])
	}
	if _, ok := first["duration_us"].(float64); !ok {
		t.Fatalf("no duration_us: %v", first)
	}
}
