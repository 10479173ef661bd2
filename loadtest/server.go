package loadtest

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"sort"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
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
	code, b, err := r.do(ctx, "GET", "/metrics", "", nil, nil)
	if err != nil || code != http.StatusOK {
		return serverFigures{}
	}
	return parseFigures(b)
}

// latencyMetric is the server's request latency histogram, by route.
const latencyMetric = "ictledger_http_request_duration_seconds"

// parseFigures reads the figures from Prometheus text with the Prometheus
// library's own parser; what it cannot read is left zero.
func parseFigures(text []byte) serverFigures {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, _ := parser.TextToMetricFamilies(bytes.NewReader(text))
	f := serverFigures{rss: gaugeValue(fams["process_resident_memory_bytes"]),
		entries: gaugeValue(fams["ictledger_ledger_entries"]), latency: map[string]histogram{}}
	for _, m := range fams[latencyMetric].GetMetric() {
		var route string
		for _, l := range m.GetLabel() {
			if l.GetName() == "route" {
				route = l.GetValue()
			}
		}
		h := histogram{}
		for _, b := range m.GetHistogram().GetBucket() { // +Inf included
			h[b.GetUpperBound()] = float64(b.GetCumulativeCount())
		}
		f.latency[route] = h
	}
	return f
}

// gaugeValue is the value of an unlabelled gauge (or untyped series).
func gaugeValue(fam *dto.MetricFamily) int64 {
	for _, m := range fam.GetMetric() {
		if m.GetGauge() != nil {
			return int64(m.GetGauge().GetValue())
		}
		return int64(m.GetUntyped().GetValue())
	}
	return 0
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
