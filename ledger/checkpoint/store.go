package checkpoint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LatestFile is the name of the latest checkpoint in the data directory.
const LatestFile = "checkpoint"

// Store makes msg, a signed checkpoint, the latest checkpoint in dir:
// written to a temporary file, fsynced, renamed over LatestFile, and the
// directory fsynced. A crash leaves the previous checkpoint or the new one.
//
// Store refuses a checkpoint smaller than the one already stored, so that
// out-of-order calls cannot move the published tree backwards. It does not
// verify the signature; the caller signed it. Calls for the same directory
// must not run concurrently.
func Store(dir string, msg []byte) error {
	text, err := body(msg)
	if err != nil {
		return err
	}
	c, err := Parse(text)
	if err != nil {
		return err
	}
	if old, err := Latest(dir); err == nil {
		if oldText, err := body(old); err == nil {
			if prev, err := Parse(oldText); err == nil && prev.Size > c.Size {
				return fmt.Errorf("checkpoint: refusing to replace checkpoint of size %d with one of size %d", prev.Size, c.Size)
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := writeFileAtomic(dir, LatestFile, msg, 0o644); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// Latest returns the latest stored checkpoint in dir, unverified. When none
// was stored yet the error matches fs.ErrNotExist.
func Latest(dir string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, LatestFile))
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	return b, nil
}

// writeFileAtomic replaces dir/name with data: temporary file, fsync,
// rename, fsync of the directory (the rename is only durable once the
// directory is).
func writeFileAtomic(dir, name string, data []byte, perm fs.FileMode) error {
	f, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename this finds nothing
	err = f.Chmod(perm)
	if err == nil {
		_, err = f.Write(data)
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
