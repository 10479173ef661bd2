package web

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadOrCreateSecret(t *testing.T) {
	dir := t.TempDir()
	a, err := LoadOrCreateSecret(dir)
	if err != nil || len(a) != secretLen {
		t.Fatalf("first start: %d bytes, %v", len(a), err)
	}
	fi, err := os.Stat(filepath.Join(dir, SecretFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	b, err := LoadOrCreateSecret(dir)
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("a restart got another key (%v)", err)
	}
	other, err := LoadOrCreateSecret(t.TempDir())
	if err != nil || bytes.Equal(a, other) {
		t.Fatalf("two directories share a key (%v)", err)
	}

	path := filepath.Join(dir, SecretFile)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateSecret(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a group-readable key: %v", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateSecret(dir); err == nil || !strings.Contains(err.Error(), "does not hold") {
		t.Fatalf("a damaged key: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "not a key\n" {
		t.Fatal("a damaged key file was replaced")
	}
}
