package loadtest

import (
	"context"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// routeOf is the route label under which the server's latency histogram
// (ictledger_http_request_duration_seconds) counts each kind of request.
var routeOf = map[Kind]string{
	KindFile:       "/v1/operators/{id}/returns",
	KindMetrics:    "/v1/returns/{rid}/metrics",
	KindDisclosure: "/v1/operators/{id}/disclosures/{period}.pdf",
}

// serverFigures is what the generator reads from the server's /metrics:
// its resident memory, its ledger's size and its latency histograms.
type serverFigures struct {
	rss, entries int64
	latency      map[string]histogram // by route
}

// histogram is a Prometheus histogram: cumulative counts by upper bound
// (seconds; +Inf for the last bucket).
type histogram map[float64]float64

// scrape reads the server's figures; zeros and no histograms when
// /metrics does not answer.
func (r *runner) scrape(ctx context.Context) serverFigures {
	code, b, err := r.do(ctx, nil, "GET", "/metrics", "", nil, nil)
	if err != nil || code != http.StatusOK {
		return serverFigures{}
	}
	return serverFigures{
		rss:     metricValue(b, "process_resident_memory_bytes"),
		entries: metricValue(b, "ictledger_ledger_entries"),
		latency: latencyHistograms(b),
	}
}

// latencyHistograms reads the buckets of
// ictledger_http_request_duration_seconds by route from Prometheus text.
func latencyHistograms(text []byte) map[string]histogram {
	const prefix = "ictledger_http_request_duration_seconds_bucket{"
	out := map[string]histogram{}
	for _, line := range strings.Split(string(text), "\n") {
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok {
			continue
		}
		labels, value, ok := strings.Cut(rest, "} ")
		if !ok {
			continue
		}
		route, le := label(labels, "route"), label(labels, "le")
		n, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if route == "" || le == "" || err != nil {
			continue
		}
		bound := math.Inf(1)
		if le != "+Inf" {
			if bound, err = strconv.ParseFloat(le, 64); err != nil {
				continue
			}
		}
		if out[route] == nil {
			out[route] = histogram{}
		}
		out[route][bound] = n
	}
	return out
}

// label returns the value of name in a Prometheus label list
// (name="value",...); label values here hold no quotes.
func label(labels, name string) string {
	for _, kv := range strings.Split(labels, ",") {
		if v, ok := strings.CutPrefix(kv, name+`="`); ok {
			return strings.TrimSuffix(v, `"`)
		}
	}
	return ""
}

// histogramQuantile is the upper bound of the bucket that holds the q-quantile of
// the requests counted between before and after, and whether there were
// any. An answer of +Inf means beyond the last finite bucket.
func histogramQuantile(before, after histogram, q float64) (time.Duration, bool) {
	bounds := make([]float64, 0, len(after))
	for b := range after {
		bounds = append(bounds, b)
	}
	sort.Float64s(bounds)
	if len(bounds) == 0 {
		return 0, false
	}
	total := after[bounds[len(bounds)-1]] - before[bounds[len(bounds)-1]]
	if total <= 0 {
		return 0, false
	}
	for _, b := range bounds {
		if after[b]-before[b] >= q*total {
			if math.IsInf(b, 1) {
				return time.Duration(math.MaxInt64), true
			}
			return time.Duration(b * float64(time.Second)), true
		}
	}
	return time.Duration(math.MaxInt64), true
}
