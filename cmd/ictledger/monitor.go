package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/ictledger/ictledger/ledger/monitor"
)

// exitAlarm is the exit code of a monitor run that found the log
// misbehaving, apart from 1 (the check could not be done) so that a
// scheduler can page on it alone.
const exitAlarm = 3

// runMonitor serves "ictledger monitor --log URL --key KEY --state DIR": it
// follows the log through its tiles from where the previous run stopped
// (see package monitor) and exits 0 when all holds, 3 on evidence of
// misbehaviour (fork, split view, rollback, bad signature, malformed
// entry), 1 when it could not check.
func runMonitor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("monitor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	logURL := fs.String("log", "", "the log's tiles prefix, e.g. https://ledger.example.org/log")
	key := fs.String("key", "", "the log's verifier key (name+hash+base64) or a file holding it, obtained independently of the server")
	stateDir := fs.String("state", "", "directory keeping what the monitor saw, for the next run")
	maxFetch := fs.Int64("max-fetch-bytes", monitor.DefaultMaxFetchBytes, "most bytes read in one answer (a tile, a bundle, a large entry)")
	maxRun := fs.Int64("max-run-bytes", monitor.DefaultMaxRunBytes, "most bytes read in one run; the next run carries on")
	timeout := fs.Duration("timeout", time.Minute, "give up on one answer after this long")
	witnesses, minWitnesses := witnessFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if *logURL == "" || *key == "" || *stateDir == "" || fs.NArg() > 0 {
		return usageError{"monitor needs --log URL, --key KEY and --state DIR and no other arguments"}
	}
	if *maxFetch <= 0 || *maxRun <= 0 {
		return usageError{"--max-fetch-bytes and --max-run-bytes must be positive"}
	}
	need, err := quorum(*witnesses, *minWitnesses)
	if err != nil {
		return err
	}
	if need == 0 {
		*witnesses = nil // --min-witnesses 0: nothing required
	}
	vkey, err := keyArg(*key)
	if err != nil {
		return err
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return fmt.Errorf("--key: %w", err)
	}
	res, err := monitor.Run(ctx, monitor.Config{
		Log: strings.TrimSuffix(*logURL, "/"), Verifier: verifier, StateDir: *stateDir,
		HTTP: &http.Client{Timeout: *timeout}, MaxFetchBytes: *maxFetch, MaxRunBytes: *maxRun,
		Logger: slog.New(slog.NewTextHandler(stderr, nil)),
		// A token on the command line would show in the process list.
		Token:     os.Getenv("ICTLEDGER_MONITOR_TOKEN"),
		Witnesses: *witnesses, MinWitnesses: need,
	})
	if err != nil {
		return err
	}
	from := "first run"
	if res.Old != nil {
		from = fmt.Sprintf("extends size %d", res.Old.Size)
	}
	fmt.Fprintf(stdout, "ok: log %q at size %d (root %s), %s; checked %d entries, %d bytes read\n",
		res.New.Origin, res.New.Size, res.New.Root, from, res.Checked, res.Bytes)
	if res.EntriesSkipped {
		fmt.Fprintf(stdout, "entries not checked: set ICTLEDGER_MONITOR_TOKEN to a regulator's token to check them (next: entry %d)\n", res.Next)
	} else if !res.Complete {
		fmt.Fprintf(stdout, "incomplete: stopped at --max-run-bytes with entries %d to %d unchecked; the next run carries on\n",
			res.Next, res.New.Size-1)
	}
	return nil
}
