package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/witness"
)

// witnessKeys is a repeatable --witness flag of witness public keys, each
// the key text or a file holding it.
type witnessKeys []note.Verifier

func (k *witnessKeys) String() string { return fmt.Sprintf("%d keys", len(*k)) }

func (k *witnessKeys) Set(v string) error {
	text, err := keyArg(v)
	if err != nil {
		return err
	}
	verifier, err := witness.NewVerifier(text)
	if err != nil {
		return fmt.Errorf("--witness %s: %w", v, err)
	}
	*k = append(*k, verifier)
	return nil
}

// witnessFlags adds --witness and --min-witnesses to fs.
func witnessFlags(fs *flag.FlagSet) (*witnessKeys, *int) {
	keys := &witnessKeys{}
	fs.Var(keys, "witness", "a witness's public key (name+hash+base64) or a file holding it; repeat for each witness")
	least := fs.Int("min-witnesses", -1, "how many of the --witness keys must have cosigned the checkpoint (default: all of them)")
	return keys, least
}

// quorum checks the --min-witnesses value against the keys given and
// returns the number required.
func quorum(keys witnessKeys, least int) (int, error) {
	if least < 0 {
		return len(keys), nil
	}
	if least > len(keys) {
		return 0, usageError{fmt.Sprintf("--min-witnesses %d needs at least that many --witness keys, got %d", least, len(keys))}
	}
	return least, nil
}

// checkCosignatures checks that the signed checkpoint noteText carries
// the log's signature and cosignatures of at least need of the witnesses.
func checkCosignatures(noteText, logKey string, keys witnessKeys, need int) (int, error) {
	lv, err := note.NewVerifier(logKey)
	if err != nil {
		return 0, fmt.Errorf("--key: %w", err)
	}
	_, n, err := witness.Count([]byte(noteText), lv, keys)
	if err != nil {
		return 0, err
	}
	if n < need {
		return n, fmt.Errorf("the checkpoint carries cosignatures of %d of the %s given, %d required", n, ledger.CountNoun(len(keys), "witness", "witnesses"), need)
	}
	return n, nil
}

// loadWitnesses reads serve's --witness-file and --witness flags
// (NAME,URL,KEY each).
func loadWitnesses(specs []string, file string) ([]witness.Witness, error) {
	var out []witness.Witness
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--witness-file: %w", err)
		}
		ws, err := witness.ParseFile(b)
		if err != nil {
			return nil, fmt.Errorf("--witness-file %s: %w", file, err)
		}
		out = append(out, ws...)
	}
	for _, s := range specs {
		w, err := witness.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("--witness: %w", err)
		}
		out = append(out, w)
	}
	if err := witness.CheckUnique(out); err != nil {
		return nil, err
	}
	return out, nil
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, " ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }
