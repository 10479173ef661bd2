package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/service/servicetest"
)

var csrfFieldRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// send sends a request with the given cookies (nil ones skipped) and
// returns its status, Location and body.
func (ts *testServer) send(method, path string, form url.Values, cookies ...*http.Cookie) (int, string, string) {
	ts.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, ts.base+path, body)
	if err != nil {
		ts.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range cookies {
		if c != nil {
			req.AddCookie(c)
		}
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// signInCookie signs in through the sign-in form as a browser does and
// returns the session cookie the server sets.
func (ts *testServer) signInCookie(token string) *http.Cookie {
	ts.t.Helper()
	resp, err := noRedirect.Get(ts.base + "/signin")
	if err != nil {
		ts.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfFieldRE.FindSubmatch(b)
	if m == nil {
		ts.t.Fatalf("GET /signin: %d, no csrf field", resp.StatusCode)
	}
	req, _ := http.NewRequest("POST", ts.base+"/signin", strings.NewReader(url.Values{"token": {token}, "csrf": {string(m[1])}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	resp, err = noRedirect.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "ictledger_session" && c.Value != "" {
			return &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	ts.t.Fatalf("sign in: %d, no session cookie", resp.StatusCode)
	return nil
}

// signOut sends the sign-out form of the signed-in /operator page.
func (ts *testServer) signOut(c *http.Cookie) {
	ts.t.Helper()
	status, _, body := ts.send("GET", "/operator", nil, c)
	m := csrfFieldRE.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		ts.t.Fatalf("GET /operator before signing out: %d", status)
	}
	if status, loc, _ := ts.send("POST", "/signout", url.Values{"csrf": {m[1]}}, c); status != http.StatusSeeOther || loc != "/" {
		ts.t.Fatalf("sign out: %d %s", status, loc)
	}
}

// sessionLive reports whether a session cookie still reads the operator's
// page and, through the API, the operator's returns; both must agree.
func (ts *testServer) sessionLive(c *http.Cookie, operator string) bool {
	ts.t.Helper()
	page, loc, _ := ts.send("GET", "/operator", nil, c)
	api, _, _ := ts.send("GET", "/v1/operators/"+operator+"/returns", nil, c)
	switch {
	case page == http.StatusOK && api == http.StatusOK:
		return true
	case page == http.StatusSeeOther && loc == "/signin" && api == http.StatusUnauthorized:
		return false
	}
	ts.t.Fatalf("the pages (%d %s) and the API (%d) disagree about a session", page, loc, api)
	return false
}

// TestSessionsEndOnTheServer: the session cookie is a random id, not the
// token, and a session ends on the server when its user signs out, when
// its token is revoked, when it is 12 hours old or 2 hours idle, and when
// the server restarts; a replayed cookie then reads neither the pages nor
// the API.
func TestSessionsEndOnTheServer(t *testing.T) {
	dir := t.TempDir()
	clock := servicetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	ts := startServerAt(t, dir, clock)
	op := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")

	t.Run("sign out", func(t *testing.T) {
		c := ts.signInCookie(op)
		if !ts.sessionLive(c, "sakura-mobile") {
			t.Fatal("a new session does not work")
		}
		ts.signOut(c)
		if ts.sessionLive(c, "sakura-mobile") {
			t.Error("a cookie replayed after signing out still works")
		}
		if c.Value == op || strings.Contains(c.Value, strings.TrimPrefix(op, "ictl_")) || len(c.Value) < 22 {
			t.Errorf("the session cookie %q is not a random id apart from the token", c.Value)
		}
	})

	t.Run("revoked token", func(t *testing.T) {
		var tok token
		ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "sakura-mobile"}, 201, &tok)
		c := ts.signInCookie(tok.Token)
		if !ts.sessionLive(c, "sakura-mobile") {
			t.Fatal("a new session does not work")
		}
		ts.mustJSON("DELETE", "/v1/tokens/"+tok.ID, testAdminToken, nil, 204, nil)
		if ts.sessionLive(c, "sakura-mobile") {
			t.Error("the session of a revoked token still works")
		}
	})

	t.Run("expiry", func(t *testing.T) {
		c := ts.signInCookie(op)
		start := clock.Now()
		for h := 1; h <= 11; h++ { // used every hour, it lives its 12 hours
			clock.Set(start.Add(time.Duration(h) * time.Hour))
			if !ts.sessionLive(c, "sakura-mobile") {
				t.Fatalf("a session used every hour died after %d hours", h)
			}
		}
		clock.Set(start.Add(12 * time.Hour))
		if ts.sessionLive(c, "sakura-mobile") {
			t.Error("a session 12 hours old still works")
		}

		c = ts.signInCookie(op)
		clock.Set(clock.Now().Add(2*time.Hour + time.Second))
		if ts.sessionLive(c, "sakura-mobile") {
			t.Error("a session idle for over 2 hours still works")
		}
	})

	t.Run("admin from the environment", func(t *testing.T) {
		c := ts.signInCookie(testAdminToken)
		if status, loc, _ := ts.send("GET", "/dashboard", nil, c); status != http.StatusOK {
			t.Fatalf("the admin's session: %d %s", status, loc)
		}
	})

	c := ts.signInCookie(op)
	ts.stop()
	ts = startServerAt(t, dir, clock)
	defer ts.stop()
	if ts.sessionLive(c, "sakura-mobile") {
		t.Error("a session from before a restart still works")
	}
}

// startServerAt is startServer with the service's clock set to clock.
func startServerAt(t *testing.T, dir string, clock *servicetest.Clock) *testServer {
	return startConfigured(t, dir, Config{AdminToken: testAdminToken, Now: clock.Now})
}
