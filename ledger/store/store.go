// Package store opens a ledger's data directory as one thing: the journal
// under its lock, the state rebuilt from it, the signing key, and the
// signed checkpoints kept beside them. It owns the rules that make the
// directory tamper-evident across restarts: the journal must extend the
// last checkpoint this key signed, and a newer checkpoint is stored
// whenever the log grows, so that a later start can tell that records
// were cut off. It also keeps a snapshot of the state (SnapshotFile), so
// that a start loads the state rather than applying every entry again;
// the journal is read and checked whole either way.
package store

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/buildid"
	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/journal"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/ledger/verify"
)

// Options configures Open.
type Options struct {
	// Origin is the log's name, the first line of its checkpoints and the
	// name of its key. Empty means "ictledger".
	Origin string
	Logger *slog.Logger
	// OnCommit is the journal's commit hook (see journal.Options): the
	// service applies each committed entry to the state there.
	OnCommit func(seq uint64, data []byte, leaf tlog.Hash)
	// OnSync is told each fsync's duration and record count.
	OnSync func(d time.Duration, records int)
	// CheckpointInterval is how often a grown log gets a newly stored
	// checkpoint; zero means one second. Storing after every batch would
	// add an fsync and a rename to every commit.
	CheckpointInterval time.Duration
	// FS is the journal's file system; nil is the operating system's.
	// Tests inject write and fsync failures through it.
	FS journal.FS
}

// Store is an open data directory.
type Store struct {
	Dir     string
	Journal *journal.Journal
	State   *state.State
	signer  *Signer
	log     *slog.Logger

	mu         sync.Mutex // serializes storing checkpoints
	storedSize uint64

	snapSize uint64    // the size of the snapshot on disk; only keepCheckpoints, then Close, use it
	snapAt   time.Time // when it was written or loaded (see snapshotDue)

	stop chan struct{}
	done chan struct{}
}

// Open opens the ledger in dir (created, mode 0700, when missing),
// loads st from the state snapshot and the journal's entries after it,
// or replays the whole journal into st when the snapshot is missing or
// cannot be used, loads or creates its signing key, and
// checks that the journal extends the last stored checkpoint. Open holds
// the journal's lock until Close. On error nothing stays open.
func Open(dir string, st *state.State, opts Options) (*Store, error) {
	if opts.Origin == "" {
		opts.Origin = "ictledger"
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.CheckpointInterval == 0 {
		opts.CheckpointInterval = time.Second
	}
	// The build is identified now, in the background, rather than when
	// the first snapshot is written: where the running program cannot be
	// read itself, its path may meanwhile name another build.
	go buildid.Running()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	jopts := journal.Options{Logger: opts.Logger, FS: opts.FS, OnCommit: opts.OnCommit, OnSync: opts.OnSync}
	j, signer, snapSize, err := openFromSnapshot(dir, st, jopts, opts.Origin, opts.Logger)
	if err != nil {
		return nil, err
	}
	// A snapshot loaded counts as one just written; after a full replay
	// (a new build, a lost snapshot) the next is due as soon as the state
	// is large enough to be worth one (snapshotDue), so that a crash soon
	// after such a start does not mean a second full replay.
	snapAt := time.Now()
	if j == nil {
		snapAt = time.Time{}
		replay := st.NewReplay()
		jopts.Prepare, jopts.Replay = replay.Prepare, replay.ApplyPrepared
		if j, err = journal.Open(dir, jopts); err != nil {
			return nil, err
		}
		replay.Finish()
		// The key is loaded only under the journal's lock, so two
		// processes can never create two keys for one directory.
		if signer, err = LoadSigner(dir, opts.Origin); err != nil {
			j.Close()
			return nil, err
		}
	}
	removeSnapshotTemps(dir) // under the lock: a running server may be writing one
	// The journal alone cannot tell that whole records were cut off at a
	// frame boundary; the checkpoint this key signed earlier can.
	if err := verify.Prefix(dir, j, signer.verifier); err != nil {
		j.Close()
		return nil, fmt.Errorf("the journal does not extend the last stored checkpoint: %w", err)
	}
	s := &Store{Dir: dir, Journal: j, State: st, signer: signer, log: opts.Logger, snapSize: snapSize, snapAt: snapAt,
		stop: make(chan struct{}), done: make(chan struct{})}
	go s.keepCheckpoints(opts.CheckpointInterval)
	return s, nil
}

// openFromSnapshot opens the journal without replaying it, loads the
// key, and loads the state from dir's snapshot, then applies the entries
// after it. It returns a nil journal, the journal closed again and st
// empty, when there is no snapshot or it cannot be used (logged): the
// caller then replays the whole journal. An error is the journal's or
// the key's own (a full replay would meet it again).
func openFromSnapshot(dir string, st *state.State, jopts journal.Options, origin string, log *slog.Logger) (*journal.Journal, *Signer, uint64, error) {
	if _, err := os.Stat(filepath.Join(dir, SnapshotFile)); err != nil {
		if !snapshotMissing(err) {
			log.Warn("state snapshot ignored; replaying the whole journal", "file", filepath.Join(dir, SnapshotFile), "err", err)
		}
		return nil, nil, 0, nil
	}
	// The snapshot is read and loaded while the journal is read and
	// checked (two processors), then checked against it.
	read := make(chan snapshotRead, 1)
	go func() { read <- readSnapshot(filepath.Join(dir, SnapshotFile), st) }()
	j, err := journal.Open(dir, jopts)
	if err != nil {
		<-read
		st.Reset()
		return nil, nil, 0, err
	}
	signer, err := LoadSigner(dir, origin)
	if err != nil {
		<-read
		st.Reset()
		j.Close()
		return nil, nil, 0, err
	}
	snap := <-read
	size := snap.header.size
	err = snap.check(j, signer.verifier)
	if err == nil {
		err = applyTail(j, st, size)
	}
	if err != nil {
		log.Warn("state snapshot ignored; replaying the whole journal", "file", filepath.Join(dir, SnapshotFile), "err", err)
		st.Reset()
		if err := j.Close(); err != nil {
			return nil, nil, 0, err
		}
		return nil, nil, 0, nil
	}
	log.Info("state snapshot loaded", "size", size, "entries_after", j.Size()-size)
	return j, signer, size, nil
}

// applyTail applies to st, loaded from a snapshot of size entries, the
// journal's entries from size on, each read back and checked against its
// leaf hash.
func applyTail(j *journal.Journal, st *state.State, size uint64) error {
	r := st.NewReplay()
	for seq := size; seq < j.Size(); seq++ {
		data, err := j.Read(seq)
		if err != nil {
			return err
		}
		leaf, err := j.LeafHash(seq)
		if err != nil {
			return err
		}
		if err := r.Apply(seq, data, leaf); err != nil {
			return fmt.Errorf("entry %d after the snapshot: %w", seq, err)
		}
	}
	r.Finish()
	return nil
}

// storeSnapshot writes a snapshot of the state as it is now, logging a
// failure: the snapshot only saves time at the next start.
func (s *Store) storeSnapshot() {
	start := time.Now()
	v := s.State.View()
	if err := writeSnapshot(s.Dir, s.Journal, v, s.signer.signer); err != nil {
		// The next try waits snapshotSpacing as after a success: a
		// failure that lasts (a full disk) would otherwise write the
		// whole state again every tick, and log it.
		s.snapAt = time.Now()
		s.log.Error("store state snapshot", "err", err)
		return
	}
	s.snapSize, s.snapAt = v.Size(), time.Now()
	s.log.Info("state snapshot stored", "size", v.Size(), "ms", time.Since(start).Milliseconds())
}

// Signer is the log's checkpoint signer.
func (s *Store) Signer() *Signer { return s.signer }

// keepCheckpoints stores a signed checkpoint whenever the ledger grew,
// and a state snapshot when one is due (snapshotDue), until Close.
func (s *Store) keepCheckpoints(every time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			if err := s.StoreCheckpoint(); err != nil {
				s.log.Error("store checkpoint", "err", err)
			}
			if snapshotDue(s.snapSize, s.snapAt, s.State.Size(), time.Now()) {
				s.storeSnapshot()
			}
		}
	}
}

// StoreCheckpoint signs and stores the current tree head if the log grew
// since the last one stored.
func (s *Store) StoreCheckpoint() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	size := s.Journal.Size()
	if size == 0 || size == s.storedSize {
		return nil
	}
	root, err := s.Journal.TreeHash(size)
	if err != nil {
		return err
	}
	msg, err := s.signer.SignCheckpoint(size, root)
	if err != nil {
		return err
	}
	if err := checkpoint.Store(s.Dir, msg); err != nil {
		return err
	}
	s.storedSize = size
	return nil
}

// Close stops storing checkpoints, stores the final one and a snapshot
// of the state when it grew, and closes the journal, which flushes it and
// releases the lock. Call it once, after the last Append has returned.
func (s *Store) Close() error {
	close(s.stop)
	<-s.done
	// A checkpoint that cannot be stored (a ledger gone read-only after a
	// storage fault) is logged: the journal still closes, and the last
	// stored checkpoint stays a valid, older one.
	if err := s.StoreCheckpoint(); err != nil {
		s.log.Error("store the final checkpoint", "err", err)
	}
	if s.State.Size() > s.snapSize {
		s.storeSnapshot()
	}
	return s.Journal.Close()
}

// Signer signs tree heads with a data directory's key.
type Signer struct {
	signer      note.Signer
	verifier    note.Verifier
	verifierKey string
	origin      string
}

// LoadSigner loads the key in dir, creating it on first use (see
// checkpoint.LoadOrCreateKey). The caller must hold the directory.
func LoadSigner(dir, origin string) (*Signer, error) {
	signer, verifier, err := checkpoint.LoadOrCreateKey(dir, origin)
	if err != nil {
		return nil, err
	}
	vkey, err := checkpoint.VerifierKey(dir)
	if err != nil {
		return nil, err
	}
	return &Signer{signer: signer, verifier: verifier, verifierKey: vkey, origin: origin}, nil
}

// SignCheckpoint signs the tree head (size, root) as a signed note.
func (c *Signer) SignCheckpoint(size uint64, root tlog.Hash) ([]byte, error) {
	return checkpoint.Sign(c.signer, c.origin, size, root)
}

// VerifierKey is the public key text.
func (c *Signer) VerifierKey() string { return c.verifierKey }

// Origin is the log's name.
func (c *Signer) Origin() string { return c.origin }
