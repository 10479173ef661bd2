package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// TestIdempotencyKey retries a filing with the same key (same answer,
// nothing written twice) and reuses the key for another return (409).
func TestIdempotencyKey(t *testing.T) {
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	opTok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	body, _ := json.Marshal(exampleReturn(t))
	post := func(b []byte, key string) (int, http.Header, []byte) {
		var raw json.RawMessage
		code, h := ts.do("POST", "/v1/operators/sakura-mobile/returns", opTok, "application/json", b, &raw, "Idempotency-Key", key)
		return code, h, raw
	}
	code, _, first := post(body, "q3-upload-1")
	if code != 201 {
		t.Fatalf("first: %d %s", code, first)
	}
	var health struct {
		Entries uint64 `json:"entries"`
	}
	ts.mustJSON("GET", "/healthz", "", nil, 200, &health)
	before := health.Entries

	code, h, again := post(body, "q3-upload-1")
	if code != 201 || !bytes.Equal(first, again) || h.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %s (replayed %q)\nfirst %s", code, again, h.Get("Idempotent-Replayed"), first)
	}
	ts.mustJSON("GET", "/healthz", "", nil, 200, &health)
	if health.Entries != before {
		t.Fatalf("a retried filing wrote %d entries", health.Entries-before)
	}

	other := exampleReturn(t)
	other["period"] = "2025-Q2"
	delete(other, "historic_inflow")
	delete(other["resilience"].(map[string]any), "outages")
	b2, _ := json.Marshal(other)
	if code, _, out := post(b2, "q3-upload-1"); code != 409 {
		t.Fatalf("key reused for another return: %d %s", code, out)
	}
	if code, _, out := post(b2, "q2-upload-1"); code != 201 {
		t.Fatalf("new key: %d %s", code, out)
	}
}
