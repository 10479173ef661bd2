package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/ictledger/ictledger/ledger/atomicfile"
	"github.com/ictledger/ictledger/ledger/consistency"
)

// runVerifyConsistency serves "ictledger verify consistency --server URL
// --from OLD_CHECKPOINT [--key KEY] [--save FILE]": it proves that the
// server's current tree extends a checkpoint saved earlier, printing the
// new checkpoint and saving it (only when the check passes) for the next
// run. It exits 0 only when the log is an extension of the old one.
func runVerifyConsistency(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify consistency", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "", "the ledger server's base URL, e.g. https://ledger.example.org")
	from := fs.String("from", "", "file holding a signed checkpoint note saved from this log earlier")
	key := fs.String("key", "", "verifier key (name+hash+base64) or a file holding it, obtained independently of the server; default: ask the server (not recommended)")
	save := fs.String("save", "", "file to write the server's new checkpoint to when the check passes (may be the --from file)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up on the server after this long")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if *server == "" || *from == "" || fs.NArg() > 0 {
		return usageError{"verify consistency needs --server URL and --from OLD_CHECKPOINT_FILE and no other arguments"}
	}
	vkey, err := keyArg(*key)
	if err != nil {
		return err
	}
	old, err := os.ReadFile(*from)
	if err != nil {
		return fmt.Errorf("read the old checkpoint: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	c := &consistency.Client{Base: *server, HTTP: &http.Client{Timeout: *timeout}}
	res, err := c.Check(ctx, old, vkey)
	if res != nil && res.KeyFromServer {
		fmt.Fprintf(stdout, "note: using the key the server sent (%s); pass --key with a key you obtained independently\n", res.Key)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: the log %q at size %d (root %s) extends the old checkpoint at size %d (root %s)\n",
		res.New.Origin, res.New.Size, res.New.Root, res.Old.Size, res.Old.Root)
	if *save != "" {
		if err := saveCheckpoint(*save, res.NewNote); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "saved the new checkpoint to %s\n", *save)
	}
	fmt.Fprintf(stdout, "\n%s", res.NewNote)
	return nil
}

// saveCheckpoint writes a checkpoint note durably (see atomicfile.Write).
func saveCheckpoint(path string, note []byte) error {
	if err := atomicfile.Write(filepath.Dir(path), filepath.Base(path), note, 0o644); err != nil {
		return fmt.Errorf("save the checkpoint: %w", err)
	}
	return nil
}
