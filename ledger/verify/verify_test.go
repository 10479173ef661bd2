package verify

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/journal"
	"golang.org/x/mod/sumdb/note"
)

const origin = "ictledger.test/ledger"

// server fills a data directory the way the service does: records through
// the journal, then a signed checkpoint stored after the commit. The
// journal is left open, as a running server holds it.
func server(t *testing.T, dir string, n int, seed string) (*journal.Journal, note.Signer, string) {
	t.Helper()
	j, err := journal.Open(dir, journal.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	signer, _, err := checkpoint.LoadOrCreateKey(dir, origin)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		_, err := j.Append(context.Background(), func(seq uint64) ([]byte, error) {
			return fmt.Appendf(nil, `{"seq":%d,"seed":%q}`, seq, seed), nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	storeCheckpoint(t, dir, j, signer)
	vkey, err := checkpoint.VerifierKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	return j, signer, vkey
}

func storeCheckpoint(t *testing.T, dir string, j *journal.Journal, signer note.Signer) {
	t.Helper()
	size := j.Size()
	root, err := j.TreeHash(size)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := checkpoint.Sign(signer, origin, size, root)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkpoint.Store(dir, msg); err != nil {
		t.Fatal(err)
	}
}

func TestDirWhileServerRuns(t *testing.T) {
	dir := t.TempDir()
	j, _, vkey := server(t, dir, 50, "a")
	r, err := Dir(dir, vkey)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := j.TreeHash(50)
	if r.Entries != 50 || r.Root != root || r.Checkpoint.Size != 50 || r.Checkpoint.Root != root || r.TornTail != nil {
		t.Fatalf("report %+v", r)
	}
	// Records appended after the checkpoint are checked too; the
	// checkpoint still matches its prefix.
	j.Append(context.Background(), func(uint64) ([]byte, error) { return []byte("{}"), nil })
	if r, err = Dir(dir, vkey); err != nil || r.Entries != 51 || r.Checkpoint.Size != 50 {
		t.Fatalf("after one more append: %+v, %v", r, err)
	}
}

func TestDirEmpty(t *testing.T) {
	dir := t.TempDir()
	_, _, vkey := server(t, dir, 0, "")
	if r, err := Dir(dir, vkey); err != nil || r.Entries != 0 {
		t.Fatalf("empty: %+v, %v", r, err)
	}
}

func TestDirFailures(t *testing.T) {
	t.Run("flipped byte names the record", func(t *testing.T) {
		dir := t.TempDir()
		j, _, vkey := server(t, dir, 20, "a")
		j.Close()
		wal := filepath.Join(dir, "journal.wal")
		b, _ := os.ReadFile(wal)
		b[len(b)/2] ^= 0x20
		os.WriteFile(wal, b, 0o600)
		_, err := Dir(dir, vkey)
		var ce *journal.CorruptError
		if !errors.As(err, &ce) || ce.File != wal || ce.Seq == 0 || ce.Seq >= 19 {
			t.Fatalf("Dir = %v", err)
		}
	})
	t.Run("signed by another key", func(t *testing.T) {
		dir := t.TempDir()
		j, _, vkey := server(t, dir, 5, "a")
		skey, _, _ := note.GenerateKey(rand.Reader, origin)
		other, _ := note.NewSigner(skey)
		root, _ := j.TreeHash(5)
		msg, _ := checkpoint.Sign(other, origin, 6, root)
		os.WriteFile(filepath.Join(dir, checkpoint.LatestFile), msg, 0o644)
		if _, err := Dir(dir, vkey); !errors.Is(err, ErrCheckpoint) {
			t.Fatalf("Dir = %v", err)
		}
	})
	t.Run("records removed from the end", func(t *testing.T) {
		dir := t.TempDir()
		j, _, vkey := server(t, dir, 10, "a")
		j.Close()
		// Cut the journal at a frame boundary: every remaining frame is
		// whole, only the checkpoint can tell.
		other := t.TempDir()
		j2, _, _ := server(t, other, 7, "a")
		j2.Close()
		b, _ := os.ReadFile(filepath.Join(other, "journal.wal"))
		os.WriteFile(filepath.Join(dir, "journal.wal"), b, 0o600)
		if _, err := Dir(dir, vkey); !errors.Is(err, ErrCheckpoint) {
			t.Fatalf("Dir = %v", err)
		}
	})
	t.Run("journal rewritten consistently", func(t *testing.T) {
		dir := t.TempDir()
		j, _, vkey := server(t, dir, 10, "a")
		j.Close()
		other := t.TempDir()
		j2, _, _ := server(t, other, 10, "b")
		j2.Close()
		b, _ := os.ReadFile(filepath.Join(other, "journal.wal"))
		os.WriteFile(filepath.Join(dir, "journal.wal"), b, 0o600)
		if _, err := Dir(dir, vkey); !errors.Is(err, ErrCheckpoint) {
			t.Fatalf("Dir = %v", err)
		}
	})
	t.Run("checkpoint missing", func(t *testing.T) {
		dir := t.TempDir()
		_, _, vkey := server(t, dir, 3, "a")
		os.Remove(filepath.Join(dir, checkpoint.LatestFile))
		if _, err := Dir(dir, vkey); !errors.Is(err, ErrCheckpoint) {
			t.Fatalf("Dir = %v", err)
		}
	})
	t.Run("bad verifier key", func(t *testing.T) {
		if _, err := Dir(t.TempDir(), "not a key"); err == nil {
			t.Fatal("accepted")
		}
	})
}

func TestPrefix(t *testing.T) {
	dir := t.TempDir()
	j, signer, _ := server(t, dir, 8, "a")
	_, verifier, err := checkpoint.LoadOrCreateKey(dir, origin)
	if err != nil {
		t.Fatal(err)
	}
	if err := Prefix(dir, j, verifier); err != nil {
		t.Fatalf("Prefix on a consistent journal: %v", err)
	}
	if err := Prefix(t.TempDir(), j, verifier); err != nil {
		t.Fatalf("Prefix without a checkpoint: %v", err)
	}
	// A journal cut at a frame boundary opens cleanly; Prefix catches it.
	j.Close()
	short := t.TempDir()
	js, _, _ := server(t, short, 5, "a")
	storeCheckpoint(t, short, js, signer)
	b, _ := os.ReadFile(filepath.Join(dir, checkpoint.LatestFile))
	os.WriteFile(filepath.Join(short, checkpoint.LatestFile), b, 0o644)
	if err := Prefix(short, js, verifier); !errors.Is(err, ErrCheckpoint) {
		t.Fatalf("Prefix on a cut journal: %v", err)
	}
}
