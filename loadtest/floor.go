package loadtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// Floor answers the load test's requests with as little work as an HTTP
// server can do: it registers nothing, files nothing and answers every
// metrics read with the same fixed body of metricsBytes bytes. Run
// against it on the same machine, the generator measures what the
// machine, the kernel's loopback and net/http allow for answers of that
// size: the floor under any server's figures, ictledger's included.
// It is a measuring tool, not a ledger.
func Floor(metricsBytes int) http.Handler {
	body := floorBody(metricsBytes)
	length := strconv.Itoa(len(body))
	var filed atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		switch {
		case r.Method == http.MethodGet && len(parts) == 4 && parts[1] == "returns" && parts[3] == "metrics":
			h := w.Header()
			h.Set("Content-Type", "application/json")
			h.Set("Content-Length", length)
			_, _ = w.Write(body)
		case r.Method == http.MethodPost && r.URL.Path == "/v1/operators":
			w.WriteHeader(http.StatusCreated)
		case r.Method == http.MethodPost && r.URL.Path == "/v1/tokens":
			var req struct{ Operator string }
			_ = json.NewDecoder(r.Body).Decode(&req)
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(map[string]string{"id": "floor", "token": "floor-" + req.Operator})
		case r.Method == http.MethodPost && len(parts) == 4 && parts[1] == "operators" && parts[3] == "returns":
			_, _ = io.Copy(io.Discard, r.Body)
			n := filed.Add(1)
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(map[string]string{"id": parts[2] + "-floor-v" + strconv.FormatInt(n, 10)})
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"detail":"no such endpoint"}`))
		}
	})
}

// floorBody is a JSON object of exactly n bytes (at least its frame).
func floorBody(n int) []byte {
	const open, close = `{"pad":"`, `"}` + "\n"
	return []byte(open + strings.Repeat("x", max(0, n-len(open)-len(close))) + close)
}
