package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/monitor"
)

// sumdbTiles is a tlog.TileReader over a server's /log/tile/ API written
// from the c2sp specification alone, independently of package tiles: the
// c2sp path of a tile is golang.org/x/mod's sumdb path without the height.
type sumdbTiles struct {
	t       *testing.T
	prefix  string
	fetches int
}

func (r *sumdbTiles) Height() int { return 8 }

func (r *sumdbTiles) ReadTiles(ts []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(ts))
	for i, t := range ts {
		p := strings.Replace(t.Path(), "tile/8/", "tile/", 1)
		b, status, _ := fetchURL(r.t, r.prefix+"/"+p)
		if status != 200 {
			return nil, fmt.Errorf("GET %s: %d", p, status)
		}
		r.fetches++
		out[i] = b
	}
	return out, nil
}

func (r *sumdbTiles) SaveTiles([]tlog.Tile, [][]byte) {}

// fetchURL fetches url and returns the body, status and headers.
func fetchURL(t *testing.T, url string) ([]byte, int, http.Header) {
	t.Helper()
	return fetchAs(t, url, "")
}

// fetchAs is fetchURL with a bearer token (none when "").
func fetchAs(t *testing.T, url, token string) ([]byte, int, http.Header) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b, resp.StatusCode, resp.Header
}

// fillLog adds n cheap entries (regulator tokens) to a server's log.
func fillLog(ts *testServer, n int) {
	for i := 0; i < n; i++ {
		ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "regulator", "jurisdictions": []string{"*"}, "label": fmt.Sprintf("desk %d", i)}, 201, nil)
	}
}

// fileLarge files a return with sites site rows: over 64 KiB of entry for
// a few hundred rows.
func fileLarge(ts *testServer, operator, period string, sites int) {
	ts.t.Helper()
	tok := ts.addOperator(operator, "Operator "+operator)
	body, ct := sitesBody(ts.t, period, sites)
	body = bytes.Replace(body, []byte(`"operator":"sakura-mobile"`), []byte(`"operator":"`+operator+`"`), 1)
	body = bytes.ReplaceAll(body, []byte(`"JP-NFC-`), []byte(`"`+operator+`-JP-NFC-`)) // its own certificates (G3)
	var raw json.RawMessage
	if status, _ := ts.do("POST", "/v1/operators/"+operator+"/returns", tok, ct, body, &raw); status != 201 {
		ts.t.Fatalf("large filing: status %d %s", status, raw)
	}
}

// logCheckpoint fetches and verifies /log/checkpoint.
func logCheckpoint(t *testing.T, ts *testServer, v note.Verifier) (checkpoint.Checkpoint, []byte) {
	t.Helper()
	b, status, h := fetchURL(t, ts.base+"/log/checkpoint")
	if status != 200 || h.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("/log/checkpoint: %d %q", status, h.Get("Content-Type"))
	}
	cp, err := checkpoint.Open(b, v)
	if err != nil {
		t.Fatal(err)
	}
	return cp, b
}

// readBundleEntries reads the entries of a bundle by the documented
// layout, fetching entries that are there by reference.
func readBundleEntries(t *testing.T, prefix string, b []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(b) > 0 {
		n := int(binary.BigEndian.Uint16(b))
		e := b[2 : 2+n]
		b = b[2+n:]
		if n == 64 && string(e[:16]) == "ictledger-ref/v1" {
			seq := binary.BigEndian.Uint64(e[16:24])
			grouped := fmt.Sprintf("%03d", seq%1000)
			for s := seq / 1000; s > 0; s /= 1000 {
				grouped = fmt.Sprintf("x%03d/%s", s%1000, grouped)
			}
			full, status, _ := fetchAs(t, prefix+"/entry/"+grouped, testAdminToken)
			if status != 200 || uint64(len(full)) != binary.BigEndian.Uint64(e[24:32]) {
				t.Fatalf("referenced entry %d: status %d, %d bytes", seq, status, len(full))
			}
			e = full
		}
		out = append(out, e)
	}
	return out
}

// TestTilesProveWithTlog proves, from the tiles and a signed checkpoint
// alone, with golang.org/x/mod/sumdb/tlog's tile reader, that every entry
// is in the tree and that the tree extends an earlier one. The log spans
// two level 0 tiles and holds an entry too large for a uint16 length.
func TestTilesProveWithTlog(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir)
	defer ts.stop()
	verifier := dirVerifier(t, dir)
	fillLog(ts, 40)
	cpA, _ := logCheckpoint(t, ts, verifier)
	fileLarge(ts, "big-telco", "2025-Q2", 600)
	fillLog(ts, 260)
	cpB, _ := logCheckpoint(t, ts, verifier)
	if cpB.Size <= 256 || cpA.Size >= cpB.Size {
		t.Fatalf("sizes %d, %d", cpA.Size, cpB.Size)
	}
	prefix := ts.base + "/log"
	tr := &sumdbTiles{t: t, prefix: prefix}
	thr := tlog.TileHashReader(tlog.Tree{N: int64(cpB.Size), Hash: cpB.Root}, tr)

	proof, err := tlog.ProveTree(int64(cpB.Size), int64(cpA.Size), thr)
	if err != nil {
		t.Fatal(err)
	}
	if err := tlog.CheckTree(proof, int64(cpB.Size), cpB.Root, int64(cpA.Size), cpA.Root); err != nil {
		t.Fatalf("consistency %d..%d: %v", cpA.Size, cpB.Size, err)
	}

	var entries [][]byte
	large := 0
	for n := uint64(0); n*256 < cpB.Size; n++ {
		p := fmt.Sprintf("/tile/entries/%03d", n)
		if w := cpB.Size - n*256; w < 256 {
			p += fmt.Sprintf(".p/%d", w)
		}
		b, status, _ := fetchAs(t, prefix+p, testAdminToken)
		if status != 200 {
			t.Fatalf("GET %s: %d", p, status)
		}
		es := readBundleEntries(t, prefix, b)
		for _, e := range es {
			if len(e) > 65535 {
				large++
			}
		}
		entries = append(entries, es...)
	}
	if uint64(len(entries)) != cpB.Size || large != 1 {
		t.Fatalf("%d entries (%d large), checkpoint size %d", len(entries), large, cpB.Size)
	}
	for i, e := range entries {
		p, err := tlog.ProveRecord(int64(cpB.Size), int64(i), thr)
		if err != nil {
			t.Fatal(err)
		}
		if err := tlog.CheckRecord(p, int64(cpB.Size), cpB.Root, int64(i), tlog.RecordHash(e)); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	t.Logf("proved %d entries and consistency %d..%d with %d tile fetches", len(entries), cpA.Size, cpB.Size, tr.fetches)

	// Caching, content types, who may read and strict bounds. Hash tiles
	// are public; entries are for regulators and admins, and no shared
	// cache may keep them.
	for _, c := range []struct {
		path, cache string
		status      int
		token       string
	}{
		{"/tile/0/000", "public, max-age=31536000, immutable", 200, ""},
		{fmt.Sprintf("/tile/0/001.p/%d", cpB.Size-256), "public, max-age=10", 200, ""},
		{"/tile/1/000.p/1", "public, max-age=10", 200, ""},
		{"/tile/entries/000", "private, max-age=31536000, immutable", 200, testAdminToken},
		{fmt.Sprintf("/tile/entries/001.p/%d", cpB.Size-256), "private, max-age=10", 200, testAdminToken},
		{"/entry/000", "private, max-age=31536000, immutable", 200, testAdminToken},
		{"/tile/entries/000", "no-store", 401, ""},
		{"/entry/000", "no-store", 401, ""},
		{"/tile/0/002", "no-store", 404, ""},
		{fmt.Sprintf("/tile/0/001.p/%d", cpB.Size-256+100), "no-store", 404, ""},
		{"/tile/1/000", "no-store", 404, ""},
		{"/tile/0/0", "no-store", 404, ""},
		{"/tile/0/x000/000", "no-store", 404, ""},
		{"/tile/0/000.p/0", "no-store", 404, ""},
		{"/tile/entries/001.p/255", "no-store", 404, testAdminToken},
		{fmt.Sprintf("/entry/%03d", cpB.Size), "no-store", 404, testAdminToken},
	} {
		_, status, h := fetchAs(t, prefix+c.path, c.token)
		if status != c.status || h.Get("Cache-Control") != c.cache {
			t.Errorf("GET %s: %d %q, want %d %q", c.path, status, h.Get("Cache-Control"), c.status, c.cache)
		}
		if status == 200 && h.Get("Content-Type") != "application/octet-stream" {
			t.Errorf("GET %s: Content-Type %q", c.path, h.Get("Content-Type"))
		}
	}
}

// dirVerifier is the verifier of the key in a data directory.
func dirVerifier(t *testing.T, dir string) note.Verifier {
	t.Helper()
	vkey, err := checkpoint.VerifierKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// runMonitorCmd runs "ictledger monitor" against prefix.
func runMonitorCmd(t *testing.T, prefix, dataDir, stateDir string, extra ...string) (int, string, string) {
	t.Helper()
	vkey, err := checkpoint.VerifierKey(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("ICTLEDGER_MONITOR_TOKEN", testAdminToken)
	return runCmd(append([]string{"monitor", "--log", prefix, "--key", vkey, "--state", stateDir}, extra...)...)
}

// TestMonitorFollowsAndResumes follows a live server across filings,
// including a large entry, stopping at a byte limit and carrying on from
// its state directory in the next run.
func TestMonitorFollowsAndResumes(t *testing.T) {
	dir, stateDir := t.TempDir(), filepath.Join(t.TempDir(), "monitor")
	ts := startServer(t, dir)
	defer ts.stop()
	prefix := ts.base + "/log"
	ts.register("sakura-mobile")
	code, out, errOut := runMonitorCmd(t, prefix, dir, stateDir)
	if code != 0 || !strings.Contains(out, "first run") {
		t.Fatalf("first run: exit %d\n%s%s", code, out, errOut)
	}
	fileLarge(ts, "big-telco", "2025-Q2", 600)
	fillLog(ts, 300)
	size := ts.m.svc.Size()
	// A small run budget stops after a bundle or two; the next runs go on.
	runs := 0
	for {
		runs++
		code, out, errOut = runMonitorCmd(t, prefix, dir, stateDir, "--max-run-bytes", "30000")
		if code != 0 {
			t.Fatalf("run %d: exit %d\n%s%s", runs, code, out, errOut)
		}
		if !strings.Contains(out, "incomplete") {
			break
		}
		if runs > 20 {
			t.Fatalf("no progress after %d runs:\n%s%s", runs, out, errOut)
		}
	}
	if runs < 2 || !strings.Contains(out, fmt.Sprintf("at size %d", size)) {
		t.Fatalf("%d runs, last:\n%s%s", runs, out, errOut)
	}
	// Without a token a run checks the checkpoints, not the entries.
	ts.register("sakura-fixed")
	t.Setenv("ICTLEDGER_MONITOR_TOKEN", "")
	vkey, err := checkpoint.VerifierKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCmd("monitor", "--log", prefix, "--key", vkey, "--state", stateDir)
	if code != 0 || !strings.Contains(out, "entries not checked") || !strings.Contains(out, fmt.Sprintf("extends size %d", size)) {
		t.Fatalf("run without a token: exit %d\n%s%s", code, out, errOut)
	}
	// With one, the next run checks what the last one left.
	if code, out, errOut = runMonitorCmd(t, prefix, dir, stateDir); code != 0 || strings.Contains(out, "checked 0 entries") {
		t.Fatalf("run with a token after one without: exit %d\n%s%s", code, out, errOut)
	}
	// Nothing new: a run reads just the checkpoint.
	if code, out, errOut = runMonitorCmd(t, prefix, dir, stateDir); code != 0 || !strings.Contains(out, "checked 0 entries") {
		t.Fatalf("idle run: exit %d\n%s%s", code, out, errOut)
	}
	// A state kept for another key is refused, not overwritten.
	other := t.TempDir()
	startServer(t, other).stop()
	if code, out, errOut = runMonitorCmd(t, prefix, other, stateDir); code != 1 || !strings.Contains(errOut, "another log") {
		t.Fatalf("other key: exit %d\n%s%s", code, out, errOut)
	}
}

// TestMonitorCatchesSplitView shows the monitor two logs signed with the
// same key, of the same size and different contents: a split view, exit 3.
// It then sees the second log grow: a fork, still exit 3.
func TestMonitorCatchesSplitView(t *testing.T) {
	dirA, dirB, stateDir := t.TempDir(), t.TempDir(), t.TempDir()
	a := startServer(t, dirA)
	defer a.stop()
	// B has A's key and nothing else: its own history from the start.
	for _, name := range []string{checkpoint.KeyFile, checkpoint.PublicKeyFile} {
		b, err := os.ReadFile(filepath.Join(dirA, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dirB, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	b := startServer(t, dirB)
	defer b.stop()
	fillLog(a, 5)
	fillLog(b, 5)
	if a.m.svc.Size() != b.m.svc.Size() {
		t.Fatalf("sizes %d and %d", a.m.svc.Size(), b.m.svc.Size())
	}
	if code, out, errOut := runMonitorCmd(t, a.base+"/log", dirA, stateDir); code != 0 {
		t.Fatalf("log A: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := runMonitorCmd(t, b.base+"/log", dirA, stateDir)
	if code != exitAlarm || !strings.Contains(errOut, "split_view") || !strings.Contains(errOut, "ALARM") {
		t.Fatalf("log B: exit %d\n%s%s", code, out, errOut)
	}
	evidence, _ := filepath.Glob(filepath.Join(stateDir, "alarm-split_view-*.txt"))
	if len(evidence) != 1 {
		t.Fatalf("evidence files %v", evidence)
	}
	fillLog(b, 3)
	code, out, errOut = runMonitorCmd(t, b.base+"/log", dirA, stateDir)
	if code != exitAlarm || !strings.Contains(errOut, "fork:") {
		t.Fatalf("log B grown: exit %d\n%s%s", code, out, errOut)
	}
	// The state still holds A's checkpoint: A is fine.
	if code, out, errOut := runMonitorCmd(t, a.base+"/log", dirA, stateDir); code != 0 {
		t.Fatalf("log A again: exit %d\n%s%s", code, out, errOut)
	}
}

// TestMonitorCatchesAlteredEntry puts a proxy between the monitor and the
// log that changes bytes of entries: in an inline entry, in a bundle's
// reference, in a large entry. Each is caught with exit 3 and the state
// does not move past the entry.
func TestMonitorCatchesAlteredEntry(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir)
	defer ts.stop()
	fileLarge(ts, "big-telco", "2025-Q2", 600)
	target, err := url.Parse(ts.base)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		alter func(path string, b []byte) []byte
		want  string
	}{
		{"a byte of an inline entry", func(path string, b []byte) []byte {
			if strings.HasPrefix(path, "/log/tile/entries/") {
				i := bytes.Index(b, []byte(`"kind":"`))
				b[i+8] ^= 0x20 // changes the case of a letter of a kind
			}
			return b
		}, "does not hash to its leaf"},
		{"a large entry", func(path string, b []byte) []byte {
			if strings.HasPrefix(path, "/log/entry/") {
				b[len(b)/2] ^= 0x01
			}
			return b
		}, "SHA-256"},
		{"a reference's length", func(path string, b []byte) []byte {
			if strings.HasPrefix(path, "/log/tile/entries/") {
				i := bytes.Index(b, []byte("ictledger-ref/v1"))
				b[i+31] ^= 0x01
			}
			return b
		}, "its reference says"},
	} {
		t.Run(c.name, func(t *testing.T) {
			proxy := httptest.NewServer(alteringProxy(target, c.alter))
			defer proxy.Close()
			stateDir := t.TempDir()
			code, out, errOut := runMonitorCmd(t, proxy.URL+"/log", dir, stateDir)
			if code != exitAlarm || !strings.Contains(errOut, "bad_entry") || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			// Through the log itself, from the same state, all is well.
			if code, out, errOut := runMonitorCmd(t, ts.base+"/log", dir, stateDir); code != 0 {
				t.Fatalf("unaltered: exit %d\n%s%s", code, out, errOut)
			}
		})
	}
}

// alteringProxy forwards GETs to target and passes each body through alter.
func alteringProxy(target *url.URL, alter func(path string, b []byte) []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := http.NewRequest("GET", target.String()+r.URL.Path, nil)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		req.Header.Set("Authorization", r.Header.Get("Authorization"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), 502)
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == 200 {
			b = alter(r.URL.Path, b)
		}
		w.WriteHeader(resp.StatusCode)
		w.Write(b)
	})
}

// TestMonitorTenThousandEntries measures a first monitor run over a log
// of 10,000 entries, an idle run after it and a run over a return of
// 100,000 sites (ICTLEDGER_LONG=1 only; it asserts no time, it reports
// it).
func TestMonitorTenThousandEntries(t *testing.T) {
	if os.Getenv("ICTLEDGER_LONG") == "" {
		t.Skip("set ICTLEDGER_LONG=1 to measure")
	}
	dir := t.TempDir()
	ts := startServer(t, dir)
	defer ts.stop()
	var wg sync.WaitGroup
	for c := 0; c < 16; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ts.m.svc.Size() < 10_000 {
				body := fmt.Appendf(nil, `{"role":"regulator","jurisdictions":["*"],"label":"desk %d"}`, c)
				ts.do("POST", "/v1/tokens", testAdminToken, "application/json", body, nil)
			}
		}()
	}
	wg.Wait()
	vkey, _ := checkpoint.VerifierKey(dir)
	v, _ := note.NewVerifier(vkey)
	for _, name := range []string{"first run", "idle run", "a return of 100,000 sites"} {
		if name == "a return of 100,000 sites" {
			fileLarge(ts, "big-telco", "2025-Q2", 100_000)
		}
		start := time.Now()
		res, err := monitor.Run(context.Background(), monitor.Config{Log: ts.base + "/log", Verifier: v, StateDir: filepath.Join(dir, "..", "monitor-state"), Token: testAdminToken})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d entries checked, %d bytes read, in %v", name, res.Checked, res.Bytes, time.Since(start))
	}
}

// TestMonitorUsage checks the command's exit codes for a bad command line
// and an unreachable log.
func TestMonitorUsage(t *testing.T) {
	state := t.TempDir()
	_, key, err := note.GenerateKey(rand.Reader, "example.org/log")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"monitor"}, 2},
		{[]string{"monitor", "--log", "http://127.0.0.1:1/log", "--state", state}, 2},
		{[]string{"monitor", "--log", "http://127.0.0.1:1/log", "--key", key, "--state", state, "extra"}, 2},
		{[]string{"monitor", "--log", "http://127.0.0.1:1/log", "--key", key, "--state", state, "--max-run-bytes", "0"}, 2},
		{[]string{"monitor", "--log", "http://127.0.0.1:1/log", "--key", "not a key", "--state", state}, 1},
		{[]string{"monitor", "--log", "http://127.0.0.1:1/log", "--key", key, "--state", state}, 1},
	} {
		code, out, errOut := runCmd(tc.args...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", tc.args, code, tc.code, out, errOut)
		}
		if tc.code == 1 && tc.args[4] == key && !strings.Contains(errOut, "fetch the checkpoint") {
			t.Errorf("%v: %s", tc.args, errOut)
		}
	}
}
