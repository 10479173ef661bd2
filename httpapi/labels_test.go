package httpapi

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/ictledger/ictledger/service/servicetest"
)

// randomToken is n random characters an HTTP method may have.
func randomToken(rng *rand.Rand, n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[rng.IntN(len(chars))]
	}
	return string(b)
}

// httpSeries is every series of the API's own HTTP metrics in reg, as
// label sets.
func httpSeries(t *testing.T, reg *prometheus.Registry) map[string][]map[string]string {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]map[string]string{}
	for _, mf := range mfs {
		if !strings.HasPrefix(mf.GetName(), "ictledger_http_") {
			continue
		}
		for _, m := range mf.GetMetric() {
			out[mf.GetName()] = append(out[mf.GetName()], labelsOf(m))
		}
	}
	return out
}

func labelsOf(m *dto.Metric) map[string]string {
	l := map[string]string{}
	for _, p := range m.GetLabel() {
		l[p.GetName()] = p.GetValue()
	}
	return l
}

// TestMetricLabelsBounded: a thousand requests with random methods (up
// to 56 kB) and random paths, with and without a token, add only series
// labelled by a known method or "other" and by one of the server's own
// route names, so /metrics stays small whatever clients send.
func TestMetricLabelsBounded(t *testing.T) {
	env := servicetest.New(t, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC))
	reg := prometheus.NewRegistry()
	s := New(Config{Service: env.Service, Registry: reg})

	routes := map[string]bool{"unmatched": true, "unauthenticated": true}
	_ = s.router.Walk(func(rt *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := rt.GetPathTemplate()
		routes[tpl] = err == nil
		return nil
	})
	methods := map[string]bool{otherMethod: true}
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"} {
		methods[m] = true
	}

	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 1000 {
		method := randomToken(rng, 1+rng.IntN(64))
		if i%50 == 0 {
			method = randomToken(rng, 56<<10)
		}
		var path string
		switch i % 4 {
		case 0:
			path = "/v1/x"
		case 1:
			path = "/v1/returns/" + randomToken(rng, 12) // a known route, a method it does not take
		case 2:
			path = "/v1/" + strings.ReplaceAll(randomToken(rng, 20), "%", "")
		default:
			path = "/metrics"
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Method, r.URL.Path = method, path
		if i%3 == 0 {
			r.Header.Set("Authorization", "Bearer ictl_"+randomToken(rng, 10))
		}
		s.ServeHTTP(httptest.NewRecorder(), r)
	}

	series := httpSeries(t, reg)
	for name, sets := range series {
		for _, l := range sets {
			if m, ok := l["method"]; ok && !methods[m] {
				t.Fatalf("%s: method label %.40q is not a known method nor %q", name, m, otherMethod)
			}
			if !routes[l["route"]] {
				t.Fatalf("%s: route label %.40q is not one of the server's routes", name, l["route"])
			}
		}
	}
	// Four routes (unmatched, unauthenticated, /metrics and the read of
	// a return), a handful of methods and statuses each.
	if n := len(series["ictledger_http_requests_total"]); n == 0 || n > 20 {
		t.Fatalf("%d request series after random methods and paths: %v", n, series["ictledger_http_requests_total"])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK || rec.Body.Len() > 256<<10 {
		t.Fatalf("/metrics: status %d, %d bytes", rec.Code, rec.Body.Len())
	}
}

// TestLogMethodBounded: the access line shows a short method whole and
// cuts a long one, so one client cannot make every line 56 kB.
func TestLogMethodBounded(t *testing.T) {
	if got := logMethod("PROPFIND"); got != "PROPFIND" {
		t.Fatalf("a short method: %q", got)
	}
	long := strings.Repeat("X", 56<<10)
	if got := logMethod(long); len(got) > maxLoggedMethod+3 || !strings.HasPrefix(long, strings.TrimSuffix(got, "...")) {
		t.Fatalf("a 56 kB method is logged as %d bytes", len(got))
	}
}
