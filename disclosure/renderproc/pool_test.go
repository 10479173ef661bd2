package renderproc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
)

// The test binary is its own worker: run with workerEnv set, it serves
// the protocol instead of running tests (or, with workerEnv=hang, reads a
// request and never answers; with workerEnv=crash, exits on the first).
const workerEnv = "ICTLEDGER_RENDERPROC_TEST_WORKER"

func TestMain(m *testing.M) {
	switch os.Getenv(workerEnv) {
	case "":
		os.Exit(m.Run())
	case "serve":
		if err := Worker(); err != nil {
			os.Stderr.WriteString(err.Error())
			os.Exit(1)
		}
		os.Exit(0)
	case "hang":
		_, _ = readFrame(os.Stdin)
		time.Sleep(time.Hour)
	case "crash":
		_, _ = readFrame(os.Stdin)
		os.Stderr.WriteString("worker: simulated crash\n")
		os.Exit(3)
	case "metadata-oom": // the runtime's own allocation hit the limit first
		_, _ = readFrame(os.Stdin)
		os.Stderr.WriteString("fatal error: runtime: cannot allocate memory\n")
		os.Exit(2)
	case "noisy": // a library that prints on stdout
		os.Stdout.WriteString("get metrics Error: something a library printed\n")
		if err := Worker(); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	case "orphan": // a parent that is not its parent any more
		exitWhenOrphaned(os.Getppid()+1, 10*time.Millisecond)
	case "bomb": // a bundle whose rendering allocates without end
		renderBundle = func(*disclosure.Bundle) ([]byte, error) { return nil, fmt.Errorf("%d", len(allocateForever())) }
		if err := Worker(); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
}

// allocateForever allocates and touches memory until the process is
// stopped; it never returns.
func allocateForever() [][]byte {
	var hoard [][]byte
	for {
		b := make([]byte, 8<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		hoard = append(hoard, b)
	}
}

func testPool(t *testing.T, mode string, cfg Config) *Pool {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Command = func() *exec.Cmd {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), workerEnv+"="+mode)
		return cmd
	}
	p := New(cfg)
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func loadBundle(t *testing.T, name string) *disclosure.Bundle {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	b, err := disclosure.DecodeBundle(raw)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A worker gives the bytes an in-process render gives, for every kind of
// document, and stays up between renders.
func TestRenderMatchesInProcess(t *testing.T) {
	p := testPool(t, "serve", Config{Workers: 1})
	var pid int
	for _, name := range []string{"operator-bundle.json", "sector-bundle.json", "operator-bundle-v2.json", "sector-bundle-v2.json"} {
		want, err := disclosure.Render(loadBundle(t, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.Render(loadBundle(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: the worker's %d bytes differ from the in-process render's %d", name, len(got), len(want))
		}
		w := <-p.slots
		if pid != 0 && w.cmd.Process.Pid != pid {
			t.Errorf("%s: rendered by worker %d, the one before by %d: workers should be kept", name, w.cmd.Process.Pid, pid)
		}
		pid = w.cmd.Process.Pid
		p.slots <- w
	}
}

// A bundle that does not render is that render's error; the worker
// carries on.
func TestRenderErrorKeepsWorker(t *testing.T) {
	p := testPool(t, "serve", Config{Workers: 1})
	b := loadBundle(t, "operator-bundle.json")
	b.Template = "no_such_template"
	if _, err := p.Render(b); err == nil || !strings.Contains(err.Error(), "no_such_template") {
		t.Fatalf("err %v, want the template named", err)
	}
	if _, err := p.Render(loadBundle(t, "operator-bundle.json")); err != nil {
		t.Fatalf("after a failed render: %v", err)
	}
}

// A worker that dies is reported with what it said, and the next render
// starts another.
func TestCrashedWorkerIsReplaced(t *testing.T) {
	p := testPool(t, "crash", Config{Workers: 1})
	_, err := p.Render(loadBundle(t, "operator-bundle.json"))
	if err == nil || !strings.Contains(err.Error(), "simulated crash") || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("err %v, want the worker's exit and last output", err)
	}
	if w := <-p.slots; w != nil {
		t.Fatal("the crashed worker was kept")
	} else {
		p.slots <- w
	}
	p.cfg.Command = testPool(t, "serve", Config{}).cfg.Command
	if _, err := p.Render(loadBundle(t, "operator-bundle.json")); err != nil {
		t.Fatalf("after a crash: %v", err)
	}
	if st := p.Stats(); st != (Stats{Starts: 2, Failures: 1}) {
		t.Fatalf("stats %+v, want 2 starts and 1 failure", st)
	}
}

// The Go runtime ends a process whose own metadata could not be
// allocated under the limit with another message than a heap that could
// not grow; both are a death for want of memory, and a plain crash under
// a limit is not.
func TestMemoryDeathsAreToldFromCrashes(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the hard memory limit is set on Linux only")
	}
	for mode, memory := range map[string]bool{"metadata-oom": true, "crash": false} {
		p := testPool(t, mode, Config{Workers: 1, MemoryLimit: testMemoryLimit})
		_, err := p.Render(loadBundle(t, "operator-bundle.json"))
		if err == nil || errors.Is(err, ErrMemory) != memory {
			t.Errorf("%s: err %v, want ErrMemory %v", mode, err, memory)
		}
	}
}

// A render that outlasts the timeout ends with its worker killed.
func TestTimeoutKillsWorker(t *testing.T) {
	p := testPool(t, "hang", Config{Workers: 1, Timeout: 300 * time.Millisecond})
	start := time.Now()
	_, err := p.Render(loadBundle(t, "operator-bundle.json"))
	if err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("err %v, want the worker killed", err)
	}
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, disclosure.ErrRenderTimeout) || !errors.Is(err, disclosure.ErrRenderUnavailable) {
		t.Fatalf("err %v, want ErrTimeout, disclosure.ErrRenderTimeout and disclosure.ErrRenderUnavailable", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Fatalf("the render returned after %v", d)
	}
}

// A program that cannot be started is ErrStart, so a caller can tell it
// from one failed render.
func TestStartFailure(t *testing.T) {
	p := New(Config{Command: func() *exec.Cmd { return exec.Command(filepath.Join(t.TempDir(), "missing")) }})
	if _, err := p.Render(loadBundle(t, "operator-bundle.json")); !errors.Is(err, ErrStart) {
		t.Fatalf("err %v, want ErrStart", err)
	}
}

// Every thread of a worker runs at the niceness asked for; no thread of
// the server changes.
func TestWorkersAreNiced(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("niceness is set on Linux only")
	}
	before := threadNiceness(t, os.Getpid())
	p := testPool(t, "serve", Config{Workers: 1, Nice: 7})
	if _, err := p.Render(loadBundle(t, "operator-bundle.json")); err != nil {
		t.Fatal(err)
	}
	w := <-p.slots
	p.slots <- w
	for tid, n := range threadNiceness(t, w.cmd.Process.Pid) {
		if want := min(19, before[os.Getpid()]+7); n != want {
			t.Errorf("worker thread %d niceness %d, want %d", tid, n, want)
		}
	}
	for tid, n := range threadNiceness(t, os.Getpid()) {
		if was, ok := before[tid]; ok && n != was {
			t.Errorf("server thread %d niceness went from %d to %d", tid, was, n)
		}
	}
}

// threadNiceness reads field 19 of /proc/PID/task/TID/stat for every
// thread of pid (fields counted after the parenthesised command name,
// which may hold spaces).
func threadNiceness(t *testing.T, pid int) map[int]int {
	t.Helper()
	paths, err := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/stat")
	if err != nil || len(paths) == 0 {
		t.Fatalf("threads of %d: %v", pid, err)
	}
	out := map[int]int{}
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			continue // the thread ended
		}
		fields := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
		n, err := strconv.Atoi(fields[16]) // field 19 counted from the state, field 3
		if err != nil {
			t.Fatal(err)
		}
		tid, _ := strconv.Atoi(filepath.Base(filepath.Dir(path)))
		out[tid] = n
	}
	return out
}

// Close ends the workers, which exit on the end of their input.
func TestCloseEndsWorkers(t *testing.T) {
	p := testPool(t, "serve", Config{Workers: 2})
	if _, err := p.Render(loadBundle(t, "operator-bundle.json")); err != nil {
		t.Fatal(err)
	}
	var started []*proc
	for range 2 {
		if w := <-p.slots; w != nil {
			started = append(started, w)
			p.slots <- w
		} else {
			p.slots <- nil
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	for _, w := range started {
		select {
		case <-w.done:
			if w.err != nil {
				t.Errorf("worker exit: %v", w.err)
			}
		default:
			t.Error("a worker is still running after Close")
		}
	}
}

// Close does not wait past its grace for a render that hangs: the worker
// is killed, its caller gets an error, and later renders get ErrClosed.
func TestCloseEndsHungRender(t *testing.T) {
	p := testPool(t, "hang", Config{Workers: 1, CloseGrace: 200 * time.Millisecond})
	rendered := make(chan error, 1)
	go func() {
		_, err := p.Render(loadBundle(t, "operator-bundle.json"))
		rendered <- err
	}()
	// Wait until the render holds the worker.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		p.mu.Lock()
		n := len(p.live)
		p.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the render did not start a worker")
		}
	}
	if err := p.Close(); err == nil || !strings.Contains(err.Error(), "were ended") {
		t.Fatalf("Close: %v, want the running render reported ended", err)
	}
	select {
	case err := <-rendered:
		if err == nil {
			t.Fatal("the hung render succeeded")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the hung render did not return after Close")
	}
	if _, err := p.Render(loadBundle(t, "operator-bundle.json")); !errors.Is(err, ErrClosed) {
		t.Fatalf("render after Close: %v, want ErrClosed", err)
	}
}

// What a worker prints on stdout does not reach the protocol.
func TestStdoutDoesNotBreakReplies(t *testing.T) {
	p := testPool(t, "noisy", Config{Workers: 1})
	want, err := disclosure.Render(loadBundle(t, "operator-bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Render(loadBundle(t, "operator-bundle.json"))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("err %v, %d bytes, want the in-process %d", err, len(got), len(want))
	}
}

// A worker that died while idle is replaced for the next render, which
// does not fail because of it.
func TestIdleWorkerDeathIsNotARenderFailure(t *testing.T) {
	p := testPool(t, "serve", Config{Workers: 1})
	if _, err := p.Render(loadBundle(t, "operator-bundle.json")); err != nil {
		t.Fatal(err)
	}
	w := <-p.slots
	w.kill()
	<-w.done
	p.slots <- w
	if _, err := p.Render(loadBundle(t, "operator-bundle.json")); err != nil {
		t.Fatalf("render after the idle worker died: %v", err)
	}
	if w2 := <-p.slots; w2 == w {
		t.Fatal("the dead worker was used again")
	} else {
		p.slots <- w2
	}
}

// A panic while rendering is that bundle's error reply; the worker goes
// on.
func TestServeRecoversPanic(t *testing.T) {
	defer func(f func(*disclosure.Bundle) ([]byte, error)) { renderBundle = f }(renderBundle)
	calls := 0
	renderBundle = func(*disclosure.Bundle) ([]byte, error) {
		if calls++; calls == 1 {
			panic("boom")
		}
		return []byte("%PDF"), nil
	}
	raw, err := loadBundle(t, "operator-bundle.json").Encode()
	if err != nil {
		t.Fatal(err)
	}
	var in, out bytes.Buffer
	_ = writeFrame(&in, raw)
	_ = writeFrame(&in, raw)
	if err := Serve(&in, &out); err != nil {
		t.Fatal(err)
	}
	first, err := readFrame(&out)
	if err != nil || first[0] != replyError || !strings.Contains(string(first[1:]), "boom") {
		t.Fatalf("first reply %q, %v: want the panic as an error", first, err)
	}
	second, err := readFrame(&out)
	if err != nil || second[0] != replyPDF || string(second[1:]) != "%PDF" {
		t.Fatalf("second reply %q, %v", second, err)
	}
}

// A worker exits once its parent is no longer its parent (the server
// died while it rendered).
func TestWorkerExitsWhenOrphaned(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), workerEnv+"=orphan")
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("exit %v, want status 2", err)
	}
}

// A worker started without the server's reply pipe says so and exits,
// although its descriptor 3 may be one the Go runtime opened for itself.
func TestWorkerWithoutReplyPipe(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), workerEnv+"=serve")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "no reply pipe on descriptor 3") {
		t.Fatalf("exit %v, output %q: want status 1 and the missing pipe named", err, out)
	}
}

// testMemoryLimit is the workers' memory limit in these tests: half the
// server's default, so that a worker that renders under it renders under
// the default too. (A Go worker's data segment is about 126 MiB before
// it renders anything, most of it the 8 MiB stacks of its threads.)
const testMemoryLimit = 256 << 20

// A worker's runtime starts and renders every kind of document under
// the memory limit, also the CJK sector report, twice in a row.
func TestWorkerRendersUnderMemoryLimit(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the hard memory limit is set on Linux only")
	}
	p := testPool(t, "serve", Config{Workers: 1, MemoryLimit: testMemoryLimit})
	for range 2 {
		for _, name := range []string{"operator-bundle.json", "sector-bundle.json", "operator-bundle-v2.json", "sector-bundle-v2.json"} {
			if _, err := p.Render(loadBundle(t, name)); err != nil {
				t.Fatalf("%s under a limit of %d MiB: %v", name, testMemoryLimit>>20, err)
			}
		}
	}
	w := <-p.slots
	p.slots <- w
	if got := rlimitData(t, w.cmd.Process.Pid); got != testMemoryLimit {
		t.Fatalf("the worker's RLIMIT_DATA is %d, want %d", got, testMemoryLimit)
	}
	if st := p.Stats(); st.Starts != 1 || st.Failures != 0 {
		t.Fatalf("stats %+v, want one worker and no failure", st)
	}
}

// A render that allocates without end dies at the memory limit, long
// before its time limit; the error says so, and the next render gets a
// new worker.
func TestMemoryLimitEndsAllocationBomb(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the hard memory limit is set on Linux only")
	}
	p := testPool(t, "bomb", Config{Workers: 1, MemoryLimit: testMemoryLimit, Timeout: 20 * time.Second})
	start := time.Now()
	_, err := p.Render(loadBundle(t, "operator-bundle.json"))
	took := time.Since(start)
	if !errors.Is(err, ErrMemory) || !errors.Is(err, disclosure.ErrRenderMemory) || !errors.Is(err, disclosure.ErrRenderUnavailable) {
		t.Fatalf("err %v, want ErrMemory, disclosure.ErrRenderMemory and disclosure.ErrRenderUnavailable", err)
	}
	if errors.Is(err, ErrTimeout) {
		t.Fatalf("err %v: the time limit, not the memory limit, ended it", err)
	}
	t.Logf("the bomb died after %v: %.200s", took, err)
	p.cfg.Command = testPool(t, "serve", Config{}).cfg.Command
	if _, err := p.Render(loadBundle(t, "operator-bundle.json")); err != nil {
		t.Fatalf("after the bomb: %v", err)
	}
	if st := p.Stats(); st != (Stats{Starts: 2, Failures: 1}) {
		t.Fatalf("stats %+v, want 2 starts and 1 failure", st)
	}
}

// rlimitData reads the soft "Max data size" of /proc/PID/limits.
func rlimitData(t *testing.T, pid int) int64 {
	t.Helper()
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/limits")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "Max data size"); ok {
			n, err := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			if err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			return n
		}
	}
	t.Fatalf("no data size limit in %s", raw)
	return 0
}

// A bundle over what a verifier reads is refused before it is sent: the
// error keeps its kind (the bundle's, not the pool's), and no worker is
// started to read it.
func TestOversizedBundleIsNotSent(t *testing.T) {
	p := testPool(t, "serve", Config{Workers: 1})
	b := loadBundle(t, "sector-bundle.json")
	b.Entries[0].Canonical = strings.Repeat("A", disclosure.MaxBundleSize)
	_, err := p.Render(b)
	if !errors.Is(err, disclosure.ErrBundleTooLarge) || errors.Is(err, disclosure.ErrRenderUnavailable) {
		t.Fatalf("err %v, want ErrBundleTooLarge alone", err)
	}
	if s := p.Stats(); s.Starts != 0 || s.Failures != 0 {
		t.Fatalf("stats %+v: a worker was started or failed", s)
	}
}

// Warm starts the worker the first render then uses, once; a second
// Warm starts no other.
func TestWarmStartsTheFirstWorker(t *testing.T) {
	p := testPool(t, "serve", Config{Workers: 1})
	if err := p.Warm(); err != nil {
		t.Fatal(err)
	}
	if err := p.Warm(); err != nil {
		t.Fatal(err)
	}
	if n := p.Stats().Starts; n != 1 {
		t.Fatalf("two warm-ups started %d workers, want 1", n)
	}
	if _, err := p.Render(loadBundle(t, "operator-bundle.json")); err != nil {
		t.Fatal(err)
	}
	if n := p.Stats().Starts; n != 1 {
		t.Errorf("the first render after Warm started another worker: %d starts", n)
	}
}
