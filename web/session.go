package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// SessionCookie keeps a signed-in user's bearer token. The API reads the
// same cookie (httpapi.SessionCookie), so links to its downloads work.
const SessionCookie = "ictledger_session"

// anonCookie keeps a random value that CSRF tokens of visitors who are not
// signed in (the sign-in and verify forms) are derived from.
const anonCookie = "ictledger_csrf"

// csrfField is the form field that carries the CSRF token.
const csrfField = "csrf"

// session is who is asking, and what their forms' CSRF tokens derive from.
type session struct {
	actor ledger.Actor // service.Public when not signed in
	basis string       // the session cookie, or the anonymous cookie, or ""
}

func (s session) signedIn() bool { return s.actor.Role != "" }

// session reads the caller's cookies. A session cookie whose token is
// unknown or revoked counts as not signed in.
func (h *Handler) session(r *http.Request) session {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if a, err := h.svc.Authenticate(c.Value); err == nil {
			return session{actor: a, basis: "s:" + c.Value}
		}
	}
	if c, err := r.Cookie(anonCookie); err == nil && len(c.Value) >= 32 {
		return session{actor: service.Public, basis: "a:" + c.Value}
	}
	return session{actor: service.Public}
}

// ensureBasis gives a visitor without a session an anonymous cookie, so
// that the forms of the page being rendered carry a CSRF token.
func (h *Handler) ensureBasis(w http.ResponseWriter, r *http.Request, s session) session {
	if s.basis != "" {
		return s
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	v := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, h.cookie(r, anonCookie, v, 0))
	s.basis = "a:" + v
	return s
}

// csrfToken is the CSRF token of a session: an HMAC of its basis under the
// server secret. It reveals nothing about the bearer token it derives from.
func (h *Handler) csrfToken(s session) string {
	if s.basis == "" {
		return ""
	}
	m := hmac.New(sha256.New, h.cfg.Secret)
	m.Write([]byte("ictledger csrf v1\x00" + s.basis))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF reports whether a POST carries its session's CSRF token. The
// form must already be parsed.
func (h *Handler) checkCSRF(r *http.Request, s session) bool {
	want := h.csrfToken(s)
	got := r.PostFormValue(csrfField)
	return want != "" && hmac.Equal([]byte(got), []byte(want))
}

// errCSRF is the error of a POST without its CSRF token.
var errCSRF = ledger.Errorf(ledger.EForbidden, "this form has expired or did not come from this site; reload the page and send it again")

// cookie builds a cookie with the flags every cookie of the site has:
// HttpOnly, SameSite=Strict, and Secure when the request came over TLS.
// maxAge < 0 deletes it; 0 makes it last for the browser session.
func (h *Handler) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode}
}

// handleSignInForm serves GET /signin.
func (h *Handler) handleSignInForm(w http.ResponseWriter, r *http.Request) {
	s := h.ensureBasis(w, r, h.session(r))
	h.render(w, r, s, http.StatusOK, "signin", signInPage{})
}

type signInPage struct {
	Error string
}

// handleSignIn serves POST /signin: a token in, a session cookie out. The
// token is never written into a page, not even after a failed attempt.
func (h *Handler) handleSignIn(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	if !h.parseForm(w, r, s) {
		return
	}
	a, err := h.svc.Authenticate(strings.TrimSpace(r.PostFormValue("token")))
	if err != nil {
		s = h.ensureBasis(w, r, s)
		h.render(w, r, s, http.StatusUnauthorized, "signin", signInPage{Error: "That token is unknown or has been revoked."})
		return
	}
	http.SetCookie(w, h.cookie(r, SessionCookie, strings.TrimSpace(r.PostFormValue("token")), 12*3600))
	http.Redirect(w, r, homeOf(a), http.StatusSeeOther)
}

// handleSignOut serves POST /signout: the session cookie is cleared.
func (h *Handler) handleSignOut(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	if !h.parseForm(w, r, s) {
		return
	}
	http.SetCookie(w, h.cookie(r, SessionCookie, "", -1))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// parseForm reads a small urlencoded form and checks its CSRF token,
// rendering the error page when either fails.
func (h *Handler) parseForm(w http.ResponseWriter, r *http.Request, s session) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, ledger.Errorf(ledger.EBadRequest, "the form could not be read"))
		return false
	}
	if !h.checkCSRF(r, s) {
		h.fail(w, r, errCSRF)
		return false
	}
	return true
}

// homeOf is where a role lands after signing in.
func homeOf(a ledger.Actor) string {
	switch a.Role {
	case ledger.RoleOperator:
		return "/operator"
	case ledger.RoleRegulator, ledger.RoleAdmin:
		return "/dashboard"
	}
	return "/"
}
