package journal

import (
	"errors"
	"fmt"
)

// Errors the journal returns. Test them with errors.Is: the returned errors
// wrap these with the file, offset, sequence number or underlying cause.
var (
	// ErrFailed means a write or fsync failed earlier. The journal no
	// longer knows what is on disk, so it refuses every further Append;
	// reads of records acknowledged before the failure keep working.
	// Restart the process: Open recovers from what the disk really holds.
	ErrFailed = errors.New("journal: failed after a write or fsync error; appends refused until restart")

	// ErrClosed means the journal was closed.
	ErrClosed = errors.New("journal: closed")

	// ErrLocked means another Journal, in this process or another, has
	// the directory open.
	ErrLocked = errors.New("journal: directory is locked by another process")

	// ErrTooLarge means a record is larger than Options.MaxRecordSize.
	ErrTooLarge = errors.New("journal: record too large")

	// ErrCorrupt means the journal file is damaged somewhere other than a
	// torn final record. Open refuses such a journal; nothing is repaired.
	// The error is a *CorruptError naming the place.
	ErrCorrupt = errors.New("journal: corrupt")

	// ErrNotFound means a sequence number or tree size is beyond the
	// journal's committed size.
	ErrNotFound = errors.New("journal: no such record")
)

// CorruptError names where a journal is damaged.
type CorruptError struct {
	File   string // path of the journal file
	Offset int64  // byte offset of the frame (or file header) that is bad
	Seq    uint64 // sequence number the frame at Offset should carry
	Reason string // what is wrong
}

// Error implements error.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("journal: %s: record %d at byte offset %d: %s", e.File, e.Seq, e.Offset, e.Reason)
}

// Is makes errors.Is(err, ErrCorrupt) true for a *CorruptError.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// failed wraps the cause of a failure so that both ErrFailed and the cause
// (an *os.PathError, syscall.ENOSPC...) match with errors.Is.
func failed(op string, cause error) error {
	return fmt.Errorf("%w: %s: %w", ErrFailed, op, cause)
}
