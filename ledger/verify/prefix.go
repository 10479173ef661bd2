package verify

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/ictledger/ictledger/ledger/checkpoint"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Tree is what Prefix needs of an open journal; *journal.Journal
// implements it.
type Tree interface {
	Size() uint64
	TreeHash(size uint64) (tlog.Hash, error)
}

// Prefix checks that the latest checkpoint stored in dir, signed by
// verifier, commits to a prefix of tree. A server calls it right after
// opening its journal: the journal alone cannot tell that acknowledged
// records were cut off at a frame boundary (every remaining frame is
// whole), but the checkpoint it signed earlier can. No stored checkpoint
// is not an error (a new ledger has none yet).
func Prefix(dir string, tree Tree, verifier note.Verifier) error {
	msg, err := checkpoint.Latest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	c, err := checkpoint.Open(msg, verifier)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	if size := tree.Size(); c.Size > size {
		return fmt.Errorf("%w: stored checkpoint covers %d records but the journal holds %d: acknowledged records are missing",
			ErrCheckpoint, c.Size, size)
	}
	root, err := tree.TreeHash(c.Size)
	if err != nil {
		return err
	}
	if root != c.Root {
		return fmt.Errorf("%w: stored checkpoint root for size %d is %v but the journal gives %v", ErrCheckpoint, c.Size, c.Root, root)
	}
	return nil
}
