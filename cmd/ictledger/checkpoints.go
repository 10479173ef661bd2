package main

import (
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger/checkpoint"
)

// checkpointSigner signs tree heads with the data directory's key.
type checkpointSigner struct {
	signer      note.Signer
	verifier    note.Verifier
	verifierKey string
	origin      string
}

func newCheckpointSigner(dir, origin string) (*checkpointSigner, error) {
	signer, verifier, err := checkpoint.LoadOrCreateKey(dir, origin)
	if err != nil {
		return nil, err
	}
	vkey, err := checkpoint.VerifierKey(dir)
	if err != nil {
		return nil, err
	}
	return &checkpointSigner{signer: signer, verifier: verifier, verifierKey: vkey, origin: origin}, nil
}

// SignCheckpoint signs the tree head (size, root) as a signed note.
func (c *checkpointSigner) SignCheckpoint(size uint64, root tlog.Hash) ([]byte, error) {
	return checkpoint.Sign(c.signer, c.origin, size, root)
}

// VerifierKey is the public key text.
func (c *checkpointSigner) VerifierKey() string { return c.verifierKey }

// Origin is the log's name.
func (c *checkpointSigner) Origin() string { return c.origin }

// checkpointInterval is how often a new tree head is signed and stored in
// the data directory for offline verification. Storing after every batch
// would add an fsync and a rename to every commit.
const checkpointInterval = time.Second

// storeCheckpoints stores a signed checkpoint whenever the ledger grew,
// until stop is closed.
func (m *Main) storeCheckpoints(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if err := m.storeCheckpoint(); err != nil {
				m.log.Error("store checkpoint", "err", err)
			}
		}
	}
}

// storeCheckpoint signs and stores the current tree head if it is newer
// than the stored one.
func (m *Main) storeCheckpoint() error {
	size := m.journal.Size()
	if size == 0 || size == m.storedSize {
		return nil
	}
	cp, err := m.svc.CheckpointAt(size)
	if err != nil {
		return err
	}
	if err := checkpoint.Store(m.cfg.DataDir, []byte(cp.Note)); err != nil {
		return err
	}
	m.storedSize = size
	return nil
}
