package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeLedger answers the few routes the load generator uses, checking
// tokens and that every filing restates the latest version.
type fakeLedger struct {
	mu      sync.Mutex
	tokens  map[string]string // secret -> operator
	latest  map[string]string // operator -> latest return id
	version map[string]int
	filings int
	// failMetrics answers this many metrics reads with 500 first.
	failMetrics int
}

// newFakeLedger answers the first failMetrics metrics reads with 500.
func newFakeLedger(failMetrics int) *fakeLedger {
	return &fakeLedger{tokens: map[string]string{}, latest: map[string]string{}, version: map[string]int{}, failMetrics: failMetrics}
}

func (f *fakeLedger) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	auth := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.URL.Path == "/metrics":
		fmt.Fprintf(w, "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 1.048576e+07\nictledger_ledger_entries %d\n", f.filings)
	case r.Method == "POST" && r.URL.Path == "/v1/operators" && auth == "admin":
		w.WriteHeader(201)
	case r.Method == "POST" && r.URL.Path == "/v1/tokens" && auth == "admin":
		var req struct{ Operator string }
		json.NewDecoder(r.Body).Decode(&req)
		secret := fmt.Sprintf("ictl_%d", len(f.tokens))
		f.tokens[secret] = req.Operator
		w.WriteHeader(201)
		json.NewEncoder(w).Encode(map[string]string{"id": "tok", "token": secret})
	case r.Method == "POST" && len(parts) == 4 && parts[3] == "returns":
		op := parts[2]
		if f.tokens[auth] != op {
			w.WriteHeader(403)
			return
		}
		var ret struct{ Operator, Period, Restates string }
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &ret); err != nil || ret.Operator != op || ret.Period != "2025-Q3" || ret.Restates != f.latest[op] {
			w.WriteHeader(409)
			return
		}
		f.version[op]++
		f.latest[op] = fmt.Sprintf("%s-2025-Q3-v%d", op, f.version[op])
		f.filings++
		w.WriteHeader(201)
		json.NewEncoder(w).Encode(map[string]string{"id": f.latest[op]})
	case r.Method == "GET" && len(parts) == 4 && parts[1] == "returns" && parts[3] == "metrics" && f.failMetrics > 0:
		f.failMetrics--
		w.WriteHeader(500)
	case r.Method == "GET" && len(parts) == 4 && parts[1] == "returns" && parts[3] == "metrics":
		w.Write([]byte(`{"metrics":{}}`))
	default:
		w.WriteHeader(404)
		w.Write([]byte(`{"detail":"no such endpoint"}`))
	}
}

// runAgainst runs the load against h on a test server, as the admin
// token "admin".
func runAgainst(t *testing.T, h http.Handler, cfg Config) (*Report, error) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg.Addr, cfg.AdminToken = strings.TrimPrefix(srv.URL, "http://"), "admin"
	return Run(context.Background(), cfg)
}

// filed is how many filings the fake accepted.
func (f *fakeLedger) filed() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.filings
}

func TestRun(t *testing.T) {
	f := newFakeLedger(0)
	rep, err := runAgainst(t, f, Config{Clients: 4, Duration: 300 * time.Millisecond, ReadsPerFiling: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors() != 0 || rep.FirstError != "" {
		t.Fatalf("errors: %d, first %q", rep.Errors(), rep.FirstError)
	}
	if rep.Disclosures {
		t.Fatal("the fake has no disclosure endpoint")
	}
	if len(rep.Stats) != 2 || rep.Stats[0].Kind != KindFile || rep.Stats[1].Kind != KindMetrics {
		t.Fatalf("stats: %+v", rep.Stats)
	}
	file, metrics := rep.Stats[0], rep.Stats[1]
	seen := int64(f.filed()) // a request cut off at the deadline may still have been filed
	// The probe filed once before the timed load; a filing cut off when
	// the time was up may have reached the server without being counted.
	if file.Count == 0 || seen < file.Count+1 || seen > file.Count+1+4 || metrics.Count < 2*file.Count-8 {
		t.Fatalf("filings %d (server saw %d), metrics reads %d", file.Count, seen, metrics.Count)
	}
	if file.P50 <= 0 || file.P99 < file.P50 || file.Max < file.P99 || file.PerSecond <= 0 {
		t.Fatalf("latencies: %+v", file)
	}
	if rep.RSSAfter != 10<<20 || rep.EntriesAfter < file.Count+1 || rep.EntriesAfter > seen {
		t.Fatalf("server figures: %d %d", rep.RSSAfter, rep.EntriesAfter)
	}
	var b strings.Builder
	rep.WriteText(&b)
	if !strings.Contains(b.String(), "metrics") || !strings.Contains(b.String(), "10.0 MiB after") {
		t.Fatalf("report:\n%s", b.String())
	}
}

// Requests in the warm-up are left out of the figures, but a failure
// there is still a failure of the run.
func TestRunWarmup(t *testing.T) {
	f := newFakeLedger(1)
	rep, err := runAgainst(t, f, Config{Clients: 2, Warmup: 300 * time.Millisecond, Duration: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if rep.WarmupErrors != 1 || rep.Errors() != 1 || !strings.Contains(rep.FirstError, "(warm-up): 500") {
		t.Fatalf("warm-up errors %d, errors %d, first %q", rep.WarmupErrors, rep.Errors(), rep.FirstError)
	}
	file := rep.Stats[0]
	seen := int64(f.filed())
	// 300 ms of warm-up against a fake that answers in microseconds files
	// far more than the one probe and the one filing cut off at the end.
	if file.Count == 0 || seen < file.Count+10 {
		t.Fatalf("counted %d filings of the %d the server saw: the warm-up was measured", file.Count, seen)
	}
	if rep.Elapsed < 150*time.Millisecond || rep.Elapsed > 5*time.Second {
		t.Fatalf("measured for %v, want about 200ms", rep.Elapsed)
	}
	if file.Statuses[201] != file.Count {
		t.Fatalf("statuses %v for %d filings", file.Statuses, file.Count)
	}
	var b strings.Builder
	rep.WriteText(&b)
	if !strings.Contains(b.String(), "after a warm-up of 300ms") || !strings.Contains(b.String(), "unexpected answers in the warm-up: 1") {
		t.Fatalf("report:\n%s", b.String())
	}
}

// A budget spent in the warm-up measured nothing: the run says so at
// once instead of reporting an empty success.
func TestRunBudgetSpentInWarmup(t *testing.T) {
	f := newFakeLedger(0)
	start := time.Now()
	_, err := runAgainst(t, f, Config{Clients: 2, Warmup: 10 * time.Second, Duration: time.Second, MaxRequests: 20})
	if err == nil || !strings.Contains(err.Error(), "ran out in the warm-up") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v: waited for the warm-up to end", d)
	}
}

func TestRunBudget(t *testing.T) {
	f := newFakeLedger(0)
	start := time.Now()
	rep, err := runAgainst(t, f, Config{Clients: 3, Duration: time.Minute, MaxRequests: 50})
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 20*time.Second {
		t.Fatal("the budget did not stop the run")
	}
	var n int64
	for _, s := range rep.Stats {
		n += s.Count
	}
	if n+1 > 50 || rep.Errors() != 0 {
		t.Fatalf("%d requests (with the probe), %d errors", n+1, rep.Errors())
	}
}

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true, "[::1]:8080": true, "localhost:80": true, "127.1.2.3:1": true,
		"10.0.0.1:8080": false, "example.com:80": false, "0.0.0.0:8080": false, "127.0.0.1": false, "[::]:80": false,
	} {
		if err := CheckLoopback(addr); (err == nil) != ok {
			t.Errorf("CheckLoopback(%q) = %v", addr, err)
		}
	}
	if _, err := Run(context.Background(), Config{Addr: "192.0.2.1:80", AdminToken: "x", Clients: 1, Duration: time.Second}); err == nil {
		t.Fatal("Run accepted a non-loopback address")
	}
}

func TestRunReadOnly(t *testing.T) {
	f := newFakeLedger(0)
	rep, err := runAgainst(t, f, Config{Clients: 3, Duration: 200 * time.Millisecond, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	filings := f.filed()
	if filings != 3 || len(rep.Stats) != 1 || rep.Stats[0].Kind != KindMetrics || rep.Stats[0].Count == 0 || rep.Errors() != 0 {
		t.Fatalf("filings %d, stats %+v", filings, rep.Stats)
	}
}

func TestRunNoDisclosures(t *testing.T) {
	f := newFakeLedger(0)
	rep, err := runAgainst(t, f, Config{Clients: 2, Duration: 200 * time.Millisecond, DisclosureEvery: -1, ReadsPerFiling: -1})
	if err != nil {
		t.Fatal(err)
	}
	// DisclosuresOff: turned off by the config, not merely absent from
	// this fake server (which would leave Disclosures false too).
	if rep.Disclosures || !rep.DisclosuresOff || len(rep.Stats) != 1 || rep.Stats[0].Kind != KindFile || rep.Stats[0].Count == 0 || rep.Errors() != 0 {
		t.Fatalf("disclosures %v, stats %+v, first error %q", rep.Disclosures, rep.Stats, rep.FirstError)
	}
}

// TestRunServerClosesConnections: a server that closes the connection
// after each answer costs a reconnect, not an error. Connections are
// counted as the server opens them: counting distinct client addresses
// undercounts when the kernel reuses a closed connection's port.
func TestRunServerClosesConnections(t *testing.T) {
	f := newFakeLedger(0)
	var opened atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		f.ServeHTTP(w, r)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	rep, err := Run(context.Background(), Config{Addr: strings.TrimPrefix(srv.URL, "http://"), AdminToken: "admin",
		Clients: 2, Duration: 200 * time.Millisecond, ReadsPerFiling: 2})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, s := range rep.Stats {
		n += s.Count
	}
	if rep.Errors() != 0 || n < 10 || opened.Load() < n {
		t.Fatalf("%d requests on %d connections, %d errors (%s)", n, opened.Load(), rep.Errors(), rep.FirstError)
	}
}

// TestClientKeepsAConnectionPerClient: when all the clients' requests
// end at once, every client's connection stays open for its next request
// (net/http's default keeps two idle connections a host and would close
// the others, and the next round would dial them again).
func TestClientKeepsAConnectionPerClient(t *testing.T) {
	const clients = 8
	var mu sync.Mutex
	conns := map[string]bool{}
	var release chan struct{}
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conns[r.RemoteAddr] = true
		rel := release
		mu.Unlock()
		arrived <- struct{}{}
		<-rel
		fmt.Fprint(w, strings.Repeat("x", 70000))
	}))
	defer srv.Close()
	r := &runner{cfg: Config{Addr: strings.TrimPrefix(srv.URL, "http://")}, http: newHTTPClient(clients)}
	defer r.http.CloseIdleConnections()
	for round := range 3 {
		mu.Lock()
		release = make(chan struct{})
		mu.Unlock()
		var wg sync.WaitGroup
		errs := make(chan error, clients)
		for range clients {
			wg.Go(func() {
				code, b, err := r.do(context.Background(), "GET", "/x", "", nil, nil)
				if err == nil && (code != 200 || len(b) != 70000) {
					err = fmt.Errorf("%d, %d bytes", code, len(b))
				}
				errs <- err
			})
		}
		for range clients {
			<-arrived
		}
		close(release) // every request answered at once
		wg.Wait()
		for range clients {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(conns) != clients {
		t.Fatalf("3 rounds of %d requests used %d connections", clients, len(conns))
	}
}

// TestRunFollowsNoRedirect: an answer that points elsewhere is taken as
// the answer; the generator goes nowhere but the address it checked.
func TestRunFollowsNoRedirect(t *testing.T) {
	var elsewhere sync.Mutex
	visited := false
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Lock()
		visited = true
		elsewhere.Unlock()
		w.WriteHeader(http.StatusCreated)
	}))
	defer other.Close()
	_, err := runAgainst(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}), Config{Clients: 1, Duration: 100 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "307") {
		t.Fatalf("err = %v, want the 307 reported", err)
	}
	elsewhere.Lock()
	defer elsewhere.Unlock()
	if visited {
		t.Fatal("the generator followed a redirect to another server")
	}
}

// The floor answers a whole run, read-only and mixed, without errors,
// with metrics answers of the size asked for.
func TestFloor(t *testing.T) {
	for _, readOnly := range []bool{true, false} {
		rep, err := runAgainst(t, Floor(66622), Config{Clients: 4, Duration: 200 * time.Millisecond, Warmup: 50 * time.Millisecond,
			ReadsPerFiling: 1, ReadOnly: readOnly})
		if err != nil {
			t.Fatal(err)
		}
		if rep.TransportErrors != 0 || rep.FirstError != "" {
			t.Fatalf("read-only %v: %d transport errors, first error %q", readOnly, rep.TransportErrors, rep.FirstError)
		}
		var reads int64
		for _, st := range rep.Stats {
			if st.Errors != 0 {
				t.Fatalf("read-only %v: %s: %d errors", readOnly, st.Kind, st.Errors)
			}
			if st.Kind == KindMetrics {
				reads = st.Count
			}
		}
		if reads == 0 {
			t.Fatalf("read-only %v: no metrics reads: %+v", readOnly, rep.Stats)
		}
	}
	if n := len(floorBody(66622)); n != 66622 {
		t.Fatalf("floor body %d bytes, want 66622", n)
	}
	var v map[string]string
	if err := json.Unmarshal(floorBody(100), &v); err != nil {
		t.Fatalf("floor body is not JSON: %v", err)
	}
}
