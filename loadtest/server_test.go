package loadtest

import (
	"math"
	"strings"
	"testing"
	"time"
)

const metricsBefore = `# HELP ictledger_http_request_duration_seconds HTTP request latency by route.
# TYPE ictledger_http_request_duration_seconds histogram
ictledger_http_request_duration_seconds_bucket{route="/v1/returns/{rid}/metrics",le="0.001"} 10
ictledger_http_request_duration_seconds_bucket{route="/v1/returns/{rid}/metrics",le="0.005"} 10
ictledger_http_request_duration_seconds_bucket{route="/v1/returns/{rid}/metrics",le="0.01"} 10
ictledger_http_request_duration_seconds_bucket{route="/v1/returns/{rid}/metrics",le="+Inf"} 10
ictledger_http_request_duration_seconds_sum{route="/v1/returns/{rid}/metrics"} 0.002
ictledger_http_request_duration_seconds_bucket{route="/healthz",le="0.001"} 3
ictledger_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"} 3
process_resident_memory_bytes 1.048576e+07
`

// After 1,000 more metrics reads: 900 within 1 ms, 95 more within 5 ms,
// 4 more within 10 ms, 1 slower.
const metricsAfter = `# TYPE ictledger_http_request_duration_seconds histogram
ictledger_http_request_duration_seconds_bucket{route="/v1/returns/{rid}/metrics",le="0.001"} 910
ictledger_http_request_duration_seconds_bucket{route="/v1/returns/{rid}/metrics",le="0.005"} 1005
ictledger_http_request_duration_seconds_bucket{route="/v1/returns/{rid}/metrics",le="0.01"} 1009
ictledger_http_request_duration_seconds_bucket{route="/v1/returns/{rid}/metrics",le="+Inf"} 1010
ictledger_http_request_duration_seconds_bucket{route="/healthz",le="0.001"} 3
ictledger_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"} 3
`

func TestHistogramQuantiles(t *testing.T) {
	figs := parseFigures([]byte(metricsBefore))
	if figs.rss != 10<<20 {
		t.Fatalf("resident memory %d", figs.rss)
	}
	before, after := figs.latency, parseFigures([]byte(metricsAfter)).latency
	route := routeOf[KindMetrics]
	if len(before[route]) != 4 || before[route][math.Inf(1)] != 10 || before["/healthz"][0.001] != 3 {
		t.Fatalf("parsed %v", before)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, time.Millisecond}, {0.9, time.Millisecond}, {0.95, 5 * time.Millisecond}, {0.99, 5 * time.Millisecond}, {0.999, 10 * time.Millisecond}, {1, time.Duration(math.MaxInt64)}} {
		got, ok := histogramQuantile(before[route], after[route], c.q)
		if !ok || got != c.want {
			t.Errorf("q %v: %v %v, want %v", c.q, got, ok, c.want)
		}
	}
	// No requests in between, or no histogram: unknown.
	if _, ok := histogramQuantile(before["/healthz"], after["/healthz"], 0.99); ok {
		t.Error("a route without requests in the run has a quantile")
	}
	if _, ok := histogramQuantile(nil, nil, 0.99); ok {
		t.Error("a missing histogram has a quantile")
	}
}

func TestReportShowsServerPercentiles(t *testing.T) {
	rep := &Report{Addr: "127.0.0.1:1", Clients: 1, Elapsed: time.Second, Stats: []Stats{{Kind: KindMetrics, Count: 1000,
		P50: 2 * time.Millisecond, P99: 9 * time.Millisecond, ServerP50: time.Millisecond, ServerP99: 5 * time.Millisecond, ServerKnown: true}}}
	var b strings.Builder
	rep.WriteText(&b)
	if !strings.Contains(b.String(), "as the server measured them") || !strings.Contains(b.String(), "≤5.00ms") {
		t.Fatalf("report:\n%s", b.String())
	}
	rep.Stats[0].ServerKnown = false
	b.Reset()
	rep.WriteText(&b)
	if strings.Contains(b.String(), "as the server measured them") {
		t.Fatalf("server percentiles shown without a histogram:\n%s", b.String())
	}
}
