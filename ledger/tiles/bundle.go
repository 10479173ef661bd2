package tiles

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// MaxInline is the largest entry a bundle carries inline; a larger one is
// carried as a Ref.
const MaxInline = 1<<16 - 1

// RefSize is the length of an encoded Ref.
const RefSize = 64

// refMagic starts every encoded Ref.
const refMagic = "ictledger-ref/v1"

// ErrBadBundle means a bundle's bytes are not a bundle of the tile asked
// for.
var ErrBadBundle = errors.New("tiles: malformed entry bundle")

// Ref stands in a bundle for an entry too large for a uint16 length: the
// entry is served alone at EntryPath(Seq).
type Ref struct {
	Seq    uint64
	Length uint64
	SHA256 [32]byte
}

// encode returns the RefSize bytes of r.
func (r Ref) encode() []byte {
	b := make([]byte, 0, RefSize)
	b = append(b, refMagic...)
	b = binary.BigEndian.AppendUint64(b, r.Seq)
	b = binary.BigEndian.AppendUint64(b, r.Length)
	return append(b, r.SHA256[:]...)
}

// Check reports whether data is the entry r stands for.
func (r Ref) Check(data []byte) error {
	if uint64(len(data)) != r.Length {
		return fmt.Errorf("entry %d is %d bytes, its reference says %d", r.Seq, len(data), r.Length)
	}
	if sha256.Sum256(data) != r.SHA256 {
		return fmt.Errorf("entry %d does not have the SHA-256 its reference gives", r.Seq)
	}
	return nil
}

// isRef reports whether framed entry bytes are a reference rather than an
// entry.
func isRef(b []byte) bool { return len(b) == RefSize && string(b[:len(refMagic)]) == refMagic }

// AppendEntry appends entry seq, whose bytes are data, to a bundle: inline
// with its uint16 length when it fits, else as a Ref. Bytes that would
// read as a Ref are refused; ledger entries (JSON objects) never do.
func AppendEntry(bundle []byte, seq uint64, data []byte) ([]byte, error) {
	if len(data) > MaxInline {
		ref := Ref{Seq: seq, Length: uint64(len(data)), SHA256: sha256.Sum256(data)}
		data = ref.encode()
	} else if isRef(data) {
		return bundle, fmt.Errorf("tiles: entry %d would read as a reference", seq)
	}
	bundle = binary.BigEndian.AppendUint16(bundle, uint16(len(data)))
	return append(bundle, data...), nil
}

// Item is one entry of a parsed bundle: its bytes, or the Ref that stands
// for them.
type Item struct {
	Seq  uint64
	Data []byte // nil when Ref is set; shares memory with the bundle
	Ref  *Ref
}

// ParseBundle reads the bundle of tile t (t.L must be EntriesLevel): exactly
// t.W framed entries and nothing after them. A reference must name the
// entry at its position and a length above MaxInline. It checks no hash:
// the caller compares each entry's tlog.RecordHash with the level 0 tile.
func ParseBundle(b []byte, t tlog.Tile) ([]Item, error) {
	if t.L != EntriesLevel || t.H != Height || t.N < 0 || t.W < 1 || t.W > FullWidth {
		return nil, fmt.Errorf("tiles: %v is not an entry bundle", t)
	}
	start := uint64(t.N) * FullWidth
	items := make([]Item, 0, t.W)
	for i := 0; i < t.W; i++ {
		seq := start + uint64(i)
		if len(b) < 2 {
			return nil, fmt.Errorf("%w: %s ends before entry %d", ErrBadBundle, Path(t), seq)
		}
		n := int(binary.BigEndian.Uint16(b))
		if len(b)-2 < n {
			return nil, fmt.Errorf("%w: %s: entry %d says %d bytes, %d left", ErrBadBundle, Path(t), seq, n, len(b)-2)
		}
		data := b[2 : 2+n : 2+n]
		b = b[2+n:]
		if !isRef(data) {
			items = append(items, Item{Seq: seq, Data: data})
			continue
		}
		ref := &Ref{Seq: binary.BigEndian.Uint64(data[16:24]), Length: binary.BigEndian.Uint64(data[24:32])}
		copy(ref.SHA256[:], data[32:])
		if ref.Seq != seq || ref.Length <= MaxInline {
			return nil, fmt.Errorf("%w: %s: entry %d is a reference to entry %d of %d bytes", ErrBadBundle, Path(t), seq, ref.Seq, ref.Length)
		}
		items = append(items, Item{Seq: seq, Ref: ref})
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: %s: %d bytes after entry %d", ErrBadBundle, Path(t), len(b), start+uint64(t.W)-1)
	}
	return items, nil
}
