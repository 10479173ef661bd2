package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/disclosure/renderproc"
	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/httpapi"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/atomicfile"
	"github.com/ictledger/ictledger/ledger/journal"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/ledger/store"
	"github.com/ictledger/ictledger/ledger/witness"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/sessions"
	"github.com/ictledger/ictledger/web"
)

// Config is everything Main needs; runServe fills it from flags and the
// environment, tests fill it directly.
type Config struct {
	Addr    string // listen address; "127.0.0.1:0" picks a free port
	DataDir string
	Demo    bool
	// AdminToken is an admin bearer secret from ICTLEDGER_ADMIN_TOKEN;
	// only its hash is kept.
	AdminToken     string
	Origin         string // the log's name in its checkpoints
	MaxReturnBytes int64
	ShutdownGrace  time.Duration
	Logger         *slog.Logger
	Out            io.Writer // where --demo prints its tokens
	Now            func() time.Time
	// ReadHeaderTimeout bounds how long a client may take to send its
	// request headers (slow-loris); zero means 10 seconds.
	ReadHeaderTimeout time.Duration
	// Render renders disclosures (see service.Config); nil renders in
	// this process. serve passes its render workers, and their number
	// as RenderSlots.
	Render      func(*disclosure.Bundle) ([]byte, error)
	RenderSlots int
	// VerifyQueue is how many verifications may be under way at once
	// (see service.Config); zero means the service's default.
	VerifyQueue int
	// Collectors are more series for /metrics (serve's render workers).
	Collectors []prometheus.Collector
	// SecureCookies marks the pages' cookies Secure: the server is
	// behind a proxy that terminates TLS (--secure-cookies).
	SecureCookies bool

	// Witnesses are sent the log's checkpoints to cosign (--witness,
	// --witness-file); none means the log is not witnessed.
	Witnesses []witness.Witness

	// journalFS, when set, is the journal's file system: tests inject
	// write and fsync errors through it.
	journalFS journal.FS
}

// Main is the running service: the journal, state, service and HTTP
// server wired together.
type Main struct {
	cfg    Config
	log    *slog.Logger
	store  *store.Store
	svc    *service.Service
	api    *httpapi.Server
	server *http.Server
	ln     net.Listener
	// registry holds every Prometheus series the process serves at /metrics.
	registry *prometheus.Registry

	clockMu sync.Mutex
	clock   func() time.Time // swapped while demo data is loaded with its own filing times

	closeOnce sync.Once
	closeErr  error
}

// NewMain returns an unstarted Main.
func NewMain(cfg Config) *Main {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Origin == "" {
		cfg.Origin = "ictledger"
	}
	if cfg.ShutdownGrace == 0 {
		cfg.ShutdownGrace = 10 * time.Second
	}
	if cfg.ReadHeaderTimeout == 0 {
		cfg.ReadHeaderTimeout = 10 * time.Second
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	return &Main{cfg: cfg, log: cfg.Logger, clock: cfg.Now}
}

func (m *Main) setClock(f func() time.Time) {
	m.clockMu.Lock()
	defer m.clockMu.Unlock()
	m.clock = f
}

func (m *Main) now() time.Time {
	m.clockMu.Lock()
	defer m.clockMu.Unlock()
	return m.clock()
}

// Open binds the listen address, then opens the data directory, replays
// the journal into the state, publishes the default factor set and the
// bootstrap admin token on a new ledger and loads the demo when asked. It
// returns once the server accepts connections; Serve then serves until
// Close.
func (m *Main) Open(ctx context.Context) (err error) {
	if err := checkAdminToken(m.cfg.AdminToken); err != nil {
		return err
	}
	// Bind before touching the data directory: a port already taken must
	// fail the start with nothing written, not after a demo was loaded
	// into a new ledger that the next start then refuses to load again.
	m.ln, err = net.Listen("tcp", m.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.cfg.Addr, err)
	}
	defer func() {
		if err != nil {
			m.ln.Close()
		}
	}()
	dir := m.cfg.DataDir
	if err := prepareDataDir(dir); err != nil {
		return err
	}
	st := state.New()
	adminHash := ""
	if m.cfg.AdminToken != "" {
		adminHash = service.HashSecret(m.cfg.AdminToken)
	}
	m.svc = service.New(service.Config{State: st, Logger: m.log, Now: m.now, AdminSecretHash: adminHash, Render: m.cfg.Render, RenderSlots: m.cfg.RenderSlots,
		VerifyQueue: m.cfg.VerifyQueue, DerivedDir: filepath.Join(dir, "derived")})
	start := time.Now()
	m.registry = prometheus.NewRegistry()
	fsyncs := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "ictledger_journal_fsync_seconds",
		Help:    "Time of each journal fsync (one per group-commit batch).",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1}})
	batches := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "ictledger_journal_batch_records",
		Help: "Records covered by each journal fsync.", Buckets: prometheus.ExponentialBuckets(1, 2, 10)})
	m.registry.MustRegister(fsyncs, batches)
	m.registry.MustRegister(m.cfg.Collectors...)
	m.store, err = store.Open(dir, st, store.Options{Origin: m.cfg.Origin, Logger: m.log, FS: m.cfg.journalFS, OnCommit: m.svc.OnCommit,
		OnSync: func(d time.Duration, n int) { fsyncs.Observe(d.Seconds()); batches.Observe(float64(n)) }})
	if err != nil {
		return err
	}
	defer func() {
		if err != nil { // a failed Open leaves nothing open
			m.store.Close()
		}
	}()
	m.log.Info("ledger opened", "dir", dir, "entries", m.store.Journal.Size(), "replay_ms", time.Since(start).Milliseconds())
	if err := m.svc.Start(m.store.Journal, m.store.Signer()); err != nil {
		return err
	}
	if err := m.svc.StartWitnessing(service.WitnessConfig{Witnesses: m.cfg.Witnesses, Dir: dir}); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			m.svc.StopWitnessing()
		}
	}()
	// A demo is loaded only into a new ledger, as if filed over the past
	// quarters: its entries, the bootstrap ones included, carry the demo's
	// filing times, so deadlines and lateness look real.
	var demo *fixtures.Demo
	if m.cfg.Demo && m.store.Journal.Size() == 0 {
		d := fixtures.Build(ledger.LastEndedQuarter(m.cfg.Now()))
		demo = &d
		m.setClock(demoClockStart(d))
	}
	if err := m.bootstrap(ctx); err != nil {
		return err
	}
	if demo != nil {
		err := m.loadDemo(ctx, *demo)
		m.setClock(m.cfg.Now)
		if err != nil {
			return fmt.Errorf("load the demo: %w", err)
		}
	}
	// The pages open sign-in sessions; the API reads their cookie for downloads.
	signins := sessions.New(sessions.Config{Service: m.svc, Now: m.cfg.Now})
	m.api = httpapi.New(httpapi.Config{Service: m.svc, Logger: m.log,
		MaxReturnBytes: m.cfg.MaxReturnBytes, Registry: m.registry, Sessions: signins})
	csrfKey, err := web.LoadOrCreateSecret(dir) // under the journal's lock
	if err != nil {
		return err
	}
	pages, err := web.New(web.Config{Service: m.svc, Logger: m.log,
		Now: m.cfg.Now, MaxReturnBytes: m.cfg.MaxReturnBytes, Secret: csrfKey, Sessions: signins, SecureCookies: m.cfg.SecureCookies})
	if err != nil {
		return fmt.Errorf("web pages: %w", err)
	}
	// The API answers /v1, /healthz, /metrics and /log; every other path is a page.
	root := http.NewServeMux()
	root.Handle("/v1/", m.api)
	root.Handle("/healthz", m.api)
	root.Handle("/metrics", m.api)
	root.Handle("/log/", m.api) // the c2sp tlog-tiles API
	root.Handle("/", pages)
	m.server = &http.Server{
		Handler:           root,
		ReadHeaderTimeout: m.cfg.ReadHeaderTimeout,
		ReadTimeout:       5 * time.Minute, // a 64 MiB filing over a slow link
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.log.Handler(), slog.LevelWarn),
	}
	m.log.Info("listening", "addr", m.ln.Addr().String())
	if m.cfg.Demo {
		if err := m.printDemoTokens(); err != nil {
			return err
		}
	}
	return nil
}

// Addr is the address the server listens on.
func (m *Main) Addr() string { return m.ln.Addr().String() }

// Service is the running service, for tests.
func (m *Main) Service() *service.Service { return m.svc }

// Serve serves HTTP until Close; it returns nil after a clean shutdown.
func (m *Main) Serve() error {
	if err := m.server.Serve(m.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close stops accepting connections, waits (bounded) for requests in
// flight, then closes the journal, which flushes and releases the lock.
func (m *Main) Close() error {
	m.closeOnce.Do(func() {
		if m.server != nil {
			ctx, cancel := context.WithTimeout(context.Background(), m.cfg.ShutdownGrace)
			if err := m.server.Shutdown(ctx); err != nil {
				m.log.Warn("shutdown did not finish in time; closing connections", "err", err)
				m.server.Close()
			}
			cancel()
		}
		if m.svc != nil {
			m.svc.StopWitnessing()
			m.svc.WaitDerived()
		}
		if m.store != nil {
			m.closeErr = m.store.Close()
		}
	})
	return m.closeErr
}

// bootstrap makes a ledger usable: the built-in factor sets it lacks
// (apt-2025.1, then apt-2026.1: an older ledger gains the newer set as
// an entry of its own), and an admin token in DIR/admin.token when none
// comes from the environment.
func (m *Main) bootstrap(ctx context.Context) error {
	st := m.svc.State()
	for _, raw := range fixtures.BootstrapFactorSets() {
		fs, err := ledger.ParseFactorSet(raw)
		if err != nil {
			return fmt.Errorf("built-in factor set: %w", err)
		}
		if st.FactorSet(fs.Version) != nil {
			continue
		}
		if _, err := m.svc.PublishFactorSet(ctx, ledger.SystemActor, raw); err != nil {
			return fmt.Errorf("publish factor set %s: %w", fs.Version, err)
		}
	}
	if m.cfg.AdminToken != "" || len(st.Tokens()) > 0 {
		return nil
	}
	t, err := m.svc.IssueToken(ctx, ledger.SystemActor, ledger.RoleAdmin, "", "bootstrap admin")
	if err != nil {
		return fmt.Errorf("issue the bootstrap admin token: %w", err)
	}
	path := filepath.Join(m.cfg.DataDir, "admin.token")
	if err := writeSecretFile(path, t.Token+"\n"); err != nil {
		return err
	}
	m.log.Info("created an admin token; it is in the file", "path", path, "token_id", t.ID)
	return nil
}

// writeSecretFile writes a file only its owner can read, durably (see
// atomicfile.Write).
func writeSecretFile(path, content string) error {
	return atomicfile.Write(filepath.Dir(path), filepath.Base(path), []byte(content), 0o600)
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address HOST:PORT")
	data := fs.String("data", "./data", "data directory (created if missing)")
	demo := fs.Bool("demo", false, "load demo operators and returns into an empty ledger and print a token per role")
	origin := fs.String("origin", "ictledger", "the log's name, first line of its checkpoints")
	maxReturn := fs.Int64("max-return-bytes", 64<<20, "largest accepted filing body in bytes")
	secureCookies := fs.Bool("secure-cookies", false, "mark the pages' cookies Secure: set this behind a proxy that terminates TLS")
	workers := fs.Int("render-workers", max(1, runtime.GOMAXPROCS(0)/2), "worker processes that render disclosures, at lower priority (0: render in the server process)")
	limits := workerLimitFlags(fs)
	var witnessSpecs stringList
	fs.Var(&witnessSpecs, "witness", "a witness to send checkpoints to, as NAME,URL,KEY (repeatable)")
	witnessFile := fs.String("witness-file", "", "a file of witnesses, one NAME,URL,KEY a line")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{"serve takes no arguments, got " + fs.Arg(0)}
	}
	if err := limits.check(); err != nil {
		return err
	}
	witnesses, err := loadWitnesses(witnessSpecs, *witnessFile)
	if err != nil {
		return usageError{err.Error()}
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var render func(*disclosure.Bundle) ([]byte, error)
	var collectors []prometheus.Collector
	var pool *renderproc.Pool
	if *workers > 0 {
		pool = renderproc.New(renderproc.Config{Command: workerCommand, Workers: *workers, Nice: workerNice, Logger: logger,
			Timeout: limits.timeout, MemoryLimit: limits.memoryMiB << 20})
		defer func() {
			if cerr := pool.Close(); cerr != nil {
				logger.Warn("stop the render workers", "err", cerr)
			}
		}()
		render = renderInWorkers(pool, logger)
		collectors = workerCollectors(pool)
	}
	m := NewMain(Config{Addr: *addr, DataDir: *data, Demo: *demo, AdminToken: os.Getenv("ICTLEDGER_ADMIN_TOKEN"),
		Origin: *origin, MaxReturnBytes: *maxReturn, Logger: logger, Out: stdout, Render: render, RenderSlots: *workers, VerifyQueue: limits.verifyQueue, Collectors: collectors,
		SecureCookies: *secureCookies, Witnesses: witnesses})
	if err := m.Open(ctx); err != nil {
		return err
	}
	if pool != nil {
		// After the ledger opened: a server that fails to open starts
		// no worker.
		if err := pool.Warm(); err != nil {
			logger.Warn("start a render worker", "err", err)
		}
	}
	served := make(chan error, 1)
	go func() { served <- m.Serve() }()
	select {
	case <-ctx.Done():
		logger.Info("signal received; shutting down")
	case err := <-served:
		if err != nil {
			m.Close()
			return err
		}
	}
	if err := m.Close(); err != nil {
		return err
	}
	logger.Info("stopped cleanly")
	return nil
}
