package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/witness"
)

// WitnessConfig configures witnessing (see StartWitnessing).
type WitnessConfig struct {
	Witnesses []witness.Witness
	// Dir is the data directory, where the cosigned checkpoints and each
	// witness's last cosigned size are kept.
	Dir string
	// HTTP is the client for the witnesses; nil means a plain one.
	HTTP *http.Client
	// Interval is how often the log is checked for growth (one round of
	// requests when it grew); zero means one second.
	Interval time.Duration
	// Timeout bounds each request to a witness; zero means ten seconds.
	Timeout time.Duration
	// MaxBackoff is the longest wait before trying a failing witness
	// again; zero means five minutes.
	MaxBackoff time.Duration
}

// WitnessStatus is how far one witness has got (admin, and /metrics).
type WitnessStatus struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	// Size is the size of the latest checkpoint the witness cosigned.
	Size uint64 `json:"size"`
	// Lag is how many entries the log has that the witness has not
	// cosigned yet.
	Lag uint64 `json:"lag"`
	// Failures counts failed requests since the start.
	Failures uint64 `json:"failures"`
	// LastError is the latest failure, empty after a success.
	LastError   string    `json:"last_error,omitempty"`
	LastSuccess time.Time `json:"last_success,omitzero"`
}

// witnessing runs rounds of add-checkpoint requests in the background.
// Filings never wait for it: a round signs the tree head of the moment,
// asks every witness that is not backing off, at most Timeout each, and
// publishes the checkpoint with the cosignatures it got.
type witnessing struct {
	cfg  WitnessConfig
	hist *witness.History

	published atomic.Pointer[[]byte] // the checkpoint /log/checkpoint serves

	mu     sync.Mutex
	status []*witnessState // in configuration order
	round  uint64          // size of the last round

	cancel   context.CancelFunc
	done     chan struct{}
	stopOnce sync.Once
}

type witnessState struct {
	WitnessStatus
	w       witness.Witness
	backoff time.Duration
	nextTry time.Time
}

// StartWitnessing starts sending the log's checkpoints to cfg.Witnesses,
// until StopWitnessing. From then on the public checkpoint is the one of
// the latest round, with the cosignatures the witnesses gave; disclosures
// carry the first cosigned checkpoint at or past their entries. Call it
// after Start.
func (s *Service) StartWitnessing(cfg WitnessConfig) error {
	if len(cfg.Witnesses) == 0 {
		return nil
	}
	if err := witness.CheckUnique(cfg.Witnesses); err != nil {
		return err
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{}
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Minute
	}
	hist, err := witness.OpenHistory(cfg.Dir)
	if err != nil {
		return err
	}
	acks, err := witness.LoadAcks(cfg.Dir)
	if err != nil {
		hist.Close()
		return err
	}
	w := &witnessing{cfg: cfg, hist: hist, done: make(chan struct{})}
	for _, wt := range cfg.Witnesses {
		w.status = append(w.status, &witnessState{w: wt, WitnessStatus: WitnessStatus{Name: wt.Name, URL: wt.URL, Size: acks[wt.Name]}})
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	s.wit = w
	go s.witnessLoop(ctx)
	return nil
}

// StopWitnessing stops the rounds (one under way is cancelled) and closes
// the history file. Call it before the journal is closed; calling it again
// does nothing.
func (s *Service) StopWitnessing() {
	w := s.wit
	if w == nil {
		return
	}
	w.stopOnce.Do(func() {
		w.cancel()
		<-w.done
		if err := w.hist.Close(); err != nil {
			s.log.Warn("close the cosigned checkpoints", "err", err)
		}
	})
}

func (s *Service) witnessLoop(ctx context.Context) {
	w := s.wit
	defer close(w.done)
	t := time.NewTicker(w.cfg.Interval)
	defer t.Stop()
	for {
		s.witnessRound(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// witnessRound asks the witnesses to cosign the current tree head if the
// log grew since the last round, or if a witness is behind and due.
func (s *Service) witnessRound(ctx context.Context) {
	w := s.wit
	size := s.j.Size()
	if size == 0 {
		return
	}
	now := s.now()
	var due []*witnessState
	w.mu.Lock()
	for _, st := range w.status {
		// A witness that refused is asked again (after its backoff) even
		// at a size it says it has: it may know another tree there.
		behind := size != w.round || st.Size != size || st.LastError != ""
		if behind && !now.Before(st.nextTry) {
			due = append(due, st)
		}
	}
	grew := size != w.round
	w.mu.Unlock()
	if len(due) == 0 && !grew {
		return
	}
	cp, err := s.CheckpointAt(size)
	if err != nil {
		s.log.Error("witnessing: sign the checkpoint", "size", size, "err", err)
		return
	}
	note := []byte(cp.Note)
	sigs := make([][]byte, len(due))
	errs := make([]error, len(due))
	acked := make([]uint64, len(due))
	var wg sync.WaitGroup
	for i, st := range due {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sigs[i], acked[i], errs[i] = s.askWitness(ctx, st.w, st.Size, size, note)
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return // stopping: what the witnesses said is found again next time
	}
	s.finishRound(size, note, due, sigs, acked, errs)
}

// finishRound keeps what a round got: the cosigned checkpoint (fsynced
// first), the witnesses' sizes, the status; then publishes the checkpoint.
func (s *Service) finishRound(size uint64, note []byte, due []*witnessState, sigs [][]byte, acked []uint64, errs []error) {
	w := s.wit
	cosigned := witness.AddSignatures(note, sigs...)
	w.mu.Lock()
	defer w.mu.Unlock()
	// Witnesses that were not asked this round keep their cosignatures
	// of this size from earlier rounds.
	if prev := w.published.Load(); prev != nil && w.round == size {
		cosigned = witness.AddSignatures(cosigned, signatureBlock(*prev))
	}
	if len(cosigned) > len(note) {
		if _, at, ok, _ := w.hist.Latest(); !ok || at < size {
			if err := w.hist.Append(size, cosigned); err != nil {
				s.log.Error("witnessing: keep the cosigned checkpoint", "size", size, "err", err)
			}
		}
	}
	now := s.now()
	acks := map[string]uint64{}
	for i, st := range due {
		st.Size = acked[i]
		if errs[i] != nil {
			st.Failures++
			st.LastError = errs[i].Error()
			st.backoff = min(max(2*st.backoff, w.cfg.Interval), w.cfg.MaxBackoff)
			st.nextTry = now.Add(st.backoff)
			s.log.Warn("witnessing: a witness did not cosign", "witness", st.Name, "size", size, "witness_size", st.Size, "err", errs[i])
			continue
		}
		st.LastError, st.LastSuccess, st.backoff, st.nextTry = "", now, 0, time.Time{}
	}
	for _, st := range w.status {
		acks[st.Name] = st.Size
	}
	if err := witness.StoreAcks(w.cfg.Dir, acks); err != nil {
		s.log.Error("witnessing: keep the witnesses' sizes", "err", err)
	}
	w.round = size
	w.published.Store(&cosigned)
}

// askWitness sends the checkpoint of size with a proof from old, the size
// the witness last cosigned as far as we know. A 409 says what it knows;
// the request is then made once more from there. It returns the
// cosignature lines and the witness's size afterwards.
func (s *Service) askWitness(ctx context.Context, wt witness.Witness, old, size uint64, note []byte) ([]byte, uint64, error) {
	for attempt := 0; ; attempt++ {
		if old > size {
			return nil, old, fmt.Errorf("witness %s has cosigned this log at size %d, past its %d entries: it was shown another log under this key, or this data directory is older than what it saw", wt.Name, old, size)
		}
		var proof tlog.TreeProof
		if old > 0 && old < size {
			p, err := s.j.ConsistencyProof(old, size)
			if err != nil {
				return nil, old, fmt.Errorf("witness %s: consistency proof from %d to %d: %w", wt.Name, old, size, err)
			}
			proof = p
		}
		rctx, cancel := context.WithTimeout(ctx, s.wit.cfg.Timeout)
		sigs, err := witness.AddCheckpoint(rctx, s.wit.cfg.HTTP, wt, old, proof, note)
		cancel()
		var conflict *witness.ConflictError
		if errors.As(err, &conflict) && attempt == 0 {
			old = conflict.Size
			continue
		}
		if err != nil {
			return nil, old, err
		}
		return sigs, size, nil
	}
}

// Witnesses reports each configured witness (admin, regulator); nil when
// none is configured.
func (s *Service) Witnesses(a ledger.Actor) ([]WitnessStatus, error) {
	if err := requireRole(a, ledger.RoleRegulator, ledger.RoleAdmin); err != nil {
		return nil, err
	}
	return s.witnessStatus(), nil
}

// witnessStatus is Witnesses without the role check, for /metrics.
func (s *Service) witnessStatus() []WitnessStatus {
	w := s.wit
	if w == nil {
		return nil
	}
	size := s.j.Size()
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]WitnessStatus, len(w.status))
	for i, st := range w.status {
		out[i] = st.WitnessStatus
		if size > st.Size {
			out[i].Lag = size - st.Size
		}
	}
	return out
}

// WitnessMetrics is the witnesses' status for the /metrics collector,
// which has no actor: names, sizes, lags and failure counts only.
func (s *Service) WitnessMetrics() []WitnessStatus { return s.witnessStatus() }

// publishedCheckpoint is the checkpoint of the latest witnessing round,
// or nil when there is none (no witnesses, or no round finished yet).
func (s *Service) publishedCheckpoint() (*Checkpoint, error) {
	if s.wit == nil {
		return nil, nil
	}
	p := s.wit.published.Load()
	if p == nil {
		return nil, nil
	}
	body, _, ok := cutSignatures(*p)
	if !ok {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "the published checkpoint is malformed"}
	}
	c, err := checkpoint.Parse(body)
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "the published checkpoint is malformed", Err: err}
	}
	return &Checkpoint{Origin: c.Origin, Size: c.Size, Root: c.Root.String(), Note: string(*p)}, nil
}

// disclosureCheckpoint is the checkpoint a document made of entries
// below size carries: the first cosigned checkpoint at or past size when
// there is one (always the same one, so the document is reproducible),
// else the log's own at size. cosigned says which.
func (s *Service) disclosureCheckpoint(size uint64) (cp *Checkpoint, cosigned bool, err error) {
	if s.wit != nil {
		msg, at, ok, err := s.wit.hist.FirstAtLeast(size)
		if err != nil {
			s.log.Error("read the cosigned checkpoints", "err", err)
		} else if ok {
			if cp, err := s.checkCosigned(msg, at); err == nil {
				return cp, true, nil
			} else {
				s.log.Error("a kept cosigned checkpoint does not match the log; using the log's own", "size", at, "err", err)
			}
		}
	}
	cp, err = s.CheckpointAt(size)
	return cp, false, err
}

// checkCosigned checks that a kept cosigned checkpoint is this log's
// tree at that size, signed by its key.
func (s *Service) checkCosigned(msg []byte, at uint64) (*Checkpoint, error) {
	if at > s.j.Size() {
		return nil, fmt.Errorf("size %d is past the log's %d entries", at, s.j.Size())
	}
	plain, err := s.CheckpointAt(at)
	if err != nil {
		return nil, err
	}
	// A cosigned checkpoint is the log's own note (Ed25519 signatures are
	// deterministic) with the witnesses' lines after it.
	if !bytes.HasPrefix(msg, []byte(plain.Note)) {
		return nil, errors.New("it does not start with the log's checkpoint of that size")
	}
	return &Checkpoint{Origin: plain.Origin, Size: at, Root: plain.Root, Note: string(msg)}, nil
}

// cutSignatures splits a signed note into its text (ending in a newline)
// and its signature lines.
func cutSignatures(msg []byte) (string, []byte, bool) {
	i := bytes.LastIndex(msg, []byte("\n\n"))
	if i < 0 {
		return "", nil, false
	}
	return string(msg[:i+1]), msg[i+2:], true
}

// signatureBlock is the signature lines of a signed note.
func signatureBlock(msg []byte) []byte {
	_, sigs, _ := cutSignatures(msg)
	return sigs
}
