package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/ictledger/ictledger/ledger/backup"
)

// runBackup serves "ictledger backup DATA_DIR DEST": a consistent copy of
// a ledger, live or stopped, cut at its latest stored checkpoint and
// verified before it is declared good. DEST must be new or empty.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 2 {
		return usageError{"backup needs DATA_DIR and DEST"}
	}
	rep, err := backup.Copy(fs.Arg(0), fs.Arg(1))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: copied %d entries (%d journal bytes), root %s, into %s; the copy verifies\n",
		rep.Entries, rep.Bytes, rep.Root, fs.Arg(1))
	fmt.Fprintf(stdout, "files: %v\n", rep.Files)
	return nil
}
