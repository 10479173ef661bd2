package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger/store"
	"github.com/ictledger/ictledger/web"
)

// TestBackupLive copies a ledger while a server process holds its lock and
// clients keep filing into it. Every copy must verify, and open in a
// server that answers with the checkpoint the copy was cut at.
func TestBackupLive(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a server process")
	}
	dir := t.TempDir()
	srv := startChild(t, dir)
	defer srv.stop(t)
	hc := &http.Client{Timeout: 20 * time.Second}

	const clients = 4
	toks := make([]string, clients)
	for i := range clients {
		op := fmt.Sprintf("backup-op-%d", i)
		toks[i] = addChildOperator(t, hc, srv.base, op, op)
	}

	var stop atomic.Bool
	var filed atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan string, clients)
	for i := range clients {
		ret := exampleReturn(t)
		op := fmt.Sprintf("backup-op-%d", i)
		ret["operator"] = op
		ownCertificates(ret)
		wg.Add(1)
		go func() {
			defer wg.Done()
			latest := ""
			for n := 0; !stop.Load(); n++ {
				if latest != "" {
					ret["restates"], ret["reason"] = latest, fmt.Sprintf("restatement %d", n)
				}
				body, _ := json.Marshal(ret)
				code, b, err := call(hc, "POST", srv.base+"/v1/operators/"+op+"/returns", toks[i], body)
				if err != nil || code != 201 {
					errs <- fmt.Sprintf("%s: %d %s %v", op, code, b, err)
					return
				}
				var f struct{ ID string }
				json.Unmarshal(b, &f)
				latest = f.ID
				filed.Add(1)
			}
		}()
	}
	defer func() { stop.Store(true); wg.Wait() }()

	for round := range 3 {
		// Let the load run and a newer checkpoint be stored.
		time.Sleep(1200 * time.Millisecond)
		dest := filepath.Join(t.TempDir(), fmt.Sprintf("copy-%d", round))
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"backup", dir, dest}, &out, &errb); code != 0 {
			t.Fatalf("backup: exit %d\n%s%s", code, out.String(), errb.String())
		}
		var entries uint64
		if _, err := fmt.Sscanf(out.String(), "ok: copied %d entries", &entries); err != nil || entries == 0 {
			t.Fatalf("backup output %q: %v", out.String(), err)
		}
		out.Reset()
		// The CSRF key of the pages comes along, owner-readable only.
		if fi, err := os.Stat(filepath.Join(dest, web.SecretFile)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("the copy's %s: %v %v", web.SecretFile, fi, err)
		}
		// --key takes the key file as well as the key text.
		if code := run(context.Background(), []string{"verify", dest, "--key", filepath.Join(dir, "ledger.pub")}, &out, &errb); code != 0 {
			t.Fatalf("verify the copy: exit %d\n%s%s", code, out.String(), errb.String())
		}
		// The copy opens; its tree is exactly the checkpoint it was cut at.
		ts := startServer(t, dest)
		var cp struct{ Size uint64 }
		ts.mustJSON("GET", "/v1/ledger/checkpoint.json", "", nil, 200, &cp)
		if cp.Size != entries {
			t.Fatalf("restored copy has %d entries, backup said %d", cp.Size, entries)
		}
		ts.mustJSON("GET", "/v1/operators/backup-op-0/returns?period=2025-Q3", testAdminToken, nil, 200, nil)
		ts.stop()
		for _, name := range []string{"ledger.key", "ledger.pub", "checkpoint", "journal.wal"} {
			if _, err := os.Stat(filepath.Join(dest, name)); err != nil {
				t.Fatal(err)
			}
		}
		if fi, err := os.Stat(filepath.Join(dest, "ledger.key")); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("key file mode: %v %v", fi.Mode(), err)
		}
		t.Logf("round %d: copy of %d entries verified and opened while %d filings were acknowledged", round, entries, filed.Load())
	}
	select {
	case e := <-errs:
		t.Fatalf("filing during backup: %s", e)
	default:
	}
	if filed.Load() == 0 {
		t.Fatal("no filing was acknowledged during the backups")
	}

	// A non-empty destination is refused.
	var out, errb bytes.Buffer
	busy := t.TempDir()
	os.WriteFile(filepath.Join(busy, "x"), nil, 0o600)
	if code := run(context.Background(), []string{"backup", dir, busy}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "not empty") {
		t.Fatalf("backup into a non-empty directory: exit %d %s", code, errb.String())
	}
}

// TestBackupCopiesEveryFile: backup names the files it copies one by one,
// so a file that a new feature adds to the data directory would be left
// out of every copy without this test failing. It fills a data directory
// with every file the server writes (a demo ledger, the admin token file
// of a start without ICTLEDGER_ADMIN_TOKEN, the pages' key, a stored
// checkpoint) and wants each one in the copy, bar the lock.
func TestBackupCopiesEveryFile(t *testing.T) {
	dir := t.TempDir()
	m := NewMain(Config{Addr: "127.0.0.1:0", DataDir: dir, Demo: true, Out: &bytes.Buffer{}})
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve() }()
	resp, err := http.Get("http://" + m.Addr() + "/") // the public pages, which set up their key
	if err == nil {
		resp.Body.Close()
	}
	if err := m.Close(); err != nil { // stores the final checkpoint
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "copy")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"backup", dir, dest}, &out, &errb); code != 0 {
		t.Fatalf("backup: exit %d\n%s%s", code, out.String(), errb.String())
	}
	src, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range src {
		names = append(names, e.Name())
		if e.Name() == "journal.lock" || e.Name() == "derived" { // the running server's, and figures it computes again
			continue
		}
		if e.Name() == store.SnapshotFile { // derived from the journal, left out on purpose (see backup.Copy)
			continue
		}
		if _, err := os.Stat(filepath.Join(dest, e.Name())); err != nil {
			t.Errorf("%s is in the data directory but not in the backup: %v", e.Name(), err)
		}
	}
	for _, want := range []string{"admin.token", "demo-tokens.json", web.SecretFile, "checkpoint"} {
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			t.Errorf("the set-up did not make %s (the data directory holds %v), so the test would not see it left out", want, names)
		}
	}
}
