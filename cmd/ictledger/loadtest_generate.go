package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"

	"github.com/ictledger/ictledger/loadtest"
)

// runLoadtestGenerate serves "ictledger loadtest generate
// [--jurisdictions 40] [--operators 50] [--years 10] DIR": it writes a
// regional ledger into the new data directory DIR for benchmarks and
// trials (see loadtest.GenerateRegion), with its tokens in
// DIR/loadtest-tokens.json.
func runLoadtestGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadtest generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg loadtest.RegionConfig
	fs.IntVar(&cfg.Jurisdictions, "jurisdictions", 40, fmt.Sprintf("jurisdictions, 1..%d", loadtest.RegionMaxJurisdictions()))
	fs.IntVar(&cfg.Operators, "operators", 50, "operators per jurisdiction, 1..999")
	fs.IntVar(&cfg.Years, "years", 10, "years of quarters, 1..30")
	fs.IntVar(&cfg.LastYear, "last-year", 2025, "the last year filed")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "seed of the figures' variation")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"loadtest generate takes one argument, the new data directory"}
	}
	dir := fs.Arg(0)
	sum, err := loadtest.GenerateRegion(ctx, dir, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d entries to %s in %v: %d jurisdictions, %d operators, %d return versions (%d restatements), %d operator-quarters not filed\n",
		sum.Entries, dir, sum.Took.Round(1e6), len(sum.Countries), len(sum.Countries)*cfg.Operators, sum.Returns, sum.Restated, sum.Missing)
	statuses := make([]string, 0, len(sum.Latest))
	for s := range sum.Latest {
		statuses = append(statuses, s)
	}
	sort.Strings(statuses)
	for _, s := range statuses {
		fmt.Fprintf(stdout, "  latest versions %s: %d\n", s, sum.Latest[s])
	}
	fmt.Fprintf(stdout, "tokens (admin, a regulator of every country, one per jurisdiction): %s/%s\n", dir, loadtest.TokensFile)
	return nil
}
