package service

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/atomicfile"
)

// The regional view adds, per operator and span, a small record of
// terms (calculators.RegionTerms) instead of the operator's roll-up.
// The terms of a span are kept in memory and, when the service has a
// derived directory, in one file per span under DIR/region, so that a
// restarted server answers its first view without computing 8,000
// quarters again.
//
// The file holds public figures only: terms made from accepted returns,
// each under the key of the versions it rests on (publicRollupKey), and
// the identity of the build that made them (a digest of the running
// executable). A file of another build, of another format, or that does
// not decode is not used: the view computes the terms again and the
// file is replaced. Deleting the directory is always safe.
//
// Files are written whole (temporary file, fsync, rename, fsync of the
// directory; ledger/atomicfile) by one writer goroutine at most, after
// the view that changed them has answered. A write that a stop
// interrupts leaves the previous file, whose out-of-date entries are
// recomputed on use.

// regionTermsFormat names the layout of a span file; a change of the
// layout changes it (and a change of the code changes the build).
const regionTermsFormat = "ictledger-region-terms-1"

// regionTermsFile is one span's file.
type regionTermsFile struct {
	Format    string             `json:"format"`
	Build     string             `json:"build"`
	Span      string             `json:"span"`
	Operators []regionTermsEntry `json:"operators"`
}

// regionTermsEntry is one operator's terms of a span and the key of the
// accepted versions they were made from.
type regionTermsEntry struct {
	Key   string                   `json:"key"`
	Terms *calculators.RegionTerms `json:"terms"`
}

// regionTermsStore keeps the terms of the spans asked for. The regional
// view reads and replaces a span's terms under its gate (one view at a
// time); the writer goroutine reads snapshots handed to it.
type regionTermsStore struct {
	dir   string // "" keeps terms in memory only
	log   *slog.Logger
	build func() string // "" when the build is unknown: nothing read or written

	spans    map[ledger.Span]map[string]regionTermsEntry // by operator; guarded by the view's gate
	computed int                                         // terms computed, for tests; guarded by the gate

	mu      sync.Mutex
	pending map[ledger.Span]map[string]regionTermsEntry // snapshots waiting for the writer
	writing bool                                        // the writer goroutine runs
	idle    *sync.Cond                                  // signalled when the writer stops
}

func newRegionTermsStore(dir string, log *slog.Logger) *regionTermsStore {
	st := &regionTermsStore{dir: dir, log: log, spans: map[ledger.Span]map[string]regionTermsEntry{},
		pending: map[ledger.Span]map[string]regionTermsEntry{}}
	st.idle = sync.NewCond(&st.mu)
	st.build = sync.OnceValue(func() string {
		if dir == "" {
			return ""
		}
		id, err := buildIdentity()
		if err != nil {
			log.Warn("regional terms are not kept on disk: the running build cannot be identified", "err", err)
			return ""
		}
		return id
	})
	return st
}

// buildIdentity is the SHA-256 of the running executable: terms made by
// one build are never read by another, whose calculators may differ.
func buildIdentity() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", exe, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// span returns the terms kept for a span, read from its file the first
// time it is asked for. The caller holds the view's gate.
func (st *regionTermsStore) span(span ledger.Span) map[string]regionTermsEntry {
	if m, ok := st.spans[span]; ok {
		return m
	}
	m := st.load(span)
	st.spans[span] = m
	return m
}

// path is the file of a span's terms.
func (st *regionTermsStore) path(span ledger.Span) string {
	return filepath.Join(st.dir, "region", span.String()+".json")
}

// load reads a span's file; anything missing, foreign or broken gives
// no terms (they are computed again), never an error.
func (st *regionTermsStore) load(span ledger.Span) map[string]regionTermsEntry {
	m := map[string]regionTermsEntry{}
	build := st.build()
	if build == "" {
		return m
	}
	raw, err := os.ReadFile(st.path(span))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			st.log.Warn("regional terms not read; computing them again", "span", span.String(), "err", err)
		}
		return m
	}
	var f regionTermsFile
	if err := json.Unmarshal(raw, &f); err != nil {
		st.log.Warn("regional terms do not decode; computing them again", "span", span.String(), "err", err)
		return m
	}
	if f.Format != regionTermsFormat || f.Build != build || f.Span != span.String() {
		return m // another build's (or layout's): not trusted
	}
	for _, e := range f.Operators {
		if e.Terms == nil || e.Terms.Operator == "" || e.Key == "" {
			return map[string]regionTermsEntry{} // not a file this code wrote
		}
		m[e.Terms.Operator] = e
	}
	return m
}

// replace makes m the span's terms and, when they differ from what was
// kept, hands them to the writer. The caller holds the view's gate and
// does not change m afterwards.
func (st *regionTermsStore) replace(span ledger.Span, m map[string]regionTermsEntry, changed bool) {
	st.spans[span] = m
	if !changed || st.dir == "" {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.pending[span] = m
	if !st.writing {
		st.writing = true
		go st.writer()
	}
}

// writer writes the pending spans, the latest snapshot of each, and
// stops when none is left. At most one runs at a time.
func (st *regionTermsStore) writer() {
	for {
		st.mu.Lock()
		var span ledger.Span
		var m map[string]regionTermsEntry
		for sp, v := range st.pending {
			span, m = sp, v
			break
		}
		if m == nil {
			st.writing = false
			st.idle.Broadcast()
			st.mu.Unlock()
			return
		}
		delete(st.pending, span)
		st.mu.Unlock()
		if err := st.write(span, m); err != nil {
			st.log.Warn("regional terms not written; a restarted server computes them again", "span", span.String(), "err", err)
		}
	}
}

// write replaces a span's file with m.
func (st *regionTermsStore) write(span ledger.Span, m map[string]regionTermsEntry) error {
	build := st.build()
	if build == "" {
		return nil
	}
	f := regionTermsFile{Format: regionTermsFormat, Build: build, Span: span.String(), Operators: make([]regionTermsEntry, 0, len(m))}
	for _, e := range m {
		f.Operators = append(f.Operators, e)
	}
	sort.Slice(f.Operators, func(i, j int) bool { return f.Operators[i].Terms.Operator < f.Operators[j].Terms.Operator })
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(f); err != nil {
		return err
	}
	dir := filepath.Dir(st.path(span))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return atomicfile.Write(dir, filepath.Base(st.path(span)), buf.Bytes(), 0o600)
}

// wait returns once no write is pending or under way.
func (st *regionTermsStore) wait() {
	st.mu.Lock()
	defer st.mu.Unlock()
	for st.writing {
		st.idle.Wait()
	}
}
