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
	"github.com/ictledger/ictledger/sessions"
)

// anonCookie keeps a random value that CSRF tokens of visitors who are not
// signed in (the sign-in and verify forms) are derived from.
const anonCookie = "ictledger_csrf"

// csrfField is the form field that carries the CSRF token.
const csrfField = "csrf"

// session is who is asking, and what their forms' CSRF tokens derive from.
type session struct {
	actor ledger.Actor // service.Public when not signed in
	basis string       // the session cookie, or the anonymous cookie, or ""
	id    string       // the session id of the cookie, live or not
}

func (s session) signedIn() bool { return s.actor.Role != "" }

// session reads the caller's cookies. A session cookie whose session has
// ended (signed out, expired, its token revoked, or the server restarted)
// counts as not signed in, but its forms' CSRF tokens still derive from
// it: a sign-out form opened before a restart still signs out after it.
func (h *Handler) session(r *http.Request) session {
	if c, err := r.Cookie(sessions.CookieName); err == nil && saneCookie(c.Value) {
		s := session{actor: service.Public, basis: "s:" + c.Value, id: c.Value}
		if a, ok := h.sessions.Actor(c.Value); ok {
			s.actor = a
		}
		return s
	}
	if c, err := r.Cookie(anonCookie); err == nil && saneCookie(c.Value) {
		return session{actor: service.Public, basis: "a:" + c.Value}
	}
	return session{actor: service.Public}
}

// saneCookie reports whether a cookie value may be a session id or an
// anonymous value: long enough not to be guessed, short enough to be one
// of ours.
func saneCookie(v string) bool { return len(v) >= 32 && len(v) <= 128 }

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
// HttpOnly, SameSite=Strict, and Secure when the request came over TLS or
// the server was told it is behind a proxy that terminates TLS
// (Config.SecureCookies). maxAge < 0 deletes it; 0 makes it last for the
// browser session.
func (h *Handler) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: r.TLS != nil || h.cfg.SecureCookies, SameSite: http.SameSiteStrictMode}
}

// handleSignInForm serves GET /signin.
func (h *Handler) handleSignInForm(w http.ResponseWriter, r *http.Request) {
	s := h.ensureBasis(w, r, h.session(r))
	h.render(w, r, s, http.StatusOK, "signin", signInPage{})
}

type signInPage struct {
	Error string
}

// handleSignIn serves POST /signin: a token in, a new session's id in the
// cookie out. The token is never written into a page or a cookie, not
// even after a failed attempt. A session the browser had is ended.
func (h *Handler) handleSignIn(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	if !h.parseForm(w, r, s) {
		return
	}
	id, a, err := h.sessions.SignIn(strings.TrimSpace(r.PostFormValue("token")))
	if err != nil {
		s = h.ensureBasis(w, r, s)
		h.render(w, r, s, http.StatusUnauthorized, "signin", signInPage{Error: "That token is unknown or has been revoked."})
		return
	}
	h.sessions.SignOut(s.id)
	http.SetCookie(w, h.cookie(r, sessions.CookieName, id, int(h.sessions.MaxAge().Seconds())))
	http.Redirect(w, r, homeOf(a), http.StatusSeeOther)
}

// handleSignOut serves POST /signout: the session ends on the server, so
// a copy of the cookie is worth nothing, and the cookie is cleared.
func (h *Handler) handleSignOut(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	if !h.parseForm(w, r, s) {
		return
	}
	h.sessions.SignOut(s.id)
	http.SetCookie(w, h.cookie(r, sessions.CookieName, "", -1))
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
