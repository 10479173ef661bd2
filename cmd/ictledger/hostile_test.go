package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/service"
)

// startConfigured runs the real wiring with cfg (Addr and DataDir filled in).
func startConfigured(t *testing.T, dir string, cfg Config) *testServer {
	t.Helper()
	cfg.Addr, cfg.DataDir = "127.0.0.1:0", dir
	m := NewMain(cfg)
	if err := m.Open(context.Background()); err != nil {
		t.Fatalf("open: %v", err)
	}
	ts := &testServer{t: t, m: m, base: "http://" + m.Addr(), done: make(chan error, 1)}
	go func() { ts.done <- m.Serve() }()
	return ts
}

// TestSlowHeadersDisconnected sends request headers one byte at a time
// (slow-loris); the server must drop the connection once its header
// timeout passes, long before the headers are complete.
func TestSlowHeadersDisconnected(t *testing.T) {
	ts := startConfigured(t, t.TempDir(), Config{AdminToken: testAdminToken, ReadHeaderTimeout: 300 * time.Millisecond})
	defer ts.stop()
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	headers := "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\nX-Padding: " + strings.Repeat("a", 40) + "\r\n\r\n"
	start := time.Now()
	sent := make(chan int, 1)
	go func() {
		n := 0
		defer func() { sent <- n }()
		for i := 0; i < len(headers); i++ {
			if _, err := conn.Write([]byte{headers[i]}); err != nil {
				return
			}
			n++
			time.Sleep(50 * time.Millisecond) // the whole header would take about 4 s
		}
	}()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	elapsed := time.Since(start)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Fatalf("slow client was served: %s", resp.Status)
		}
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("connection still open after %v", elapsed)
	}
	if elapsed > 2*time.Second {
		t.Fatalf("disconnected only after %v", elapsed)
	}
	conn.Close()
	if n := <-sent; n >= len(headers) {
		t.Fatalf("all %d header bytes were accepted", n)
	}
}

// TestBodyLimits wants 413 problems for a filing body over the limit (JSON
// and multipart) and for any other body over 1 MiB.
func TestBodyLimits(t *testing.T) {
	ts := startConfigured(t, t.TempDir(), Config{AdminToken: testAdminToken, MaxReturnBytes: 16 << 10})
	defer ts.stop()
	ts.mustJSON("POST", "/v1/operators", testAdminToken,
		map[string]any{"id": "sakura-mobile", "name": "Sakura Mobile K.K.", "country": "JP", "kinds": []string{"mobile"}}, 201, nil)
	var opTok token
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "sakura-mobile"}, 201, &opTok)
	ret, _ := json.Marshal(exampleReturn(t))

	// The example files; the same return padded past the limit does not.
	if code, _ := ts.do("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, "application/json", ret, nil); code != 201 {
		t.Fatalf("example return: %d", code)
	}
	padded := append([]byte("{"+strings.Repeat(" ", 20<<10)), ret[1:]...)
	var prob map[string]any
	code, hdr := ts.do("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, "application/json", padded, &prob)
	if code != 413 || hdr.Get("Content-Type") != "application/problem+json" || prob["code"] != "too_large" {
		t.Fatalf("padded JSON: %d %s %v", code, hdr.Get("Content-Type"), prob)
	}

	// Multipart: a sites part larger than the limit.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	p, _ := mw.CreateFormFile("return", "return.json")
	p.Write(ret)
	p, _ = mw.CreateFormFile("sites", "sites.csv")
	fmt.Fprintln(p, "site_id,domain,grid,grid_kwh")
	for i := 0; body.Len() < 40<<10; i++ {
		fmt.Fprintf(p, "S%06d,ran,JP,1000\n", i)
	}
	mw.Close()
	prob = nil
	code, _ = ts.do("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, mw.FormDataContentType(), body.Bytes(), &prob)
	if code != 413 || prob["code"] != "too_large" {
		t.Fatalf("large multipart part: %d %v", code, prob)
	}

	// A PDF to verify is limited to 32 MiB, also when the part over the
	// limit is not the file itself (multipart wraps the error).
	body.Reset()
	mw = multipart.NewWriter(&body)
	p, _ = mw.CreateFormField("note")
	p.Write(bytes.Repeat([]byte("x"), 33<<20))
	mw.Close()
	prob = nil
	code, _ = ts.do("POST", "/v1/verify", "", mw.FormDataContentType(), body.Bytes(), &prob)
	if code != 413 || prob["code"] != "too_large" {
		t.Fatalf("large multipart verify upload: %d %v", code, prob)
	}

	// Any other body is limited to 1 MiB.
	big := []byte(`{"role":"regulator","label":"` + strings.Repeat("x", 1<<20) + `"}`)
	prob = nil
	if code, _ := ts.do("POST", "/v1/tokens", testAdminToken, "application/json", big, &prob); code != 413 {
		t.Fatalf("large token request: %d %v", code, prob)
	}
}

// TestNoSecretsInLogs runs the server with a JSON logger at debug level,
// exercises everything that handles a secret (the bootstrap admin.token,
// issuing, using and revoking tokens, bad and revoked tokens, the session
// cookie, filings with errors) and then searches the log for every secret
// and secret hash the test knows. None may appear.
func TestNoSecretsInLogs(t *testing.T) {
	dir := t.TempDir()
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	// First start without ICTLEDGER_ADMIN_TOKEN: the bootstrap path writes
	// an admin token into the data directory.
	ts := startConfigured(t, dir, Config{Logger: logger})
	raw, err := os.ReadFile(filepath.Join(dir, "admin.token"))
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "admin.token")); fi.Mode().Perm() != 0o600 {
		t.Fatalf("admin.token mode %v", fi.Mode())
	}
	admin := strings.TrimSpace(string(raw))
	secrets := []string{admin}

	ts.mustJSON("POST", "/v1/operators", admin,
		map[string]any{"id": "sakura-mobile", "name": "Sakura Mobile K.K.", "country": "JP", "kinds": []string{"mobile"}}, 201, nil)
	var opTok, regTok, spare token
	ts.mustJSON("POST", "/v1/tokens", admin, map[string]any{"role": "operator", "operator": "sakura-mobile", "label": "team"}, 201, &opTok)
	ts.mustJSON("POST", "/v1/tokens", admin, map[string]any{"role": "regulator", "jurisdictions": []string{"*"}}, 201, &regTok)
	ts.mustJSON("POST", "/v1/tokens", admin, map[string]any{"role": "operator", "operator": "sakura-mobile"}, 201, &spare)
	secrets = append(secrets, opTok.Token, regTok.Token, spare.Token)

	// Filings: one with errors (422), one good, one conflicting (409).
	bad := exampleReturn(t)
	bad["period"] = "2999-Q1"
	bad["electricity"].([]any)[0].(map[string]any)["kwh"] = "-5"
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, bad, 422, nil)
	var filed struct{ ID string }
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, exampleReturn(t), 201, &filed)
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, exampleReturn(t), 409, nil)
	ts.do("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, "text/plain", []byte(opTok.Token), nil)
	ts.mustJSON("GET", "/v1/returns/"+filed.ID, regTok.Token, nil, 200, nil)
	ts.mustJSON("POST", "/v1/returns/"+filed.ID+"/reviews", regTok.Token, map[string]any{"decision": "accept", "comment": "ok"}, 201, nil)

	// Wrong, malformed and revoked credentials; 403 for the wrong role.
	bogus := "ictl_" + strings.Repeat("Zz9", 14)
	secrets = append(secrets, bogus)
	ts.mustJSON("GET", "/v1/operators", bogus, nil, 401, nil)
	ts.mustJSON("POST", "/v1/tokens", opTok.Token, map[string]any{"role": "admin"}, 403, nil)
	for _, h := range []string{"Basic " + admin, "Bearer  " + bogus + " ", admin, "bearer " + opTok.Token} {
		req, _ := http.NewRequest("GET", ts.base+"/v1/operators", nil)
		req.Header.Set("Authorization", h)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	for _, c := range []string{spare.Token, bogus} {
		req, _ := http.NewRequest("GET", ts.base+"/v1/operators", nil)
		req.AddCookie(&http.Cookie{Name: "ictledger_session", Value: c})
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	ts.mustJSON("DELETE", "/v1/tokens/"+spare.ID, admin, nil, 204, nil)
	ts.mustJSON("GET", "/v1/operators", spare.Token, nil, 401, nil)
	// A secret in the URL (a client mistake) is not logged either: the
	// log names routes, not paths or queries.
	ts.do("GET", "/v1/returns/"+opTok.Token+"?token="+regTok.Token, admin, "", nil, nil)
	ts.stop()

	// Second start with the admin secret from the environment.
	ts = startConfigured(t, dir, Config{Logger: logger, AdminToken: testAdminToken})
	secrets = append(secrets, testAdminToken)
	ts.mustJSON("GET", "/v1/operators", testAdminToken, nil, 200, nil)
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "regulator", "jurisdictions": []string{"*"}}, 201, &regTok)
	secrets = append(secrets, regTok.Token)
	ts.mustJSON("DELETE", "/v1/tokens/"+regTok.ID, testAdminToken, nil, 204, nil)
	ts.stop()

	log := logs.String()
	if !strings.Contains(log, `"msg":"request"`) || !strings.Contains(log, "admin.token") ||
		!strings.Contains(log, `"method":"DELETE","route":"/v1/tokens/{id}"`) {
		t.Fatalf("the log does not look exercised:\n%s", log)
	}
	for _, s := range secrets {
		for _, form := range []string{s, strings.TrimPrefix(s, "ictl_"), service.HashSecret(s)} {
			if strings.Contains(log, form) {
				t.Errorf("the log contains a secret (or its hash) %q", form)
			}
		}
	}
}
