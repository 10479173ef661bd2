package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/httpapi"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
	"github.com/ictledger/ictledger/sessions"
	"github.com/ictledger/ictledger/web"
	"github.com/ictledger/ictledger/workbook"
)

// site is the pages over a real service with two operators (each with a
// filed return) and a regulator.
type site struct {
	t          *testing.T
	h          http.Handler
	opA, opB   string // bearer secrets
	reg        string
	ridA, ridB string
	env        *servicetest.Env
	returnA    []byte
	svc        *service.Service
	clock      *servicetest.Clock
	sessionIDs map[string]string // session ids by token, see sessionOf
}

func newSite(t *testing.T) *site {
	t.Helper()
	env := servicetest.New(t, time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC))
	s := &site{t: t, env: env, svc: env.Service, clock: env.Clock, sessionIDs: map[string]string{}}
	s.opA = env.Operator("op-a", "Alpha Telecom", "JP")
	s.opB = env.Operator("op-b", "Bravo Networks Secret Name", "FJ")
	s.reg = env.Token(ledger.RoleRegulator)
	s.returnA = servicetest.ExampleReturn(t, "op-a", "2025-Q3")
	s.ridA = env.File(s.opA, s.returnA).ID
	s.ridB = env.File(s.opB, servicetest.ExampleReturn(t, "op-b", "2025-Q3")).ID
	s.h = pagesOf(t, env)
	return s
}

// pagesOf is the pages over env's service, with a fixed cookie secret.
func pagesOf(t *testing.T, env *servicetest.Env) http.Handler {
	t.Helper()
	h, err := web.New(web.Config{Service: env.Service, Now: env.Clock.Now, Secret: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// visit is the status and body of a GET of path by a visitor, signed in
// as no one.
func visit(h http.Handler, path string) (int, string) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	return w.Code, w.Body.String()
}

// acceptExample registers an operator in country, files its example
// return for 2025-Q3 and has reg accept it.
func acceptExample(t *testing.T, env *servicetest.Env, reg, id, name, country string) {
	t.Helper()
	op := env.Operator(id, name, country)
	env.Review(reg, env.File(op, servicetest.ExampleReturn(t, id, "2025-Q3")).ID, ledger.Review{Decision: ledger.DecisionAccept})
}

// sessionOf signs in with token through the sign-in form, once per
// token, and returns the id of its session.
func (s *site) sessionOf(token string) string {
	s.t.Helper()
	if id, ok := s.sessionIDs[token]; ok {
		return id
	}
	c := signIn(s.t, s.h, "http://example.test", token)
	s.sessionIDs[token] = c.Value
	return c.Value
}

// signIn signs in with token through the sign-in form as a browser does
// and returns the session cookie set.
func signIn(t *testing.T, h http.Handler, base, token string) *http.Cookie {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", base+"/signin", nil))
	m := csrfRE.FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("GET /signin: %d, no csrf field", w.Code)
	}
	r := httptest.NewRequest("POST", base+"/signin", strings.NewReader(url.Values{"token": {token}, "csrf": {m[1]}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range w.Result().Cookies() {
		r.AddCookie(c)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		if c.Name == sessions.CookieName && c.Value != "" {
			return c
		}
	}
	t.Fatalf("sign in: %d, no session cookie", w.Code)
	return nil
}

// request sends a request as the holder of token (none when empty), in
// its session, with the given extra cookies.
func (s *site) request(method, target, token string, body io.Reader, contentType string, cookies ...*http.Cookie) *http.Response {
	s.t.Helper()
	r := httptest.NewRequest(method, target, body)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		r.AddCookie(&http.Cookie{Name: sessions.CookieName, Value: s.sessionOf(token)})
	}
	for _, c := range cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	return w.Result()
}

func (s *site) get(target, token string) (*http.Response, string) {
	s.t.Helper()
	resp := s.request("GET", target, token, nil, "")
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token of token's session from a page's form.
func (s *site) csrf(token string) string {
	s.t.Helper()
	_, body := s.get("/verify", token)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		s.t.Fatalf("no csrf field in %s", body)
	}
	return m[1]
}

func (s *site) postForm(target, token string, form url.Values, cookies ...*http.Cookie) (*http.Response, string) {
	s.t.Helper()
	resp := s.request("POST", target, token, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", cookies...)
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// multipartForm builds a multipart body of fields and files.
func multipartForm(t *testing.T, fields map[string]string, files map[string][]byte) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range files {
		w, err := mw.CreateFormFile(k, k+".bin")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(v)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// TestCSRF sends every form without a CSRF token, with a wrong one, and
// with another session's: each is refused with 403 and changes nothing.
func TestCSRF(t *testing.T) {
	s := newSite(t)
	wrong := "AAAA" + s.csrf(s.reg)[4:]
	otherSession := s.csrf(s.opA)
	for _, tc := range []struct {
		name, path, token string
		form              url.Values
	}{
		{"sign out", "/signout", s.reg, url.Values{}},
		{"review", "/returns/" + s.ridA + "/review", s.reg, url.Values{"decision": {"accept"}}},
		{"sign in", "/signin", "", url.Values{"token": {s.reg}}},
	} {
		for _, csrf := range []string{"", wrong, otherSession} {
			form := url.Values{}
			for k, v := range tc.form {
				form[k] = v
			}
			if csrf != "" {
				form.Set("csrf", csrf)
			}
			resp, body := s.postForm(tc.path, tc.token, form)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "form has expired") {
				t.Errorf("%s with csrf %q: status %d", tc.name, csrf, resp.StatusCode)
			}
			for _, c := range resp.Cookies() {
				if c.Name == sessions.CookieName {
					t.Errorf("%s without its csrf token set the session cookie", tc.name)
				}
			}
		}
	}
	// Multipart forms too.
	for _, path := range []string{"/file", "/verify"} {
		for _, csrf := range []string{"", wrong} {
			body, ct := multipartForm(t, map[string]string{"csrf": csrf}, map[string][]byte{"return": s.returnA, "file": []byte("%PDF")})
			resp := s.request("POST", path, s.opA, body, ct)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s with csrf %q: status %d", path, csrf, resp.StatusCode)
			}
		}
	}
	// The review was never recorded.
	_, page := s.get("/returns/"+s.ridA, s.reg)
	if !strings.Contains(page, `id="status">submitted<`) {
		t.Fatalf("a refused review changed the return")
	}
	// With its token the same review goes through.
	resp, _ := s.postForm("/returns/"+s.ridA+"/review", s.reg, url.Values{"decision": {"accept"}, "csrf": {s.csrf(s.reg)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("review with its csrf token: %d", resp.StatusCode)
	}
}

// TestSignInCookie signs in over plain HTTP and over TLS and checks the
// session cookie's flags, then signs out and checks it is cleared.
func TestSignInCookie(t *testing.T) {
	s := newSite(t)
	for _, tls := range []bool{false, true} {
		base := "http://example.test"
		if tls {
			base = "https://example.test"
		}
		// A visitor's first page gives the anonymous cookie the sign-in form's token derives from.
		r := httptest.NewRequest("GET", base+"/signin", nil)
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, r)
		var anon *http.Cookie
		for _, c := range w.Result().Cookies() {
			if c.Name == "ictledger_csrf" {
				anon = c
			}
		}
		if anon == nil || !anon.HttpOnly || anon.SameSite != http.SameSiteStrictMode || anon.Secure != tls {
			t.Fatalf("tls %v: anonymous cookie %+v", tls, anon)
		}
		csrf := csrfRE.FindStringSubmatch(w.Body.String())[1]

		r = httptest.NewRequest("POST", base+"/signin", strings.NewReader(url.Values{"token": {s.opA}, "csrf": {csrf}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.AddCookie(anon)
		w = httptest.NewRecorder()
		s.h.ServeHTTP(w, r)
		resp := w.Result()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/operator" {
			t.Fatalf("tls %v: sign in: %d %s", tls, resp.StatusCode, resp.Header.Get("Location"))
		}
		var sess *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == sessions.CookieName {
				sess = c
			}
		}
		if sess == nil || sess.Value == s.opA || len(sess.Value) < 43 || !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode ||
			sess.Secure != tls || sess.Path != "/" || sess.MaxAge <= 0 {
			t.Fatalf("tls %v: session cookie %+v", tls, sess)
		}
		raw := resp.Header.Get("Set-Cookie")
		if !strings.Contains(raw, "HttpOnly") || !strings.Contains(raw, "SameSite=Strict") || strings.Contains(raw, "Secure") != tls {
			t.Fatalf("tls %v: Set-Cookie %s", tls, raw)
		}
	}

	resp, _ := s.postForm("/signout", s.opA, url.Values{"csrf": {s.csrf(s.opA)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", resp.StatusCode)
	}
	cleared := false
	for _, c := range resp.Cookies() {
		if c.Name == sessions.CookieName && c.Value == "" && c.MaxAge < 0 {
			cleared = true
		}
	}
	if !cleared {
		t.Fatalf("sign out did not clear the session cookie: %v", resp.Header["Set-Cookie"])
	}

	// A wrong token is refused and not echoed.
	anon := &http.Cookie{Name: "ictledger_csrf", Value: strings.Repeat("x", 43)}
	r := httptest.NewRequest("GET", "/signin", nil)
	r.AddCookie(anon)
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	csrf := csrfRE.FindStringSubmatch(w.Body.String())[1]
	resp, body := s.postForm("/signin", "", url.Values{"token": {"ictl_guessed-secret"}, "csrf": {csrf}}, anon)
	if resp.StatusCode != http.StatusUnauthorized || strings.Contains(body, "ictl_guessed-secret") {
		t.Fatalf("bad sign in: %d, echoed: %v", resp.StatusCode, strings.Contains(body, "ictl_guessed-secret"))
	}
}

// TestRoles checks each page against each kind of caller.
func TestRoles(t *testing.T) {
	s := newSite(t)
	for _, tc := range []struct {
		path, token string
		want        int
	}{
		{"/", "", 200},
		{"/verify", "", 200},
		{"/dashboard", "", 303},
		{"/returns/" + s.ridA, "", 303},
		{"/dashboard?period=2025-Q3", s.reg, 200},
		{"/dashboard?period=2025-Q3", s.opA, 403},
		{"/sector?period=2025-Q3", s.reg, 200},
		{"/sector?period=2025-Q3", s.opA, 403},
		{"/operator", s.opA, 200},
		{"/operator", s.reg, 403},
		{"/file", s.opA, 200},
		{"/file", s.reg, 403},
		{"/file?restates=" + s.ridA, s.opA, 200},
		{"/file?restates=" + s.ridB, s.opA, 403},
		{"/returns/" + s.ridA, s.opA, 200},
		{"/returns/" + s.ridA, s.reg, 200},
		{"/returns/" + s.ridB, s.opA, 403},
		{"/returns/op-a-2025-Q1-v9", s.opA, 403}, // an operator learns nothing of ids it cannot see
		{"/returns/op-a-2025-Q1-v9", s.reg, 404},
		{"/returns/" + s.ridA + "?against=" + s.ridB, s.opA, 200}, // the diff is refused inside the page
		{"/nowhere", "", 404},
	} {
		resp, body := s.get(tc.path, tc.token)
		if resp.StatusCode != tc.want {
			t.Errorf("GET %s as %.12s: %d, want %d", tc.path, tc.token, resp.StatusCode, tc.want)
		}
		if tc.token == s.opA && strings.Contains(body, "Bravo") {
			t.Errorf("GET %s as op-a shows op-b's name", tc.path)
		}
	}
	// An operator cannot review, and a regulator cannot file.
	resp, _ := s.postForm("/returns/"+s.ridA+"/review", s.opA, url.Values{"decision": {"accept"}, "csrf": {s.csrf(s.opA)}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("operator review: %d", resp.StatusCode)
	}
	body, ct := multipartForm(t, map[string]string{"csrf": s.csrf(s.reg)}, map[string][]byte{"return": s.returnA})
	if resp := s.request("POST", "/file", s.reg, body, ct); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("regulator filing: %d", resp.StatusCode)
	}
	// The 403 page of another operator's return names nothing of it.
	resp, page := s.get("/returns/"+s.ridB, s.opA)
	for _, leak := range []string{"op-b", "Bravo", s.ridB} {
		if strings.Contains(page, leak) {
			t.Fatalf("403 page shows %q", leak)
		}
	}
	if resp.StatusCode != 403 {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// TestTokenNeverInPages renders every page as every role and looks for the
// bearer token anywhere in the HTML.
func TestTokenNeverInPages(t *testing.T) {
	s := newSite(t)
	paths := []string{"/", "/verify", "/signin", "/dashboard?period=2025-Q3", "/sector?period=2025-Q3",
		"/returns/" + s.ridA, "/returns/" + s.ridA + "?against=" + s.ridA, "/returns/" + s.ridB,
		"/operator", "/file", "/file?restates=" + s.ridA, "/nowhere"}
	for _, tok := range []string{s.opA, s.opB, s.reg} {
		secret := strings.TrimPrefix(tok, "ictl_")
		for _, p := range paths {
			_, body := s.get(p, tok)
			if strings.Contains(body, secret) {
				t.Fatalf("GET %s shows the session's token", p)
			}
		}
		// A filing with problems, and a review with problems, re-render forms.
		b, ct := multipartForm(t, map[string]string{"csrf": s.csrf(tok)}, map[string][]byte{"return": []byte(`{"operator":"x"}`)})
		resp := s.request("POST", "/file", tok, b, ct)
		body, _ := io.ReadAll(resp.Body)
		if strings.Contains(string(body), secret) {
			t.Fatalf("filing page shows the token")
		}
		_, page := s.postForm("/returns/"+s.ridA+"/review", tok, url.Values{"decision": {"return"}, "csrf": {s.csrf(tok)}})
		if strings.Contains(page, secret) {
			t.Fatalf("review page shows the token")
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := newSite(t)
	for _, p := range []string{"/", "/nowhere", "/assets/style.css"} {
		resp, _ := s.get(p, "")
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", p)
		}
	}
	resp, _ := s.get("/returns/"+s.ridA, s.reg)
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("a private page may be cached: %q", resp.Header.Get("Cache-Control"))
	}
	// No inline style or script: the CSP would block them.
	for _, p := range []string{"/", "/dashboard?period=2025-Q3", "/sector?period=2025-Q3", "/returns/" + s.ridA} {
		_, body := s.get(p, s.reg)
		if strings.Contains(body, "style=") || strings.Contains(body, "<script") || strings.Contains(body, "<style") {
			t.Errorf("%s has inline style or script", p)
		}
	}
}

// TestFilingProblems uploads a return with problems: each is shown in the
// problems table next to its path, and nothing is filed.
func TestFilingProblems(t *testing.T) {
	s := newSite(t)
	var m map[string]any
	json.Unmarshal(servicetest.ExampleReturn(t, "op-a", "2025-Q2"), &m)
	m["electricity"].([]any)[1].(map[string]any)["kwh"] = "-1"
	m["refrigerants"] = []any{map[string]any{"gas": "r999", "kg_lost": "1"}}
	bad, _ := json.Marshal(m)
	body, ct := multipartForm(t, map[string]string{"csrf": s.csrf(s.opA)}, map[string][]byte{"return": bad})
	resp := s.request("POST", "/file", s.opA, body, ct)
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{
		`<td data-label="Path"><code class="path">electricity[1].kwh</code></td><td data-label="Problem" class="msg">must be &gt;= 0`,
		`<td data-label="Path"><code class="path">refrigerants[0].gas</code></td><td data-label="Problem" class="msg">must be one of`,
	} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if _, p := s.get("/operator", s.opA); strings.Contains(p, "2025-Q2") {
		t.Fatalf("a return with problems was filed")
	}

	// A restatement needs a reason; with one it becomes version 2.
	restated := s.returnA
	body, ct = multipartForm(t, map[string]string{"csrf": s.csrf(s.opA), "restates": s.ridA}, map[string][]byte{"return": restated})
	resp = s.request("POST", "/file", s.opA, body, ct)
	page, _ = io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusUnprocessableEntity || !bytes.Contains(page, []byte(`<code class="path">reason</code>`)) {
		t.Fatalf("restatement without a reason: %d", resp.StatusCode)
	}
	body, ct = multipartForm(t, map[string]string{"csrf": s.csrf(s.opA), "restates": s.ridA, "reason": "meter fix"},
		map[string][]byte{"return": restated})
	resp = s.request("POST", "/file", s.opA, body, ct)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/returns/op-a-2025-Q3-v2?filed=1" {
		t.Fatalf("restatement: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestReviewForm returns a return with findings; rows left empty are
// ignored, and a return decision without findings is shown again with
// its problem.
func TestReviewForm(t *testing.T) {
	s := newSite(t)
	path := "/returns/" + s.ridA + "/review"
	resp, page := s.postForm(path, s.reg, url.Values{"decision": {"return"}, "csrf": {s.csrf(s.reg)},
		"finding_path": {"", ""}, "finding_message": {"", ""}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "a return decision needs at least one finding") {
		t.Fatalf("return without findings: %d", resp.StatusCode)
	}
	resp, _ = s.postForm(path, s.reg, url.Values{"decision": {"return"}, "csrf": {s.csrf(s.reg)}, "comment": {"see findings"},
		"finding_path": {"fuels[0].quantity", "", "activity.subscriptions"}, "finding_message": {"too high", "", "check the count"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("return with findings: %d", resp.StatusCode)
	}
	_, page = s.get("/operator", s.opA)
	for _, want := range []string{"fuels[0].quantity", "too high", "activity.subscriptions", "check the count", "see findings"} {
		if !strings.Contains(page, want) {
			t.Errorf("the operator's page lacks %q", want)
		}
	}
}

// TestDashboardSort sorts on the server by a query parameter.
func TestDashboardSort(t *testing.T) {
	s := newSite(t)
	order := func(q string) string {
		_, page := s.get("/dashboard?period=2025-Q3&"+q, s.reg)
		a, b := strings.Index(page, "Alpha Telecom"), strings.Index(page, "Bravo Networks")
		if a < 0 || b < 0 {
			t.Fatalf("dashboard lacks an operator")
		}
		if a < b {
			return "ab"
		}
		return "ba"
	}
	if got := order("sort=operator"); got != "ab" {
		t.Fatalf("by operator: %s", got)
	}
	if got := order("sort=operator&dir=desc"); got != "ba" {
		t.Fatalf("by operator, descending: %s", got)
	}
	if got := order("sort=country"); got != "ba" { // FJ before JP
		t.Fatalf("by country: %s", got)
	}
	if got := order("sort=bogus"); got != "ab" {
		t.Fatalf("unknown key: %s", got)
	}
}

// TestReviewFormAddRow shows the review form again with one more finding
// row and the values already typed, without recording anything.
func TestReviewFormAddRow(t *testing.T) {
	s := newSite(t)
	resp, page := s.postForm("/returns/"+s.ridA+"/review", s.reg, url.Values{"decision": {"return"}, "csrf": {s.csrf(s.reg)},
		"add": {"1"}, "finding_path": {"fuels[0].quantity", "", ""}, "finding_message": {"too high", "", ""}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("add a row: %d", resp.StatusCode)
	}
	if n := strings.Count(page, `name="finding_path"`); n != 3 {
		t.Errorf("%d finding rows, want 3 (one kept, two empty)", n)
	}
	if !strings.Contains(page, `value="fuels[0].quantity"`) || !strings.Contains(page, `value="too high"`) ||
		!strings.Contains(page, `value="return" checked`) {
		t.Errorf("the typed values are lost")
	}
	if !strings.Contains(page, `id="status">submitted<`) {
		t.Errorf("adding a row recorded a review")
	}
	// With every row filled, "add" gives one row more than there were:
	// the form's minimum of three cannot hide a lost row.
	resp, page = s.postForm("/returns/"+s.ridA+"/review", s.reg, url.Values{"decision": {"return"}, "csrf": {s.csrf(s.reg)},
		"add": {"1"}, "finding_path": {"a", "b", "c"}, "finding_message": {"x", "y", "z"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("add a fourth row: %d", resp.StatusCode)
	}
	if n := strings.Count(page, `name="finding_path"`); n != 4 {
		t.Errorf("%d finding rows after three filled ones, want 4", n)
	}
}

// TestReturnPageShowsTheAPIsEntries: the return page prints the filing's
// ledger entry as the API does (its base64 leaf hash), so an analyst can
// match it with proofs and disclosures, and each review's entry number.
func TestReturnPageShowsTheAPIsEntries(t *testing.T) {
	s := newSite(t)
	s.postForm("/returns/"+s.ridA+"/review", s.reg, url.Values{"decision": {"accept"}, "csrf": {s.csrf(s.reg)}})
	rv, err := s.svc.ReturnVersion(ledger.SystemActor, s.ridA)
	if err != nil || len(service.ReviewsOf(rv)) != 1 {
		t.Fatalf("return: %v, %+v", err, rv)
	}
	_, page := s.get("/returns/"+s.ridA, s.reg)
	page = html.UnescapeString(page)
	if h := service.EntryOf(rv).Hash; !strings.Contains(page, h) {
		t.Errorf("the page does not show entry hash %s", h)
	}
	if want := fmt.Sprintf("entry %d<", service.ReviewsOf(rv)[0].Entry.Seq); !strings.Contains(page, want) {
		t.Errorf("the page does not show the review's %q", want)
	}
}

// TestSessionsEndOnTheServer: signing out, revoking the token and age end
// a session on the server, for the pages and, through the same store, the
// API: a replayed cookie then gets the sign-in page and 401.
func TestSessionsEndOnTheServer(t *testing.T) {
	s := newSite(t)
	store := sessions.New(sessions.Config{Service: s.svc, Now: s.clock.Now})
	pages, err := web.New(web.Config{Service: s.svc, Now: s.clock.Now, Sessions: store})
	if err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{Service: s.svc, Sessions: store})
	get := func(h http.Handler, path string, c *http.Cookie) *http.Response {
		r := httptest.NewRequest("GET", path, nil)
		r.AddCookie(c)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result()
	}
	// live reports whether the cookie reads the operator's page and its
	// returns through the API; the two must agree.
	live := func(c *http.Cookie) bool {
		t.Helper()
		page, returns := get(pages, "/operator", c), get(api, "/v1/operators/op-a/returns", c)
		switch {
		case page.StatusCode == 200 && returns.StatusCode == 200:
			return true
		case page.StatusCode == 303 && page.Header.Get("Location") == "/signin" && returns.StatusCode == 401:
			return false
		}
		t.Fatalf("the page (%d) and the API (%d) disagree", page.StatusCode, returns.StatusCode)
		return false
	}

	c := signIn(t, pages, "http://example.test", s.opA)
	if c.Value == s.opA || !live(c) {
		t.Fatalf("sign in: cookie %q", c.Value)
	}
	page, _ := io.ReadAll(get(pages, "/operator", c).Body)
	csrf := csrfRE.FindSubmatch(page)[1]
	r := httptest.NewRequest("POST", "/signout", strings.NewReader(url.Values{"csrf": {string(csrf)}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(c)
	w := httptest.NewRecorder()
	pages.ServeHTTP(w, r)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("sign out: %d", w.Code)
	}
	if live(c) {
		t.Error("a cookie replayed after signing out still works")
	}

	tok, err := s.svc.IssueToken(context.Background(), ledger.SystemActor, ledger.RoleOperator, "op-a", "second")
	if err != nil {
		t.Fatal(err)
	}
	c = signIn(t, pages, "http://example.test", tok.Token)
	if err := s.svc.RevokeToken(context.Background(), ledger.SystemActor, tok.ID); err != nil {
		t.Fatal(err)
	}
	if live(c) {
		t.Error("the session of a revoked token still works")
	}

	c = signIn(t, pages, "http://example.test", s.opA)
	s.clock.Set(s.clock.Now().Add(12 * time.Hour))
	if live(c) {
		t.Error("a session 12 hours old still works")
	}
}

// TestSecureCookies: behind a proxy that terminates TLS, the server is
// told so and marks its cookies Secure on plain HTTP.
func TestSecureCookies(t *testing.T) {
	s := newSite(t)
	h, err := web.New(web.Config{Service: s.svc, SecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	c := signIn(t, h, "http://example.test", s.opA)
	if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie %+v", c)
	}
}

// A page keeps the request id a proxy in front sent, as the API does, in
// its X-Request-Id and its log line, so that one id follows a request
// through both.
func TestPageKeepsTheProxysRequestID(t *testing.T) {
	var logs bytes.Buffer
	h, err := web.New(web.Config{Service: newSite(t).svc, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/verify", nil)
	r.Header.Set("X-Request-Id", "proxy-id_42")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if got := w.Header().Get("X-Request-Id"); got != "proxy-id_42" || !strings.Contains(logs.String(), `"request_id":"proxy-id_42"`) {
		t.Fatalf("X-Request-Id %q, log:\n%s", got, logs.String())
	}
}

// TestFileWorkbook: the upload form takes a workbook: its problems are
// shown at their sheet and cell, and the workbook of a filed return,
// uploaded with a reason, files the restatement.
func TestFileWorkbook(t *testing.T) {
	s := newSite(t)
	if _, page := s.get("/file?restates="+s.ridA, s.opA); !strings.Contains(page, `href="/v1/returns/`+s.ridA+`.xlsx"`) {
		t.Errorf("the restatement page does not link the filed return's workbook")
	}
	ret, err := filing.DecodeJSON(bytes.NewReader(s.returnA), filing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ret.Electricity[1].KWh = ret.Electricity[1].KWh.Neg()
	bad, err := workbook.Write(ret, nil)
	if err != nil {
		t.Fatal(err)
	}
	body, ct := multipartForm(t, map[string]string{"csrf": s.csrf(s.opA), "restates": s.ridA, "reason": "meter fix"}, map[string][]byte{"return": bad})
	resp := s.request("POST", "/file", s.opA, body, ct)
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusUnprocessableEntity || !bytes.Contains(page, []byte(`<code class="path">Electricity!C3</code></td><td data-label="Problem" class="msg">must be &gt;= 0`)) {
		t.Fatalf("status %d, page without the cell's problem", resp.StatusCode)
	}
	ret.Electricity[1].KWh = ret.Electricity[1].KWh.Neg()
	good, err := workbook.Write(ret, nil)
	if err != nil {
		t.Fatal(err)
	}
	body, ct = multipartForm(t, map[string]string{"csrf": s.csrf(s.opA), "restates": s.ridA, "reason": "meter fix"}, map[string][]byte{"return": good})
	resp = s.request("POST", "/file", s.opA, body, ct)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/returns/op-a-2025-Q3-v2?filed=1" {
		t.Fatalf("restatement from a workbook: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}
