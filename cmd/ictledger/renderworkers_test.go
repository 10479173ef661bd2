package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
)

// A server process renders its disclosures in a worker process of its
// own, at a lower priority: the document is the one rendering in-process
// gives and it verifies, /v1/verify renders through the worker too, and
// the worker ends when the server is killed.
func TestServerRendersInWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns server processes")
	}
	if runtime.GOOS != "linux" {
		t.Skip("finds the worker and its niceness in /proc")
	}
	srv := startChild(t, t.TempDir())
	hc := &http.Client{Timeout: 60 * time.Second}
	tok := addChildOperator(t, hc, srv.base, "sakura-mobile", "Sakura Mobile")
	ret, _ := json.Marshal(exampleReturn(t))
	if code, b, err := call(hc, "POST", srv.base+"/v1/operators/sakura-mobile/returns", tok, ret); err != nil || code != 201 {
		t.Fatalf("file: %d %s %v", code, b, err)
	}
	code, pdf, err := call(hc, "GET", srv.base+"/v1/operators/sakura-mobile/disclosures/2025-Q3.pdf", testAdminToken, nil)
	if err != nil || code != 200 {
		t.Fatalf("disclosure: %d %v", code, err)
	}

	workers := childrenOf(t, srv.cmd.Process.Pid)
	if len(workers) != 1 {
		t.Fatalf("the server has %d child processes, want its one render worker", len(workers))
	}
	worker := workers[0]
	want := min(19, niceOf(t, srv.cmd.Process.Pid)+workerNice)
	threads, _ := filepath.Glob("/proc/" + strconv.Itoa(worker) + "/task/*")
	for _, th := range threads {
		tid, _ := strconv.Atoi(filepath.Base(th))
		if got := niceOf(t, tid); got != want {
			t.Errorf("worker thread %d niceness %d, want %d", tid, got, want)
		}
	}
	if len(threads) == 0 {
		t.Error("the worker's threads are not listed in /proc")
	}

	// The same bytes as rendering the attached bundle in this process,
	// and a document that verifies, here and at the server.
	code, key, err := call(hc, "GET", srv.base+"/v1/ledger/key", testAdminToken, nil)
	if err != nil || code != 200 {
		t.Fatalf("key: %d %s %v", code, key, err)
	}
	res := disclosure.Verify(pdf, strings.TrimSpace(string(key)))
	if !res.Valid {
		t.Fatalf("the worker's document does not verify: %v", res.Problems)
	}
	again, err := disclosure.Render(res.Bundle())
	if err != nil || !bytes.Equal(again, pdf) {
		t.Fatalf("in-process render differs from the worker's (%v)", err)
	}
	mustVerifyAt(t, hc, srv.base, pdf, "/v1/verify")
	if got := childrenOf(t, srv.cmd.Process.Pid); len(got) != 1 || got[0] != worker {
		t.Errorf("workers %v after verifying, want the same one, %d", got, worker)
	}

	// /metrics counts the one start and no failure.
	code, b, err := call(hc, "GET", srv.base+"/metrics", testAdminToken, nil)
	if err != nil || code != 200 {
		t.Fatalf("/metrics: %d %v", code, err)
	}
	for _, line := range []string{"ictledger_render_worker_starts_total 1\n", "ictledger_render_worker_failures_total 0\n"} {
		if !strings.Contains(string(b), line) {
			t.Errorf("/metrics lacks %q", strings.TrimSpace(line))
		}
	}

	// Killed, the server cannot close the worker's input; the kernel
	// does, and the worker exits on it.
	srv.kill(t)
	deadline := time.Now().Add(30 * time.Second)
	for alive(worker) {
		if time.Now().After(deadline) {
			t.Fatalf("render worker %d still runs 30 s after its server was killed", worker)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// childrenOf lists the processes whose parent is pid.
func childrenOf(t *testing.T, pid int) []int {
	t.Helper()
	dirs, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for _, d := range dirs {
		f, err := procStat(d)
		if err != nil {
			continue // it ended while being listed
		}
		if ppid, _ := strconv.Atoi(f[1]); ppid == pid {
			n, _ := strconv.Atoi(filepath.Base(filepath.Dir(d)))
			out = append(out, n)
		}
	}
	return out
}

// procStat gives the fields of a /proc/PID/stat file from the state on
// (field 3), skipping the parenthesised command name, which may hold
// spaces.
func procStat(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:])), nil
}

func niceOf(t *testing.T, pid int) int {
	t.Helper()
	f, err := procStat("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(f[16]) // field 19
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// alive says whether pid runs (a zombie, exited but not yet reaped by
// its new parent, counts as ended).
func alive(pid int) bool {
	f, err := procStat("/proc/" + strconv.Itoa(pid) + "/stat")
	return err == nil && f[0] != "Z"
}

// mustVerifyAt posts pdf to POST /v1/verify of the server at base and
// fails the test, its message starting with what, unless the answer is
// 200 and says the document is valid.
func mustVerifyAt(t *testing.T, hc *http.Client, base string, pdf []byte, what string) {
	t.Helper()
	resp, err := hc.Post(base+"/v1/verify", "application/pdf", bytes.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	var vr struct{ Valid bool }
	err = json.NewDecoder(resp.Body).Decode(&vr)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || !vr.Valid {
		t.Fatalf("%s: %d, valid %v, %v", what, resp.StatusCode, vr.Valid, err)
	}
}
