package journal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// golden builds a journal of n records and returns its file bytes and the
// offset of every frame.
func golden(t *testing.T, n int) (wal []byte, offsets []int64) {
	t.Helper()
	dir := t.TempDir()
	j := openT(t, dir, Options{FS: noSyncFS{}})
	fill(t, j, n)
	offsets = append([]int64(nil), j.offsets...)
	j.Close()
	wal, err := os.ReadFile(filepath.Join(dir, walName))
	if err != nil {
		t.Fatal(err)
	}
	return wal, offsets
}

// withWAL returns a fresh data directory whose journal file holds wal.
func withWAL(t *testing.T, wal []byte) string {
	t.Helper()
	return rewriteWAL(t, t.TempDir(), wal)
}

// rewriteWAL replaces the journal file in dir with wal and returns dir.
// Loops over many damaged files reuse one directory: on a disk shared with
// busy neighbours, creating and removing a directory per case costs more
// than the case.
func rewriteWAL(t *testing.T, dir string, wal []byte) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, walName), wal, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestTornTailEveryLength(t *testing.T) {
	const n = 5
	wal, offsets := golden(t, n)
	last := offsets[n-1]
	dir := t.TempDir()
	for cut := last + 1; cut < int64(len(wal)); cut++ {
		rewriteWAL(t, dir, wal[:cut])
		var logBuf bytes.Buffer
		j, err := Open(dir, Options{FS: noSyncFS{}, Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
		if err != nil {
			t.Fatalf("cut at %d: Open: %v", cut, err)
		}
		if j.Size() != n-1 {
			t.Fatalf("cut at %d: Size %d, want %d", cut, j.Size(), n-1)
		}
		if msg := logBuf.String(); !strings.Contains(msg, "level=WARN") ||
			!strings.Contains(msg, "offset="+strconv.FormatInt(last, 10)) || !strings.Contains(msg, walName) {
			t.Fatalf("cut at %d: warning = %q", cut, msg)
		}
		if fi, _ := os.Stat(filepath.Join(dir, walName)); fi.Size() != last {
			t.Fatalf("cut at %d: file is %d bytes after recovery, want %d", cut, fi.Size(), last)
		}
		for seq := uint64(0); seq < n-1; seq++ {
			if got, err := j.Read(seq); err != nil || !bytes.Equal(got, record(seq)) {
				t.Fatalf("cut at %d: Read(%d): %v", cut, seq, err)
			}
		}
		if seq := appendT(t, j, record(n-1)); seq != n-1 {
			t.Fatalf("cut at %d: append after recovery got seq %d", cut, seq)
		}
		j.Close()
		// What recovery left, plus the new record, is exactly the original.
		if got, _ := os.ReadFile(filepath.Join(dir, walName)); !bytes.Equal(got, wal) {
			t.Fatalf("cut at %d: journal after re-append differs from the original", cut)
		}
	}
}

func TestTornTailVariants(t *testing.T) {
	const n = 4
	wal, offsets := golden(t, n)
	last := offsets[n-1]
	tests := []struct {
		name    string
		wal     func() []byte
		size    uint64 // records left after Open
		corrupt bool
	}{
		{"bad CRC in final record", func() []byte {
			w := bytes.Clone(wal)
			w[len(w)-1] ^= 0x40
			return w
		}, n - 1, false},
		{"zeroed blocks after the records", func() []byte {
			return append(bytes.Clone(wal), make([]byte, 4096)...)
		}, n, false},
		{"zeroed final frame", func() []byte {
			w := bytes.Clone(wal)
			clear(w[last:])
			return w
		}, n - 1, false},
		{"zeros then data", func() []byte {
			w := append(bytes.Clone(wal), make([]byte, 100)...)
			return append(w, 1)
		}, 0, true},
		{"garbage after the records", func() []byte {
			return append(bytes.Clone(wal), bytes.Repeat([]byte("garbage!"), 10)...)
		}, 0, true},
		{"final record header damaged", func() []byte {
			w := bytes.Clone(wal)
			w[last+5] ^= 1
			return w
		}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := withWAL(t, tt.wal())
			j, err := Open(dir, Options{Logger: quietLogger()})
			if tt.corrupt {
				var ce *CorruptError
				if !errors.As(err, &ce) {
					t.Fatalf("Open = %v, want *CorruptError", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer j.Close()
			if j.Size() != tt.size {
				t.Fatalf("Size = %d, want %d", j.Size(), tt.size)
			}
			appendT(t, j, []byte("after recovery"))
		})
	}
}

// TestDamageBeforeTail flips every byte before the final frame, one at a
// time, and checks that Open and Inspect both refuse the journal and name
// the frame the byte belongs to.
func TestDamageBeforeTail(t *testing.T) {
	const n = 5
	wal, offsets := golden(t, n)
	seqAt := func(pos int64) (uint64, int64) {
		if pos < fileHeaderSize {
			return 0, 0
		}
		k := n - 1
		for offsets[k] > pos {
			k--
		}
		return uint64(k), offsets[k]
	}
	dir := t.TempDir()
	for pos := int64(0); pos < offsets[n-1]; pos++ {
		w := bytes.Clone(wal)
		w[pos] ^= 0x01
		rewriteWAL(t, dir, w)
		wantSeq, wantOff := seqAt(pos)
		check := func(what string, err error) {
			var ce *CorruptError
			if !errors.As(err, &ce) || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("byte %d: %s = %v, want *CorruptError", pos, what, err)
			}
			if ce.Seq != wantSeq || ce.Offset != wantOff || ce.File != filepath.Join(dir, walName) {
				t.Fatalf("byte %d: %s named record %d at %d in %s, want record %d at %d", pos, what, ce.Seq, ce.Offset, ce.File, wantSeq, wantOff)
			}
		}
		j, err := Open(dir, Options{FS: noSyncFS{}, Logger: quietLogger()})
		if err == nil {
			j.Close()
		}
		check("Open", err)
		_, err = Inspect(dir, InspectOptions{})
		check("Inspect", err)
		// Open left the damaged file as it was.
		if got, _ := os.ReadFile(filepath.Join(dir, walName)); !bytes.Equal(got, w) {
			t.Fatalf("byte %d: Open changed a damaged journal", pos)
		}
	}
}

// TestRewrittenRecordBreaksChain rewrites a record in the middle with
// correct CRCs, as someone editing the file on purpose would: the chain
// names the record.
func TestRewrittenRecordBreaksChain(t *testing.T) {
	const n = 6
	wal, offsets := golden(t, n)
	tab := castagnoli()
	var w []byte
	w = append(w, wal[:offsets[2]]...)
	forged := bytes.ToUpper(record(2))
	h, _ := decodeFrameHeader(wal[offsets[2]:], tab)
	w = appendFrameHeader(w, 2, h.chain, forged, tab)
	w = append(w, forged...)
	w = append(w, wal[offsets[3]:]...)
	_, err := Inspect(withWAL(t, w), InspectOptions{})
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Seq != 2 || !strings.Contains(ce.Reason, "chain") {
		t.Fatalf("Inspect = %v, want chain mismatch at record 2", err)
	}

	// Dropping a whole frame is caught by the sequence number.
	w = append(append([]byte(nil), wal[:offsets[3]]...), wal[offsets[4]:]...)
	_, err = Inspect(withWAL(t, w), InspectOptions{})
	if !errors.As(err, &ce) || ce.Seq != 3 {
		t.Fatalf("Inspect with a frame removed = %v, want record 3", err)
	}
}

func TestOversizedLengthRefusedBeforeAllocating(t *testing.T) {
	tab := castagnoli()
	w := encodeFileHeader(tab)
	// A well-formed header claiming 1 GiB, followed by one more frame, so
	// it is not the tail.
	var hdr [frameHeaderSize]byte
	copy(hdr[:], appendFrameHeader(nil, 0, [32]byte{}, nil, tab))
	hdr[0] = 0x40
	w = append(w, appendHeaderCRC(hdr[:], tab)...)
	w = append(w, bytes.Repeat([]byte{7}, 200)...)
	_, err := Inspect(withWAL(t, w), InspectOptions{MaxRecordSize: 1 << 20})
	var ce *CorruptError
	if !errors.As(err, &ce) || !strings.Contains(ce.Reason, "maximum record size") {
		t.Fatalf("Inspect = %v", err)
	}
}

// appendHeaderCRC recomputes the header checksum of a hand-made header.
func appendHeaderCRC(h []byte, tab *crc32.Table) []byte {
	out := bytes.Clone(h)
	binary.BigEndian.PutUint32(out[offHeaderCRC:], crc32.Checksum(out[:offHeaderCRC], tab))
	return out
}

func TestInspectTornTailReported(t *testing.T) {
	wal, offsets := golden(t, 3)
	in, err := Inspect(withWAL(t, wal[:len(wal)-3]), InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if in.Size != 2 || in.TornTail == nil || in.TornTail.Offset != offsets[2] || in.TornTail.Seq != 2 {
		t.Fatalf("Inspect = %+v, torn %+v", in, in.TornTail)
	}
	want := tlog.RecordHash(record(1))
	if leaf, _ := in.LeafHash(1); leaf != want {
		t.Fatalf("LeafHash(1) = %v", leaf)
	}
}
