// Package httpapi is the HTTP API of docs/spec/api.md on gorilla/mux. Handlers are
// small: decode, call the service, render. The service checks every
// permission itself; this package authenticates the bearer token, maps
// domain errors to RFC 9457 problems in one place (problem.go), and adds
// request ids, structured logs and Prometheus metrics.
package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ictledger/ictledger/httpstatus"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/requestid"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/sessions"
)

// Config configures the API.
type Config struct {
	Service *service.Service
	Logger  *slog.Logger
	// MaxReturnBytes limits a return filing's body (default 64 MiB).
	MaxReturnBytes int64
	// Registry receives the API's metrics; nil makes a private one.
	Registry *prometheus.Registry
	// Sessions, when set, are the web pages' sign-in sessions: their
	// cookie (sessions.CookieName) authenticates GET and HEAD requests,
	// so the pages' links to downloads work. Nil ignores the cookie.
	Sessions *sessions.Store
}

// Server is the HTTP API.
type Server struct {
	svc      *service.Service
	log      *slog.Logger
	cfg      Config
	router   *mux.Router
	handler  http.Handler // router inside the middleware, see routes
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec

	openAPIOnce sync.Once
	openAPIDoc  []byte

	verifyBodyTimeout time.Duration // zero: defaultVerifyBodyTimeout; tests shorten it

	workbooks chan struct{} // a slot per workbook being written (handlers_workbook.go)
}

// smallBody limits the bodies of every request other than a filing.
const smallBody = 1 << 20

// New builds the API's handler.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxReturnBytes == 0 {
		cfg.MaxReturnBytes = 64 << 20
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	// Memory, CPU, file descriptors and the Go runtime, for capacity
	// planning and load tests (process_resident_memory_bytes). A registry
	// that has them already keeps its own.
	for _, c := range []prometheus.Collector{collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), collectors.NewGoCollector()} {
		if err := cfg.Registry.Register(c); err != nil && !errors.As(err, new(prometheus.AlreadyRegisteredError)) {
			panic(err)
		}
	}
	s := &Server{svc: cfg.Service, log: cfg.Logger, cfg: cfg, router: mux.NewRouter(), registry: cfg.Registry,
		workbooks: make(chan struct{}, maxWorkbooksWritten)}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ictledger_http_requests_total", Help: "HTTP requests by route, method and status code.",
	}, []string{"route", "method", "code"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "ictledger_http_request_duration_seconds", Help: "HTTP request latency by route.",
		// Fine around the read target (p99 under 20 ms) so that a run
		// can be judged from the server's side too.
		Buckets: []float64{.00025, .0005, .001, .0025, .005, .0075, .01, .015, .02, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route"})
	cfg.Registry.MustRegister(s.requests, s.latency,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ictledger_ledger_entries", Help: "Entries in the ledger."},
			func() float64 { return float64(s.svc.Size()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ictledger_read_only",
			Help: "1 when a storage failure put the ledger in read-only fail-stop (restart needed), else 0."},
			func() float64 {
				if s.svc.ReadOnly() != nil {
					return 1
				}
				return 0
			}),
		newReturnsCollector(s.svc), newWitnessCollector(s.svc))
	s.routes()
	return s
}

// Registry is where the API's metrics live; other components (the
// journal's fsync histogram) register there too.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() {
	r := s.router
	// The middleware wraps the router once. (mux's Use would build the
	// chain again for every request, and leave unknown paths without a
	// request id or recovery.) So a bad token is refused before routing,
	// with 401 even on an unknown path.
	s.handler = s.withHeaders(s.withRequestID(s.withRecover(s.withAuth(r))))
	r.NotFoundHandler = s.wrapPlain(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, ledger.Errorf(ledger.ENotFound, "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	r.MethodNotAllowedHandler = s.wrapPlain(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, &ledger.Error{Code: ledger.EBadRequest, Message: "method " + r.Method + " is not allowed here"})
	})

	handle := func(method, path string, h http.HandlerFunc) {
		r.Handle(path, s.observe(path, h)).Methods(method)
	}
	// gorilla/mux tries routes in the order they are added, one regular
	// expression each, so the reads that come in thousands a second go
	// first. No two routes here match the same path and method, so the
	// order changes nothing else.
	handle("GET", "/v1/returns/{rid}/metrics", s.handleReturnMetrics)
	handle("GET", "/v1/returns/{rid}/metrics.xlsx", s.handleReturnMetricsXLSX)
	handle("GET", "/v1/returns/{rid}.xlsx", s.handleReturnWorkbook) // before {rid}, which would match it
	handle("GET", "/v1/returns/{rid}", s.handleGetReturn)

	handle("GET", "/healthz", s.handleHealth)
	r.Handle("/metrics", s.observe("/metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}).ServeHTTP)).Methods("GET")
	handle("GET", "/v1/openapi.json", s.handleOpenAPI)

	handle("POST", "/v1/tokens", s.handleIssueToken)
	handle("DELETE", "/v1/tokens/{id}", s.handleRevokeToken)
	handle("GET", "/v1/tokens", s.handleListTokens)
	handle("PUT", "/v1/jurisdictions/{cc}", s.handleSetJurisdiction)
	handle("GET", "/v1/jurisdictions", s.handleListJurisdictions)
	handle("POST", "/v1/operators", s.handleRegisterOperator)
	handle("GET", "/v1/operators", s.handleListOperators)
	handle("GET", "/v1/operators/{id}", s.handleGetOperator)
	handle("GET", "/v1/factor-sets", s.handleListFactorSets)
	handle("POST", "/v1/factor-sets", s.handlePublishFactorSet)
	handle("GET", "/v1/factor-sets/{version}", s.handleGetFactorSet)

	handle("POST", "/v1/operators/{id}/returns", s.handleFileReturn)
	handle("GET", "/v1/operators/{id}/returns", s.handleListReturns)
	handle("GET", "/v1/returns/{rid}/diff", s.handleDiff)
	handle("POST", "/v1/returns/{rid}/reviews", s.handleReview)
	handle("GET", "/v1/operators/{id}/metrics", s.handleOperatorMetrics)
	handle("GET", "/v1/sector/metrics", s.handleSectorMetrics)
	handle("GET", "/v1/sector/status", s.handleSectorStatus)
	handle("GET", "/v1/sector/export.csv", s.handleSectorExport)
	handle("GET", "/v1/sector/export.xlsx", s.handleSectorExportXLSX)
	handle("GET", "/v1/templates/quarterly-return.xlsx", s.handleTemplate)
	handle("PUT", "/v1/deadlines/{period}", s.handleSetDeadline)
	handle("GET", "/v1/operators/{id}/disclosures/{period}.pdf", s.handleOperatorDisclosure)
	handle("GET", "/v1/sector/disclosures/{period}.pdf", s.handleSectorDisclosure)
	handle("GET", "/v1/region", s.handleRegion)
	handle("GET", "/v1/region/disclosures/{period}.pdf", s.handleRegionDisclosure)
	handle("POST", "/v1/verify", s.handleVerify)

	handle("GET", "/v1/ledger/checkpoint", s.handleCheckpointNote)
	handle("GET", "/v1/ledger/checkpoint.json", s.handleCheckpointJSON)
	handle("GET", "/v1/ledger/witnesses", s.handleWitnesses)
	handle("GET", "/v1/ledger/entries", s.handleEntries)
	handle("GET", "/v1/ledger/proof/inclusion", s.handleInclusion)
	handle("GET", "/v1/ledger/proof/consistency", s.handleConsistency)
	handle("GET", "/v1/ledger/key", s.handleKey)

	// The c2sp.org/tlog-tiles API (handlers_tiles.go).
	handle("GET", "/log/checkpoint", s.handleLogCheckpoint)
	handle("GET", "/log/tile/{path:.+}", s.handleLogTile)
	handle("GET", "/log/entry/{path:.+}", s.handleLogEntry)
}

type ctxKey int

// keyRequest holds a request's *requestInfo.
const keyRequest ctxKey = 0

// requestInfo is what the middleware learns about a request: its id
// (withRequestID) and its caller (withAuth). One value in the context,
// filled in place, rather than one per middleware: each context value
// costs a copy of the request, on every request.
type requestInfo struct {
	id    string
	actor ledger.Actor
}

func infoOf(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(keyRequest).(*requestInfo)
	if info == nil {
		return &requestInfo{actor: service.Public}
	}
	return info
}

func requestID(ctx context.Context) string { return infoOf(ctx).id }

// actor is the authenticated caller, or service.Public.
func actor(r *http.Request) ledger.Actor { return infoOf(r.Context()).actor }

// withHeaders sets the headers every answer carries, the 404 of an
// unknown path and a refused token's 401 included. nosniff: a browser
// must take a JSON, CSV or problem body for what its Content-Type says,
// never sniff it into HTML or script (a return's text fields are the
// filer's).
func (s *Server) withHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// withRequestID gives every request an id, echoed in X-Request-Id and in
// every log line about it. A sane incoming id (from a proxy) is kept.
func (s *Server) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := requestid.Of(r)
		w.Header().Set(requestid.Header, id)
		info := &requestInfo{id: id, actor: service.Public}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyRequest, info)))
	})
}

// withRecover turns a panic into a 500 problem instead of a dropped connection.
func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic in handler", "request_id", requestID(r.Context()), "path", r.URL.Path, "panic", v)
				s.writeError(w, r, ledger.Errorf(ledger.EInternal, "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// withAuth authenticates a bearer token when one is sent, or the web
// pages' session cookie on a GET or HEAD, through the pages' session
// store: a session that has ended is public. A request without either is
// public; whether that is enough is the service's call.
// A token that is sent but unknown or revoked is always 401.
func (s *Server) withAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A refused token is answered before routing, so it is logged
		// and counted under its own route name: failed attempts belong
		// in the access log.
		reject := func(err error) {
			s.observe("unauthenticated", func(w http.ResponseWriter, r *http.Request) { s.writeError(w, r, err) }).ServeHTTP(w, r)
		}
		a := service.Public
		if h := r.Header.Get("Authorization"); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				reject(ledger.Errorf(ledger.EUnauthorized, "Authorization must be \"Bearer TOKEN\""))
				return
			}
			var err error
			if a, err = s.svc.Authenticate(strings.TrimSpace(secret)); err != nil {
				reject(err)
				return
			}
		} else if c, err := r.Cookie(sessions.CookieName); err == nil && s.cfg.Sessions != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			// The pages' session cookie works for downloads (GET) only:
			// a cross-site form could send it with a POST, and the API
			// checks no CSRF token.
			a, _ = s.cfg.Sessions.Actor(c.Value)
		}
		// withRequestID, outside, put the request's info in the context.
		r.Context().Value(keyRequest).(*requestInfo).actor = a
		next.ServeHTTP(w, r)
	})
}

// observe logs and measures a route. The route template, not the path,
// labels metrics, so ids never blow up their cardinality; route must be
// one of the server's own constants (a template, "unmatched",
// "unauthenticated"), never anything taken from the request. The method
// label is bounded by methodLabel.
func (s *Server) observe(route string, h http.HandlerFunc) http.Handler {
	latency := s.latency.WithLabelValues(route) // one look-up per route, not per request
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := httpstatus.NewRecorder(w)
		h(sw, r)
		d := time.Since(start)
		s.requests.WithLabelValues(route, methodLabel(r.Method), strconv.Itoa(sw.Status())).Inc()
		latency.Observe(d.Seconds())
		a := actor(r)
		s.logAccess(r, accessEntry{requestID: requestID(r.Context()), method: logMethod(r.Method), route: route, status: sw.Status(),
			bytes: sw.Bytes(), duration: d, tokenID: a.TokenID, role: string(a.Role)})
	})
}

func (s *Server) wrapPlain(h http.HandlerFunc) http.Handler { return s.observe("unmatched", h) }

// otherMethod labels every method methodLabel does not know.
const otherMethod = "other"

// methodLabel is r.Method as a metric label: one of the methods of RFC
// 9110 and PATCH, else "other". The client picks the method freely
// (net/http takes any token that fits in the header limit), and each new
// label value would be a new series kept for the life of the process:
// random 56 kB methods once grew /metrics to 56 MB.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return otherMethod
}
