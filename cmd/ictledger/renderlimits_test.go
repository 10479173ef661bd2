package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure/renderproc"
)

// fakeWorkerArg makes the test binary a render worker that misbehaves
// (see TestMain): "bomb" allocates without end, "hang" never answers.
const fakeWorkerArg = "render-worker-fake"

// fakeWorker runs a misbehaving worker until it is killed.
func fakeWorker(mode string) {
	if mode == "hang" {
		time.Sleep(time.Hour)
		os.Exit(1)
	}
	// The limit counts memory mapped, touched or not; touching every
	// page would only make the test slower.
	var hoard [][]byte
	for {
		hoard = append(hoard, make([]byte, 32<<20))
	}
}

// publicDisclosure files and accepts a return of a new operator on ts,
// and gives the path of its public disclosure.
func publicDisclosure(ts *testServer) string {
	ts.t.Helper()
	op := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	var filed filedReturn
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", op, exampleReturn(ts.t), 201, &filed)
	ts.mustJSON("POST", "/v1/returns/"+filed.ID+"/reviews", ts.regulator(), map[string]any{"decision": "accept", "comment": "ok"}, 201, nil)
	return "/v1/operators/sakura-mobile/disclosures/2025-Q3.pdf"
}

// A worker that allocates without end dies at its memory limit and one
// that hangs is killed at its time limit; each time the download is
// answered (500 saying memory, 503 with Retry-After), the worker is
// replaced, and the next download gets its document.
func TestRenderLimitsAnswerTheRequest(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the hard memory limit is set on Linux only")
	}
	modes := []string{"bomb", "hang", ""}
	var started atomic.Int32
	pool := renderproc.New(renderproc.Config{Workers: 1, Timeout: 5 * time.Second, MemoryLimit: minWorkerMemoryMiB << 20,
		Command: func() *exec.Cmd {
			mode := modes[min(int(started.Add(1))-1, len(modes)-1)]
			if mode == "" {
				return exec.Command(os.Args[0], "render-worker")
			}
			return exec.Command(os.Args[0], fakeWorkerArg, mode)
		}})
	defer pool.Close()
	ts := startConfigured(t, t.TempDir(), Config{AdminToken: testAdminToken, Render: renderInWorkers(pool, nil), RenderSlots: 1})
	defer ts.stop()
	path := publicDisclosure(ts)

	type answer struct {
		code int
		hdr  map[string][]string
		body []byte
		took time.Duration
	}
	get := func() answer {
		start := time.Now()
		body, hdr, code := ts.getPDF(path, "")
		return answer{code, hdr, body, time.Since(start)}
	}
	detail := func(a answer) string {
		var p struct{ Code, Detail string }
		_ = json.Unmarshal(a.body, &p)
		return p.Code + ": " + p.Detail
	}

	bomb := get()
	if bomb.code != 500 || !strings.Contains(detail(bomb), "more memory than a render worker may use") {
		t.Fatalf("the allocation bomb: %d %s", bomb.code, bomb.body)
	}
	hang := get()
	if hang.code != 503 || hang.hdr["Retry-After"] == nil || !strings.HasPrefix(detail(hang), "busy: ") ||
		!strings.Contains(detail(hang), "time limit") {
		t.Fatalf("the hung render: %d %v %s", hang.code, hang.hdr, hang.body)
	}
	if hang.took > 30*time.Second {
		t.Fatalf("the hung render was answered after %v, with a time limit of 5 s", hang.took)
	}
	ok := get()
	if ok.code != 200 || !bytes.HasPrefix(ok.body, []byte("%PDF")) {
		t.Fatalf("after two workers were killed: %d %.200s", ok.code, ok.body)
	}
	if st := pool.Stats(); st != (renderproc.Stats{Starts: 3, Failures: 2}) {
		t.Fatalf("stats %+v, want 3 workers started and 2 failures", st)
	}
	t.Logf("answered: bomb %v, hang %v, good %v", bomb.took, hang.took, ok.took)
}

// serve refuses render limits out of range, naming the flag.
func TestRenderLimitFlags(t *testing.T) {
	for _, c := range []struct{ args, want string }{
		{"--render-timeout 0s", "--render-timeout must be positive"},
		{"--render-memory 100", "--render-memory must be 0 (no limit) or at least 256 MiB"},
		{"--verify-queue 0", "--verify-queue must be at least 1"},
	} {
		var stderr bytes.Buffer
		err := runServe(t.Context(), append(strings.Fields(c.args), "--data", t.TempDir()), io.Discard, &stderr)
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a usage error with %q", c.args, err, c.want)
		}
	}
}
