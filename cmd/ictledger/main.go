// Command ictledger runs the ictledger service and its offline tools.
//
//	ictledger serve [--addr HOST:PORT] [--data DIR] [--demo] [--render-workers N] [more flags]
//	ictledger verify DATA_DIR [--key KEY]
//	ictledger verify disclosure FILE.pdf --key KEY [--server URL]
//	ictledger verify consistency --server URL --from OLD_CHECKPOINT [--key KEY] [--save FILE]
//	ictledger verify records DATA_DIR [--key KEY]
//	ictledger backup DATA_DIR DEST
//	ictledger monitor --log URL --key KEY --state DIR
//	ictledger loadtest --addr 127.0.0.1:PORT --clients N --duration D
//
// "ictledger help" prints every flag of each command.
//
// This is the only package that reads flags, the environment and signals;
// everything else gets its configuration through constructors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/ictledger/ictledger/disclosure/renderproc"
	"github.com/ictledger/ictledger/ledger/monitor"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage:
  ictledger serve [--addr HOST:PORT] [--data DIR] [--demo] [--origin NAME] [--max-return-bytes N]
                  [--render-workers N] [--render-timeout D] [--render-memory MIB] [--verify-queue N]
                  [--secure-cookies] [--witness NAME,URL,KEY]... [--witness-file FILE]
  ictledger verify DATA_DIR [--key KEY]
  ictledger verify disclosure FILE.pdf --key KEY [--server URL] [--witness KEY]... [--min-witnesses N]
  ictledger verify consistency --server URL --from OLD_CHECKPOINT [--key KEY] [--save FILE] [--timeout D]
  ictledger verify records DATA_DIR [--key KEY]   (also: verify region-records)
  ictledger backup DATA_DIR DEST
  ictledger monitor --log URL/log --key KEY --state DIR [--max-fetch-bytes N] [--max-run-bytes N]
                  [--timeout D] [--witness KEY]... [--min-witnesses N]
  ictledger loadtest --addr 127.0.0.1:PORT --clients N --duration D [--warmup D] [more: loadtest -h]
  ictledger loadtest generate [--jurisdictions 40] [--operators 50] [--years 10] [--last-year 2025]
                  [--seed 1] DIR
  ictledger render-worker   (started by serve: renders the disclosures it is sent)
`

// run dispatches a subcommand and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = runServe(ctx, args[1:], stdout, stderr)
	case "verify":
		err = runVerify(ctx, args[1:], stdout, stderr)
	case "backup":
		err = runBackup(ctx, args[1:], stdout, stderr)
	case "monitor":
		err = runMonitor(ctx, args[1:], stdout, stderr)
	case "loadtest":
		err = runLoadtest(ctx, args[1:], stdout, stderr)
	case "render-worker":
		err = renderproc.Worker()
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "ictledger: unknown command %q\n%s", args[0], usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "ictledger: %v\n%s", err, usage)
		return 2
	}
	if errors.Is(err, errSuperseded) {
		fmt.Fprintf(stderr, "ictledger: %v\n", err)
		return exitSuperseded
	}
	if alarm := (*monitor.Alarm)(nil); errors.As(err, &alarm) {
		fmt.Fprintf(stderr, "ictledger: %v\n", err)
		return exitAlarm
	}
	if err != nil {
		fmt.Fprintf(stderr, "ictledger: %v\n", err)
		return 1
	}
	return 0
}

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }
