// Package web serves the server-rendered pages for the public, operators
// and regulators: accepted disclosures and their verification, the
// regulator's period dashboard, return and sector pages with their review
// form, and the operator's returns and filing form.
//
// Pages are html/template (templates/html), work without JavaScript and
// carry a Content-Security-Policy of default-src 'self'. Signing in with a
// bearer token opens a server-side session (package sessions) whose random
// id, never the token, lives in an HttpOnly, SameSite=Strict cookie; every
// form carries a CSRF token derived from that cookie with an HMAC under a
// server secret, checked on every POST. Every page calls the service with
// the caller's actor, so the service's own role and operator checks decide
// what a page may show.
package web

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"time"

	"github.com/ictledger/ictledger/httpstatus"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/requestid"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/sessions"
)

// Config configures the pages.
type Config struct {
	Service *service.Service
	Logger  *slog.Logger
	// Secret keys the CSRF tokens (at least 32 random bytes). Nil makes a
	// random one, which invalidates open forms on restart.
	Secret []byte
	// Now is the clock that picks the default period, and that of the
	// sessions when Sessions is nil; nil means time.Now.
	Now func() time.Time
	// MaxReturnBytes limits a filing upload (default 64 MiB).
	MaxReturnBytes int64
	// Sessions keeps the sign-in sessions; the API must be given the same
	// store so that the cookie works for its downloads. Nil makes a store
	// of the pages' own, on Now.
	Sessions *sessions.Store
	// SecureCookies marks every cookie Secure even on plain HTTP: the
	// server is behind a proxy that terminates TLS.
	SecureCookies bool
}

// Handler serves the pages.
type Handler struct {
	svc      *service.Service
	log      *slog.Logger
	cfg      Config
	mux      *http.ServeMux
	renderer *renderer
	sessions *sessions.Store
}

// maxFormBytes limits the bodies of the small forms.
const maxFormBytes = 1 << 20

// maxPDFBytes limits a PDF uploaded for verification, as the API does.
const maxPDFBytes = service.MaxVerifyBytes

// New builds the pages' handler.
func New(cfg Config) (*Handler, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxReturnBytes == 0 {
		cfg.MaxReturnBytes = 64 << 20
	}
	if len(cfg.Secret) == 0 {
		cfg.Secret = make([]byte, 32)
		if _, err := rand.Read(cfg.Secret); err != nil {
			return nil, err
		}
	}
	rd, err := newRenderer()
	if err != nil {
		return nil, err
	}
	if cfg.Sessions == nil {
		cfg.Sessions = sessions.New(sessions.Config{Service: cfg.Service, Now: cfg.Now})
	}
	h := &Handler{svc: cfg.Service, log: cfg.Logger, cfg: cfg, mux: http.NewServeMux(), renderer: rd, sessions: cfg.Sessions}
	h.routes()
	return h, nil
}

func (h *Handler) routes() {
	m := h.mux
	m.HandleFunc("GET /{$}", h.handleHome)
	m.HandleFunc("GET /assets/{file}", h.handleAsset)
	m.HandleFunc("GET /assets/fonts/{file}", h.handleFont)
	m.HandleFunc("GET /signin", h.handleSignInForm)
	m.HandleFunc("POST /signin", h.handleSignIn)
	m.HandleFunc("POST /signout", h.handleSignOut)
	m.HandleFunc("GET /verify", h.handleVerifyForm)
	m.HandleFunc("GET /region", h.handleRegion)
	m.HandleFunc("POST /verify", h.handleVerify)

	m.HandleFunc("GET /dashboard", h.handleDashboard)
	m.HandleFunc("GET /sector", h.handleSector)
	m.HandleFunc("GET /returns/{rid}", h.handleReturn)
	m.HandleFunc("POST /returns/{rid}/review", h.handleReview)
	m.HandleFunc("GET /tokens", h.handleTokens) // admin

	m.HandleFunc("GET /operator", h.handleOperator)
	m.HandleFunc("GET /file", h.handleFileForm)
	m.HandleFunc("POST /file", h.handleFile)

	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, ledger.Errorf(ledger.ENotFound, "there is no page here"))
	})
}

// ServeHTTP implements http.Handler: security headers, a request id,
// panic recovery and a log line around every page.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("X-Frame-Options", "DENY")
	hdr.Set("Referrer-Policy", "same-origin")
	id := requestid.Of(r)
	hdr.Set(requestid.Header, id)
	sw := httpstatus.NewRecorder(w)
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.log.ErrorContext(r.Context(), "panic in page handler", "request_id", id, "path", r.URL.Path, "panic", v)
			if !sw.Written() {
				h.fail(sw, r, ledger.Errorf(ledger.EInternal, "internal error"))
			}
		}
		h.log.InfoContext(r.Context(), "page", "request_id", id, "method", r.Method, "route", r.Pattern,
			"status", sw.Status(), "duration_us", time.Since(start).Microseconds())
	}()
	h.mux.ServeHTTP(sw, r)
}
