package service

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/buildid"
	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/atomicfile"
)

// The regional view adds, per operator and span, a small record of
// terms (calculators.RegionTerms) instead of the operator's roll-up.
// What the view knows of each operator for a span (whether it filed,
// its terms) is kept in memory and, when the service has a derived
// directory, in one file per span, DIR/region/<span>.gob, as of a point
// of the ledger (its size and tree hash there). A view reads the
// entries added since that point and reads again from the state only
// the operators they touch (touchedSince), computing terms only for
// those whose accepted versions changed: after one acceptance that is
// one operator, and a restarted server computes none.
//
// The file holds public figures only: terms made from accepted returns,
// each under the key of the versions it rests on (publicRollupKey), and
// the identity of the build that made them (buildid.Running). A file of
// another build, of another ledger, of another format, or that does not
// decode is not used: the view reads every operator again, computes the
// terms whose key does not match, and the file is replaced. Deleting the
// directory is always safe. The encoding is encoding/gob: decoding the
// 2,000 operators of a regional year takes a few milliseconds, against
// 40 ms for the same records as JSON.
//
// Files are written whole (temporary file, fsync, rename, fsync of the
// directory; ledger/atomicfile) by one writer goroutine at most, after
// the view that changed them has answered; only the latest snapshot of
// a span waiting for it is written. A write that a stop interrupts
// leaves the previous file, which the next view brings up to date.

// regionTermsFormat names the layout of a span file; a change of the
// layout changes it (and a change of the code changes the build).
const regionTermsFormat = "ictledger-region-terms-1"

// regionTermsFile is one span's file: what regionSpan holds, with the
// tree hash of the ledger at At, so that a file is used only on the
// ledger it was made from.
type regionTermsFile struct {
	Format    string
	Build     string
	Span      string
	At        uint64
	Root      string // hex
	Operators []regionOpFacts
}

// regionSpan is what the view knows of every operator for one span, as
// of the ledger's first At entries (0: as of no known point, so every
// operator is read again from the state, though terms whose key still
// matches are used).
type regionSpan struct {
	at  uint64
	ops map[string]regionOpFacts // by operator
}

// regionOpFacts is what one operator brings to a span's view: whether
// it filed any version of a quarter of the span and, when it has
// accepted quarters in the span, its terms and the key of the accepted
// versions they were made from (publicRollupKey).
type regionOpFacts struct {
	Operator string
	Filed    bool
	Key      string
	Terms    *calculators.RegionTerms
}

// regionTermsStore keeps the facts of the spans asked for. The regional
// view reads and replaces a span's facts under its gate (one view at a
// time); the writer goroutine reads snapshots handed to it.
type regionTermsStore struct {
	dir   string // "" keeps facts in memory only
	log   *slog.Logger
	build func() string // "" when the build is unknown: nothing read or written

	spans    map[ledger.Span]*regionSpan // at most regionSpansKept; guarded by the view's gate
	used     []ledger.Span               // the spans in memory, least recently used first
	computed int                         // operators' terms computed, for tests; guarded by the gate
	read     int                         // operators' versions read from the state, for tests; guarded by the gate
	// afterSize, when set (by tests), runs once a view has read the
	// ledger's size, before it reads the operators.
	afterSize func()

	mu      sync.Mutex
	pending map[ledger.Span]pendingSpan // snapshots waiting for the writer
	writing bool                        // the writer goroutine runs
	idle    *sync.Cond                  // signalled when the writer stops
}

// pendingSpan is a snapshot to write and the tree hash at its At.
type pendingSpan struct {
	sp   *regionSpan
	root tlog.Hash
}

func newRegionTermsStore(dir string, log *slog.Logger) *regionTermsStore {
	st := &regionTermsStore{dir: dir, log: log, spans: map[ledger.Span]*regionSpan{},
		pending: map[ledger.Span]pendingSpan{}}
	st.idle = sync.NewCond(&st.mu)
	st.build = sync.OnceValue(func() string {
		if dir == "" {
			return ""
		}
		id, err := buildid.Running()
		if err != nil {
			log.Warn("regional terms are not kept on disk: the running build cannot be identified", "err", err)
			return ""
		}
		return id.String()
	})
	return st
}

// span returns what is known of a span, read from its file the first
// time it is asked for; rootAt gives the ledger's tree hash at a size,
// to check the file was made on this ledger, and operators is how many
// operators the ledger has, which bounds the file's size. The caller
// holds the view's gate.
func (st *regionTermsStore) span(span ledger.Span, rootAt func(uint64) (tlog.Hash, error), operators int) *regionSpan {
	st.touch(span)
	if sp, ok := st.spans[span]; ok {
		return sp
	}
	sp := st.load(span, rootAt, operators)
	st.spans[span] = sp
	return sp
}

// regionSpansKept is how many spans' facts are kept in memory, about
// 4 MB each for 2,000 operators (2 kB an operator, as heldBytes reckons
// it); a span dropped is read from its file again when asked for.
const regionSpansKept = 8

// touch marks span the most recently used and drops from memory the
// least recently used span past regionSpansKept.
func (st *regionTermsStore) touch(span ledger.Span) {
	st.used = slices.DeleteFunc(st.used, func(s ledger.Span) bool { return s == span })
	st.used = append(st.used, span)
	if len(st.used) > regionSpansKept {
		delete(st.spans, st.used[0])
		st.used = st.used[1:]
	}
}

// path is the file of a span's facts.
func (st *regionTermsStore) path(span ledger.Span) string {
	return filepath.Join(st.dir, "region", span.String()+".gob")
}

// regionFileMax is the largest span file read for a ledger of n
// operators: a file holds one record of about 350 bytes for each, so a
// larger one is not one this code wrote, and is not read into memory.
func regionFileMax(n int) int64 { return 1<<20 + 16<<10*int64(n) }

// load reads a span's file; anything missing, foreign, broken or larger
// than a ledger of operators operators can need gives nothing known (it
// is computed again), never an error.
func (st *regionTermsStore) load(span ledger.Span, rootAt func(uint64) (tlog.Hash, error), operators int) *regionSpan {
	none := &regionSpan{ops: map[string]regionOpFacts{}}
	build := st.build()
	if build == "" {
		return none
	}
	raw, err := readAtMost(st.path(span), regionFileMax(operators))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			st.log.Warn("regional terms not read; computing them again", "span", span.String(), "err", err)
		}
		return none
	}
	var f regionTermsFile
	if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&f); err != nil {
		st.log.Warn("regional terms do not decode; computing them again", "span", span.String(), "err", err)
		return none
	}
	if f.Format != regionTermsFormat || f.Build != build || f.Span != span.String() || f.At == 0 {
		return none // another build's (or layout's): not trusted
	}
	if root, err := rootAt(f.At); err != nil || hex.EncodeToString(root[:]) != f.Root {
		return none // another ledger's, or one this ledger is shorter than
	}
	sp := &regionSpan{at: f.At, ops: make(map[string]regionOpFacts, len(f.Operators))}
	for _, o := range f.Operators {
		if o.Operator == "" || (o.Terms != nil) != (o.Key != "") || (o.Terms != nil && (o.Terms.Operator != o.Operator || !o.Filed)) {
			return none // not a file this code wrote
		}
		sp.ops[o.Operator] = o
	}
	return sp
}

// readAtMost reads a file of at most limit bytes; a larger one is an
// error, found before anything is read.
func readAtMost(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d a file of this ledger can need", path, fi.Size(), limit)
	}
	raw, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(raw)) > limit {
		return nil, fmt.Errorf("%s grew past %d bytes while read", path, limit)
	}
	return raw, nil
}

// replace makes sp the span's facts and, when changed, hands them with
// the tree hash at sp.at to the writer. The caller holds the view's
// gate and does not change sp afterwards.
func (st *regionTermsStore) replace(span ledger.Span, sp *regionSpan, changed bool, root tlog.Hash) {
	st.spans[span] = sp
	if !changed || st.dir == "" || sp.at == 0 {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.pending[span] = pendingSpan{sp: sp, root: root}
	if !st.writing {
		st.writing = true
		go st.writer()
	}
}

// forget drops what is kept in memory of a span (its file, if any, is
// left: a span some operator filed for is never forgotten). The caller
// holds the view's gate.
func (st *regionTermsStore) forget(span ledger.Span) {
	delete(st.spans, span)
	st.used = slices.DeleteFunc(st.used, func(s ledger.Span) bool { return s == span })
}

// writer writes the pending spans, the latest snapshot of each, and
// stops when none is left. At most one runs at a time.
func (st *regionTermsStore) writer() {
	for {
		st.mu.Lock()
		var span ledger.Span
		var p pendingSpan
		for sp, v := range st.pending {
			span, p = sp, v
			break
		}
		if p.sp == nil {
			st.writing = false
			st.idle.Broadcast()
			st.mu.Unlock()
			return
		}
		delete(st.pending, span)
		st.mu.Unlock()
		if err := st.write(span, p); err != nil {
			st.log.Warn("regional terms not written; a restarted server computes them again", "span", span.String(), "err", err)
		}
	}
}

// write replaces a span's file.
func (st *regionTermsStore) write(span ledger.Span, p pendingSpan) error {
	build := st.build()
	if build == "" {
		return nil
	}
	f := regionTermsFile{Format: regionTermsFormat, Build: build, Span: span.String(), At: p.sp.at, Root: hex.EncodeToString(p.root[:]),
		Operators: make([]regionOpFacts, 0, len(p.sp.ops))}
	for _, o := range p.sp.ops {
		f.Operators = append(f.Operators, o)
	}
	sort.Slice(f.Operators, func(i, j int) bool { return f.Operators[i].Operator < f.Operators[j].Operator })
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(f); err != nil {
		return err
	}
	dir := filepath.Dir(st.path(span))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return atomicfile.Write(dir, filepath.Base(st.path(span)), buf.Bytes(), 0o600)
}

// WaitDerived returns once the files of figures derived from the
// ledger that the service was writing (DerivedDir) are written. A server
// that stops calls it after its last request, so that it does not end a
// write half done (which leaves a temporary file) or write into a
// directory that is being removed.
func (s *Service) WaitDerived() { s.regionTerms.wait() }

// wait returns once no write is pending or under way.
func (st *regionTermsStore) wait() {
	st.mu.Lock()
	defer st.mu.Unlock()
	for st.writing {
		st.idle.Wait()
	}
}
