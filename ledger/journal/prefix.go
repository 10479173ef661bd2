package journal

import (
	"fmt"
	"io"
)

// CopyPrefix writes to dst a journal file holding exactly the first size
// records of the journal in dir: the file header and their frames, byte
// for byte, ending on a frame boundary. It checks every frame it copies
// (CRCs, sequence numbers, chain) as Inspect does, takes no lock and
// writes nothing in dir, so it runs next to a live server: records are
// only ever appended, so the bytes of the first size records never change
// once they are committed. It returns the number of bytes written.
//
// The copy opens like any journal; because it ends on a frame boundary
// there is no torn tail to truncate.
func CopyPrefix(dir string, size uint64, dst io.Writer, opts InspectOptions) (int64, error) {
	f, path, max, err := opts.open(dir)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("journal: %w", err)
	}
	s, err := newScanner(f, path, fi.Size(), max)
	if err != nil {
		return 0, err
	}
	for s.seq < size {
		data, _, ok, err := s.next()
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, fmt.Errorf("%w: %s holds %d whole records, fewer than the %d asked for", ErrNotFound, path, s.seq, size)
		}
		if opts.Visit != nil {
			if err := opts.Visit(s.seq-1, data); err != nil {
				return 0, fmt.Errorf("journal: %s: record %d: %w", path, s.seq-1, err)
			}
		}
	}
	n, err := io.Copy(dst, io.NewSectionReader(f, 0, s.off))
	if err != nil {
		return n, fmt.Errorf("journal: copy %s: %w", path, err)
	}
	return n, nil
}

// FileName is the name of the journal file inside its directory.
const FileName = walName
