package disclosure

import (
	"errors"
	"fmt"

	"github.com/ictledger/ictledger/templates"
)

// Errors of a renderer that ended a render for going over one of its
// limits. Each also matches ErrRenderUnavailable: the render was stopped,
// which says nothing about whether the bundle is sound, so verification
// reports it as a document it could not check.
var (
	// ErrRenderTimeout: the render took longer than the renderer allows.
	// Under load an honest document can hit it, so it is worth trying
	// again later.
	ErrRenderTimeout = fmt.Errorf("the render went over its time limit: %w", ErrRenderUnavailable)
	// ErrRenderMemory: the render needed more memory than the renderer
	// allows. The same bundle needs the same memory again, so trying
	// again does not help.
	ErrRenderMemory = fmt.Errorf("the render went over its memory limit: %w", ErrRenderUnavailable)
)

// MaxBundleSize is the largest bundle, in bytes of its canonical JSON,
// that a document may attach: what a verifier inflates of an attachment
// (templates.MaxAttachmentSize). A document with a larger one could be
// issued, but no verifier of any released version would read its proof,
// so it is never rendered.
const MaxBundleSize = templates.MaxAttachmentSize

// ErrBundleTooLarge is matched by the error of a bundle over
// MaxBundleSize. It is the bundle's error, not the renderer's: the same
// entries are too many on any server, at any time, so trying again does
// not help. A layout whose bundle grows with the ledger's history (the
// regional report and the sector report attach every accepted quarter of
// every operator they count) meets it once that history is long enough.
var ErrBundleTooLarge = errors.New("the disclosure's bundle is over the size a verifier reads")

// CheckBundleSize reports ErrBundleTooLarge, with the figures, when a
// bundle of entries entries whose encoding is (at least) size bytes is
// over MaxBundleSize.
func CheckBundleSize(size, entries int) error {
	if size <= MaxBundleSize {
		return nil
	}
	return fmt.Errorf("%w: %d entries encode to %d bytes or more, over the %d MiB limit", ErrBundleTooLarge, entries, size, MaxBundleSize>>20)
}
