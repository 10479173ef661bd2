package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/disclosure/renderproc"
)

// workerNice is how much lower than the server's the render workers'
// scheduling priority is: under load the kernel gives the server's
// requests the processor first, and renders what is left (the kernel's
// scheduler weighs a thread at niceness 10 at about a tenth of one at 0).
const workerNice = 10

// defaultWorkerMemoryMiB is a render worker's memory limit unless
// --render-memory says otherwise. A worker's Go runtime holds about
// 126 MiB of data segment before its first render (mostly its threads'
// stacks) and a render adds tens of MB; a quarter of a gigabyte more than
// that leaves room for a large sector report and stops an allocation bomb
// long before it hurts the machine.
const defaultWorkerMemoryMiB = 512

// workerLimits are the limits of admission and of each render, from
// serve's flags.
type workerLimits struct {
	timeout     time.Duration
	memoryMiB   int64
	verifyQueue int
}

// workerLimitFlags defines serve's flags for the render limits on fs.
func workerLimitFlags(fs *flag.FlagSet) *workerLimits {
	l := &workerLimits{}
	fs.DurationVar(&l.timeout, "render-timeout", renderproc.DefaultTimeout, "longest a render may take before its worker is killed (the request gets 503)")
	fs.Int64Var(&l.memoryMiB, "render-memory", defaultWorkerMemoryMiB, "memory limit of each render worker in MiB (0: none)")
	fs.IntVar(&l.verifyQueue, "verify-queue", 4, "verifications under way at once, uploads included; more get 503 at once")
	return l
}

// minWorkerMemoryMiB is the least --render-memory accepted: below it a
// worker could not even start.
const minWorkerMemoryMiB = 256

// check says which flag, if any, is out of range.
func (l *workerLimits) check() error {
	switch {
	case l.timeout <= 0:
		return usageError{fmt.Sprintf("--render-timeout must be positive, got %v", l.timeout)}
	case l.memoryMiB != 0 && l.memoryMiB < minWorkerMemoryMiB:
		return usageError{fmt.Sprintf("--render-memory must be 0 (no limit) or at least %d MiB, got %d: a worker's runtime alone takes about 130 MiB", minWorkerMemoryMiB, l.memoryMiB)}
	case l.verifyQueue < 1:
		return usageError{fmt.Sprintf("--verify-queue must be at least 1, got %d", l.verifyQueue)}
	}
	return nil
}

// workerCommand starts this same binary as a render worker. On Linux it
// runs /proc/self/exe, the file this process was started from even if an
// upgrade has since replaced it on disk, so a worker is always the build
// of the server it renders for. Its environment is GOMAXPROCS alone (one
// render at a time needs one processor), and the GOMEMLIMIT the pool adds
// for its memory limit, so no secret from the server's environment
// reaches it; it still runs as the server's user.
func workerCommand() *exec.Cmd {
	name, err := os.Executable()
	if err != nil {
		name = os.Args[0]
	}
	exe := name
	if _, err := os.Stat("/proc/self/exe"); err == nil {
		exe = "/proc/self/exe"
	}
	cmd := exec.Command(exe, "render-worker")
	cmd.Args[0] = name // what ps shows
	cmd.Env = []string{"GOMAXPROCS=1"}
	return cmd
}

// renderInWorkers renders in pool's workers, and in this process when no
// worker can be started at all (a warning says so once): disclosures
// stay available, only without the isolation.
func renderInWorkers(pool *renderproc.Pool, log *slog.Logger) func(*disclosure.Bundle) ([]byte, error) {
	var warned atomic.Bool
	return func(b *disclosure.Bundle) ([]byte, error) {
		pdf, err := pool.Render(b)
		if errors.Is(err, renderproc.ErrStart) {
			if !warned.Swap(true) {
				log.Warn("render workers cannot be started; rendering disclosures in the server process", "err", err)
			}
			return disclosure.Render(b)
		}
		return pdf, err
	}
}

// workerCollectors are the render workers' series for /metrics.
func workerCollectors(pool *renderproc.Pool) []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ictledger_render_worker_starts_total",
			Help: "Render worker processes started (one per worker, then one per replacement)."},
			func() float64 { return float64(pool.Stats().Starts) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ictledger_render_worker_failures_total",
			Help: "Renders that failed because their worker crashed, timed out or broke the protocol."},
			func() float64 { return float64(pool.Stats().Failures) }),
	}
}
