package journal

import (
	"bufio"
	"fmt"
	"hash/crc32"
	"io"

	"golang.org/x/mod/sumdb/tlog"
)

// TornTail describes an incomplete final frame: what a crash in the middle
// of a write leaves behind. None of its bytes were ever acknowledged,
// because a record is acknowledged only after the fsync that covers it.
type TornTail struct {
	Offset int64  // byte offset where the incomplete frame starts
	Bytes  int64  // bytes from Offset to the end of the file
	Seq    uint64 // sequence number the frame would have had
	Reason string // why the frame is considered torn
}

// scanner reads the frames of a journal file in order and decides, at the
// first frame that is not whole, whether it is a torn tail or damage.
//
// The rule (documented in doc.go) accepts exactly what a crash can leave:
// the first bad frame must also be the last thing in the file. A frame whose
// header checks out but whose body runs past the end of the file, or whose
// body ends exactly at the end of the file with a bad CRC, is torn; so is a
// short header, and a header that fails its checksum when every byte from it
// to the end of the file is zero (blocks allocated but never written, after
// a power loss). Anything else is damage.
type scanner struct {
	file string // path, for errors
	r    *bufio.Reader
	size int64 // bytes of the file this scan covers
	max  int
	tab  *crc32.Table

	off   int64    // offset of the next frame
	seq   uint64   // sequence number of the next frame
	chain [32]byte // chain value after the last good record
	buf   []byte
	hdr   [frameHeaderSize]byte

	torn *TornTail // set when the scan ended at a torn tail
}

// newScanner checks the file header and positions the scanner at record 0.
// size is the length of the file to scan; a writer may be extending the
// file concurrently, and the scanner never looks past size.
func newScanner(f io.ReaderAt, file string, size int64, maxRecord int) (*scanner, error) {
	s := &scanner{
		file: file,
		r:    bufio.NewReaderSize(io.NewSectionReader(f, 0, size), 1<<20),
		size: size,
		max:  maxRecord,
		tab:  castagnoli(),
	}
	var fh [fileHeaderSize]byte
	n, err := io.ReadFull(s.r, fh[:])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, fmt.Errorf("journal: read %s: %w", file, err)
	}
	if err := checkFileHeader(fh[:n], s.tab); err != nil {
		return nil, &CorruptError{File: file, Offset: 0, Seq: 0, Reason: err.Error()}
	}
	s.off = fileHeaderSize
	return s, nil
}

// next returns the next record and its leaf hash. At the end of the good
// records it returns ok == false and a nil error; s.torn then says whether
// a torn tail follows. The returned data is only valid until the next call.
func (s *scanner) next() (data []byte, leaf tlog.Hash, ok bool, err error) {
	remaining := s.size - s.off
	if remaining == 0 {
		return nil, tlog.Hash{}, false, nil
	}
	if remaining < frameHeaderSize {
		return s.tornAt(remaining, fmt.Sprintf("short frame header: %d of %d bytes", remaining, frameHeaderSize))
	}
	if _, err := io.ReadFull(s.r, s.hdr[:]); err != nil {
		return nil, tlog.Hash{}, false, s.ioErr(err)
	}
	h, hok := decodeFrameHeader(s.hdr[:], s.tab)
	if !hok {
		zero, err := s.restIsZero()
		if err != nil {
			return nil, tlog.Hash{}, false, err
		}
		if zero {
			return s.tornAt(remaining, "zeroed frame at end of file")
		}
		return nil, tlog.Hash{}, false, s.corrupt("frame header checksum mismatch")
	}
	if h.seq != s.seq {
		return nil, tlog.Hash{}, false, s.corrupt(fmt.Sprintf("frame carries sequence number %d", h.seq))
	}
	if int64(h.length) > int64(s.max) {
		// The header checksum holds, so this length was written on
		// purpose, by a build with a larger limit. Refuse rather than
		// allocate: the operator can raise MaxRecordSize.
		return nil, tlog.Hash{}, false, s.corrupt(fmt.Sprintf("record length %d exceeds the maximum record size %d", h.length, s.max))
	}
	end := frameHeaderSize + int64(h.length)
	if end > remaining {
		// Checked before allocating: a length can never make the scan
		// allocate more than the file holds.
		return s.tornAt(remaining, fmt.Sprintf("short record: %d of %d bytes", remaining-frameHeaderSize, h.length))
	}
	if cap(s.buf) < int(h.length) {
		s.buf = make([]byte, h.length)
	}
	s.buf = s.buf[:h.length]
	if _, err := io.ReadFull(s.r, s.buf); err != nil {
		return nil, tlog.Hash{}, false, s.ioErr(err)
	}
	if crc32.Checksum(s.buf, s.tab) != h.dataCRC {
		if end == remaining {
			return s.tornAt(remaining, "record checksum mismatch in the final frame")
		}
		return nil, tlog.Hash{}, false, s.corrupt("record checksum mismatch")
	}
	leaf = tlog.RecordHash(s.buf)
	chain := nextChain(s.chain, leaf)
	if chain != h.chain {
		return nil, tlog.Hash{}, false, s.corrupt("hash chain mismatch: record removed, reordered or rewritten")
	}
	s.chain = chain
	s.off += end
	s.seq++
	return s.buf, leaf, true, nil
}

// restIsZero reports whether every byte from the current frame's header to
// the end of the scanned size is zero. The header was consumed already.
func (s *scanner) restIsZero() (bool, error) {
	if !allZero(s.hdr[:]) {
		return false, nil
	}
	var chunk [32 << 10]byte
	for {
		n, err := s.r.Read(chunk[:])
		if !allZero(chunk[:n]) {
			return false, nil
		}
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return false, s.ioErr(err)
		}
	}
}

func (s *scanner) tornAt(remaining int64, reason string) ([]byte, tlog.Hash, bool, error) {
	s.torn = &TornTail{Offset: s.off, Bytes: remaining, Seq: s.seq, Reason: reason}
	return nil, tlog.Hash{}, false, nil
}

func (s *scanner) corrupt(reason string) error {
	return &CorruptError{File: s.file, Offset: s.off, Seq: s.seq, Reason: reason}
}

func (s *scanner) ioErr(err error) error {
	return fmt.Errorf("journal: read %s: record %d at byte offset %d: %w", s.file, s.seq, s.off, err)
}
