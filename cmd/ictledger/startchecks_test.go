package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrepareDataDir(t *testing.T) {
	base := t.TempDir()
	mkdir := func(name string, perm os.FileMode) string {
		dir := filepath.Join(base, name)
		if err := os.Mkdir(dir, perm); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, perm); err != nil { // past the umask
			t.Fatal(err)
		}
		return dir
	}

	created := filepath.Join(base, "new", "data")
	if err := prepareDataDir(created); err != nil {
		t.Fatalf("a missing directory: %v", err)
	}
	if fi, err := os.Stat(created); err != nil || !fi.IsDir() || fi.Mode().Perm()&^0o700 != 0 {
		t.Fatalf("created %v, %v; want a directory of mode 0700 or less", fi.Mode(), err)
	}
	for _, perm := range []os.FileMode{0o700, 0o750, 0o755} {
		if err := prepareDataDir(mkdir("ok-"+perm.String(), perm)); err != nil {
			t.Errorf("mode %v: %v", perm, err)
		}
	}
	for _, perm := range []os.FileMode{0o777, 0o770, 0o702, 0o720} {
		dir := mkdir("bad-"+perm.String(), perm)
		err := prepareDataDir(dir)
		if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "chmod 700 "+dir) {
			t.Errorf("mode %v: %v; want a refusal naming the directory and the fix", perm, err)
		}
	}
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := prepareDataDir(file); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("a file: %v", err)
	}
}

// A world-writable data directory stops the server before it writes
// anything there.
func TestOpenRefusesWritableDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	m := NewMain(Config{Addr: "127.0.0.1:0", DataDir: dir, AdminToken: testAdminToken})
	err := m.Open(context.Background())
	if err == nil {
		m.Close()
		t.Fatal("a data directory of mode 0777 was used")
	}
	if !strings.Contains(err.Error(), "chmod 700 "+dir) {
		t.Fatalf("error %q does not say how to fix it", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("files were written before the refusal: %v", entries)
	}
}

func TestCheckAdminToken(t *testing.T) {
	for _, ok := range []string{"", testAdminToken, "ictl_load-test-secret-of-your-own", strings.Repeat("k", minAdminToken)} {
		if err := checkAdminToken(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"x", "admin", strings.Repeat("k", minAdminToken-1),
		testAdminToken + "\n", " " + testAdminToken, "ictl_two words in the secret here", testAdminToken + "é"} {
		err := checkAdminToken(bad)
		if err == nil || !strings.Contains(err.Error(), "ICTLEDGER_ADMIN_TOKEN") {
			t.Errorf("%q: %v; want a refusal naming ICTLEDGER_ADMIN_TOKEN", bad, err)
		}
	}
	if err := checkAdminToken("x"); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Errorf("the error does not say the minimum: %v", err)
	}
}

// A weak admin token stops the server at start, before the data
// directory is even created.
func TestOpenRefusesWeakAdminToken(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	m := NewMain(Config{Addr: "127.0.0.1:0", DataDir: dir, AdminToken: "x"})
	err := m.Open(context.Background())
	if err == nil {
		m.Close()
		t.Fatal(`ICTLEDGER_ADMIN_TOKEN="x" was accepted`)
	}
	if !strings.Contains(err.Error(), "ICTLEDGER_ADMIN_TOKEN") {
		t.Fatalf("error %q does not name the variable", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the data directory was created: %v", err)
	}
}

// A port that is taken stops serve --demo before it writes anything: the
// data directory is neither created nor filled, so the next start on a
// free port still loads the demo into a new ledger.
func TestServeBindsBeforeWritingTheDataDir(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	base := t.TempDir()
	existing := filepath.Join(base, "existing")
	if err := os.Mkdir(existing, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(base, "new"), existing} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"serve", "--demo", "--render-workers", "0",
			"--addr", taken.Addr().String(), "--data", dir}, &stdout, &stderr)
		if code == 0 {
			t.Fatalf("serve on a taken port exited 0")
		}
		if !strings.Contains(stderr.String(), "listen on "+taken.Addr().String()) {
			t.Errorf("stderr does not name the address: %s", stderr.String())
		}
		if dir != existing {
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("%s was created before the bind failed: %v", dir, err)
			}
			continue
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("files were written before the bind failed: %v", entries)
		}
		if stdout.Len() != 0 {
			t.Errorf("tokens were printed: %s", stdout.String())
		}
	}
	// On a free port the same directory still gets the demo.
	ts := startConfigured(t, existing, Config{AdminToken: testAdminToken, Demo: true})
	ts.stop()
	if _, err := os.Stat(filepath.Join(existing, demoTokensFile)); err != nil {
		t.Errorf("the demo was not loaded on the next start: %v", err)
	}
}
