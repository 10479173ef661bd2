package journal

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// Batch limits. A batch takes whatever Appends are queued when the writer
// becomes free, so under load it grows to cover everyone who arrived during
// the previous fsync; the limits only bound the memory a batch holds.
const (
	maxBatchRecords = 4096
	maxBatchBytes   = 8 << 20
	// Records at least this large are written straight from the caller's
	// slice instead of being copied into the batch buffer, so a 20 MB
	// return is not held twice.
	directWriteSize = 64 << 10
)

// request is one Append waiting for the writer.
type request struct {
	ctx   context.Context
	build func(seq uint64) ([]byte, error)
	done  chan result // buffered: the writer never blocks on a reply
}

type result struct {
	seq uint64
	err error
}

// pending is a record built and framed but not yet durable.
type pending struct {
	req  *request
	seq  uint64
	data []byte
	leaf tlog.Hash
	off  int64
}

// batch is what the writer gathers between two fsyncs.
type batch struct {
	recs  []pending
	buf   []byte   // frames (and headers of large records), coalesced
	mark  int      // start of buf not yet referenced by segs
	segs  [][]byte // the writes to issue, in order
	bytes int
}

func (b *batch) reset() {
	clear(b.recs) // drop references to callers' records
	clear(b.segs)
	b.recs, b.buf, b.mark, b.segs, b.bytes = b.recs[:0], b.buf[:0], 0, b.segs[:0], 0
}

// writerState is owned by the writer goroutine: the position the next
// record will take, which runs ahead of the committed state in Journal
// while a batch is in flight.
type writerState struct {
	seq    uint64
	chain  [32]byte
	off    int64
	failed error
}

// writer is the single goroutine that builds, writes and fsyncs records.
// Having one writer is what makes sequence numbers dense and the chain
// well defined without locking around build.
func (j *Journal) writer() {
	defer close(j.done)
	j.mu.RLock()
	w := writerState{seq: j.size, chain: j.chain, off: j.end}
	j.mu.RUnlock()
	var b batch
	for {
		req, ok := <-j.reqs
		if !ok {
			return
		}
		b.reset()
		j.take(&w, &b, req)
		open := true
		yielded := false
	gather:
		for len(b.recs) < maxBatchRecords && b.bytes < maxBatchBytes {
			select {
			case req, ok := <-j.reqs:
				if !ok {
					open = false
					break gather
				}
				j.take(&w, &b, req)
			default:
				if yielded {
					break gather
				}
				// The writers answered after the last fsync are waking
				// up now; one yield lets them queue before the batch is
				// closed, which roughly doubles the batch with a few
				// dozen writers and costs a microsecond with one.
				runtime.Gosched()
				yielded = true
			}
		}
		j.flush(&w, &b)
		if !open {
			return
		}
	}
}

// take builds and frames one request's record into the batch, or answers
// the request at once if it cannot get a sequence number.
func (j *Journal) take(w *writerState, b *batch, req *request) {
	if w.failed != nil {
		req.done <- result{err: w.failed}
		return
	}
	if err := req.ctx.Err(); err != nil {
		req.done <- result{err: err}
		return
	}
	data, err := req.build(w.seq)
	if err != nil {
		req.done <- result{err: err}
		return
	}
	if len(data) > j.max {
		req.done <- result{err: fmt.Errorf("%w: %d bytes, maximum %d", ErrTooLarge, len(data), j.max)}
		return
	}
	leaf := tlog.RecordHash(data)
	chain := nextChain(w.chain, leaf)
	b.buf = appendFrameHeader(b.buf, w.seq, chain, data, j.tab)
	if len(data) >= directWriteSize {
		b.segs = append(b.segs, b.buf[b.mark:], data)
		b.mark = len(b.buf)
	} else {
		b.buf = append(b.buf, data...)
	}
	b.recs = append(b.recs, pending{req: req, seq: w.seq, data: data, leaf: leaf, off: w.off})
	b.bytes += frameHeaderSize + len(data)
	w.seq++
	w.chain = chain
	w.off += int64(frameHeaderSize + len(data))
}

// flush writes the batch, fsyncs once, publishes the records, runs
// OnCommit and only then answers the waiting Appends.
func (j *Journal) flush(w *writerState, b *batch) {
	if len(b.recs) == 0 {
		return
	}
	if b.mark < len(b.buf) {
		b.segs = append(b.segs, b.buf[b.mark:])
	}
	for _, seg := range b.segs {
		n, err := j.file.Write(seg)
		if err == nil && n < len(seg) {
			err = io.ErrShortWrite
		}
		if err != nil {
			j.fail(w, b, failed("write "+j.path, err))
			return
		}
	}
	syncStart := time.Now()
	if err := j.file.Sync(); err != nil {
		j.fail(w, b, failed("fsync "+j.path, err))
		return
	}
	if j.onSync != nil {
		j.onSync(time.Since(syncStart), len(b.recs))
	}
	for _, r := range b.recs {
		// Only this goroutine changes j.hashes, so reading it without the
		// lock is safe; the lock is for publishing.
		h, err := j.hashes.add(r.seq, r.leaf)
		if err != nil {
			j.fail(w, b, failed("tree", err))
			return
		}
		j.mu.Lock()
		j.hashes = h
		j.offsets = append(j.offsets, r.off)
		j.size = r.seq + 1
		j.end = r.off + int64(frameHeaderSize+len(r.data))
		j.chain = nextChain(j.chain, r.leaf)
		j.mu.Unlock()
		if j.commit != nil {
			j.commit(r.seq, r.data, r.leaf)
		}
	}
	for _, r := range b.recs {
		r.req.done <- result{seq: r.seq}
	}
}

// fail puts the journal in the failed state and answers every record of
// the batch with err. None of them was acknowledged; some may be on disk,
// and Open will find them there after a restart.
func (j *Journal) fail(w *writerState, b *batch, err error) {
	j.log.Error("journal: refusing further appends", "file", j.path, "err", err)
	j.mu.Lock()
	if j.failErr == nil {
		j.failErr = err
	}
	j.mu.Unlock()
	w.failed = err
	for _, r := range b.recs {
		r.req.done <- result{err: err}
	}
}
