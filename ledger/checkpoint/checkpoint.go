// Package checkpoint signs, checks and stores the ledger's checkpoints:
// the tree size and Merkle root of the journal, with the log's origin name,
// as a signed note in the c2sp.org/tlog-checkpoint form
//
//	<origin>
//	<size, decimal>
//	<root, standard base64 of 32 bytes>
//
//	— <key name> <base64 signature>
//
// that golang.org/x/mod/sumdb/note and any transparency-log verifier read.
// It also keeps the log's Ed25519 signing key in the data directory.
package checkpoint

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Checkpoint is the content of a checkpoint: a commitment to the first Size
// records of the log named Origin.
type Checkpoint struct {
	Origin string
	Size   uint64
	Root   tlog.Hash
}

// String returns the checkpoint body: "ORIGIN\nSIZE\nROOT\n".
func (c Checkpoint) String() string {
	return fmt.Sprintf("%s\n%d\n%s\n", c.Origin, c.Size, c.Root)
}

// ErrMalformed means a checkpoint's text is not in the checkpoint form.
var ErrMalformed = errors.New("checkpoint: malformed")

// Sign returns the signed note of the checkpoint (origin, size, root),
// signed by signer.
func Sign(signer note.Signer, origin string, size uint64, root tlog.Hash) ([]byte, error) {
	c := Checkpoint{Origin: origin, Size: size, Root: root}
	if err := checkOrigin(origin); err != nil {
		return nil, err
	}
	msg, err := note.Sign(&note.Note{Text: c.String()}, signer)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: sign: %w", err)
	}
	return msg, nil
}

// Open checks that msg is a checkpoint note carrying a valid signature by
// verifier and returns its content. Signatures by other keys are allowed
// (witnesses may cosign) but at least the verifier's must be present and
// valid. A note signed only by another key fails with an error wrapping
// *note.UnverifiedNoteError.
func Open(msg []byte, verifier note.Verifier) (Checkpoint, error) {
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint: verify with key %s: %w", verifier.Name(), err)
	}
	return Parse(n.Text)
}

// Parse reads a checkpoint body ("ORIGIN\nSIZE\nROOT\n", optionally
// followed by extension lines, which are ignored). It checks the form
// only, not any signature: use Open for text from anyone else.
func Parse(text string) (Checkpoint, error) {
	if !strings.HasSuffix(text, "\n") {
		return Checkpoint{}, fmt.Errorf("%w: text does not end in a newline", ErrMalformed)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return Checkpoint{}, fmt.Errorf("%w: %d lines, want origin, size and root", ErrMalformed, len(lines))
	}
	origin, sizeText, rootText := lines[0], lines[1], lines[2]
	if err := checkOrigin(origin); err != nil {
		return Checkpoint{}, err
	}
	size, err := strconv.ParseUint(sizeText, 10, 64)
	if err != nil || strconv.FormatUint(size, 10) != sizeText {
		return Checkpoint{}, fmt.Errorf("%w: size %q is not a decimal number", ErrMalformed, sizeText)
	}
	root, err := tlog.ParseHash(rootText)
	if err != nil || root.String() != rootText {
		return Checkpoint{}, fmt.Errorf("%w: root %q is not the base64 of 32 bytes", ErrMalformed, rootText)
	}
	for i, ext := range lines[3:] {
		if ext == "" {
			return Checkpoint{}, fmt.Errorf("%w: empty extension line %d", ErrMalformed, i+4)
		}
	}
	return Checkpoint{Origin: origin, Size: size, Root: root}, nil
}

// Body returns the text of a signed note without its signatures (ending
// in a newline), or ErrMalformed. It does not check the signatures.
func Body(msg []byte) (string, error) {
	i := bytes.LastIndex(msg, []byte("\n\n"))
	if i < 0 {
		return "", fmt.Errorf("%w: no signature block", ErrMalformed)
	}
	return string(msg[:i+1]), nil
}

func checkOrigin(origin string) error {
	if origin == "" || strings.ContainsAny(origin, "\n\r") {
		return fmt.Errorf("%w: origin %q", ErrMalformed, origin)
	}
	return nil
}
