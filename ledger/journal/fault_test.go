package journal

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// faultFS is the real file system with switchable faults on journal.wal
// once it is open for appending.
type faultFS struct {
	OSFS
	mu       sync.Mutex
	writeErr error // returned by Write instead of writing
	fullAt   int64 // if > 0, Write writes up to this many bytes in total, then fails with ENOSPC
	syncErr  error // returned by Sync after doing nothing
	written  int64
}

func (f *faultFS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	file, err := f.OSFS.OpenFile(name, flag, perm)
	if err != nil || filepath.Base(name) != walName || flag&os.O_APPEND == 0 {
		return file, err
	}
	return &faultFile{File: file, fs: f}, nil
}

func (f *faultFS) set(fn func(*faultFS)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

type faultFile struct {
	File
	fs *faultFS
}

func (f *faultFile) Write(p []byte) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.fs.writeErr != nil {
		return 0, f.fs.writeErr
	}
	if f.fs.fullAt > 0 && f.fs.written+int64(len(p)) > f.fs.fullAt {
		room := f.fs.fullAt - f.fs.written
		n, _ := f.File.Write(p[:room])
		f.fs.written += int64(n)
		return n, &fs.PathError{Op: "write", Path: walName, Err: syscall.ENOSPC}
	}
	n, err := f.File.Write(p)
	f.fs.written += int64(n)
	return n, err
}

func (f *faultFile) Sync() error {
	f.fs.mu.Lock()
	err := f.fs.syncErr
	f.fs.mu.Unlock()
	if err != nil {
		return err
	}
	return f.File.Sync()
}

func TestFaults(t *testing.T) {
	eio := &fs.PathError{Op: "write", Path: walName, Err: syscall.EIO}
	tests := []struct {
		name  string
		fault func(*faultFS)
		cause error
	}{
		{"write error", func(f *faultFS) { f.writeErr = eio }, syscall.EIO},
		{"fsync error", func(f *faultFS) { f.syncErr = &fs.PathError{Op: "sync", Path: walName, Err: syscall.EIO} }, syscall.EIO},
		{"disk full", func(f *faultFS) { f.fullAt = f.written + 30 }, syscall.ENOSPC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			ffs := &faultFS{}
			var mu sync.Mutex
			var committed []uint64
			j := openT(t, dir, Options{FS: ffs, OnCommit: func(seq uint64, _ []byte, _ tlog.Hash) {
				mu.Lock()
				committed = append(committed, seq)
				mu.Unlock()
			}})
			defer j.Close()
			const good = 10
			fill(t, j, good)
			root, _ := j.TreeHash(good)
			ffs.set(tt.fault)

			// Concurrent appends during the fault: none may be acknowledged.
			var wg sync.WaitGroup
			errs := make([]error, 20)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = j.Append(context.Background(), func(seq uint64) ([]byte, error) {
						return bytes.Repeat([]byte{'x'}, 100), nil
					})
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if !errors.Is(err, ErrFailed) || !errors.Is(err, tt.cause) {
					t.Fatalf("append %d during fault: %v, want ErrFailed wrapping %v", i, err, tt.cause)
				}
			}
			if j.Size() != good || len(committed) != good {
				t.Fatalf("Size %d, OnCommit ran %d times; want %d", j.Size(), len(committed), good)
			}
			if err := j.Err(); !errors.Is(err, ErrFailed) {
				t.Fatalf("Err() = %v", err)
			}

			// Clearing the fault does not bring the journal back: it no
			// longer knows what is on disk.
			ffs.set(func(f *faultFS) { f.writeErr, f.syncErr, f.fullAt = nil, nil, 0 })
			built := false
			if _, err := j.Append(context.Background(), func(uint64) ([]byte, error) { built = true; return []byte("y"), nil }); !errors.Is(err, ErrFailed) {
				t.Fatalf("append after fault: %v", err)
			}
			if built {
				t.Fatal("build was called on a failed journal")
			}

			// Reads and proofs of acknowledged records keep working.
			for seq := uint64(0); seq < good; seq++ {
				if got, err := j.Read(seq); err != nil || !bytes.Equal(got, record(seq)) {
					t.Fatalf("Read(%d) after fault: %v", seq, err)
				}
			}
			if r, err := j.TreeHash(good); err != nil || r != root {
				t.Fatalf("TreeHash after fault: %v", err)
			}
			if _, err := j.InclusionProof(3, good); err != nil {
				t.Fatal(err)
			}
			if err := j.Close(); err != nil {
				t.Fatal(err)
			}

			// A restart recovers from what the disk holds: every
			// acknowledged record, perhaps some that never were.
			j2 := openT(t, dir, Options{})
			defer j2.Close()
			if j2.Size() < good {
				t.Fatalf("after restart Size = %d, want at least %d", j2.Size(), good)
			}
			if r, _ := j2.TreeHash(good); r != root {
				t.Fatal("root of the acknowledged prefix changed after restart")
			}
		})
	}
}
