package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeLogsJSONLines runs serve as the binary does and reads its
// standard error: JSON lines, a warning from the start (a journal file
// left half-created by a crash), the access line of a request with its
// fields, and the last line when it stops.
func TestServeLogsJSONLines(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "journal.wal.tmp"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--render-workers", "0"}, &strings.Builder{}, &stderr)
	}()

	listening := waitLogLine(t, &stderr, func(m map[string]any) bool { return m["msg"] == "listening" })
	warn := waitLogLine(t, &stderr, func(m map[string]any) bool { return m["level"] == "WARN" })
	if !strings.Contains(warn["msg"].(string), "half-created") {
		t.Fatalf("warning: %v", warn)
	}
	resp, err := http.Get("http://" + listening["addr"].(string) + "/v1/operators")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	access := waitLogLine(t, &stderr, func(m map[string]any) bool { return m["msg"] == "request" })
	for k, v := range map[string]any{"level": "INFO", "request_id": id, "method": "GET", "route": "/v1/operators",
		"status": float64(http.StatusUnauthorized), "token_id": "", "role": ""} {
		if access[k] != v {
			t.Errorf("access line %s: got %v, want %v", k, access[k], v)
		}
	}
	for _, k := range []string{"time", "bytes", "duration_us"} {
		if _, ok := access[k]; !ok {
			t.Errorf("access line without %s: %v", k, access)
		}
	}

	cancel()
	select {
	case code := <-exited:
		if code != 0 {
			t.Fatalf("serve exited %d:\n%s", code, stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop within 60 s")
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, `"msg":"stopped cleanly"`) {
		t.Fatalf("last line: %s", last)
	}
}

// waitLogLine waits (generously) until a JSON line in logs satisfies
// match and returns it; every line must be JSON.
func waitLogLine(t *testing.T, logs *syncBuffer, match func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			if line == "" {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("a log line is not JSON: %v\n%s", err, line)
			}
			if match(m) {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no such log line within 60 s:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
