package journal

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// Options configures Open.
type Options struct {
	// MaxRecordSize is the largest record, in bytes, that Append accepts
	// and that Open and Read will allocate for. Zero means
	// DefaultMaxRecordSize.
	MaxRecordSize int

	// Logger receives the warning about a truncated torn tail. Nil means
	// slog.Default().
	Logger *slog.Logger

	// FS is the file system; nil means OSFS. Tests inject faults here.
	FS FS

	// Replay is called during Open for every record already in the
	// journal, in order. data is only valid during the call: copy what
	// must be kept. An error stops Open and is returned from it.
	//
	// Records are replayed as they are read, in one pass over the file, so
	// when Open fails on damage further on, Replay has already seen the
	// records before it: discard whatever it built. leaf is the record's
	// Merkle leaf hash, which the journal computes anyway.
	Replay func(seq uint64, data []byte, leaf tlog.Hash, prepared any) error

	// Prepare, when set, is called during Open for every record, in
	// order, before Replay is called for it, and what it returns is
	// Replay's prepared. It runs on a goroutine that reads the journal a
	// few hundred records ahead of the Replay calls, so work that needs
	// the record alone (decoding it) can use another processor while
	// Replay applies the records before it. It must not share state with
	// Replay other than through its result, and it cannot fail: an error
	// belongs in its result, for Replay to return in the records' order.
	// data is only valid until Replay for the record returns.
	Prepare func(seq uint64, data []byte, leaf tlog.Hash) any

	// OnCommit is called on the writer goroutine for each record of a
	// batch, in sequence order, after the fsync that covers the batch and
	// before any of the batch's Append calls return. It must not fail and
	// must not call Append (that would deadlock). When it runs for seq,
	// Size already counts seq.
	//
	// OnCommit and the build functions passed to Append all run on the one
	// writer goroutine, never concurrently: they may share state without
	// locks. The builds of a batch run before the batch's OnCommit calls,
	// and after every OnCommit of earlier batches has returned. leaf is
	// the record's Merkle leaf hash.
	OnCommit func(seq uint64, data []byte, leaf tlog.Hash)

	// OnSync, when set, is told how long each batch's fsync took and how
	// many records it covered, on the writer goroutine (for monitoring).
	OnSync func(d time.Duration, records int)
}

// Journal is an open journal. Its methods are safe for concurrent use.
type Journal struct {
	dir    string
	path   string
	fsys   FS
	log    *slog.Logger
	max    int
	tab    *crc32.Table
	commit func(seq uint64, data []byte, leaf tlog.Hash)
	onSync func(d time.Duration, records int)

	file File
	lock File

	// mu guards the committed state below; the writer goroutine is its only
	// writer. Readers take a consistent (size, offsets, hashes) snapshot.
	mu      sync.RWMutex
	size    uint64
	offsets []int64 // offsets[seq] is the byte offset of record seq's frame
	hashes  hashes
	chain   [32]byte
	end     int64 // byte offset just past the last committed frame
	failErr error // non-nil once a write or fsync failed
	shut    bool  // the file is closed

	// closeMu orders Append's send on reqs against Close closing it.
	closeMu sync.RWMutex
	closed  bool
	reqs    chan *request
	done    chan struct{} // closed when the writer goroutine has exited
}

// Open opens the journal in dir, creating dir and an empty journal if
// neither exists yet. It takes the directory's lock, checks every frame,
// truncates a torn tail (with a warning), calls opts.Replay for every
// record, rebuilds the Merkle tree and starts the writer.
//
// Open refuses a journal damaged anywhere but its tail with a
// *CorruptError naming the file, byte offset and sequence number, and
// refuses a directory whose lock file says a journal was created there but
// whose journal file is gone.
func Open(dir string, opts Options) (*Journal, error) {
	j := &Journal{
		dir:    dir,
		path:   filepath.Join(dir, walName),
		fsys:   opts.FS,
		log:    opts.Logger,
		max:    opts.MaxRecordSize,
		tab:    castagnoli(),
		commit: opts.OnCommit,
		onSync: opts.OnSync,
	}
	if j.fsys == nil {
		j.fsys = OSFS{}
	}
	if j.log == nil {
		j.log = slog.Default()
	}
	if j.max == 0 {
		j.max = DefaultMaxRecordSize
	}
	if j.max < 0 || j.max > maxRecordLimit {
		return nil, fmt.Errorf("journal: MaxRecordSize %d out of range (1..%d)", j.max, maxRecordLimit)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	lock, err := j.fsys.Lock(filepath.Join(dir, lockName))
	if err != nil {
		if errors.Is(err, ErrLocked) {
			return nil, fmt.Errorf("journal: data directory %s is already in use by another ictledger process (lock file %s): %w",
				dir, filepath.Join(dir, lockName), err)
		}
		return nil, fmt.Errorf("journal: lock %s: %w", dir, err)
	}
	j.lock = lock
	if err := j.open(opts.Prepare, opts.Replay); err != nil {
		if j.file != nil {
			j.file.Close()
		}
		j.lock.Close()
		return nil, err
	}
	j.reqs = make(chan *request, 1024)
	j.done = make(chan struct{})
	go j.writer()
	return j, nil
}

// lockMarker is written into the lock file once the journal file exists.
// A lock file with the marker and no journal file means the journal was
// deleted; an empty lock file means a first start crashed before creating
// the journal, which is safe to redo.
const lockMarker = "ictledger journal: journal.wal exists in this directory; do not delete it\n"

func (j *Journal) open(prepare func(uint64, []byte, tlog.Hash) any, replay func(uint64, []byte, tlog.Hash, any) error) error {
	if err := j.checkFiles(); err != nil {
		return err
	}
	marker := make([]byte, len(lockMarker))
	n, _ := j.lock.ReadAt(marker, 0)
	hasMarker := string(marker[:n]) == lockMarker

	_, err := j.fsys.Stat(j.path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && hasMarker:
		return fmt.Errorf("journal: %s is missing but %s says it was created: refusing to start an empty ledger over a deleted one",
			j.path, filepath.Join(j.dir, lockName))
	case errors.Is(err, fs.ErrNotExist):
		if err := j.create(); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("journal: %w", err)
	}
	if !hasMarker {
		if err := j.writeMarker(); err != nil {
			return err
		}
	}

	f, err := j.fsys.OpenFile(j.path, os.O_RDWR|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	j.file = f
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	s, err := newScanner(f, j.path, fi.Size(), j.max)
	if err != nil {
		return err
	}
	if err := j.replayAhead(s, prepare, replay); err != nil {
		return err
	}
	j.size, j.chain, j.end = s.seq, s.chain, s.off
	if t := s.torn; t != nil {
		j.log.Warn("journal: truncating torn final record left by a crash; it was never acknowledged",
			"file", j.path, "offset", t.Offset, "bytes", t.Bytes, "seq", t.Seq, "reason", t.Reason)
		if err := f.Truncate(t.Offset); err != nil {
			return fmt.Errorf("journal: truncate torn tail of %s at offset %d: %w", j.path, t.Offset, err)
		}
		if err := f.Sync(); err != nil {
			return fmt.Errorf("journal: fsync %s after truncating: %w", j.path, err)
		}
	}
	return nil
}

// replayAhead replays the records s reads, in order, as they come from
// the goroutine that reads (and prepares) them ahead. The first error in
// the order of the records wins, as in a scan without the reader: a
// record's replay fails before the damage found after it is reported.
func (j *Journal) replayAhead(s *scanner, prepare func(uint64, []byte, tlog.Hash) any, replay func(uint64, []byte, tlog.Hash, any) error) error {
	r := readAhead(s, prepare)
	for b := range r.out {
		for _, rec := range b.recs {
			if replay != nil {
				if err := replay(rec.seq, rec.data, rec.leaf, rec.prepared); err != nil {
					r.close()
					return fmt.Errorf("journal: replay record %d: %w", rec.seq, err)
				}
			}
			j.offsets = append(j.offsets, rec.off)
			var err error
			if j.hashes, err = j.hashes.add(rec.seq, rec.leaf); err != nil {
				r.close()
				return err
			}
		}
		if b.last {
			r.close()
			return b.err
		}
		r.done(b)
	}
	r.close()
	return nil
}

// checkFiles refuses journal-prefixed files this version did not write, and
// removes a temporary file left by a first start that crashed while
// creating the journal.
func (j *Journal) checkFiles() error {
	entries, err := j.fsys.ReadDir(j.dir)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	var hasWAL, hasTmp bool
	for _, e := range entries {
		switch name := e.Name(); {
		case name == walName:
			hasWAL = true
		case name == tmpName:
			hasTmp = true
		case name == lockName:
		case strings.HasPrefix(name, filePrefix):
			return fmt.Errorf("journal: unexpected file %s in data directory %s; refusing to guess what it holds",
				filepath.Join(j.dir, name), j.dir)
		}
	}
	if hasTmp {
		if hasWAL {
			return fmt.Errorf("journal: unexpected file %s next to %s", filepath.Join(j.dir, tmpName), j.path)
		}
		j.log.Warn("journal: removing journal file left half-created by a crash", "file", filepath.Join(j.dir, tmpName))
		if err := j.fsys.Remove(filepath.Join(j.dir, tmpName)); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
	}
	return nil
}

// create makes an empty journal file atomically: write the file header to
// a temporary name, fsync, rename, fsync the directory. A crash leaves
// either no journal file or a complete one.
func (j *Journal) create() error {
	tmp := filepath.Join(j.dir, tmpName)
	f, err := j.fsys.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("journal: create: %w", err)
	}
	_, err = f.Write(encodeFileHeader(j.tab))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = j.fsys.Rename(tmp, j.path)
	}
	if err == nil {
		err = j.fsys.SyncDir(j.dir)
	}
	if err != nil {
		return fmt.Errorf("journal: create %s: %w", j.path, err)
	}
	return nil
}

func (j *Journal) writeMarker() error {
	err := j.lock.Truncate(0)
	if err == nil {
		_, err = j.lock.Write([]byte(lockMarker))
	}
	if err == nil {
		err = j.lock.Sync()
	}
	if err == nil {
		err = j.fsys.SyncDir(j.dir)
	}
	if err != nil {
		return fmt.Errorf("journal: write %s: %w", filepath.Join(j.dir, lockName), err)
	}
	return nil
}

// Close waits for queued appends to commit, stops the writer, closes the
// file and releases the directory lock. Appends after Close fail with
// ErrClosed.
func (j *Journal) Close() error {
	j.closeMu.Lock()
	if j.closed {
		j.closeMu.Unlock()
		return ErrClosed
	}
	j.closed = true
	close(j.reqs)
	j.closeMu.Unlock()
	<-j.done

	j.mu.Lock()
	defer j.mu.Unlock()
	j.shut = true
	err := j.file.Close()
	if lerr := j.lock.Close(); err == nil {
		err = lerr
	}
	if err != nil {
		return fmt.Errorf("journal: close: %w", err)
	}
	return nil
}

// Dir returns the journal's directory.
func (j *Journal) Dir() string { return j.dir }

// Size returns the number of committed records: every record below Size
// has been fsync'd.
func (j *Journal) Size() uint64 {
	j.mu.RLock()
	defer j.mu.RUnlock()
	return j.size
}

// Err returns the error that put the journal in the failed state (it
// matches ErrFailed), or nil.
func (j *Journal) Err() error {
	j.mu.RLock()
	defer j.mu.RUnlock()
	return j.failErr
}

// Read returns the bytes of record seq, read back from disk. Only the
// offset index is kept in memory, so large records cost memory only while
// the caller holds them. The frame's checksums are checked on every read.
func (j *Journal) Read(seq uint64) ([]byte, error) {
	j.mu.RLock()
	if j.shut {
		j.mu.RUnlock()
		return nil, ErrClosed
	}
	if seq >= j.size {
		size := j.size
		j.mu.RUnlock()
		return nil, fmt.Errorf("%w: record %d, journal size %d", ErrNotFound, seq, size)
	}
	off, leaf := j.offsets[seq], j.hashes.leaf(seq)
	// Hold the read lock during the I/O so that Close cannot close the
	// file under us.
	defer j.mu.RUnlock()
	return readFrame(j.file, j.path, off, seq, leaf, j.max, j.tab)
}

// readFrame reads record seq from its frame at byte offset off of f and
// checks the frame's checksums and the record's leaf hash.
func readFrame(f io.ReaderAt, path string, off int64, seq uint64, leaf tlog.Hash, max int, tab *crc32.Table) ([]byte, error) {
	var hb [frameHeaderSize]byte
	if _, err := f.ReadAt(hb[:], off); err != nil {
		return nil, fmt.Errorf("journal: read %s: record %d at byte offset %d: %w", path, seq, off, err)
	}
	bad := func(reason string) error {
		return &CorruptError{File: path, Offset: off, Seq: seq, Reason: reason}
	}
	h, ok := decodeFrameHeader(hb[:], tab)
	switch {
	case !ok:
		return nil, bad("frame header checksum mismatch")
	case h.seq != seq:
		return nil, bad(fmt.Sprintf("frame carries sequence number %d", h.seq))
	case int64(h.length) > int64(max):
		return nil, bad(fmt.Sprintf("record length %d exceeds the maximum record size %d", h.length, max))
	}
	data := make([]byte, h.length)
	if _, err := f.ReadAt(data, off+frameHeaderSize); err != nil && !(err == io.EOF && len(data) == 0) {
		return nil, fmt.Errorf("journal: read %s: record %d at byte offset %d: %w", path, seq, off, err)
	}
	if crc32.Checksum(data, tab) != h.dataCRC {
		return nil, bad("record checksum mismatch")
	}
	if tlog.RecordHash(data) != leaf {
		return nil, bad("record does not match its leaf hash in the tree")
	}
	return data, nil
}

// snapshot returns the committed size and stored hashes. The slice stays
// valid after the lock is released (see hashes).
func (j *Journal) snapshot() (uint64, hashes) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	return j.size, j.hashes
}

// LeafHash returns the RFC 6962 leaf hash of record seq,
// SHA-256(0x00 || record).
func (j *Journal) LeafHash(seq uint64) (tlog.Hash, error) {
	size, h := j.snapshot()
	if seq >= size {
		return tlog.Hash{}, fmt.Errorf("%w: record %d, journal size %d", ErrNotFound, seq, size)
	}
	return h.leaf(seq), nil
}

// TreeHash returns the Merkle tree root of the first size records.
func (j *Journal) TreeHash(size uint64) (tlog.Hash, error) {
	n, h := j.snapshot()
	if size > n {
		return tlog.Hash{}, fmt.Errorf("%w: tree size %d, journal size %d", ErrNotFound, size, n)
	}
	return h.treeHash(size)
}

// InclusionProof proves that record seq is in the tree of the first size
// records; check it with tlog.CheckRecord.
func (j *Journal) InclusionProof(seq, size uint64) (tlog.RecordProof, error) {
	n, h := j.snapshot()
	if size > n || seq >= size {
		return nil, fmt.Errorf("%w: record %d in tree size %d, journal size %d", ErrNotFound, seq, size, n)
	}
	return h.inclusionProof(seq, size)
}

// ConsistencyProof proves that the tree of the first from records is a
// prefix of the tree of the first to records; check it with
// tlog.CheckTree. from must be at least 1.
func (j *Journal) ConsistencyProof(from, to uint64) (tlog.TreeProof, error) {
	n, h := j.snapshot()
	if to > n || from > to || from == 0 {
		return nil, fmt.Errorf("%w: consistency %d..%d, journal size %d", ErrNotFound, from, to, n)
	}
	return h.consistencyProof(from, to)
}

// Append queues a record and waits until it is durable.
//
// build is called on the single writer goroutine, serially and in sequence
// order, with the sequence number the record will get (0-based, dense); it
// returns the record bytes, or an error that fails only this Append (no
// sequence number is consumed then). Append returns only after the fsync
// covering the record (concurrent Appends share one write and one fsync)
// and after OnCommit ran for it.
//
// ctx is honoured until the writer calls build. After that Append waits
// for the outcome whatever ctx says, because the record may already be on
// disk and the caller must not believe otherwise.
func (j *Journal) Append(ctx context.Context, build func(seq uint64) ([]byte, error)) (uint64, error) {
	req := &request{ctx: ctx, build: build, done: make(chan result, 1)}
	j.closeMu.RLock()
	if j.closed {
		j.closeMu.RUnlock()
		return 0, ErrClosed
	}
	select {
	case j.reqs <- req:
	case <-ctx.Done():
		j.closeMu.RUnlock()
		return 0, ctx.Err()
	}
	j.closeMu.RUnlock()
	r := <-req.done
	return r.seq, r.err
}
