// Package monitor follows a ledger through its c2sp.org/tlog-tiles API and
// checks, without trusting the server, that the log only ever grows: each
// signed checkpoint extends the last one the monitor saw, and every entry
// decodes, is well formed and hashes to its leaf in the tree. It keeps
// what it saw in a state directory, so that each run carries on where the
// previous one stopped, and it reports any misbehaviour as an *Alarm.
//
// The checks use golang.org/x/mod/sumdb/tlog: the tiles are read through
// tlog.TileHashReader, which checks every tile against the signed root,
// and consistency is tlog.ProveTree checked with tlog.CheckTree against
// the two signed roots.
package monitor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/tiles"
	"github.com/ictledger/ictledger/ledger/witness"
)

// Config configures a run.
type Config struct {
	// Log is the log's URL prefix, e.g. "https://ledger.example.org/log":
	// the checkpoint is at Log+"/checkpoint", the tiles under Log+"/tile/".
	Log string
	// Verifier checks the log's checkpoints: the log's public key,
	// obtained independently of the server.
	Verifier note.Verifier
	// StateDir holds what the monitor saw (created when missing).
	StateDir string
	// HTTP is the client; nil means http.DefaultClient.
	HTTP *http.Client
	// MaxFetchBytes bounds each answer read; zero means DefaultMaxFetchBytes.
	MaxFetchBytes int64
	// MaxRunBytes bounds the bytes read in one run; a run that reaches it
	// stops after the bundle in hand, saves its progress and reports an
	// incomplete Result. Zero means DefaultMaxRunBytes.
	MaxRunBytes int64
	// Logger receives progress; nil discards it.
	Logger *slog.Logger
	// Witnesses are the public keys of witnesses whose cosignatures the
	// checkpoint must carry, MinWitnesses of them at least (zero means
	// all). A checkpoint with fewer is not trusted and the state stays
	// as it was: the run fails with an error wrapping ErrUnwitnessed.
	Witnesses    []note.Verifier
	MinWitnesses int
	// Token is a regulator's or admin's bearer token. The hash tiles and
	// checkpoints are public, the entries are not: without a token a run
	// checks the checkpoints and their consistency only, and leaves the
	// entries for a run that has one.
	Token string
}

// Defaults of the bounds.
const (
	// DefaultMaxFetchBytes holds a full bundle (about 16 MiB) and a large
	// entry such as a return with 100,000 sites (about 20 MB).
	DefaultMaxFetchBytes = 64 << 20
	// DefaultMaxRunBytes is how much one run reads at most.
	DefaultMaxRunBytes = 1 << 30
)

// Result is what a run established.
type Result struct {
	// Old is the checkpoint of the previous run; nil on the first run.
	Old *checkpoint.Checkpoint
	// New is the log's current checkpoint, verified and consistent with Old.
	New checkpoint.Checkpoint
	// Checked is the number of entries checked in this run; Next is the
	// first entry not checked yet (New.Size when Complete).
	Checked, Next uint64
	// Bytes is how much was read from the log.
	Bytes int64
	// Complete is false when MaxRunBytes stopped the run early, or when
	// the entries were not checked for want of a Token.
	Complete bool
	// EntriesSkipped is set when the run had no Token.
	EntriesSkipped bool
}

// Run checks the log's current checkpoint against the state and the
// entries not checked yet, and saves the new state. It returns an *Alarm
// when the log misbehaved (the state then stays as it was, so every later
// run reports it again); any other error means the check could not be
// done (network, bounds, a state directory it cannot write).
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Log == "" || cfg.Verifier == nil || cfg.StateDir == "" {
		return nil, errors.New("monitor: Log, Verifier and StateDir are required")
	}
	if cfg.MaxFetchBytes <= 0 {
		cfg.MaxFetchBytes = DefaultMaxFetchBytes
	}
	if cfg.MaxRunBytes <= 0 {
		cfg.MaxRunBytes = DefaultMaxRunBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTP == nil {
		cfg.HTTP = http.DefaultClient
	}
	st, err := loadState(cfg.StateDir, cfg.Verifier)
	if err != nil {
		return nil, err
	}
	f := &fetcher{cfg: cfg, ctx: ctx}
	m := &run{cfg: cfg, f: f, st: st, res: &Result{}}
	err = m.run()
	m.res.Bytes = f.total
	var alarm *Alarm
	if errors.As(err, &alarm) {
		cfg.Logger.Error("ALARM: "+alarm.Message, "kind", string(alarm.Kind), "log", cfg.Log)
		if werr := writeEvidence(cfg.StateDir, alarm); werr != nil {
			cfg.Logger.Error("could not keep the evidence", "err", werr)
		}
	}
	return m.res, err
}

// run is one run's work.
type run struct {
	cfg Config
	f   *fetcher
	st  *state
	res *Result
	thr tlog.HashReader // tiles of the new tree, checked against its root
}

func (m *run) run() error {
	noteText, err := m.f.get(m.cfg.Log+"/checkpoint", 1<<16)
	if err != nil {
		return fmt.Errorf("monitor: fetch the checkpoint: %w", err)
	}
	cp, err := checkpoint.Open(noteText, m.cfg.Verifier)
	if err != nil {
		return &Alarm{Kind: BadCheckpoint, New: noteText,
			Message: fmt.Sprintf("the checkpoint at %s/checkpoint does not verify with key %s: %v", m.cfg.Log, m.cfg.Verifier.Name(), err)}
	}
	m.res.New = cp
	m.thr = tlog.TileHashReader(tlog.Tree{N: int64(cp.Size), Hash: cp.Root}, &tileReader{f: m.f, prefix: m.cfg.Log})
	if err := m.checkConsistent(cp, noteText); err != nil {
		return err
	}
	if err := m.checkWitnessed(noteText); err != nil {
		return err
	}
	next := uint64(0)
	if m.st.Note != nil {
		next = m.st.Next
	}
	m.st = &state{Note: noteText, cp: cp, Next: next, LastTime: m.st.LastTime}
	if err := m.st.save(m.cfg.StateDir); err != nil {
		return err
	}
	if m.cfg.Token == "" {
		m.res.Next, m.res.EntriesSkipped = m.st.Next, true
		m.cfg.Logger.Info("entries not checked: they are for regulators, and no token was given", "next", m.st.Next, "size", cp.Size)
		return nil
	}
	return m.checkEntries()
}

// checkConsistent compares the new checkpoint with the one saved by the
// previous run.
func (m *run) checkConsistent(cp checkpoint.Checkpoint, noteText []byte) error {
	if m.st.Note == nil {
		m.cfg.Logger.Info("first run: trusting this checkpoint as the start", "size", cp.Size, "root", cp.Root.String())
		return nil
	}
	old := m.st.cp
	m.res.Old = &old
	alarm := func(kind AlarmKind, format string, args ...any) error {
		return &Alarm{Kind: kind, Message: fmt.Sprintf(format, args...), Old: m.st.Note, New: noteText}
	}
	switch {
	case cp.Origin != old.Origin:
		return alarm(BadCheckpoint, "the checkpoint names origin %q, the previous one %q", cp.Origin, old.Origin)
	case cp.Size < old.Size:
		return alarm(Rollback, "the log shrank: its checkpoint is of size %d, the previous one was of size %d", cp.Size, old.Size)
	case cp.Size == old.Size && cp.Root != old.Root:
		return alarm(SplitView, "split view: two checkpoints of size %d with different roots, %s before and %s now", cp.Size, old.Root, cp.Root)
	case cp.Size == old.Size || old.Size == 0:
		return nil
	}
	proof, err := tlog.ProveTree(int64(cp.Size), int64(old.Size), m.thr)
	if err != nil {
		return m.tileError(err, noteText)
	}
	if err := tlog.CheckTree(proof, int64(cp.Size), cp.Root, int64(old.Size), old.Root); err != nil {
		return alarm(Fork, "fork: the tree of size %d (root %s) does not extend the previous checkpoint of size %d (root %s): %v",
			cp.Size, cp.Root, old.Size, old.Root, err)
	}
	m.cfg.Logger.Info("consistent", "from", old.Size, "to", cp.Size, "root", cp.Root.String())
	return nil
}

// ErrUnwitnessed means the checkpoint lacks the cosignatures the run
// requires. It is not by itself evidence against the log (a witness may
// be down), so it is an error, not an Alarm; a split view the witnesses
// refused to cosign shows as this error to a monitor that never saw the
// other view.
var ErrUnwitnessed = errors.New("monitor: the checkpoint is not witnessed")

// checkWitnessed counts the checkpoint's cosignatures by the configured
// witnesses. A cosignature line by one of their keys that does not
// verify is an alarm: the log served a forged cosignature.
func (m *run) checkWitnessed(noteText []byte) error {
	if len(m.cfg.Witnesses) == 0 {
		return nil
	}
	need := m.cfg.MinWitnesses
	if need <= 0 || need > len(m.cfg.Witnesses) {
		need = len(m.cfg.Witnesses)
	}
	_, n, err := witness.Count(noteText, m.cfg.Verifier, m.cfg.Witnesses)
	if err != nil {
		return &Alarm{Kind: BadCheckpoint, New: noteText, Old: m.st.Note,
			Message: fmt.Sprintf("the checkpoint's cosignatures do not verify: %v", err)}
	}
	if n < need {
		return fmt.Errorf("%w: size %d carries cosignatures of %d of the %s given, %d required",
			ErrUnwitnessed, m.res.New.Size, n, ledger.CountNoun(len(m.cfg.Witnesses), "witness", "witnesses"), need)
	}
	m.cfg.Logger.Info("witnessed", "size", m.res.New.Size, "cosignatures", n)
	return nil
}

// tileError tells a tile that could not be fetched (an error) from a tile
// that does not match the signed root (an alarm).
func (m *run) tileError(err error, noteText []byte) error {
	if errors.Is(err, errFetch) {
		return fmt.Errorf("monitor: %w", err)
	}
	return &Alarm{Kind: BadTiles, Old: m.st.Note, New: noteText,
		Message: fmt.Sprintf("the log's tiles do not match its own checkpoint of size %d: %v", m.res.New.Size, err)}
}

// checkEntries checks the entries from the state's Next up to the new
// size, one bundle at a time, saving progress after each.
func (m *run) checkEntries() error {
	size := m.res.New.Size
	m.res.Next = m.st.Next
	for m.st.Next < size {
		if m.f.total >= m.cfg.MaxRunBytes {
			m.cfg.Logger.Warn("stopping at the run's byte limit; the next run carries on", "next", m.st.Next, "size", size, "bytes", m.f.total)
			return nil
		}
		n, err := m.checkBundle(m.st.Next/tiles.FullWidth, size)
		if err != nil {
			return err
		}
		m.res.Checked += n
		m.st.Next += n
		m.res.Next = m.st.Next
		if err := m.st.save(m.cfg.StateDir); err != nil {
			return err
		}
	}
	m.res.Complete = true
	return nil
}
