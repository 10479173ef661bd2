// Package verify checks a ledger data directory offline, trusting nothing
// but the log's public key: every frame, CRC and chain value of the
// journal, the Merkle tree recomputed from the records, and the latest
// stored checkpoint's signature and root. The command-line tool calls it;
// it is read-only and takes no lock, so it runs next to a live server.
package verify

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/journal"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Report is what Dir established.
type Report struct {
	File    string    // the journal file
	Entries uint64    // whole records in the journal
	Root    tlog.Hash // Merkle root over all Entries records
	// Checkpoint is the latest stored checkpoint, verified: signed by the
	// key, and its root equal to the recomputed root at its size. It is
	// the zero value when the journal is empty and no checkpoint exists.
	Checkpoint checkpoint.Checkpoint
	// TornTail is set when the journal ends in an incomplete frame: a
	// crash the server will truncate at its next start, or a batch being
	// written right now. It is not an error: it was never acknowledged.
	TornTail *journal.TornTail
}

// ErrCheckpoint means the stored checkpoint is missing, badly signed, or
// does not match the journal.
var ErrCheckpoint = errors.New("verify: checkpoint does not hold")

// Dir verifies the data directory dir against verifierKey, the log's public
// key as note.NewVerifier reads it ("name+hash+base64").
//
// It returns an error naming the first bad record (a *journal.CorruptError
// with file, byte offset and sequence number) if any frame is damaged, and
// an error matching ErrCheckpoint if the latest checkpoint is missing while
// the journal holds records, is not signed by the key, claims more records
// than the journal holds, or has a root other than the recomputed one.
func Dir(dir, verifierKey string) (Report, error) {
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return Report{}, fmt.Errorf("verify: verifier key: %w", err)
	}
	// Read the checkpoint before the journal: a live server stores a
	// checkpoint only after the records it covers are durable, so in this
	// order the journal read next always holds at least that many.
	msg, cerr := checkpoint.Latest(dir)
	if cerr != nil && !errors.Is(cerr, fs.ErrNotExist) {
		return Report{}, cerr
	}
	in, err := journal.Inspect(dir, journal.InspectOptions{})
	if err != nil {
		return Report{}, err
	}
	r := Report{File: in.File, Entries: in.Size, Root: in.Root, TornTail: in.TornTail}
	if cerr != nil {
		if in.Size == 0 {
			return r, nil
		}
		return r, fmt.Errorf("%w: the journal holds %d records but %s has no checkpoint", ErrCheckpoint, in.Size, dir)
	}
	c, err := checkpoint.Open(msg, v)
	if err != nil {
		return r, fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	if c.Size > in.Size {
		return r, fmt.Errorf("%w: checkpoint covers %d records but the journal holds only %d: records were removed",
			ErrCheckpoint, c.Size, in.Size)
	}
	root, err := in.TreeHash(c.Size)
	if err != nil {
		return r, err
	}
	if root != c.Root {
		return r, fmt.Errorf("%w: checkpoint root for size %d is %v but the journal's records give %v: records before %d were rewritten",
			ErrCheckpoint, c.Size, c.Root, root, c.Size)
	}
	r.Checkpoint = c
	return r, nil
}
