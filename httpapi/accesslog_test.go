package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/service"
)

// TestAccessLineFields: one request is one JSON line from the Logger at
// INFO with the message "request" and the fields log readers rely on,
// in this order.
func TestAccessLineFields(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{log: slog.New(slog.NewJSONHandler(&logs, nil))}
	s.logAccess(httptest.NewRequest(http.MethodGet, "/", nil), accessEntry{requestID: "5f0c2a9b7d1e3c44", method: "GET",
		route: "/v1/returns/{rid}/metrics", status: 499, bytes: 66622, duration: 1234567 * time.Nanosecond,
		tokenID: "tok-1", role: "operator"})

	line := logs.Bytes()
	if bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
		t.Fatalf("want one line ending in a newline: %q", line)
	}
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil {
		t.Fatalf("the line is not JSON: %v\n%s", err, line)
	}
	if _, err := time.Parse(time.RFC3339Nano, m["time"].(string)); err != nil {
		t.Fatalf("time: %v", err)
	}
	want := map[string]any{"level": "INFO", "msg": "request", "request_id": "5f0c2a9b7d1e3c44", "method": "GET",
		"route": "/v1/returns/{rid}/metrics", "status": float64(499), "bytes": float64(66622), "duration_us": float64(1234),
		"token_id": "tok-1", "role": "operator"}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s: got %v, want %v", k, m[k], v)
		}
	}
	if len(m) != len(want)+1 {
		t.Errorf("want exactly the fields %v and time, got %v", want, m)
	}
	order := []string{"time", "level", "msg", "request_id", "method", "route", "status", "bytes", "duration_us", "token_id", "role"}
	at := 0
	for _, k := range order {
		i := bytes.Index(line, []byte(`"`+k+`":`))
		if i < at {
			t.Fatalf("field %s out of order in %s", k, line)
		}
		at = i
	}
}

// TestAccessLineCutsLongMethod: a request with a 56 kB method is logged
// with the method cut to maxLoggedMethod bytes and "...", so one client
// cannot make every line 56 kB.
func TestAccessLineCutsLongMethod(t *testing.T) {
	var logs bytes.Buffer
	s := New(Config{Service: service.New(service.Config{State: state.New()}),
		Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	long := strings.Repeat("X", 56<<10)
	r := httptest.NewRequest(http.MethodGet, "/v1/operators", nil)
	r.Method = long
	s.ServeHTTP(httptest.NewRecorder(), r)

	var m map[string]any
	if err := json.Unmarshal(logs.Bytes(), &m); err != nil {
		t.Fatalf("want one JSON line: %v\n%.300s", err, logs.String())
	}
	if m["msg"] != "request" || m["method"] != long[:maxLoggedMethod]+"..." {
		t.Fatalf("method logged as %.100v", m["method"])
	}
	if logs.Len() > 1024 {
		t.Fatalf("the access line is %d bytes", logs.Len())
	}
}

// BenchmarkAccessLine is one access line as the server writes it for
// every request: through slog's JSON handler to a file, one write call
// a line, as serve logs to standard error.
func BenchmarkAccessLine(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "log"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	s := &Server{log: slog.New(slog.NewJSONHandler(f, nil))}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	e := accessEntry{requestID: "5f0c2a9b7d1e3c44", method: "GET", route: "/v1/returns/{rid}/metrics", status: 200,
		bytes: 66622, duration: 180 * time.Microsecond, tokenID: "tok_3c1d9a", role: "operator"}
	b.ReportAllocs()
	for b.Loop() {
		s.logAccess(r, e)
	}
}
