package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/ictledger/ictledger/ledger"
)

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts a headless Chromium for one test. Without Chromium the
// test is skipped, except in CI (CI set), where it must run.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("no %s: the browser tests need Debian's chromium package", chromiumPath)
		}
		t.Fatalf("CI is set but %s is missing: %v", chromiumPath, err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	// The first run starts the browser and must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// page drives the browser through the real server.
type page struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (p *page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

func get[T any](p *page, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, a)
	if err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	return v
}

func (p *page) open(path string) { p.t.Helper(); p.do("open "+path, chromedp.Navigate(p.base+path)) }

func (p *page) text(sel string) string {
	p.t.Helper()
	return strings.TrimSpace(get(p, "read "+sel, chromedp.Text(chromedp.CSS(sel))))
}

func (p *page) location() string {
	p.t.Helper()
	return strings.TrimPrefix(get(p, "location", chromedp.Location()), p.base)
}

func (p *page) body() string {
	p.t.Helper()
	return get(p, "read the page", chromedp.OuterHTML(chromedp.CSS("html")))
}

// submit clicks a form's button after the steps that fill it, and waits
// until the next page has loaded (the current one is marked stale first).
func (p *page) submit(what, button string, fill ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	steps := append(fill,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[any]("document.body.dataset.stale = '1'")(ctx, t)
			return err
		}),
		chromedp.Click(chromedp.CSS(button)),
		chromedp.WaitReady(chromedp.CSS("body:not([data-stale]) footer")))
	p.do(what, steps...)
}

func (p *page) signIn(token string) {
	p.t.Helper()
	p.open("/signin")
	p.submit("sign in", `form[action="/signin"] button`, chromedp.SetValue(chromedp.CSS("#token"), token))
}

func (p *page) signOut() {
	p.t.Helper()
	p.submit("sign out", `form[action="/signout"] button`)
	if loc := p.location(); loc != "/" {
		p.t.Fatalf("after signing out: %s", loc)
	}
}

// upload files a return through the form; restatements carry a reason.
func (p *page) upload(file, reason string) {
	p.t.Helper()
	var fill []chromedp.Action[chromedp.Void]
	if reason != "" {
		fill = append(fill, chromedp.SetValue(chromedp.CSS("#reason"), reason))
	}
	fill = append(fill, chromedp.SetUploadFiles(chromedp.CSS("#return"), []string{file}))
	p.submit("upload "+file, "#file-form > button[type=submit]", fill...)
}

// shot saves full-page screenshots at a laptop's and a phone's width into
// the directory ICTLEDGER_SCREENSHOTS names (never into the repository);
// without it, it does nothing.
func (p *page) shot(name string) {
	p.t.Helper()
	dir := os.Getenv("ICTLEDGER_SCREENSHOTS")
	if dir == "" {
		return
	}
	for _, w := range []int64{1280, 390} {
		var opts []chromedp.EmulateViewportOption
		if w < 600 {
			opts = append(opts, chromedp.EmulateMobile)
		}
		p.do("viewport", chromedp.EmulateViewport(w, 900, opts...), chromedp.Sleep(150*time.Millisecond))
		buf := get(p, "screenshot "+name, chromedp.FullScreenshot(100))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, w)), buf, 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
	p.do("reset viewport", chromedp.ResetViewport())
}

// writeReturn writes the example return for an operator, changed by edit.
func writeReturn(t *testing.T, operator string, edit func(map[string]any)) string {
	t.Helper()
	r := exampleReturn(t)
	r["operator"] = operator
	ownCertificates(r)
	if edit != nil {
		edit(r)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), operator+".json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestWebPages drives the pages in Chromium through a filing's whole
// life: an operator uploads a bad return and sees each problem next to its
// path, uploads a good one; a regulator returns it with a finding; the
// operator restates it with a reason; the regulator accepts it; the public
// downloads the disclosure and verifies it; and an operator never sees
// another operator's return.
func TestWebPages(t *testing.T) {
	ctx := newBrowser(t)
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	for _, op := range []struct{ id, name string }{{"sakura-mobile", "Sakura Mobile K.K."}, {"coral-net", "Coral Net Fiji Ltd"}} {
		ts.mustJSON("POST", "/v1/operators", testAdminToken,
			map[string]any{"id": op.id, "name": op.name, "country": "JP", "kinds": []string{"mobile"}}, 201, nil)
	}
	var opTok, otherTok, regTok token
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "sakura-mobile"}, 201, &opTok)
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "coral-net"}, 201, &otherTok)
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "regulator", "jurisdictions": []string{"*"}}, 201, &regTok)
	// The other operator's return, with a number found nowhere else.
	other := exampleReturn(t)
	other["operator"] = "coral-net"
	ownCertificates(other)
	other["electricity"].([]any)[0].(map[string]any)["kwh"] = "31415926"
	var otherFiled struct {
		ID string `json:"id"`
	}
	ts.mustJSON("POST", "/v1/operators/coral-net/returns", otherTok.Token, other, 201, &otherFiled)

	p := &page{t: t, ctx: ctx, base: ts.base}
	p.open("/")
	p.shot("home-empty")

	// The operator signs in and uploads a return with two broken fields.
	p.signIn(opTok.Token)
	if loc := p.location(); loc != "/operator" {
		t.Fatalf("an operator lands on %s", loc)
	}
	p.open("/file")
	p.shot("file")
	// The page names the factor sets and, opened, the fields of return v1.1.
	get(p, "open the details", chromedp.Evaluate[any](`document.querySelectorAll("details").forEach(d => d.open = true)`))
	if g := p.text("#methodology"); !strings.Contains(g, "apt-2026.1, methodology 2026.1") || !strings.Contains(g, "sites[].generator_kwh") {
		t.Fatalf("the upload page's guide: %q", g)
	}
	p.shot("file-guide")
	bad := writeReturn(t, "sakura-mobile", func(r map[string]any) {
		r["electricity"].([]any)[0].(map[string]any)["kwh"] = "-5"
		r["fuels"].([]any)[0].(map[string]any)["fuel"] = "kerosene"
	})
	p.upload(bad, "")
	rows := get(p, "read the problems", chromedp.Evaluate[[][]string](`[...document.querySelectorAll("#problems tbody tr")].map(tr => [...tr.cells].map(c => c.textContent.trim()))`))
	found := map[string]string{}
	for _, r := range rows {
		if len(r) == 2 {
			found[r[0]] = r[1]
		}
	}
	if !strings.Contains(found["electricity[0].kwh"], ">= 0") || !strings.Contains(found["fuels[0].fuel"], "diesel") {
		t.Fatalf("problems by path: %v", found)
	}
	p.shot("file-errors")

	good := writeReturn(t, "sakura-mobile", nil)
	p.upload(good, "")
	if loc := p.location(); !strings.HasPrefix(loc, "/returns/sakura-mobile-2025-Q3-v1") {
		t.Fatalf("after filing: %s", loc)
	}
	if s := p.text("#status"); s != "submitted" {
		t.Fatalf("status %q", s)
	}
	p.shot("return-operator")
	p.signOut()

	// The regulator finds it on the dashboard and returns it with a finding.
	p.signIn(regTok.Token)
	p.open("/dashboard?period=2025-Q3&sort=warnings&dir=desc")
	p.shot("dashboard")
	p.submit("open the return from the dashboard", `#dashboard a[href="/returns/sakura-mobile-2025-Q3-v1"]`)
	p.submit("return it", "#record-review",
		chromedp.Click(chromedp.CSS(`input[name=decision][value=return]`)),
		chromedp.SetValue(chromedp.CSS("#comment"), "please check the diesel"),
		chromedp.SetValue(chromedp.CSS("#fp0"), "fuels[0].quantity"),
		chromedp.SetValue(chromedp.CSS("#fm0"), "185000 l of diesel is twice last quarter's"))
	if s := p.text("#status"); s != "returned" {
		t.Fatalf("status after returning %q", s)
	}
	p.shot("return-regulator")
	p.open("/sector?period=2025-Q3")
	p.shot("sector")
	p.signOut()

	// The operator sees the finding and restates with a reason.
	p.signIn(opTok.Token)
	if s := p.text("#returns"); !strings.Contains(s, "fuels[0].quantity") || !strings.Contains(s, "twice last quarter") {
		t.Fatalf("operator page without the finding: %s", s)
	}
	p.shot("operator")
	p.submit("restate", `a[href="/file?restates=sakura-mobile-2025-Q3-v1"]`)
	fixed := writeReturn(t, "sakura-mobile", func(r map[string]any) {
		r["fuels"].([]any)[0].(map[string]any)["quantity"] = "92500"
	})
	p.upload(fixed, "diesel at two RAN sites was counted twice")
	if loc := p.location(); !strings.HasPrefix(loc, "/returns/sakura-mobile-2025-Q3-v2") {
		t.Fatalf("after restating: %s (%s)", loc, p.text("main"))
	}
	p.signOut()

	// The regulator looks at the changes and accepts.
	p.signIn(regTok.Token)
	p.open("/returns/sakura-mobile-2025-Q3-v2?against=sakura-mobile-2025-Q3-v1")
	if d := p.text("#diff"); !strings.Contains(d, "fuels[0].quantity") || !strings.Contains(d, "92500") {
		t.Fatalf("diff: %s", d)
	}
	p.shot("return-diff")
	p.submit("accept", "#record-review", chromedp.Click(chromedp.CSS(`input[name=decision][value=accept]`)))
	if s := p.text("#status"); s != "accepted" {
		t.Fatalf("status after accepting %q", s)
	}
	p.signOut()

	// The public lists the disclosure, downloads it and verifies it.
	p.open("/")
	p.shot("home")
	href := get(p, "find the disclosure link", chromedp.AttributeValue(chromedp.CSS("a.pdf"), "href")).Value
	if href != "/v1/operators/sakura-mobile/disclosures/2025-Q3.pdf" {
		t.Fatalf("disclosure link %q", href)
	}
	resp, err := http.Get(ts.base + href)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	p.open("/verify")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("GET %s: %d %s", href, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	file := filepath.Join(t.TempDir(), "disclosure.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	p.submit("verify the disclosure", `form[action="/verify"] button`, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
	if v := p.text("#verdict"); v != "Authentic and current" {
		t.Fatalf("verdict %q: %s", v, p.text("main"))
	}
	if op := p.text("#v-operator"); op != "sakura-mobile" {
		t.Fatalf("verified operator %q", op)
	}
	p.shot("verify")

	// After signing out, pages that need a session go to the sign-in page.
	p.open("/dashboard")
	if loc := p.location(); loc != "/signin" {
		t.Fatalf("signed out, /dashboard went to %s", loc)
	}

	// An operator cannot open another operator's return.
	p.signIn(opTok.Token)
	p.open("/returns/" + otherFiled.ID)
	if h := p.text("h1"); h != "Not allowed" {
		t.Fatalf("another operator's return shows %q", h)
	}
	body := p.body()
	for _, leak := range []string{"coral-net", "Coral Net", "31415926", "31,415,926", otherFiled.ID} {
		if strings.Contains(body, leak) {
			t.Fatalf("the 403 page shows %q of the other operator:\n%s", leak, body)
		}
	}
	p.shot("forbidden")
	req, _ := http.NewRequest("GET", ts.base+"/returns/"+otherFiled.ID, nil)
	req.AddCookie(ts.signInCookie(opTok.Token))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("another operator's return page: status %d", resp.StatusCode)
	}
	p.signOut()
}

// TestWebScreenshots saves screenshots of the pages over the demo data,
// for people to look at; it runs only when ICTLEDGER_SCREENSHOTS names a
// directory.
func TestWebScreenshots(t *testing.T) {
	if os.Getenv("ICTLEDGER_SCREENSHOTS") == "" {
		t.Skip("set ICTLEDGER_SCREENSHOTS to a directory to save screenshots")
	}
	ctx := newBrowser(t)
	ts, toks := startDemo(t, Config{AdminToken: testAdminToken})
	defer ts.stop()
	reg := demoTokenOf(t, toks, ledger.RoleRegulator)
	op := demoTokenOf(t, toks, ledger.RoleOperator)
	var status struct {
		Operators []struct {
			Return   string `json:"return"`
			Warnings int    `json:"warnings"`
		} `json:"operators"`
	}
	ts.mustJSON("GET", "/v1/sector/status?period="+ledger.LastEndedQuarter(time.Now()).String(), reg.Token, nil, 200, &status)
	rid, most := "", -1
	for _, o := range status.Operators {
		if o.Return != "" && o.Warnings > most {
			rid, most = o.Return, o.Warnings
		}
	}

	p := &page{t: t, ctx: ctx, base: ts.base}
	p.open("/")
	p.shot("demo-home")
	p.open("/region")
	p.shot("demo-region")
	p.open("/signin")
	p.shot("demo-signin")
	p.signIn(reg.Token)
	p.shot("demo-dashboard")
	p.open("/sector")
	p.shot("demo-sector")
	p.open("/returns/" + rid)
	p.do("open a derivation", chromedp.Click(chromedp.CSS("details.metric summary")))
	// Scope 2 location-based, whose grid factors show their evidence.
	p.do("open scope 2", chromedp.Click(chromedp.CSS("details.metric:nth-of-type(4) summary")))
	p.shot("demo-return")
	media := func(m string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
			return err
		})
	}
	p.do("print media", media("print"))
	p.shot("demo-return-print")
	p.open("/sector")
	p.shot("demo-sector-print")
	p.do("screen media", media(""))
	p.signOut()
	p.signIn(op.Token)
	p.shot("demo-operator")
	p.open("/file")
	p.shot("demo-file")
	p.open("/returns/" + rid)
	p.shot("demo-return-other")
	verdictShots(t, p, ts)
}

// TestAPISessionCookieReadsOnly: the API honours the pages' session cookie
// for downloads, never for a change, which would need a CSRF check.
func TestAPISessionCookieReadsOnly(t *testing.T) {
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	ts.mustJSON("POST", "/v1/operators", testAdminToken,
		map[string]any{"id": "sakura-mobile", "name": "Sakura Mobile K.K.", "country": "JP", "kinds": []string{"mobile"}}, 201, nil)
	var tok token
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "sakura-mobile"}, 201, &tok)
	body, _ := json.Marshal(exampleReturn(t))
	session := ts.signInCookie(tok.Token)
	for _, tc := range []struct {
		method string
		want   int
	}{{"GET", 200}, {"POST", 401}} {
		req, _ := http.NewRequest(tc.method, ts.base+"/v1/operators/sakura-mobile/returns", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(session)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Fatalf("%s with the session cookie: %d, want %d", tc.method, resp.StatusCode, tc.want)
		}
	}
}
