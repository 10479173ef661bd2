package web_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/service/servicetest"
	"github.com/ictledger/ictledger/web"
)

// TestWebFonts: the fonts the PDFs embed for Thai and CJK are served as
// they are in templates/fonts, as font/ttf with a year's cache, named in
// the style sheet; any other name under /assets/fonts is a 404.
func TestWebFonts(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	h, err := web.New(web.Config{Service: env.Service, Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string, header ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	css := get("/assets/style.css").Body.String()
	for _, name := range []string{"NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", "DroidSansFallback.ttf"} {
		want, err := os.ReadFile("../templates/fonts/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w := get("/assets/fonts/" + name)
		if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), want) {
			t.Fatalf("%s: status %d, %d bytes, want %d", name, w.Code, w.Body.Len(), len(want))
		}
		if ct := w.Header().Get("Content-Type"); ct != "font/ttf" {
			t.Errorf("%s: Content-Type %q", name, ct)
		}
		if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q", name, cc)
		}
		if !strings.Contains(css, `url("/assets/fonts/`+name+`")`) {
			t.Errorf("the style sheet does not use %s", name)
		}
		if again := get("/assets/fonts/"+name, "If-None-Match", w.Header().Get("ETag")); again.Code != http.StatusNotModified {
			t.Errorf("%s: a revalidation got %d", name, again.Code)
		}
	}
	for _, bad := range []string{"DejaVuSans.ttf", "LICENSE", "..%2fstyle.css", "x.ttf", "NotoSansThai-Regular.TTF"} {
		if w := get("/assets/fonts/" + bad); w.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", bad, w.Code)
		}
	}
	if !strings.Contains(css, `"ictledger Thai", "ictledger CJK", sans-serif`) {
		t.Errorf("the page font does not fall back to the web fonts")
	}
}
