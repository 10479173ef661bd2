// Package service carries out the ledger's use cases. Every change follows
// one path: validate (may fail, nothing written) → encode the entry
// canonically → append it to the journal in a group-commit batch → fsync →
// apply it to the state (must not fail) → answer. Reads go to the state,
// and to the journal for large payloads the state does not keep.
//
// Authorization is checked here, on every method, against the Actor the
// caller authenticated as; the HTTP layer only maps roles to routes and
// cannot forget a check that lives in the method itself.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
)

// Journal is what the service needs of the append-only log.
type Journal interface {
	// Append appends the record that build returns for the sequence
	// number it is given, and returns after the fsync covering it and
	// after the commit hook has applied it. build runs serially, in
	// sequence order, on the journal's writer goroutine.
	Append(ctx context.Context, build func(seq uint64) ([]byte, error)) (uint64, error)
	// Size is the number of records.
	Size() uint64
	// Read returns the bytes of record seq.
	Read(seq uint64) ([]byte, error)
	// TreeHash is the Merkle root of the first size records.
	TreeHash(size uint64) (tlog.Hash, error)
	// InclusionProof proves record seq is in the tree of the given size.
	InclusionProof(seq, size uint64) (tlog.RecordProof, error)
	// ConsistencyProof proves the tree of size from is a prefix of the tree of size to.
	ConsistencyProof(from, to uint64) (tlog.TreeProof, error)
	// TileData returns the hashes of a tile of the committed tree, or an
	// error matching journal.ErrNotFound when it reaches past the tree.
	TileData(t tlog.Tile) ([]byte, error)
}

// Signer signs a checkpoint (a tree head) as a signed note.
type Signer interface {
	SignCheckpoint(size uint64, root tlog.Hash) ([]byte, error)
	// VerifierKey is the public key in the text form note.NewVerifier accepts.
	VerifierKey() string
	// Origin is the log's name, the first line of its checkpoints.
	Origin() string
}

// Config configures a Service.
type Config struct {
	State  *state.State
	Logger *slog.Logger
	// Now is the clock; nil means time.Now. Entry times never go
	// backwards even if the clock does.
	Now func() time.Time
	// DeadlineDays is the default filing deadline after quarter end (45).
	DeadlineDays int
	// AdminSecretHash, when set, is HashSecret of an admin bearer secret
	// given from outside (ICTLEDGER_ADMIN_TOKEN). It is never written to
	// the ledger.
	AdminSecretHash string
	// Render renders a disclosure bundle, giving the bytes
	// disclosure.Render gives; nil renders in this process. A server
	// renders in worker processes (package renderproc).
	Render func(*disclosure.Bundle) ([]byte, error)
	// RenderSlots is how many renders may run at once; zero means half
	// the processors (at least one). With worker processes, their number.
	RenderSlots int
	// RenderQueue is how many downloads of documents not yet rendered may
	// wait for a render slot (default 32); RenderWait how long one may
	// wait (default 10 s). Past either the caller gets EBusy.
	RenderQueue int
	RenderWait  time.Duration
	// CacheBytes bounds the result cache (rendered documents, computed
	// metrics and roll-ups); zero means DefaultCacheBytes.
	CacheBytes int64
	// VerifyQueue is how many verifications may be under way at once,
	// their uploads being read, waiting or rendering (default 4); one
	// more gets EBusy before its upload is read (see AdmitVerify).
	VerifyQueue int
	// DerivedDir is where figures derived from the ledger are kept across
	// restarts (the regional view's terms, see region_terms.go), usually
	// DATA/derived; empty keeps them in memory only. Everything in it can
	// be computed again from the ledger, so deleting it is safe.
	DerivedDir string
}

// Service implements the use cases on a journal and a state.
type Service struct {
	st     *state.State
	j      Journal
	signer Signer
	log    *slog.Logger
	now    func() time.Time
	cfg    Config

	// Owned by the journal's writer goroutine (build and OnCommit run
	// there): the last entry time, and the conflict keys of entries built
	// into the current batch but not applied yet.
	lastTime  time.Time
	pending   map[string]int
	keysBySeq map[uint64][]string
	appliedBy map[uint64]func(seq uint64) // run right after the entry is applied

	// applyErr is set if applying a committed entry failed (fail-stop);
	// written on the journal's writer goroutine, read by health checks.
	applyErr atomic.Pointer[error]

	results *resultCache // the one cache: documents, metrics, roll-ups
	// regionGate admits one computation of the public regional view at a
	// time (see Region).
	regionGate  chan struct{}
	regionTerms *regionTermsStore // operators' regional terms per span, under regionGate
	// records decides one view's record at a time (see regionRecord,
	// sectorRecord).
	records recordings
	// sectorChecks remembers where each scope and span's latest sector
	// record was last found to hold (sectorRecordHolds).
	sectorChecks *sectorChecks
	sectorViews  atomic.Int64              // SectorView calls, for tests to count
	densities    *calculators.Densities    // Weibull densities by lifetime parameters and age (bounded by the factor sets)
	returnCache  map[string]*ledger.Return // decoded returns (no site rows) by version id

	wit *witnessing // nil without witnesses; see StartWitnessing

	pdfs             *pdfCache
	warnedUnrecorded atomic.Bool // the log said disclosures go unrecorded (read-only ledger)
}

// New returns a service on cfg.State. Call Start once the journal is open
// (its Replay and OnCommit hooks are State.Apply and Service.OnCommit) and
// the signing key is loaded.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.DeadlineDays == 0 {
		cfg.DeadlineDays = 45
	}
	if cfg.Render == nil {
		cfg.Render = disclosure.Render
	}
	s := &Service{st: cfg.State, log: cfg.Logger, now: cfg.Now, cfg: cfg,
		pending: map[string]int{}, keysBySeq: map[uint64][]string{}, appliedBy: map[uint64]func(seq uint64){}, densities: calculators.NewDensities()}
	s.results = newResultCache(cfg.CacheBytes)
	s.regionGate = make(chan struct{}, 1)
	s.regionTerms = newRegionTermsStore(cfg.DerivedDir, cfg.Logger)
	s.sectorChecks = &sectorChecks{dir: cfg.DerivedDir, build: runningBuild, log: cfg.Logger}
	s.pdfs = newPDFCache(renderGateOf(cfg), s.results)
	return s
}

// Start attaches the opened journal and the checkpoint signer. The state
// must already hold every record of the journal (its Replay hook).
func (s *Service) Start(j Journal, signer Signer) error {
	if j.Size() != s.st.Size() {
		return fmt.Errorf("service: journal has %d entries but state applied %d", j.Size(), s.st.Size())
	}
	s.j, s.signer = j, signer
	if n := j.Size(); n > 0 {
		raw, err := j.Read(n - 1)
		if err != nil {
			return fmt.Errorf("service: read last entry: %w", err)
		}
		e, err := ledger.DecodeEntry(raw)
		if err != nil {
			return fmt.Errorf("service: last entry %d: %w", n-1, err)
		}
		s.lastTime = e.Time
	}
	return nil
}

// State returns the state the service reads from.
func (s *Service) State() *state.State { return s.st }

// OnCommit applies a committed entry to the state. The journal calls it on
// its writer goroutine, in sequence order, after the fsync.
func (s *Service) OnCommit(seq uint64, data []byte, leaf tlog.Hash) {
	if err := s.st.ApplyRecord(seq, data, leaf); err != nil {
		// A committed entry that the state refuses is a bug: stop writing.
		s.log.Error("apply committed entry failed; refusing further writes", "seq", seq, "err", err)
		s.applyErr.Store(&err)
	}
	for _, k := range s.keysBySeq[seq] {
		if s.pending[k]--; s.pending[k] <= 0 {
			delete(s.pending, k)
		}
	}
	delete(s.keysBySeq, seq)
	if f := s.appliedBy[seq]; f != nil {
		f(seq)
		delete(s.appliedBy, seq)
	}
}

// change is one entry to append: its kind and canonical payload, the
// records it changes (keys: no two entries of one batch may change the same
// record, because the second one's check ran before the first was applied),
// and a check against the state run right before the entry gets its
// sequence number.
type change struct {
	actor   ledger.Actor
	kind    ledger.Kind
	payload []byte
	keys    []string
	check   func() error
	// applied, when set, runs on the journal's writer goroutine right
	// after the entry is applied to the state and before the caller is
	// answered (for caches keyed by what the entry created).
	applied func(seq uint64)
	// notBefore, when set, is the earliest time the entry may carry: a
	// payload that names a time of its own (a sector record's as_of)
	// must not follow its entry's, even if the clock stepped back.
	notBefore time.Time
}

// commit appends one change and waits until it is durable and applied.
func (s *Service) commit(ctx context.Context, c change) error {
	if s.j == nil {
		return ledger.Errorf(ledger.EUnavailable, "the ledger is not open")
	}
	_, err := s.j.Append(ctx, func(seq uint64) ([]byte, error) {
		if perr := s.applyErr.Load(); perr != nil {
			return nil, &ledger.Error{Code: ledger.EUnavailable, Message: "the ledger refuses writes after an internal error", Err: *perr}
		}
		for _, k := range c.keys {
			if s.pending[k] > 0 {
				return nil, ledger.Errorf(ledger.EConflict, "a concurrent change to the same record is being committed; retry")
			}
		}
		if c.check != nil {
			if err := c.check(); err != nil {
				return nil, err
			}
		}
		t := s.now().UTC()
		if t.Before(s.lastTime) {
			t = s.lastTime
		}
		if t.Before(c.notBefore) {
			t = c.notBefore.UTC()
		}
		b, err := ledger.EncodeEntryRaw(seq, t, c.actor, c.kind, c.payload)
		if err != nil {
			return nil, err
		}
		s.lastTime = t
		for _, k := range c.keys {
			s.pending[k]++
		}
		s.keysBySeq[seq] = c.keys
		if c.applied != nil {
			s.appliedBy[seq] = c.applied
		}
		return b, nil
	})
	if err != nil {
		var le *ledger.Error
		switch {
		case errors.As(err, &le):
		case errors.Is(err, context.Canceled):
			// The journal gave up before writing anything: the client
			// went away while the change queued. Its doing, not a fault.
			err = &ledger.Error{Code: ledger.ECanceled, Message: "the request was cancelled before its change was written; nothing was written", Err: err}
		case errors.Is(err, context.DeadlineExceeded):
			err = &ledger.Error{Code: ledger.EUnavailable, Message: "the request ended before its change was written; nothing was written", Err: err}
		default:
			err = &ledger.Error{Code: ledger.EUnavailable, Message: "the ledger could not write durably and is now read-only", Err: err}
		}
		return err
	}
	return nil
}

func returnKey(operator string, p ledger.Period) string {
	return "return:" + operator + ":" + p.String()
}
