package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// hostileAnswer is what one hostile verification got.
type hostileAnswer struct {
	kind       string // "junk", "over" or "slow"
	code       int
	retryAfter string
	took       time.Duration // from dialling to the status line
	err        error
}

// rawVerify posts size bytes of src to /v1/verify on a connection of its
// own, chunk bytes at a time with pause between chunks, and reads the
// answer while it still sends: a server that answers before reading the
// body is seen to answer, whatever a client library would make of the
// unsent rest.
func rawVerify(addr string, src []byte, size, chunk int, pause time.Duration) hostileAnswer {
	start := time.Now()
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return hostileAnswer{err: err}
	}
	defer conn.Close()
	conn.SetDeadline(start.Add(60 * time.Second))
	go func() {
		fmt.Fprintf(conn, "POST /v1/verify HTTP/1.1\r\nHost: %s\r\nContent-Type: application/pdf\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", addr, size)
		for off := 0; off < size; off += chunk {
			if _, err := conn.Write(src[off:min(off+chunk, size)]); err != nil {
				return // answered and closed, or the test is over
			}
			time.Sleep(pause)
		}
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	took := time.Since(start)
	if err != nil {
		return hostileAnswer{took: took, err: err}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return hostileAnswer{code: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), took: took}
}

// vmField reads a field of /proc/PID/status in kB ("VmHWM", "VmRSS").
func vmField(t *testing.T, pid int, field string) int64 {
	t.Helper()
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// percentile is the p-th percentile (0-100) of ds, which it sorts.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[min(len(ds)-1, len(ds)*p/100)]
}

// TestHostileVerifications runs the server as a process of its own, with
// serve's default limits, and has 20 clients post hostile verifications
// without pause: 32 MiB of junk (read, then found not to be a
// disclosure), 33 MiB (over the limit), and 1 MiB sent slowly over about
// 1.6 s. Every request is answered within 10 s (a verdict, 413, or 503
// with Retry-After), the server's peak resident memory (VmHWM of its
// process: the measure the operating system enforces, worker processes
// not included) stays under 600 MB, /healthz stays quick, and a first
// download of a public disclosure, asked for in the middle of it, gets
// its document. It runs 3 s; ICTLEDGER_LONG=1 runs it 10 s.
func TestHostileVerifications(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a server process under load")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the server's memory in /proc")
	}
	duration := 3 * time.Second
	if os.Getenv("ICTLEDGER_LONG") != "" {
		duration = 10 * time.Second
	}
	srv := startChild(t, t.TempDir())
	defer srv.stop(t)
	hc := &http.Client{Timeout: 60 * time.Second}
	pdfPath := srv.base + "/v1/operators/sakura-mobile/disclosures/2025-Q3.pdf"
	acceptChildReturn(t, hc, srv.base)
	addr := strings.TrimPrefix(srv.base, "http://")

	junk := make([]byte, 33<<20)
	rng := rand.NewChaCha8([32]byte{1})
	_, _ = rng.Read(junk)
	copy(junk, "%PDF-1.7\n")

	var (
		mu      sync.Mutex
		answers []hostileAnswer
		wg      sync.WaitGroup
	)
	end := time.Now().Add(duration)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; time.Now().Before(end); round++ {
				var a hostileAnswer
				switch {
				case i%2 == 1:
					a = rawVerify(addr, junk, 1<<20, 64<<10, 100*time.Millisecond)
					a.kind = "slow"
				case round%2 == 0:
					a = rawVerify(addr, junk, 32<<20, 1<<20, 0)
					a.kind = "junk"
				default:
					a = rawVerify(addr, junk, 33<<20, 1<<20, 0)
					a.kind = "over"
				}
				mu.Lock()
				answers = append(answers, a)
				mu.Unlock()
			}
		}()
	}
	probe := startHealthProbe(t, srv.base, duration)
	// The first download of the disclosure, a third of the way in.
	time.Sleep(duration / 3)
	start := time.Now()
	code, pdf, err := call(hc, "GET", pdfPath, "", nil)
	pdfTook := time.Since(start)
	wg.Wait()
	health := probe.wait(t)
	if err != nil || code != 200 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("public download during the attack: %d %v %.200s", code, err, pdf)
	}

	hwm := vmField(t, srv.cmd.Process.Pid, "VmHWM")
	// The worker that rendered the download runs under serve's default
	// memory limit.
	for _, w := range childrenOf(t, srv.cmd.Process.Pid) {
		limits, err := os.ReadFile("/proc/" + strconv.Itoa(w) + "/limits")
		want := fmt.Sprintf("Max data size %d", defaultWorkerMemoryMiB<<20)
		if err == nil && !strings.Contains(strings.Join(strings.Fields(string(limits)), " "), want) {
			t.Errorf("render worker %d runs without the default memory limit:\n%s", w, limits)
		}
		t.Logf("render worker %d: peak resident %d MiB", w, vmField(t, w, "VmHWM")>>10)
	}
	codes := map[string]int{}
	var slowest time.Duration
	for _, a := range answers {
		switch {
		case a.err != nil:
			t.Errorf("a %s verification got no answer after %v: %v", a.kind, a.took, a.err)
		case a.code != 200 && a.code != 413 && a.code != 503:
			t.Errorf("a %s verification got %d", a.kind, a.code)
		case a.code == 503 && a.retryAfter == "":
			t.Errorf("a %s verification got 503 without Retry-After", a.kind)
		case a.took > 10*time.Second:
			t.Errorf("a %s verification was answered %d after %v", a.kind, a.code, a.took)
		}
		codes[a.kind+" "+strconv.Itoa(a.code)]++
		slowest = max(slowest, a.took)
	}
	p99 := percentile(health, 99)
	t.Logf("%v of 20 hostile clients: %d requests %v, slowest answer %v; server peak resident %d MiB; /healthz p50 %v p90 %v p99 %v max %v over %d requests; public download %v",
		duration, len(answers), codes, slowest, hwm>>10, percentile(health, 50), percentile(health, 90), p99, percentile(health, 100), len(health), pdfTook)
	if hwm > 600_000 {
		t.Errorf("the server's peak resident memory was %d MiB, want under 600 MB", hwm>>10)
	}
	if codes["junk 200"]+codes["slow 200"] == 0 || codes["over 413"] == 0 {
		t.Errorf("no verification was admitted at all: %v", codes)
	}
	// The aim is 200 ms; a two-core machine loaded by other work besides
	// this attack gets room to spare.
	if p99 > 500*time.Millisecond {
		t.Errorf("/healthz p99 %v under the attack", p99)
	}

	// The server still verifies the document it served.
	mustVerifyAt(t, hc, srv.base, pdf, "verify after the attack")
}

// healthProbeEnv makes the test binary a /healthz prober (see
// TestHealthProbeProcess): "URL DURATION".
const healthProbeEnv = "ICTLEDGER_HEALTH_PROBE"

// TestHealthProbeProcess is not a test on its own: with
// $ICTLEDGER_HEALTH_PROBE set it gets /healthz every 20 ms for the
// duration and prints each latency in nanoseconds, one a line. A process
// of its own measures the server, not the scheduling of the goroutines
// that attack it in the test's process.
func TestHealthProbeProcess(t *testing.T) {
	url, dur, ok := strings.Cut(os.Getenv(healthProbeEnv), " ")
	if !ok {
		t.Skip("helper process for TestHostileVerifications")
	}
	d, err := time.ParseDuration(dur)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Timeout: 30 * time.Second}
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		start := time.Now()
		code, _, err := call(hc, "GET", url+"/healthz", "", nil)
		if err != nil || code != 200 {
			fmt.Printf("error: status %d %q\n", code, fmt.Sprint(err))
			continue
		}
		fmt.Println(time.Since(start).Nanoseconds())
	}
	os.Exit(0)
}

// healthProbe is a running TestHealthProbeProcess.
type healthProbe struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

// startHealthProbe starts a prober of base for duration.
func startHealthProbe(t *testing.T, base string, duration time.Duration) *healthProbe {
	t.Helper()
	p := &healthProbe{cmd: exec.Command(os.Args[0], "-test.run=^TestHealthProbeProcess$")}
	p.cmd.Env = append(os.Environ(), healthProbeEnv+"="+base+" "+duration.String())
	p.cmd.Stdout = &p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return p
}

// wait waits for the prober to end and gives the latencies it measured;
// a /healthz that failed fails the test.
func (p *healthProbe) wait(t *testing.T) []time.Duration {
	t.Helper()
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("the /healthz prober: %v\n%s", err, p.out.String())
	}
	var out []time.Duration
	for _, line := range strings.Split(strings.TrimSpace(p.out.String()), "\n") {
		n, err := strconv.ParseInt(line, 10, 64)
		if err != nil {
			t.Errorf("/healthz: %s", line)
			continue
		}
		out = append(out, time.Duration(n))
	}
	return out
}

// acceptChildReturn files the example return of a new operator,
// sakura-mobile, on a server process and accepts it, so its 2025-Q3
// disclosure is public.
func acceptChildReturn(t *testing.T, hc *http.Client, base string) {
	t.Helper()
	op := addChildOperator(t, hc, base, "sakura-mobile", "Sakura Mobile K.K.")
	ret, _ := json.Marshal(exampleReturn(t))
	code, b, err := call(hc, "POST", base+"/v1/operators/sakura-mobile/returns", op, ret)
	var filed struct{ ID string }
	if err != nil || code != 201 || json.Unmarshal(b, &filed) != nil {
		t.Fatalf("file: %d %s %v", code, b, err)
	}
	body, _ := json.Marshal(map[string]any{"role": "regulator", "jurisdictions": []string{"*"}})
	code, b, err = call(hc, "POST", base+"/v1/tokens", testAdminToken, body)
	var reg token
	if err != nil || code != 201 || json.Unmarshal(b, &reg) != nil {
		t.Fatalf("regulator token: %d %s %v", code, b, err)
	}
	body, _ = json.Marshal(map[string]any{"decision": "accept", "comment": "ok"})
	if code, b, err := call(hc, "POST", base+"/v1/returns/"+filed.ID+"/reviews", reg.Token, body); err != nil || code != 201 {
		t.Fatalf("accept: %d %s %v", code, b, err)
	}
}
