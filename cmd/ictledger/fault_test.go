package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/ictledger/ictledger/ledger/journal"
)

// faultFS is the real file system, except that once full is set every
// write to the journal file fails with ENOSPC (a full disk), and once
// syncErr is set every fsync of it fails with EIO.
type faultFS struct {
	journal.OSFS
	full    atomic.Bool
	syncErr atomic.Bool
}

func (f *faultFS) OpenFile(name string, flag int, perm fs.FileMode) (journal.File, error) {
	file, err := f.OSFS.OpenFile(name, flag, perm)
	if err != nil || filepath.Base(name) != "journal.wal" {
		return file, err
	}
	return &faultFile{File: file, fs: f, name: name}, nil
}

type faultFile struct {
	journal.File
	fs   *faultFS
	name string
}

func (f *faultFile) Write(p []byte) (int, error) {
	if f.fs.full.Load() {
		return 0, &os.PathError{Op: "write", Path: f.name, Err: syscall.ENOSPC}
	}
	return f.File.Write(p)
}

func (f *faultFile) Sync() error {
	if f.fs.syncErr.Load() {
		return &os.PathError{Op: "sync", Path: f.name, Err: syscall.EIO}
	}
	return f.File.Sync()
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startFaultServer runs the real wiring with fsys under the journal and a
// JSON logger writing to logs.
func startFaultServer(t *testing.T, dir string, fsys journal.FS, logs *syncBuffer) *testServer {
	t.Helper()
	return startConfigured(t, dir, Config{AdminToken: testAdminToken,
		Logger: slog.New(slog.NewJSONHandler(logs, nil)), journalFS: fsys})
}

// TestStorageFaultReadOnly fills the disk (ENOSPC on the journal's write)
// or fails its fsync under a running server and checks the fail-stop:
// writes get 503 with a problem+json saying the ledger is read-only,
// reads keep working, /healthz and /metrics say read_only, the log says
// why, and after a restart on a healthy disk every acknowledged write is
// there and writes work again.
func TestStorageFaultReadOnly(t *testing.T) {
	for _, tc := range []struct {
		name, cause string
		set         func(*faultFS)
	}{
		{"disk full", "no space left on device", func(f *faultFS) { f.full.Store(true) }},
		{"fsync error", "input/output error", func(f *faultFS) { f.syncErr.Store(true) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			fsys := &faultFS{}
			logs := &syncBuffer{}
			ts := startFaultServer(t, dir, fsys, logs)

			ts.mustJSON("POST", "/v1/operators", testAdminToken,
				map[string]any{"id": "sakura-mobile", "name": "Sakura Mobile K.K.", "country": "JP", "kinds": []string{"mobile"}}, 201, nil)
			var opTok token
			ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "sakura-mobile"}, 201, &opTok)
			var filed struct {
				ID    string                `json:"id"`
				Entry struct{ Hash string } `json:"entry"`
			}
			ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, exampleReturn(t), 201, &filed)
			ts.mustJSON("POST", "/v1/returns/"+filed.ID+"/reviews", ts.regulator(), map[string]any{"decision": "accept"}, 201, nil)
			var health map[string]any
			ts.mustJSON("GET", "/healthz", "", nil, 200, &health)

			tc.set(fsys)

			// A write now fails: 503, problem+json, and it says why.
			ret := exampleReturn(t)
			ret["restates"], ret["reason"] = filed.ID, "corrected diesel litres"
			body, _ := json.Marshal(ret)
			var prob map[string]any
			code, hdr := ts.do("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, "application/json", body, &prob)
			if code != 503 || hdr.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("write on a failed disk: %d %s %v", code, hdr.Get("Content-Type"), prob)
			}
			if d, _ := prob["detail"].(string); !strings.Contains(d, "read-only") || prob["code"] != "unavailable" {
				t.Fatalf("problem: %v", prob)
			}
			// Every later write is refused at once, even when the disk is back.
			fsys.full.Store(false)
			fsys.syncErr.Store(false)
			ts.mustJSON("POST", "/v1/operators", testAdminToken,
				map[string]any{"id": "wattle-net", "name": "Wattle", "country": "AU", "kinds": []string{"fixed"}}, 503, nil)
			ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "regulator", "jurisdictions": []string{"*"}}, 503, nil)

			// Reads keep working.
			var got struct {
				ID    string                `json:"id"`
				Entry struct{ Hash string } `json:"entry"`
			}
			ts.mustJSON("GET", "/v1/returns/"+filed.ID, opTok.Token, nil, 200, &got)
			if got.Entry.Hash != filed.Entry.Hash {
				t.Fatalf("read after failure: %+v, filed %+v", got, filed)
			}
			ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics", opTok.Token, nil, 200, nil)
			ts.mustJSON("GET", "/v1/ledger/checkpoint.json", "", nil, 200, nil)
			// A disclosure is a read too: served, though its
			// disclosure.issued entry cannot be written (the log says
			// so, once).
			for range 2 {
				if pdf, _, code := ts.getPDF("/v1/operators/sakura-mobile/disclosures/2025-Q3.pdf", ""); code != 200 || len(pdf) < 1000 {
					t.Fatalf("disclosure on a read-only ledger: %d, %d bytes", code, len(pdf))
				}
			}
			if n := strings.Count(logs.String(), "disclosures are served without their disclosure.issued entries"); n != 1 {
				t.Fatalf("the log says %d times that disclosures go unrecorded, want once", n)
			}

			// Health and metrics tell the monitoring.
			health = nil
			ts.mustJSON("GET", "/healthz", "", nil, 503, &health)
			if health["status"] != "read_only" {
				t.Fatalf("healthz: %v", health)
			}
			code, _ = ts.do("GET", "/metrics", "", "", nil, nil)
			if code != 200 {
				t.Fatalf("metrics: %d", code)
			}
			m := metricsText(t, ts.base)
			for _, want := range []string{"\nictledger_read_only 1\n", "\nictledger_journal_fsync_seconds_count ",
				"\nictledger_journal_batch_records_bucket{", "\nprocess_resident_memory_bytes "} {
				if !strings.Contains(m, want) {
					t.Fatalf("metrics lack %q", want)
				}
			}

			// The log says why, naming the file and the system error.
			log := logs.String()
			for _, want := range []string{"journal: refusing further appends", tc.cause, filepath.Join(dir, "journal.wal")} {
				if !strings.Contains(log, want) {
					t.Fatalf("log lacks %q:\n%s", want, log)
				}
			}
			ts.stop()

			// A restart on a healthy disk recovers: the acknowledged
			// return is there and writes work again.
			ts = startServer(t, dir)
			defer ts.stop()
			ts.mustJSON("GET", "/healthz", "", nil, 200, nil)
			ts.mustJSON("GET", "/v1/returns/"+filed.ID, opTok.Token, nil, 200, &got)
			if got.Entry.Hash != filed.Entry.Hash {
				t.Fatalf("after restart: %+v", got)
			}
			// A write answered 503 after its bytes reached the file (the
			// fsync failed) may be found on disk at the restart: it was
			// never acknowledged, and a client retrying with the same
			// Idempotency-Key would get its result. Restate the latest.
			var versions []struct {
				ID string `json:"id"`
			}
			ts.mustJSON("GET", "/v1/operators/sakura-mobile/returns?period=2025-Q3", opTok.Token, nil, 200, &versions)
			if n := len(versions); n < 1 || n > 2 || versions[0].ID != filed.ID {
				t.Fatalf("versions after restart: %+v", versions)
			}
			ret["restates"] = versions[len(versions)-1].ID
			ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, ret, 201, nil)
		})
	}
}

// metricsText fetches /metrics from base.
func metricsText(t *testing.T, base string) string {
	t.Helper()
	b, _, _ := fetchURL(t, base+"/metrics")
	return string(b)
}
