package journal

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// FS is the part of the file system the journal uses. It exists so that
// tests can inject write errors, fsync errors and a full disk; production
// code leaves Options.FS nil and gets OSFS.
type FS interface {
	// OpenFile opens a file like os.OpenFile.
	OpenFile(name string, flag int, perm fs.FileMode) (File, error)
	// Stat describes a file like os.Stat.
	Stat(name string) (fs.FileInfo, error)
	// Remove removes a file like os.Remove.
	Remove(name string) error
	// Rename renames a file like os.Rename.
	Rename(oldpath, newpath string) error
	// ReadDir lists a directory like os.ReadDir.
	ReadDir(name string) ([]fs.DirEntry, error)
	// SyncDir fsyncs a directory so that entries created, renamed or
	// removed in it survive a crash.
	SyncDir(name string) error
	// Lock opens (creating if needed) the file name and takes an exclusive,
	// non-blocking OS lock on it. It fails at once if another open file
	// description, in this process or another, holds the lock. Closing the
	// returned File releases the lock.
	Lock(name string) (File, error)
}

// File is an open file as the journal uses it. *os.File implements it.
type File interface {
	io.Writer
	io.ReaderAt
	// Sync flushes the file's data to stable storage (fsync).
	Sync() error
	// Truncate changes the size of the file.
	Truncate(size int64) error
	// Stat describes the open file.
	Stat() (fs.FileInfo, error)
	// Close closes the file.
	Close() error
}

// OSFS is the real file system.
type OSFS struct{}

// OpenFile implements FS.
func (OSFS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Stat implements FS.
func (OSFS) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }

// Remove implements FS.
func (OSFS) Remove(name string) error { return os.Remove(name) }

// Rename implements FS.
func (OSFS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// ReadDir implements FS.
func (OSFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

// SyncDir implements FS.
func (OSFS) SyncDir(name string) error {
	d, err := os.Open(name)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// Lock implements FS with flock(2). flock locks belong to the open file
// description, so a second Open in the same process conflicts too, which is
// what the tests rely on; and the kernel drops the lock when the process
// dies, so a crash never leaves a stale lock behind.
func (OSFS) Lock(name string) (File, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrLocked
		}
		return nil, fmt.Errorf("flock %s: %w", name, err)
	}
	return f, nil
}
