package journal

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

var update = flag.Bool("update", false, "rewrite the golden journal in testdata/")

// TestGoldenV1 opens a journal written by format version 1 and checked in
// under testdata/: every later build must read it to the same records and
// the same root. Only rewrite it (-update) together with a new format
// version and a reader for the old one.
func TestGoldenV1(t *testing.T) {
	wal := filepath.Join("testdata", "v1", walName)
	rootFile := filepath.Join("testdata", "v1", "root")
	const n = 9
	if *update {
		dir := t.TempDir()
		j := openT(t, dir, Options{})
		fill(t, j, n)
		root, _ := j.TreeHash(n)
		j.Close()
		b, err := os.ReadFile(filepath.Join(dir, walName))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(wal), 0o755)
		if err := os.WriteFile(wal, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(rootFile, []byte(root.String()+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(wal)
	if err != nil {
		t.Fatal(err)
	}
	rootText, err := os.ReadFile(rootFile)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tlog.ParseHash(strings.TrimSpace(string(rootText)))
	if err != nil {
		t.Fatal(err)
	}
	dir := withWAL(t, b)
	j := openT(t, dir, Options{})
	defer j.Close()
	if j.Size() != n {
		t.Fatalf("Size = %d, want %d", j.Size(), n)
	}
	if root, _ := j.TreeHash(n); root != want {
		t.Fatalf("root = %v, want %v", root, want)
	}
	// The root commits to every record; Read checks each against it.
	for seq := uint64(0); seq < n; seq++ {
		if got, err := j.Read(seq); err != nil || !bytes.HasPrefix(got, []byte("record ")) {
			t.Fatalf("Read(%d) = %q, %v", seq, got, err)
		}
	}
}
