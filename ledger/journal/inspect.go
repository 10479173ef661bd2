package journal

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/mod/sumdb/tlog"
)

// InspectOptions configures Inspect.
type InspectOptions struct {
	// MaxRecordSize is as in Options. Zero means DefaultMaxRecordSize.
	MaxRecordSize int
	// FS is the file system; nil means OSFS.
	FS FS
	// Visit, if set, is called for every record in order. data is only
	// valid during the call. An error stops the inspection.
	Visit func(seq uint64, data []byte) error
}

// Inspection is what Inspect found in a journal.
type Inspection struct {
	File  string    // path of the journal file
	Size  uint64    // number of whole records
	Bytes int64     // bytes of the file that were examined
	Root  tlog.Hash // Merkle tree root over all Size records
	// TornTail is set when the file ends in an incomplete frame: left by a
	// crash (Open will truncate it), or a batch a live server is writing.
	TornTail *TornTail

	hashes hashes
}

// TreeHash returns the Merkle tree root of the first size records.
func (in *Inspection) TreeHash(size uint64) (tlog.Hash, error) {
	if size > in.Size {
		return tlog.Hash{}, fmt.Errorf("%w: tree size %d, journal holds %d records", ErrNotFound, size, in.Size)
	}
	return in.hashes.treeHash(size)
}

// LeafHash returns the leaf hash of record seq.
func (in *Inspection) LeafHash(seq uint64) (tlog.Hash, error) {
	if seq >= in.Size {
		return tlog.Hash{}, fmt.Errorf("%w: record %d, journal holds %d records", ErrNotFound, seq, in.Size)
	}
	return in.hashes.leaf(seq), nil
}

// Inspect reads the journal in dir from start to end and checks every
// frame, CRC and chain value, and recomputes the Merkle tree, exactly as
// Open does, but read-only and without the directory lock: it is safe to
// run while a server has the journal open, and it never truncates or
// creates anything.
//
// It covers the file as it is when Inspect starts; records a live server
// appends afterwards are not examined. Damage anywhere but the tail gives a
// *CorruptError naming the file, byte offset and sequence number.
func Inspect(dir string, opts InspectOptions) (*Inspection, error) {
	r, err := OpenReader(dir, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	in := &Inspection{File: r.path, Size: r.size, Bytes: r.bytes, TornTail: r.torn, hashes: r.hashes}
	if in.Root, err = in.hashes.treeHash(in.Size); err != nil {
		return nil, err
	}
	return in, nil
}

// open resolves the options' defaults and opens the journal file in dir
// for reading.
func (opts InspectOptions) open(dir string) (f File, path string, max int, err error) {
	fsys := opts.FS
	if fsys == nil {
		fsys = OSFS{}
	}
	max = opts.MaxRecordSize
	if max == 0 {
		max = DefaultMaxRecordSize
	}
	if max < 0 || max > maxRecordLimit {
		return nil, "", 0, fmt.Errorf("journal: MaxRecordSize %d out of range (1..%d)", max, maxRecordLimit)
	}
	path = filepath.Join(dir, walName)
	if f, err = fsys.OpenFile(path, os.O_RDONLY, 0); err != nil {
		return nil, "", 0, fmt.Errorf("journal: %w", err)
	}
	return f, path, max, nil
}
