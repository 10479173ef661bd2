package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestFormSurvivesRestart: a page's form opened before the server
// restarts can be sent after it, because the CSRF key is kept in the data
// directory (web.key).
func TestFormSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrfOf := func(base, path string) string {
		t.Helper()
		resp, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(b)
		if resp.StatusCode != 200 || m == nil {
			t.Fatalf("GET %s: %d, no csrf field", path, resp.StatusCode)
		}
		return string(m[1])
	}
	post := func(base, path string, form url.Values) *http.Response {
		t.Helper()
		resp, err := c.PostForm(base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post(ts.base, "/signin", url.Values{"token": {testAdminToken}, "csrf": {csrfOf(ts.base, "/signin")}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	csrf := csrfOf(ts.base, "/dashboard") // the sign-out form of a signed-in page
	ts.stop()

	ts = startServer(t, dir)
	defer ts.stop()
	// The cookies were set for the old address; the new server listens
	// on another port of the same host, which the jar treats as the same.
	resp := post(ts.base, "/signout", url.Values{"csrf": {csrf}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "/") {
		t.Fatalf("sign out after a restart with a form from before it: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if post(ts.base, "/signout", url.Values{"csrf": {"AAAA" + csrf[4:]}}).StatusCode == http.StatusSeeOther {
		t.Fatal("a wrong CSRF token was accepted")
	}
}
