package witness

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// HistoryFile is the file, in the data directory, of the cosigned
// checkpoints: every checkpoint that got at least one cosignature, in
// order of size.
//
// Each record is a header line and the note:
//
//	cosigned <size> <note length> <CRC-32C of the note, 8 hex digits>\n
//	<note bytes>
//
// A record is appended and fsynced before anything that depends on it.
// A torn last record (a crash while appending) is cut off on open.
const HistoryFile = "cosigned-checkpoints"

// maxNote bounds one record's note: a checkpoint and a few dozen
// signature lines.
const maxNote = 64 << 10

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// History is the open history file. Its methods may be called
// concurrently.
type History struct {
	mu    sync.Mutex
	f     *os.File
	end   int64
	sizes []uint64 // increasing
	offs  []int64  // where each record's note starts
	lens  []int
}

// OpenHistory opens (creating) the history file in dir and reads its
// index, cutting off a torn last record.
func OpenHistory(dir string) (*History, error) {
	path := filepath.Join(dir, HistoryFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("witness: %w", err)
	}
	h := &History{f: f}
	if err := h.load(); err != nil {
		f.Close()
		return nil, fmt.Errorf("witness: %s: %w", path, err)
	}
	return h, nil
}

func (h *History) load() error {
	r := bufio.NewReader(h.f)
	var off int64
	for {
		size, n, sum, hdr, err := readHeader(r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil && n > maxNote {
			err = fmt.Errorf("record at %d: a note of %d bytes", off, n)
		}
		var buf []byte
		if err == nil {
			buf = make([]byte, n)
			_, err = io.ReadFull(r, buf)
		}
		if err == nil && crc32.Checksum(buf, castagnoli) != sum {
			err = fmt.Errorf("record at %d: checksum mismatch", off)
		}
		if err == nil && len(h.sizes) > 0 && size <= h.sizes[len(h.sizes)-1] {
			err = fmt.Errorf("record at %d: size %d after size %d", off, size, h.sizes[len(h.sizes)-1])
		}
		if err != nil {
			// Only a crash while appending leaves a bad record, and
			// then it is the last: cut it off.
			return h.truncate(off)
		}
		h.sizes, h.offs, h.lens = append(h.sizes, size), append(h.offs, off+int64(hdr)), append(h.lens, n)
		off += int64(hdr + n)
	}
	h.end = off
	return nil
}

func (h *History) truncate(off int64) error {
	if err := h.f.Truncate(off); err != nil {
		return err
	}
	h.end = off
	return h.f.Sync()
}

// readHeader reads "cosigned SIZE LEN CRC\n" and returns its fields and
// its length in bytes.
func readHeader(r *bufio.Reader) (size uint64, n int, sum uint32, hdr int, err error) {
	line, err := r.ReadString('\n')
	if err != nil {
		if len(line) == 0 {
			return 0, 0, 0, 0, io.EOF
		}
		return 0, 0, 0, 0, io.ErrUnexpectedEOF
	}
	f := strings.Fields(line)
	if len(f) != 4 || f[0] != "cosigned" {
		return 0, 0, 0, 0, fmt.Errorf("bad record header %q", line)
	}
	size, err1 := strconv.ParseUint(f[1], 10, 64)
	n64, err2 := strconv.ParseUint(f[2], 10, 31)
	sum64, err3 := strconv.ParseUint(f[3], 16, 32)
	if err := errors.Join(err1, err2, err3); err != nil {
		return 0, 0, 0, 0, fmt.Errorf("bad record header %q: %w", line, err)
	}
	return size, int(n64), uint32(sum64), len(line), nil
}

// Append adds the cosigned checkpoint msg of the given size, larger than
// every size in the file, and fsyncs.
func (h *History) Append(size uint64, msg []byte) error {
	if len(msg) > maxNote {
		return fmt.Errorf("witness: a cosigned checkpoint of %d bytes", len(msg))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if k := len(h.sizes); k > 0 && size <= h.sizes[k-1] {
		return fmt.Errorf("witness: cosigned checkpoint of size %d after size %d", size, h.sizes[k-1])
	}
	hdr := fmt.Sprintf("cosigned %d %d %08x\n", size, len(msg), crc32.Checksum(msg, castagnoli))
	rec := append([]byte(hdr), msg...)
	if _, err := h.f.WriteAt(rec, h.end); err != nil {
		_ = h.f.Truncate(h.end)
		return fmt.Errorf("witness: append a cosigned checkpoint: %w", err)
	}
	if err := h.f.Sync(); err != nil {
		return fmt.Errorf("witness: fsync the cosigned checkpoints: %w", err)
	}
	h.sizes, h.offs, h.lens = append(h.sizes, size), append(h.offs, h.end+int64(len(hdr))), append(h.lens, len(msg))
	h.end += int64(len(rec))
	return nil
}

// FirstAtLeast returns the first cosigned checkpoint whose size is at
// least size, and its size; ok is false when there is none. The answer
// for a size never changes once there is one, which keeps documents made
// with it reproducible.
func (h *History) FirstAtLeast(size uint64) (msg []byte, at uint64, ok bool, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	i := sort.Search(len(h.sizes), func(i int) bool { return h.sizes[i] >= size })
	if i == len(h.sizes) {
		return nil, 0, false, nil
	}
	return h.read(i)
}

// Latest returns the newest cosigned checkpoint; ok is false when there
// is none.
func (h *History) Latest() (msg []byte, at uint64, ok bool, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.sizes) == 0 {
		return nil, 0, false, nil
	}
	return h.read(len(h.sizes) - 1)
}

func (h *History) read(i int) ([]byte, uint64, bool, error) {
	buf := make([]byte, h.lens[i])
	if _, err := h.f.ReadAt(buf, h.offs[i]); err != nil {
		return nil, 0, false, fmt.Errorf("witness: read the cosigned checkpoint of size %d: %w", h.sizes[i], err)
	}
	return buf, h.sizes[i], true, nil
}

// Close closes the file.
func (h *History) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.f.Close()
}
