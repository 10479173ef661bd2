package journal

import (
	"errors"
	iofs "io/fs"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// FuzzOpen feeds arbitrary bytes to Open and Inspect as a journal file.
// Neither may panic or allocate beyond the file's size (MaxRecordSize is
// small here, and lengths are checked against the file before allocating);
// and both must reach the same verdict, Inspect on the file as given and
// Open after truncating any torn tail.
func FuzzOpen(f *testing.F) {
	seedDir := f.TempDir()
	j := openT(f, seedDir, Options{})
	fill(f, j, 4)
	j.Close()
	wal, err := os.ReadFile(filepath.Join(seedDir, walName))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(wal[fileHeaderSize:], true)
	f.Add(wal[fileHeaderSize:len(wal)-7], true)
	f.Add(wal[fileHeaderSize:fileHeaderSize+frameHeaderSize+3], true)
	f.Add(append(wal[fileHeaderSize:len(wal):len(wal)], make([]byte, 100)...), true)
	f.Add(wal, false)
	f.Add([]byte{}, false)
	f.Add([]byte("ICTLJRNL"), false)

	tab := castagnoli()
	fsys := noSyncFS{}
	// One directory for all inputs, emptied each time: inputs run one at a
	// time in a worker, and a fresh t.TempDir per input costs more than
	// the decoding under test.
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, withHeader bool) {
		if withHeader {
			data = append(encodeFileHeader(tab), data...)
		}
		for _, name := range []string{walName, lockName} {
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, iofs.ErrNotExist) {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, walName), data, 0o600); err != nil {
			t.Fatal(err)
		}
		in, ierr := Inspect(dir, InspectOptions{MaxRecordSize: 1 << 16, FS: fsys})
		var replayed uint64
		j, oerr := Open(dir, Options{MaxRecordSize: 1 << 16, FS: fsys, Logger: quietLogger(), Replay: func(seq uint64, data []byte, _ tlog.Hash, _ any) error {
			if seq != replayed {
				t.Fatalf("Replay seq %d, want %d", seq, replayed)
			}
			replayed++
			return nil
		}})
		if (ierr == nil) != (oerr == nil) || errors.Is(ierr, ErrCorrupt) != errors.Is(oerr, ErrCorrupt) {
			t.Fatalf("Inspect: %v; Open: %v", ierr, oerr)
		}
		if oerr != nil {
			return
		}
		defer j.Close()
		root, _ := j.TreeHash(j.Size())
		if j.Size() != in.Size || replayed != in.Size || root != in.Root {
			t.Fatalf("Open size %d (replayed %d), Inspect size %d", j.Size(), replayed, in.Size)
		}
		for seq := uint64(0); seq < j.Size(); seq++ {
			if _, err := j.Read(seq); err != nil {
				t.Fatalf("Read(%d) of a journal Open accepted: %v", seq, err)
			}
		}
		if _, err := j.Append(t.Context(), func(uint64) ([]byte, error) { return []byte("x"), nil }); err != nil {
			t.Fatalf("Append after Open: %v", err)
		}
	})
}

// noSyncFS skips fsync: the fuzzer checks decoding, not durability, and
// on a busy disk an fsync per input would starve it.
type noSyncFS struct{ OSFS }

func (fs noSyncFS) OpenFile(name string, flag int, perm iofs.FileMode) (File, error) {
	f, err := fs.OSFS.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return noSyncFile{f}, nil
}

func (fs noSyncFS) Lock(name string) (File, error) {
	f, err := fs.OSFS.Lock(name)
	if err != nil {
		return nil, err
	}
	return noSyncFile{f}, nil
}

func (noSyncFS) SyncDir(string) error { return nil }

type noSyncFile struct{ File }

func (noSyncFile) Sync() error { return nil }
