package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/ledger/verify"
)

// open opens dir with a state that applies what the journal commits, as
// the service does.
func open(t *testing.T, dir string) *Store {
	t.Helper()
	st := state.New()
	s, err := Open(dir, st, Options{Origin: "ictledger.test/store", CheckpointInterval: time.Hour,
		OnCommit: func(seq uint64, data []byte, leaf tlog.Hash) {
			if err := st.ApplyRecord(seq, data, leaf); err != nil {
				t.Errorf("apply %d: %v", seq, err)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// register appends n operator registrations.
func register(t *testing.T, s *Store, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		payload, err := ledger.Canonical(ledger.Operator{ID: fmt.Sprintf("op-%d-%d", s.Journal.Size(), i), Name: "Op", Country: "JP", Kinds: []string{"mobile"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Journal.Append(context.Background(), func(seq uint64) ([]byte, error) {
			return ledger.EncodeEntryRaw(seq, time.Unix(1_700_000_000, 0).UTC(), ledger.SystemActor, ledger.KindOperatorRegistered, payload)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestReopenRebuildsStateAndStoresCheckpoint(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := open(t, dir)
	register(t, s, 3)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	msg, err := checkpoint.Latest(dir)
	if err != nil {
		t.Fatalf("Close stored no checkpoint: %v", err)
	}
	c, err := checkpoint.Open(msg, s.Signer().verifier)
	if err != nil || c.Size != 3 {
		t.Fatalf("stored checkpoint = %+v, %v; want size 3", c, err)
	}
	s = open(t, dir)
	defer s.Close()
	if got := len(s.State.Operators()); got != 3 {
		t.Fatalf("reopened state has %d operators, want 3", got)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("data directory mode = %v, %v; want 0700", fi.Mode().Perm(), err)
	}
}

// A journal cut at a frame boundary opens cleanly as a journal; the store
// refuses it because its last stored checkpoint covers more records.
func TestOpenRefusesJournalShorterThanCheckpoint(t *testing.T) {
	long, short := t.TempDir(), t.TempDir()
	s := open(t, long)
	register(t, s, 5)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, short)
	register(t, s, 2)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// The short directory gets the long one's key and checkpoint: the
	// same log, as if its last three records had been cut off.
	for _, name := range []string{checkpoint.KeyFile, checkpoint.PublicKeyFile, checkpoint.LatestFile} {
		b, err := os.ReadFile(filepath.Join(long, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(short, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Open(short, state.New(), Options{Origin: "ictledger.test/store"})
	if !errors.Is(err, verify.ErrCheckpoint) {
		t.Fatalf("Open of a cut journal = %v, want verify.ErrCheckpoint", err)
	}
	// Nothing stayed open: the directory can be opened again (the lock
	// was released) once the checkpoint is put right.
	os.Remove(filepath.Join(short, checkpoint.LatestFile))
	s = open(t, short)
	s.Close()
}
