package journal

import (
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// Open reads, checks and prepares the records on a goroutine of its own,
// a few batches ahead of the one that replays them, so that a replay can
// use a second processor. The batches are bounded and reused: at most
// aheadBatches batches of aheadRecords records each are read ahead, and a
// batch ends at the record that takes it past aheadBytes, so that a
// journal of large records (a return of 100,000 sites) holds a few of
// them in memory rather than hundreds.
const (
	aheadRecords = 256
	aheadBatches = 3
	aheadBytes   = 4 << 20
)

// aheadRecord is one record read ahead of its replay.
type aheadRecord struct {
	seq      uint64
	off      int64 // the byte offset of its frame
	data     []byte
	leaf     tlog.Hash
	prepared any
}

// aheadBatch is records read ahead, their data in one buffer. A batch
// that ends the scan has last set and err the scan's error, if any.
type aheadBatch struct {
	recs []aheadRecord
	buf  []byte
	last bool
	err  error
}

// reader is the goroutine that scans ahead of the replay.
type reader struct {
	out  chan *aheadBatch // filled batches, in order; closed at the end
	free chan *aheadBatch // batches the replay is done with
	stop chan struct{}    // closed when the replay gives up
	wg   sync.WaitGroup
}

// readAhead starts scanning s with prepare (which may be nil) called on
// every record. The scanner belongs to the reader until close returns
// or the last batch has been received.
func readAhead(s *scanner, prepare func(uint64, []byte, tlog.Hash) any) *reader {
	r := &reader{out: make(chan *aheadBatch, aheadBatches-1), free: make(chan *aheadBatch, aheadBatches), stop: make(chan struct{})}
	for range aheadBatches {
		r.free <- &aheadBatch{recs: make([]aheadRecord, 0, aheadRecords)}
	}
	r.wg.Add(1)
	go r.run(s, prepare)
	return r
}

func (r *reader) run(s *scanner, prepare func(uint64, []byte, tlog.Hash) any) {
	defer r.wg.Done()
	defer close(r.out)
	for {
		var b *aheadBatch
		select {
		case b = <-r.free:
		case <-r.stop:
			return
		}
		fillAhead(b, s, prepare)
		select {
		case r.out <- b:
		case <-r.stop:
			return
		}
		if b.last {
			return
		}
	}
}

// fillAhead reads up to aheadRecords records, or aheadBytes and the
// record that passes it, into b. The data of a record
// is copied into b.buf; a record's slice stays valid when the buffer
// grows (it keeps the old array, which is never written again) until b
// is reused.
func fillAhead(b *aheadBatch, s *scanner, prepare func(uint64, []byte, tlog.Hash) any) {
	b.recs, b.buf, b.last, b.err = b.recs[:0], b.buf[:0], false, nil
	for len(b.recs) < aheadRecords && len(b.buf) < aheadBytes {
		data, leaf, ok, err := s.next()
		if err != nil || !ok {
			b.last, b.err = true, err
			return
		}
		start := len(b.buf)
		b.buf = append(b.buf, data...)
		rec := aheadRecord{seq: s.seq - 1, off: s.off - frameHeaderSize - int64(len(data)), data: b.buf[start:len(b.buf):len(b.buf)], leaf: leaf}
		if prepare != nil {
			rec.prepared = prepare(rec.seq, rec.data, leaf)
		}
		b.recs = append(b.recs, rec)
	}
}

// done hands a replayed batch back for reuse.
func (r *reader) done(b *aheadBatch) { r.free <- b }

// close stops the reader and waits for it, so that the scanner and the
// file are the caller's again.
func (r *reader) close() {
	close(r.stop)
	r.wg.Wait()
}
