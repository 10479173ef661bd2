// Package atomicfile replaces small files in a data directory so that a
// crash leaves either the old file or the new one, never a torn one, and
// reads back the secret ones.
package atomicfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadSecret reads at most limit bytes of a file that must be readable by
// its owner only: one that others may read is refused, not used, since its
// secret may have leaked. A missing file gives an error that is
// fs.ErrNotExist.
func ReadSecret(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s has mode %v; it must be readable by its owner only (chmod 600)", path, fi.Mode().Perm())
	}
	b, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}

// Write replaces dir/name with data and mode perm: it writes a temporary
// file in dir, fsyncs it, renames it over name and fsyncs dir, so the new
// file is durable when Write returns. A crash may leave a name.tmp-*
// file behind, which is harmless.
func Write(dir, name string, data []byte, perm fs.FileMode) error {
	return WriteFunc(dir, name, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFunc is Write of what fill writes, for a file too large to hold
// in memory; fill should buffer its writes. When fill fails, dir/name is
// left as it was.
func WriteFunc(dir, name string, perm fs.FileMode, fill func(w io.Writer) error) error {
	f, err := os.CreateTemp(dir, name+TempInfix+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename this finds nothing
	err = f.Chmod(perm)
	if err == nil {
		err = fill(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(dir, name), err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// TempInfix follows a file's name in the names of the temporary files
// Write and WriteFunc make for it: name.tmp-123.
const TempInfix = ".tmp-"
