package main

import (
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/disclosure/renderproc"
)

// workerNice is how much lower than the server's the render workers'
// scheduling priority is: under load the kernel gives the server's
// requests the processor first, and renders what is left (the kernel's
// scheduler weighs a thread at niceness 10 at about a tenth of one at 0).
const workerNice = 10

// workerCommand starts this same binary as a render worker. On Linux it
// runs /proc/self/exe, the file this process was started from even if an
// upgrade has since replaced it on disk, so a worker is always the build
// of the server it renders for. Its environment is GOMAXPROCS alone (one
// render at a time needs one processor), so no secret from the server's
// environment reaches it; it still runs as the server's user.
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
