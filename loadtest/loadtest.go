// Package loadtest is a bounded load generator for a running ictledger
// server on this machine: it refuses any address that is not loopback,
// stops by itself after a duration or a request budget, and reports
// throughput, latency percentiles and errors per kind of request.
//
// The workload: every client is one operator (registered at the start
// with an admin token) that files the example return and then restates
// it again and again, so every filing is a fresh version that the server
// validates, computes and fsyncs; after each filing it reads the return's
// metrics, and every tenth round it downloads the operator's disclosure
// PDF when the server has that endpoint.
//
// GenerateRegion writes, instead, a whole regional ledger into a new data
// directory (ictledger loadtest generate), for the benchmarks of a
// regional deployment and for trying the pages at that scale.
package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ictledger/ictledger/fixtures"
)

// Limits that keep a run bounded whatever the flags say.
const (
	MaxClients  = 1024
	MaxDuration = time.Hour
	// DefaultMaxRequests is the request budget when Config leaves it zero.
	DefaultMaxRequests = 5_000_000
)

// Kind is a kind of request in the workload.
type Kind string

// The kinds of request.
const (
	KindFile       Kind = "file"       // POST /v1/operators/{id}/returns
	KindMetrics    Kind = "metrics"    // GET /v1/returns/{rid}/metrics
	KindDisclosure Kind = "disclosure" // GET /v1/operators/{id}/disclosures/{P}.pdf
)

var kinds = []Kind{KindFile, KindMetrics, KindDisclosure}

// Config configures Run.
type Config struct {
	// Addr is the server's HOST:PORT; HOST must be a loopback address or
	// "localhost".
	Addr string
	// AdminToken registers the operators and issues their tokens.
	AdminToken string
	// Clients is the number of concurrent clients, one operator each.
	Clients int
	// Duration is how long the load is measured.
	Duration time.Duration
	// Warmup is how long the load runs before it is measured: the first
	// round files a version per client at once and computes each one's
	// metrics for the first time, and the server's caches fill. Requests
	// started in the warm-up count only if they fail.
	Warmup time.Duration
	// MaxRequests stops the run early after this many requests; zero
	// means DefaultMaxRequests.
	MaxRequests int64
	// ReadsPerFiling is how many metrics reads follow each filing; zero
	// means 1, negative means none.
	ReadsPerFiling int
	// DisclosureEvery is how many rounds pass between disclosure
	// downloads (when the server serves them); zero means 10, negative
	// means none.
	DisclosureEvery int
	// ReadOnly files one return per client during the set-up and then
	// only reads its metrics (and disclosures): the read path alone.
	ReadOnly bool
	// Return is the return JSON to file; nil means fixtures.ExampleReturn
	// (sakura-mobile's 2025-Q3 return). Its "operator" is replaced.
	Return []byte
	// Prefix names the operators PREFIX-0, PREFIX-1...; empty means
	// "load-" and the start time, so runs against one ledger never collide.
	Prefix string
	// Now is the clock that names the operators; nil means time.Now.
	// Latencies, the warm-up and the run's length are measured on the
	// real (monotonic) clock.
	Now func() time.Time
}

// Stats is what happened to one kind of request.
type Stats struct {
	Kind      Kind
	Count     int64         // answered requests
	Errors    int64         // answers with an unexpected status
	Statuses  map[int]int64 // count by status code
	PerSecond float64       // answered requests per second of load
	P50, P99  time.Duration
	Max       time.Duration
	// The same percentiles as the server measured them, from routing to
	// the last byte written (its latency histogram, read before and after
	// the run): upper bounds of histogram buckets, and only when the
	// server exposes the histogram. The difference to P50 and P99 is
	// time spent waiting for a CPU, in the kernel and in the generator.
	ServerP50, ServerP99 time.Duration
	ServerKnown          bool
}

// Report is the outcome of a run.
type Report struct {
	Addr            string
	Clients         int
	Warmup          time.Duration // how long the load ran before it was measured
	Elapsed         time.Duration // how long the load was measured
	Stats           []Stats       // one per kind that was exercised
	TransportErrors int64         // requests without an HTTP answer
	WarmupErrors    int64         // unexpected answers in the warm-up
	FirstError      string        // the first error seen, for the operator
	Disclosures     bool          // whether disclosures were downloaded (asked for, and served)
	DisclosuresOff  bool          // whether Config turned them off
	// Server figures read from /metrics before and after the load: the
	// resident set size (process_resident_memory_bytes, zero if absent)
	// and the ledger's entries.
	RSSBefore, RSSAfter         int64
	EntriesBefore, EntriesAfter int64
}

// Errors is the total of unexpected answers and transport errors.
func (r *Report) Errors() int64 {
	n := r.TransportErrors + r.WarmupErrors
	for _, s := range r.Stats {
		n += s.Errors
	}
	return n
}

// CheckLoopback refuses an address whose host is not a loopback IP or
// "localhost": the load generator must not be pointed at anyone else.
func CheckLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("loadtest: address %q: %w", addr, err)
	}
	if port == "" {
		return fmt.Errorf("loadtest: address %q has no port", addr)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("loadtest: %q is not a loopback address; the load generator only targets this machine (127.0.0.1, ::1, localhost)", host)
	}
	return nil
}

// Bounds on one request and its answer.
const (
	dialTimeout    = 10 * time.Second
	requestTimeout = time.Minute
	maxBody        = 1 << 30 // a PDF is a few hundred kB
)

// newHTTPClient is the generator's client: net/http's, with an idle
// keep-alive connection kept for every client, every request bounded in
// time, and no proxy and no redirects, so that a request goes to the
// loopback address Run checked and nowhere else.
func newHTTPClient(clients int) *http.Client {
	d := &net.Dialer{Timeout: dialTimeout}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         d.DialContext,
			MaxIdleConns:        clients,
			MaxIdleConnsPerHost: clients,
			IdleConnTimeout:     90 * time.Second,
			// The answers as the server sends them, as a script
			// would read them; the generator does not inflate.
			DisableCompression: true,
		},
		Timeout: requestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Run sets up the operators, runs the load until cfg.Duration passes, the
// request budget is spent or ctx ends, and reports.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := CheckLoopback(cfg.Addr); err != nil {
		return nil, err
	}
	switch {
	case cfg.Clients < 1 || cfg.Clients > MaxClients:
		return nil, fmt.Errorf("loadtest: clients must be 1..%d, got %d", MaxClients, cfg.Clients)
	case cfg.Duration <= 0 || cfg.Duration > MaxDuration:
		return nil, fmt.Errorf("loadtest: duration must be more than 0 and at most %v, got %v", MaxDuration, cfg.Duration)
	case cfg.Warmup < 0 || cfg.Warmup > MaxDuration:
		return nil, fmt.Errorf("loadtest: warm-up must be 0 to %v, got %v", MaxDuration, cfg.Warmup)
	case cfg.AdminToken == "":
		return nil, errors.New("loadtest: an admin token is needed to register the operators")
	}
	if cfg.MaxRequests <= 0 {
		cfg.MaxRequests = DefaultMaxRequests
	}
	if cfg.ReadsPerFiling == 0 {
		cfg.ReadsPerFiling = 1
	}
	if cfg.DisclosureEvery == 0 {
		cfg.DisclosureEvery = 10
	}
	if cfg.Return == nil {
		cfg.Return = fixtures.ExampleReturn()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "load-" + strconv.FormatInt(cfg.Now().Unix(), 36)
	}
	r := &runner{cfg: cfg, http: newHTTPClient(cfg.Clients)}
	defer r.http.CloseIdleConnections()
	var ret map[string]json.RawMessage
	if err := json.Unmarshal(cfg.Return, &ret); err != nil {
		return nil, fmt.Errorf("loadtest: the return to file is not a JSON object: %w", err)
	}
	if err := json.Unmarshal(ret["period"], &r.period); err != nil || r.period == "" {
		return nil, errors.New("loadtest: the return to file has no period")
	}
	delete(ret, "restates")
	delete(ret, "reason")
	rep := &Report{Addr: cfg.Addr, Clients: cfg.Clients, Warmup: cfg.Warmup, DisclosuresOff: cfg.DisclosureEvery < 0}
	before := r.scrape(ctx)
	rep.RSSBefore, rep.EntriesBefore = before.rss, before.entries

	clients := make([]*client, cfg.Clients)
	for i := range clients {
		c, err := r.setup(ctx, i, ret)
		if err != nil {
			return nil, err
		}
		clients[i] = c
	}
	rep.Disclosures = cfg.DisclosureEvery > 0 && r.probeDisclosures(ctx, clients[0])
	if cfg.ReadOnly {
		for _, c := range clients {
			if c.latest != "" {
				continue
			}
			if !c.file(ctx, r) {
				return nil, fmt.Errorf("loadtest: set-up filing for %s failed: %s", c.op, r.firstErr)
			}
			c.lat, c.statuses = map[Kind][]time.Duration{}, map[Kind]map[int]int64{}
		}
	}

	ctx, cancel := context.WithTimeout(ctx, cfg.Warmup+cfg.Duration)
	defer cancel()
	measured := time.Now().Add(cfg.Warmup)
	// The server's histograms are read again when the measurement starts,
	// so that its figures cover the same requests as the clients'.
	warm := make(chan serverFigures, 1)
	go func() {
		if cfg.Warmup == 0 {
			warm <- before
			return
		}
		t := time.NewTimer(cfg.Warmup)
		defer t.Stop()
		select {
		case <-t.C:
			warm <- r.scrape(ctx)
		case <-ctx.Done():
			warm <- serverFigures{}
		}
	}()
	var wg sync.WaitGroup
	for _, c := range clients {
		c.measured = measured
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.loop(ctx, r, rep.Disclosures)
		}()
	}
	wg.Wait()
	rep.Elapsed = time.Since(measured)
	cancel() // the warm-up may not have ended: the budget ran out in it
	atWarm := <-warm
	r.http.CloseIdleConnections()
	if rep.Elapsed <= 0 {
		return nil, fmt.Errorf("loadtest: the request budget (%d) ran out in the warm-up; nothing was measured (raise --max-requests or shorten --warmup)", cfg.MaxRequests)
	}
	after := r.scrape(context.Background())
	rep.RSSAfter, rep.EntriesAfter = after.rss, after.entries
	r.summarize(rep, clients)
	for i := range rep.Stats {
		route := routeOf[rep.Stats[i].Kind]
		st := &rep.Stats[i]
		st.ServerP50, _ = histogramQuantile(atWarm.latency[route], after.latency[route], 0.50)
		st.ServerP99, st.ServerKnown = histogramQuantile(atWarm.latency[route], after.latency[route], 0.99)
	}
	return rep, nil
}

// runner is what the clients share.
type runner struct {
	cfg    Config
	period string
	http   *http.Client

	mu       sync.Mutex
	requests int64
	firstErr string
}

// budget takes one request from the budget; false means it is spent.
func (r *runner) budget() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.requests >= r.cfg.MaxRequests {
		return false
	}
	r.requests++
	return true
}

// spent reports whether the request budget is used up.
func (r *runner) spent() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests >= r.cfg.MaxRequests
}

func (r *runner) noteError(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.firstErr == "" {
		r.firstErr = s
	}
}

// do sends one request and reads the whole answer into buf, which a
// client reuses from one request to the next (a fresh, growing buffer for
// each 65 kB metrics answer cost the generator more CPU than the server
// spent on the request). The answer's bytes are valid until buf is used
// again; a nil buf means a buffer of its own.
func (r *runner) do(ctx context.Context, method, path, token string, body []byte, buf *bytes.Buffer) (int, []byte, error) {
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	code, b, err := r.roundTrip(ctx, method, path, token, body, buf)
	if err != nil {
		if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
			// The dial or the read failed at ctx's deadline: the run
			// ended, which ctx reports a moment later.
			<-ctx.Done()
		}
		if ctx.Err() != nil {
			return 0, nil, ctx.Err()
		}
		return 0, nil, err
	}
	return code, b, nil
}

// roundTrip is do without the end-of-run bookkeeping.
func (r *runner) roundTrip(ctx context.Context, method, path, token string, body []byte, buf *bytes.Buffer) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+r.cfg.Addr+path, rd)
	if err != nil {
		return 0, nil, fmt.Errorf("loadtest: %s %s: %w", method, path, err)
	}
	req.Header.Set("User-Agent", "ictledger-loadtest")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := r.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	buf.Reset()
	// Reading the body to its end returns the connection to the pool.
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return 0, nil, fmt.Errorf("loadtest: %s %s: reading the answer: %w", method, path, err)
	}
	if n > maxBody {
		return 0, nil, fmt.Errorf("loadtest: %s %s: an answer over %d bytes", method, path, int64(maxBody))
	}
	return resp.StatusCode, buf.Bytes(), nil
}

// setup registers client i's operator and issues its token.
func (r *runner) setup(ctx context.Context, i int, ret map[string]json.RawMessage) (*client, error) {
	op := fmt.Sprintf("%s-%d", r.cfg.Prefix, i)
	body, _ := json.Marshal(map[string]any{"id": op, "name": "Load test operator " + op, "country": "JP", "kinds": []string{"mobile"}})
	if code, b, err := r.do(ctx, "POST", "/v1/operators", r.cfg.AdminToken, body, nil); err != nil || code != http.StatusCreated {
		return nil, fmt.Errorf("loadtest: register operator %s: %d %s %v", op, code, trim(b), err)
	}
	body, _ = json.Marshal(map[string]any{"role": "operator", "operator": op, "label": "load test"})
	code, b, err := r.do(ctx, "POST", "/v1/tokens", r.cfg.AdminToken, body, nil)
	var tok struct{ Token string }
	if err != nil || code != http.StatusCreated || json.Unmarshal(b, &tok) != nil || tok.Token == "" {
		return nil, fmt.Errorf("loadtest: issue a token for %s: %d %s %v", op, code, trim(b), err)
	}
	own := make(map[string]json.RawMessage, len(ret))
	for k, v := range ret {
		own[k] = v
	}
	own["operator"], _ = json.Marshal(op)
	if claims, ok := ownCertificates(ret["renewable_claims"], op); ok {
		own["renewable_claims"] = claims
	}
	tmpl, err := json.Marshal(own)
	if err != nil {
		return nil, err
	}
	return &client{op: op, token: tok.Token, tmpl: tmpl[:len(tmpl)-1], lat: map[Kind][]time.Duration{}, statuses: map[Kind]map[int]int64{}}, nil
}

// probeDisclosures files c's first return and asks for its disclosure:
// any answer but a 404 for an unknown route means the endpoint exists.
func (r *runner) probeDisclosures(ctx context.Context, c *client) bool {
	ok := c.file(ctx, r)
	// The probe is set-up, not load: keep it out of the figures.
	c.lat, c.statuses = map[Kind][]time.Duration{}, map[Kind]map[int]int64{}
	if !ok {
		return false
	}
	code, b, err := r.do(ctx, "GET", "/v1/operators/"+c.op+"/disclosures/"+r.period+".pdf", c.token, nil, nil)
	return err == nil && !(code == http.StatusNotFound && bytes.Contains(b, []byte("no such endpoint")))
}

func trim(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// ownCertificates prefixes the certificate ids of a return's claims with
// the operator's id: a certificate counts once in the ledger (methodology
// 2026.1 G3), so operators filing one return would otherwise refuse each
// other. Each client restates its own quarter, which may claim its own
// certificates again. ok is false when there are no claims to change.
func ownCertificates(raw json.RawMessage, op string) (json.RawMessage, bool) {
	var claims []map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &claims) != nil {
		return nil, false
	}
	for _, c := range claims {
		certs, _ := c["certificates"].([]any)
		for i, id := range certs {
			certs[i] = fmt.Sprintf("%s-%v", op, id)
		}
	}
	b, err := json.Marshal(claims)
	return b, err == nil
}
