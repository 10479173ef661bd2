package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// serveChildEnv makes the test binary act as a server process: the child
// of TestCrashUnderLoad and of the backup test.
const serveChildEnv = "ICTLEDGER_SERVE_CHILD_DIR"

// serveChildWitnessEnv, when set, is the child's --witness NAME,URL,KEY.
const serveChildWitnessEnv = "ICTLEDGER_SERVE_CHILD_WITNESS"

// TestServerProcess is not a test on its own: with $ICTLEDGER_SERVE_CHILD_DIR
// set it runs "ictledger serve" on that data directory and a free loopback
// port, exactly as the binary does, until it is signalled or killed.
func TestServerProcess(t *testing.T) {
	dir := os.Getenv(serveChildEnv)
	if dir == "" {
		t.Skip("helper process for the crash and backup tests")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data", dir}
	if w := os.Getenv(serveChildWitnessEnv); w != "" {
		args = append(args, "--witness", w)
	}
	code := run(ctx, args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// child is a server process started by startChild.
type child struct {
	cmd    *exec.Cmd
	base   string
	logs   *syncBuffer
	exited chan error
}

// startChild starts the test binary as a server on dir and waits until it
// listens. The admin secret comes from ICTLEDGER_ADMIN_TOKEN, as in
// production.
func startChild(t *testing.T, dir string, env ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServerProcess$")
	cmd.Env = append(append(os.Environ(), serveChildEnv+"="+dir, "ICTLEDGER_ADMIN_TOKEN="+testAdminToken), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, logs: &syncBuffer{}, exited: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			c.logs.Write(append(line, '\n'))
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(line, &rec) == nil && rec.Msg == "listening" {
				addr <- rec.Addr
			}
		}
		c.exited <- cmd.Wait()
	}()
	select {
	case a := <-addr:
		c.base = "http://" + a
	case err := <-c.exited:
		t.Fatalf("server exited before listening: %v\n%s", err, c.logs)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("server did not listen within a minute\n%s", c.logs)
	}
	return c
}

// kill stops the server with SIGKILL: no shutdown, no final fsync.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-c.exited
}

// stop stops the server with SIGTERM and wants a clean exit.
func (c *child) stop(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-c.exited:
		if err != nil {
			t.Fatalf("server exit: %v\n%s", err, c.logs)
		}
	case <-time.After(30 * time.Second):
		c.cmd.Process.Kill()
		t.Fatalf("server did not stop within 30 s")
	}
}

// addChildOperator registers an operator on a server process (as the
// admin) and returns a new operator token for it.
func addChildOperator(t *testing.T, hc *http.Client, base, id, name string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"id": id, "name": name, "country": "JP", "kinds": []string{"mobile"}})
	if code, b, err := call(hc, "POST", base+"/v1/operators", testAdminToken, body); err != nil || code != 201 {
		t.Fatalf("register %s: %d %s %v", id, code, b, err)
	}
	body, _ = json.Marshal(map[string]any{"role": "operator", "operator": id})
	code, b, err := call(hc, "POST", base+"/v1/tokens", testAdminToken, body)
	var tk token
	if err != nil || code != 201 || json.Unmarshal(b, &tk) != nil {
		t.Fatalf("token for %s: %d %s %v", id, code, b, err)
	}
	return tk.Token
}

// call sends one request, with tok as its bearer token unless it is ""
// (as the public does); a nil error means an HTTP answer was read whole.
func call(hc *http.Client, method, url, tok string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// ack is a filing the server answered 201.
type ack struct {
	ID   string
	Hash string // the entry's leaf hash: covers every byte of the entry
}

// TestCrashUnderLoad runs the real server as a separate process, files
// returns into it from several clients at once, and kills it with SIGKILL
// at random moments. After every restart on the same data directory each
// return ever answered 201 must be there with the same entry hash, and
// each operator's versions must be dense; after a final clean stop,
// "ictledger verify" must pass. ICTLEDGER_LONG=1 runs 20 cycles.
func TestCrashUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns server processes")
	}
	cycles := 3
	if os.Getenv("ICTLEDGER_LONG") != "" {
		cycles = 20
	}
	const clients = 8
	dir := t.TempDir()
	srv := startChild(t, dir)
	hc := &http.Client{Timeout: 20 * time.Second}

	// One operator and one operator token per client.
	toks := make([]string, clients)
	for i := range clients {
		op := fmt.Sprintf("crash-op-%d", i)
		toks[i] = addChildOperator(t, hc, srv.base, op, "Crash "+op)
	}
	templates := make([]map[string]any, clients)
	for i := range templates {
		templates[i] = exampleReturn(t)
		templates[i]["operator"] = fmt.Sprintf("crash-op-%d", i)
		ownCertificates(templates[i])
	}

	var (
		mu       sync.Mutex
		acks     []ack
		failures []string // answers that were neither 201 nor a dropped connection
	)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 9))
	for cycle := range cycles {
		// Load: each client restates its operator's return again and
		// again, a fresh version every time, until the server dies.
		tr := &http.Transport{}
		lc := &http.Client{Timeout: 20 * time.Second, Transport: tr}
		var wg sync.WaitGroup
		cycleAcks := make(chan struct{}, 1<<16)
		for i := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				op := fmt.Sprintf("crash-op-%d", i)
				latest, err := latestVersion(lc, srv.base, op, toks[i])
				if err != nil {
					return
				}
				ret := templates[i]
				for n := 0; ; n++ {
					r := map[string]any{}
					for k, v := range ret {
						r[k] = v
					}
					if latest != "" {
						r["restates"] = latest
						r["reason"] = fmt.Sprintf("restatement %d in cycle %d", n, cycle)
					}
					body, _ := json.Marshal(r)
					code, b, err := call(lc, "POST", srv.base+"/v1/operators/"+op+"/returns", toks[i], body)
					if err != nil {
						return // the server was killed
					}
					if code != 201 {
						mu.Lock()
						failures = append(failures, fmt.Sprintf("%s: %d %s", op, code, b))
						mu.Unlock()
						return
					}
					var f struct {
						ID    string
						Entry struct{ Hash string }
					}
					if err := json.Unmarshal(b, &f); err != nil || f.ID == "" || f.Entry.Hash == "" {
						mu.Lock()
						failures = append(failures, fmt.Sprintf("%s: 201 with %s", op, b))
						mu.Unlock()
						return
					}
					mu.Lock()
					acks = append(acks, ack{ID: f.ID, Hash: f.Entry.Hash})
					mu.Unlock()
					latest = f.ID
					select {
					case cycleAcks <- struct{}{}:
					default:
					}
				}
			}()
		}
		// Kill at a random moment once the load is running.
		deadline := time.After(20 * time.Second)
	wait:
		for n := 0; n < 20; n++ {
			select {
			case <-cycleAcks:
			case <-deadline:
				break wait
			}
		}
		time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond)
		srv.kill(t)
		wg.Wait()
		tr.CloseIdleConnections()
		if len(failures) > 0 {
			t.Fatalf("cycle %d: unexpected answers: %s", cycle, strings.Join(failures, "; "))
		}

		srv = startChild(t, dir)
		mu.Lock()
		all := append([]ack(nil), acks...)
		mu.Unlock()
		checkAcks(t, hc, srv.base, all, clients)
		t.Logf("cycle %d: %d returns acknowledged so far, all present after SIGKILL and restart", cycle, len(all))
	}
	srv.stop(t)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"verify", dir}, &out, &errb); code != 0 {
		t.Fatalf("verify: exit %d\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "ok: checkpoint") {
		t.Fatalf("verify output:\n%s", out.String())
	}
}

// latestVersion returns the id of the latest version of op's 2025-Q3
// return, or "".
func latestVersion(hc *http.Client, base, op, tok string) (string, error) {
	code, b, err := call(hc, "GET", base+"/v1/operators/"+op+"/returns?period=2025-Q3", tok, nil)
	if err != nil {
		return "", err
	}
	if code != 200 {
		return "", fmt.Errorf("versions of %s: %d %s", op, code, b)
	}
	var vs []struct {
		ID      string
		Version int
	}
	if err := json.Unmarshal(b, &vs); err != nil {
		return "", err
	}
	latest, v := "", 0
	for _, x := range vs {
		if x.Version > v {
			latest, v = x.ID, x.Version
		}
	}
	return latest, nil
}

// checkAcks wants every acknowledged return present with its entry hash,
// and every operator's versions numbered 1..n without a gap.
func checkAcks(t *testing.T, hc *http.Client, base string, acks []ack, clients int) {
	t.Helper()
	for _, a := range acks {
		code, b, err := call(hc, "GET", base+"/v1/returns/"+a.ID, testAdminToken, nil)
		if err != nil || code != 200 {
			t.Fatalf("acknowledged return %s after restart: %d %s %v", a.ID, code, b, err)
		}
		var got struct {
			ID    string
			Entry struct{ Hash string }
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || got.Entry.Hash != a.Hash {
			t.Fatalf("return %s changed across the crash: entry hash %s, acknowledged %s", a.ID, got.Entry.Hash, a.Hash)
		}
	}
	for i := range clients {
		op := fmt.Sprintf("crash-op-%d", i)
		code, b, err := call(hc, "GET", base+"/v1/operators/"+op+"/returns?period=2025-Q3", testAdminToken, nil)
		if err != nil || code != 200 {
			t.Fatalf("versions of %s: %d %v", op, code, err)
		}
		var vs []struct{ Version int }
		if err := json.Unmarshal(b, &vs); err != nil {
			t.Fatal(err)
		}
		for k, v := range vs {
			if v.Version != k+1 {
				t.Fatalf("%s: versions %+v are not dense", op, vs)
			}
		}
	}
}
