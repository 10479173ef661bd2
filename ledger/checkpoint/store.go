package checkpoint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ictledger/ictledger/ledger/atomicfile"
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
	text, err := Body(msg)
	if err != nil {
		return err
	}
	c, err := Parse(text)
	if err != nil {
		return err
	}
	if old, err := Latest(dir); err == nil {
		if oldText, err := Body(old); err == nil {
			if prev, err := Parse(oldText); err == nil && prev.Size > c.Size {
				return fmt.Errorf("checkpoint: refusing to replace checkpoint of size %d with one of size %d", prev.Size, c.Size)
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := atomicfile.Write(dir, LatestFile, msg, 0o644); err != nil {
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
