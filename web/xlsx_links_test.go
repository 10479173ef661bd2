package web_test

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/ictledger/ictledger/httpapi"
	"github.com/ictledger/ictledger/sessions"
	"github.com/ictledger/ictledger/web"
	"github.com/ictledger/ictledger/xlsxexport"
)

// TestXLSXLinks: the sector page and the dashboard link the sector
// export as XLSX beside the CSV, and the return page links its metrics
// workbook; each link, followed with the page's session cookie, gives
// the workbook.
func TestXLSXLinks(t *testing.T) {
	s := newSite(t)
	store := sessions.New(sessions.Config{Service: s.svc, Now: s.clock.Now})
	pages, err := web.New(web.Config{Service: s.svc, Now: s.clock.Now, Sessions: store})
	if err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{Service: s.svc, Sessions: store})
	get := func(h http.Handler, path string, c *http.Cookie) (*http.Response, string) {
		r := httptest.NewRequest("GET", path, nil)
		r.AddCookie(c)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		b, _ := io.ReadAll(w.Result().Body)
		return w.Result(), string(b)
	}
	for _, tc := range []struct {
		token, page, link, want string
	}{
		{s.reg, "/sector?period=2025-Q3", "XLSX export", "/v1/sector/export.xlsx?period=2025-Q3"},
		{s.reg, "/dashboard?period=2025-Q3", "XLSX export", "/v1/sector/export.xlsx?period=2025-Q3"},
		{s.opA, "/returns/" + s.ridA, "Metrics and derivations (XLSX)", "/v1/returns/" + s.ridA + "/metrics.xlsx"},
		{s.reg, "/returns/" + s.ridA, "Metrics and derivations (XLSX)", "/v1/returns/" + s.ridA + "/metrics.xlsx"},
	} {
		c := signIn(t, pages, "http://example.test", tc.token)
		resp, body := get(pages, tc.page, c)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", tc.page, resp.StatusCode)
		}
		m := regexp.MustCompile(`<a href="([^"]*)">` + regexp.QuoteMeta(tc.link) + `</a>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s has no link %q", tc.page, tc.link)
		}
		href := html.UnescapeString(m[1])
		if href != tc.want {
			t.Fatalf("%s: link %q, want %q", tc.page, href, tc.want)
		}
		if resp, _ := get(api, href, c); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != xlsxexport.ContentType {
			t.Errorf("%s from %s: %d %s", href, tc.page, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}
