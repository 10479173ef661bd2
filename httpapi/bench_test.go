package httpapi_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ictledger/ictledger/httpapi"
	"github.com/ictledger/ictledger/service/servicetest"
)

// discardWriter is a ResponseWriter that keeps the status and drops the
// body, so that the benchmark measures the server, not a recorder
// copying 66 kB per read.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *discardWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += len(b)
	return len(b), nil
}

// BenchmarkMetricsRead is the in-process part of the load test's hot
// path: an operator reading its own return's metrics (already computed),
// through routing, authentication, the handler and the access log (JSON,
// to io.Discard). The kernel's part, copying the 66 kB answer to the
// socket, is not in it.
func BenchmarkMetricsRead(b *testing.B) {
	env := servicetest.New(b, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC))
	secret := env.Operator("telco-a", "Telco A", "JP")
	f := env.File(secret, servicetest.ExampleReturn(b, "telco-a", "2025-Q3"))
	s := httpapi.New(httpapi.Config{Service: env.Service, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	r := httptest.NewRequest(http.MethodGet, "/v1/returns/"+f.ID+"/metrics", nil)
	r.Header.Set("Authorization", "Bearer "+secret)
	read := func() *discardWriter {
		w := &discardWriter{h: http.Header{}}
		s.ServeHTTP(w, r)
		return w
	}
	if w := read(); w.status != http.StatusOK || w.n < 10000 {
		b.Fatalf("metrics read: status %d, %d bytes", w.status, w.n)
	}
	b.ReportAllocs()
	for b.Loop() {
		read()
	}
}
