package checkpoint

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const origin = "ictledger.example/ledger"

func TestKeyCreatedOnceWithMode0600(t *testing.T) {
	dir := t.TempDir()
	signer, verifier, err := LoadOrCreateKey(dir, origin)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v", fi.Mode(), err)
	}
	vkey, err := VerifierKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(vkey, origin+"+") || verifier.Name() != origin || signer.KeyHash() != verifier.KeyHash() {
		t.Fatalf("verifier key %q", vkey)
	}
	if fi, _ := os.Stat(filepath.Join(dir, PublicKeyFile)); fi.Mode().Perm()&0o044 == 0 {
		t.Fatalf("public key file mode %v", fi.Mode())
	}

	// A second start loads the same key.
	signer2, _, err := LoadOrCreateKey(dir, origin)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := Sign(signer2, origin, 1, tlog.RecordHash([]byte("x")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(msg, verifier); err != nil {
		t.Fatalf("checkpoint from reloaded key: %v", err)
	}

	if _, _, err := LoadOrCreateKey(dir, "other.example/log"); err == nil {
		t.Fatal("key loaded under another origin")
	}
	os.Chmod(filepath.Join(dir, KeyFile), 0o644)
	if _, _, err := LoadOrCreateKey(dir, origin); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("readable key accepted: %v", err)
	}
}

func TestSignOpen(t *testing.T) {
	dir := t.TempDir()
	signer, verifier, err := LoadOrCreateKey(dir, origin)
	if err != nil {
		t.Fatal(err)
	}
	root := tlog.RecordHash([]byte("root"))
	msg, err := Sign(signer, origin, 42, root)
	if err != nil {
		t.Fatal(err)
	}
	wantBody := origin + "\n42\n" + root.String() + "\n\n"
	if !strings.HasPrefix(string(msg), wantBody) {
		t.Fatalf("checkpoint text:\n%s", msg)
	}

	// Any note verifier given the public key text accepts it.
	vkey, _ := VerifierKey(dir)
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil || n.Text != origin+"\n42\n"+root.String()+"\n" {
		t.Fatalf("note.Open: %v", err)
	}
	c, err := Open(msg, verifier)
	if err != nil || c != (Checkpoint{Origin: origin, Size: 42, Root: root}) {
		t.Fatalf("Open = %+v, %v", c, err)
	}

	// Signed by another key with the same name: refused.
	skey, _, _ := note.GenerateKey(rand.Reader, origin)
	other, _ := note.NewSigner(skey)
	forged, _ := Sign(other, origin, 42, root)
	var unverified *note.UnverifiedNoteError
	if _, err := Open(forged, verifier); !errors.As(err, &unverified) {
		t.Fatalf("Open(forged) = %v", err)
	}

	// Any change to the body breaks the signature.
	tampered := bytes.Replace(msg, []byte("\n42\n"), []byte("\n43\n"), 1)
	if _, err := Open(tampered, verifier); err == nil {
		t.Fatal("tampered checkpoint accepted")
	}
}

func TestParse(t *testing.T) {
	root := tlog.RecordHash(nil).String()
	tests := []struct {
		text string
		ok   bool
	}{
		{"o\n0\n" + root + "\n", true},
		{"o\n7\n" + root + "\next line\n", true},
		{"o\n7\n" + root, false},
		{"o\n07\n" + root + "\n", false},
		{"o\n-1\n" + root + "\n", false},
		{"o\n+1\n" + root + "\n", false},
		{"\n1\n" + root + "\n", false},
		{"o\n1\nAAAA\n", false},
		{"o\n1\n" + root + "\n\n", false},
		{"o\n1\n", false},
	}
	for _, tt := range tests {
		_, err := Parse(tt.text)
		if (err == nil) != tt.ok {
			t.Errorf("Parse(%q) = %v, want ok=%v", tt.text, err, tt.ok)
		}
	}
}

func TestStoreLatest(t *testing.T) {
	dir := t.TempDir()
	if _, err := Latest(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Latest on empty dir: %v", err)
	}
	signer, verifier, err := LoadOrCreateKey(dir, origin)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []uint64{1, 5, 5, 9} {
		msg, _ := Sign(signer, origin, size, tlog.RecordHash([]byte{byte(size)}))
		if err := Store(dir, msg); err != nil {
			t.Fatal(err)
		}
		got, err := Latest(dir)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("Latest = %q, %v", got, err)
		}
		if c, err := Open(got, verifier); err != nil || c.Size != size {
			t.Fatalf("Open(Latest) = %+v, %v", c, err)
		}
	}
	old, _ := Sign(signer, origin, 3, tlog.Hash{})
	if err := Store(dir, old); err == nil {
		t.Fatal("Store moved the checkpoint backwards")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Fatalf("temporary file left behind: %s", e.Name())
		}
	}
}
