package witness

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/ictledger/ictledger/ledger/checkpoint"
)

// Cosignatures checks the body of a witness's add-checkpoint answer:
// signature lines ("— name base64") over the note msg. It returns the
// lines that verify with w's key, ready to append to the note, and an
// error when none does or when a line claiming w's key does not verify.
func Cosignatures(msg []byte, w Witness, answer []byte) ([]byte, error) {
	text, err := checkpoint.Body(msg)
	if err != nil {
		return nil, fmt.Errorf("witness: the checkpoint is not a signed note: %w", err)
	}
	if !bytes.HasSuffix(answer, []byte("\n")) {
		return nil, fmt.Errorf("witness %s: the answer does not end in a newline", w.Name)
	}
	// Open the note with the witness's lines alone: the log's own
	// signature is not needed to check theirs.
	n, err := note.Open(append([]byte(text+"\n"), answer...), note.VerifierList(w.Verifier))
	if err != nil {
		return nil, fmt.Errorf("witness %s: the cosignature does not verify with its key: %w", w.Name, err)
	}
	var out []byte
	for _, s := range n.Sigs {
		out = append(out, sigLine(s)...)
	}
	return out, nil
}

// AddSignatures returns the signed note msg with the signature lines sigs
// appended, after its own. A line already present is not repeated.
func AddSignatures(msg []byte, sigs ...[]byte) []byte {
	out := bytes.Clone(msg)
	for _, s := range sigs {
		for _, line := range bytes.SplitAfter(s, []byte("\n")) {
			if len(line) > 0 && !bytes.Contains(out, line) {
				out = append(out, line...)
			}
		}
	}
	return out
}

// Count opens msg, a checkpoint note, with the log's verifier and the
// witnesses', and returns the note and how many distinct witnesses among
// them cosigned it. The log's signature must be there. A signature by
// one of these keys that does not verify is an error; signatures by
// other keys are ignored.
func Count(msg []byte, logKey note.Verifier, witnesses []note.Verifier) (*note.Note, int, error) {
	vs := append([]note.Verifier{logKey}, witnesses...)
	n, err := note.Open(msg, note.VerifierList(vs...))
	if err != nil {
		return nil, 0, fmt.Errorf("open the checkpoint with the log's and the witnesses' keys: %w", err)
	}
	logSigned := false
	seen := map[string]bool{}
	for _, s := range n.Sigs {
		if s.Name == logKey.Name() && s.Hash == logKey.KeyHash() {
			logSigned = true
			continue
		}
		seen[fmt.Sprintf("%s+%08x", s.Name, s.Hash)] = true
	}
	if !logSigned {
		return nil, 0, errors.New("the checkpoint is not signed by the log's key")
	}
	return n, len(seen), nil
}

func sigLine(s note.Signature) string {
	return "— " + s.Name + " " + strings.TrimSpace(s.Base64) + "\n"
}
