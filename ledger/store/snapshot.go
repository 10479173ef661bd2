package store

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/buildid"
	"github.com/ictledger/ictledger/ledger/atomicfile"
	"github.com/ictledger/ictledger/ledger/journal"
	"github.com/ictledger/ictledger/ledger/state"
)

// SnapshotFile is the state snapshot in the data directory: the state as
// of a tree size, so that a start need not apply every entry again. It
// is derived from the journal and may be deleted at any time (the next
// start replays the whole journal and writes it again).
//
// The file is a header, the state's rows (state.View.WriteSnapshot) and
// a trailer:
//
//	"ictledger state snapshot 1\n"   the format
//	32 bytes   the build that wrote it (buildid.Running)
//	8 bytes    tree size n, big-endian: the entries the rows reflect
//	32 bytes   the Merkle root of the first n entries
//	...        the rows
//	8 bytes    the length of the rows, big-endian
//	32 bytes   SHA-256 of everything before it
//	64 bytes   the ledger key's Ed25519 signature of snapshotSigned
//	           and that hash in hex
//
// A start loads it only when it is whole and signed (the trailer's
// length, hash and signature: the state is then what the journal says
// unless the ledger's key was stolen, as with the checkpoints), was
// written by the very executable now running (so that a change to
// how entries are applied can never meet rows applied the old way), and
// reflects the journal: n at most the journal's size and the journal's
// root of its first n entries equal to the one recorded. Otherwise it is
// ignored, with a log line, and the whole journal replayed.
const SnapshotFile = "state.snapshot"

const snapshotMagic = "ictledger state snapshot 1\n"

// snapshotSigned is the start of the text the key signs: no checkpoint
// reads as it (its second line is not a tree size).
const snapshotSigned = "ictledger state snapshot 1\nsha256 "

const (
	snapshotHeaderSize  = len(snapshotMagic) + sha256.Size + 8 + sha256.Size
	snapshotTrailerSize = 8 + sha256.Size + ed25519.SignatureSize
)

// snapshotMessage is the text signed for a snapshot whose hash is sum.
func snapshotMessage(sum []byte) []byte {
	return []byte(snapshotSigned + hex.EncodeToString(sum) + "\n")
}

// snapshotEvery is how many entries the state grows by before the store
// writes a new snapshot while serving (besides the one at Close): the
// entries a start after a crash applies one by one at most, about 0.5 s
// of CPU at the rate of the regional ledger's replay.
const snapshotEvery = 8192

// snapshotSpacing is the least time between two snapshots written while
// serving. Under a burst of filings 8,192 entries can come in seconds,
// and each snapshot writes the whole state (308 MB and about 1.2 s of
// CPU for the regional ledger); with the spacing that is at most 2 % of
// a processor, and a start after a crash applies at most a minute of
// entries beyond the snapshot.
const snapshotSpacing = time.Minute

// snapshotDue reports whether a store whose last snapshot (written or
// loaded) is of lastSize entries and from lastAt should write another,
// now that the state holds size entries.
func snapshotDue(lastSize uint64, lastAt time.Time, size uint64, now time.Time) bool {
	return size >= lastSize+snapshotEvery && now.Sub(lastAt) >= snapshotSpacing
}

// snapshotHeader is what a snapshot's header records.
type snapshotHeader struct {
	build buildid.ID // the build that wrote it (buildid.Running)
	size  uint64
	root  tlog.Hash
}

func (h snapshotHeader) encode() []byte {
	b := make([]byte, 0, snapshotHeaderSize)
	b = append(b, snapshotMagic...)
	b = append(b, h.build[:]...)
	b = binary.BigEndian.AppendUint64(b, h.size)
	return append(b, h.root[:]...)
}

func decodeSnapshotHeader(b []byte) (snapshotHeader, error) {
	var h snapshotHeader
	if len(b) != snapshotHeaderSize || !bytes.HasPrefix(b, []byte(snapshotMagic)) {
		return h, errors.New("not a snapshot of this format")
	}
	b = b[len(snapshotMagic):]
	copy(h.build[:], b)
	h.size = binary.BigEndian.Uint64(b[sha256.Size:])
	copy(h.root[:], b[sha256.Size+8:])
	return h, nil
}

// writeSnapshot writes a snapshot of v, which must reflect no more
// entries than j holds, into dir.
func writeSnapshot(dir string, j *journal.Journal, v *state.View, key note.Signer) error {
	build, err := buildid.Running()
	if err != nil {
		return fmt.Errorf("snapshot: the running build: %w", err)
	}
	root, err := j.TreeHash(v.Size())
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	head := snapshotHeader{build: build, size: v.Size(), root: root}.encode()
	return atomicfile.WriteFunc(dir, SnapshotFile, 0o600, func(w io.Writer) error {
		sum := sha256.New()
		bw := bufio.NewWriterSize(io.MultiWriter(w, sum), 1<<20)
		cw := &countWriter{w: bw}
		if _, err := bw.Write(head); err != nil {
			return err
		}
		if err := v.WriteSnapshot(cw, j.Read); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		trailer := binary.BigEndian.AppendUint64(nil, uint64(cw.n))
		sum.Write(trailer)
		trailer = sum.Sum(trailer)
		sig, err := key.Sign(snapshotMessage(trailer[8:]))
		if err != nil {
			return err
		}
		_, err = w.Write(append(trailer, sig...))
		return err
	})
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// snapshotRead is a snapshot read into a state, checked to be whole and
// of this build but not yet against the journal nor its signature.
type snapshotRead struct {
	header snapshotHeader
	sum    []byte // SHA-256 of the file up to it
	sig    []byte
	err    error
}

// readSnapshot reads the snapshot at path into st, an empty state, and
// checks that it is whole and of this build. It reads nothing of the
// journal, so the store runs it while the journal is read. On an error
// st is empty again.
func readSnapshot(path string, st *state.State) (r snapshotRead) {
	r.err = func() error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		total := fi.Size()
		if total < int64(snapshotHeaderSize+snapshotTrailerSize) {
			return fmt.Errorf("%d bytes: too short", total)
		}
		var hb [snapshotHeaderSize]byte
		if _, err := f.ReadAt(hb[:], 0); err != nil {
			return err
		}
		if r.header, err = decodeSnapshotHeader(hb[:]); err != nil {
			return err
		}
		build, err := buildid.Running()
		if err != nil {
			return fmt.Errorf("the running build: %w", err)
		}
		if r.header.build != build {
			return errors.New("written by another build")
		}
		var tb [snapshotTrailerSize]byte
		if _, err := f.ReadAt(tb[:], total-snapshotTrailerSize); err != nil {
			return err
		}
		body := total - int64(snapshotHeaderSize+snapshotTrailerSize)
		if n := binary.BigEndian.Uint64(tb[:8]); n != uint64(body) {
			return fmt.Errorf("its trailer says %d bytes of rows, the file holds %d: cut short or grown", n, body)
		}
		sum := sha256.New()
		sum.Write(hb[:])
		rows := io.TeeReader(io.NewSectionReader(f, int64(snapshotHeaderSize), body), sum)
		if err := st.LoadSnapshot(rows, body, r.header.size); err != nil {
			return err
		}
		// The state is not read before Open returns: a bad checksum
		// found only now still leaves it unused.
		if _, err := io.Copy(io.Discard, rows); err != nil {
			return err
		}
		sum.Write(tb[:8])
		if r.sum = sum.Sum(nil); !bytes.Equal(r.sum, tb[8:8+sha256.Size]) {
			return errors.New("checksum mismatch")
		}
		r.sig = tb[8+sha256.Size:]
		return nil
	}()
	if r.err != nil {
		st.Reset()
	}
	return r
}

// check checks a snapshot read whole against the open journal j and the
// ledger's key: signed, not ahead of j, and of j's tree at its size.
func (r snapshotRead) check(j *journal.Journal, key note.Verifier) error {
	if r.err != nil {
		return r.err
	}
	if size := j.Size(); r.header.size > size {
		return fmt.Errorf("of tree size %d, ahead of the journal's %d entries", r.header.size, size)
	}
	if root, err := j.TreeHash(r.header.size); err != nil || root != r.header.root {
		return fmt.Errorf("of another tree: its root of size %d is not the journal's", r.header.size)
	}
	if !key.Verify(snapshotMessage(r.sum), r.sig) {
		return errors.New("not signed by the ledger's key")
	}
	return nil
}

// removeSnapshotTemps removes temporary files a writer of the snapshot
// left when it was killed.
func removeSnapshotTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), SnapshotFile+atomicfile.TempInfix) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// snapshotMissing reports whether err says there is no snapshot.
func snapshotMissing(err error) bool { return errors.Is(err, fs.ErrNotExist) }
