package journal

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"golang.org/x/mod/sumdb/tlog"
)

// The names of the journal's files inside its directory. Any other name
// starting with filePrefix is unexpected and stops Open: it could be a
// segment of a newer format, or a file an operator copied in by hand, and
// guessing which would risk serving an incomplete log.
const (
	filePrefix = "journal"
	walName    = "journal.wal"
	tmpName    = "journal.wal.tmp"
	lockName   = "journal.lock"
)

// File header: magic, format version, CRC32C of the first 12 bytes.
const (
	fileMagic      = "ICTLJRNL"
	formatVersion  = 1
	fileHeaderSize = 16
)

// Frame header layout, all integers big-endian:
//
//	[0:4)   record length in bytes
//	[4:12)  sequence number
//	[12:44) chain value after this record
//	[44:48) CRC32C of the record bytes
//	[48:52) CRC32C of bytes [0:48) of this header
//
// The header has its own checksum so that a damaged length field is caught
// before it is used: otherwise a flipped bit in the length of a record in
// the middle of the log could make it look as if it ran to the end of the
// file, and recovery would truncate it as a torn tail.
const (
	frameHeaderSize = 52

	offLength    = 0
	offSeq       = 4
	offChain     = 12
	offDataCRC   = 44
	offHeaderCRC = 48
)

// DefaultMaxRecordSize is the largest record Open accepts unless
// Options.MaxRecordSize says otherwise. A return with 100,000 site rows
// encodes to about 20 MB; the limit leaves an order of magnitude of room
// while still refusing a corrupt length before allocating for it.
const DefaultMaxRecordSize = 256 << 20

// maxRecordLimit is the largest MaxRecordSize the frame's 32-bit length
// field can express.
const maxRecordLimit = 1<<32 - 1

// castagnoli is the CRC32C table; crc32.MakeTable caches it internally, so
// building it per journal costs nothing after the first time.
func castagnoli() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) }

// header is a decoded frame header.
type header struct {
	length  uint32
	seq     uint64
	chain   [32]byte
	dataCRC uint32
}

// encodeFileHeader returns the 16-byte header that starts every journal file.
func encodeFileHeader(tab *crc32.Table) []byte {
	b := make([]byte, fileHeaderSize)
	copy(b, fileMagic)
	binary.BigEndian.PutUint32(b[8:12], formatVersion)
	binary.BigEndian.PutUint32(b[12:16], crc32.Checksum(b[:12], tab))
	return b
}

// checkFileHeader reports what is wrong with a file header, or nil.
func checkFileHeader(b []byte, tab *crc32.Table) error {
	if len(b) < fileHeaderSize {
		return fmt.Errorf("file header: %d bytes, want %d", len(b), fileHeaderSize)
	}
	if string(b[:8]) != fileMagic {
		return fmt.Errorf("file header: bad magic %q, not an ictledger journal", b[:8])
	}
	if crc32.Checksum(b[:12], tab) != binary.BigEndian.Uint32(b[12:16]) {
		return fmt.Errorf("file header: checksum mismatch")
	}
	if v := binary.BigEndian.Uint32(b[8:12]); v != formatVersion {
		return fmt.Errorf("file header: format version %d, this build reads version %d", v, formatVersion)
	}
	return nil
}

// appendFrameHeader appends the header of a frame carrying data to dst.
func appendFrameHeader(dst []byte, seq uint64, chain [32]byte, data []byte, tab *crc32.Table) []byte {
	var h [frameHeaderSize]byte
	binary.BigEndian.PutUint32(h[offLength:], uint32(len(data)))
	binary.BigEndian.PutUint64(h[offSeq:], seq)
	copy(h[offChain:offDataCRC], chain[:])
	binary.BigEndian.PutUint32(h[offDataCRC:], crc32.Checksum(data, tab))
	binary.BigEndian.PutUint32(h[offHeaderCRC:], crc32.Checksum(h[:offHeaderCRC], tab))
	return append(dst, h[:]...)
}

// decodeFrameHeader decodes b, which must hold frameHeaderSize bytes. ok is
// false when the header checksum does not match, in which case no field of
// the header can be trusted.
func decodeFrameHeader(b []byte, tab *crc32.Table) (h header, ok bool) {
	if crc32.Checksum(b[:offHeaderCRC], tab) != binary.BigEndian.Uint32(b[offHeaderCRC:]) {
		return header{}, false
	}
	h.length = binary.BigEndian.Uint32(b[offLength:])
	h.seq = binary.BigEndian.Uint64(b[offSeq:])
	copy(h.chain[:], b[offChain:offDataCRC])
	h.dataCRC = binary.BigEndian.Uint32(b[offDataCRC:])
	return h, true
}

// nextChain returns the chain value after a record whose leaf hash is leaf:
// SHA-256(prev || leaf). The chain before record 0 is 32 zero bytes.
//
// The chain makes the order of the records part of every frame: a record
// removed, duplicated or moved with its CRCs intact still breaks the chain
// at the first frame after the change, so damage is named at its position
// rather than discovered later as a wrong tree root.
func nextChain(prev [32]byte, leaf tlog.Hash) [32]byte {
	var buf [64]byte
	copy(buf[:32], prev[:])
	copy(buf[32:], leaf[:])
	return sha256.Sum256(buf[:])
}

// allZero reports whether b holds only zero bytes.
func allZero(b []byte) bool {
	return len(bytes.TrimLeft(b, "\x00")) == 0
}
