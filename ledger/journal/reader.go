package journal

import (
	"fmt"
	"hash/crc32"

	"golang.org/x/mod/sumdb/tlog"
)

// Reader reads the records a journal held when OpenReader opened it, at
// random, without the directory's lock: a tool that recomputes what the
// records say (ictledger verify records) runs next to a live
// server, which only ever appends. It writes nothing, truncates nothing,
// and never sees records appended after it opened.
type Reader struct {
	path    string
	file    File
	max     int
	tab     *crc32.Table
	size    uint64
	bytes   int64 // of the file, when opened
	offsets []int64
	hashes  hashes
	torn    *TornTail
}

// OpenReader checks the journal in dir as Inspect does (every frame, CRC
// and chain value; opts.Visit sees each record in order) and keeps the
// offset and leaf hash of each whole record, so that Read can return any
// of them later. A torn tail is left alone and reported by TornTail.
func OpenReader(dir string, opts InspectOptions) (*Reader, error) {
	f, path, max, err := opts.open(dir)
	if err != nil {
		return nil, err
	}
	r := &Reader{path: path, file: f, max: max, tab: castagnoli()}
	if err := r.scan(opts.Visit); err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

func (r *Reader) scan(visit func(uint64, []byte) error) error {
	fi, err := r.file.Stat()
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	r.bytes = fi.Size()
	s, err := newScanner(r.file, r.path, r.bytes, r.max)
	if err != nil {
		return err
	}
	for {
		off := s.off
		data, leaf, ok, err := s.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		seq := s.seq - 1
		if visit != nil {
			if err := visit(seq, data); err != nil {
				return fmt.Errorf("journal: %s: record %d: %w", r.path, seq, err)
			}
		}
		r.offsets = append(r.offsets, off)
		if r.hashes, err = r.hashes.add(seq, leaf); err != nil {
			return err
		}
	}
	r.size, r.torn = s.seq, s.torn
	return nil
}

// Size is the number of whole records the journal held when opened.
func (r *Reader) Size() uint64 { return r.size }

// TornTail is the incomplete frame the file ended in when opened, if any.
func (r *Reader) TornTail() *TornTail { return r.torn }

// Read returns the bytes of record seq, read back from the file and
// checked against its frame's checksums and its leaf hash.
func (r *Reader) Read(seq uint64) ([]byte, error) {
	if seq >= r.size {
		return nil, fmt.Errorf("%w: record %d, journal held %d records when opened", ErrNotFound, seq, r.size)
	}
	return readFrame(r.file, r.path, r.offsets[seq], seq, r.hashes.leaf(seq), r.max, r.tab)
}

// TreeHash returns the Merkle tree root of the first size records.
func (r *Reader) TreeHash(size uint64) (tlog.Hash, error) {
	if size > r.size {
		return tlog.Hash{}, fmt.Errorf("%w: tree size %d, journal held %d records when opened", ErrNotFound, size, r.size)
	}
	return r.hashes.treeHash(size)
}

// Close closes the file.
func (r *Reader) Close() error { return r.file.Close() }
