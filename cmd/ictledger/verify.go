package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/verify"
	"github.com/ictledger/ictledger/recordcheck"
	"github.com/ictledger/ictledger/templates"
)

// runVerify serves "ictledger verify DATA_DIR [--key KEY]": an offline
// check of every frame, the hash chain, the Merkle tree and the latest
// checkpoint's signature. It exits 0 only when all of it holds.
// "verify consistency ..." goes to runVerifyConsistency.
func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "disclosure" {
		return runVerifyDisclosure(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "consistency" {
		return runVerifyConsistency(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && (args[0] == "records" || args[0] == "region-records") {
		// "region-records" is the name it had when it checked regional
		// records only; scripts that call it keep working.
		return runVerifyRecords(ctx, "verify "+args[0], args[1:], stdout, stderr)
	}
	dir, key, err := dirAndKey("verify", args, stderr)
	if err != nil {
		return err
	}
	return verifyDir(dir, key, stdout)
}

// dirAndKey reads the arguments of a command that checks a data
// directory: one DATA_DIR and an optional --key.
func dirAndKey(command string, args []string, stderr io.Writer) (dir, key string, err error) {
	fs := flag.NewFlagSet(command, flag.ContinueOnError)
	fs.SetOutput(stderr)
	k := fs.String("key", "", "verifier key (name+hash+base64), or a file holding it; default: the public key file in DATA_DIR")
	if err := fs.Parse(reorderFlags(args)); err != nil {
		return "", "", usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return "", "", usageError{command + " needs one DATA_DIR"}
	}
	return fs.Arg(0), *k, nil
}

// verifyDir checks the journal and latest checkpoint of the data
// directory dir against key (the key file in dir when key is empty) and
// says what holds.
func verifyDir(dir, key string, stdout io.Writer) error {
	vkey, err := keyArg(key)
	if err != nil {
		return err
	}
	if vkey == "" {
		if vkey, err = checkpoint.VerifierKey(dir); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "note: using the public key stored in the data directory; pass --key to check against a key you obtained independently")
	}
	rep, err := verify.Dir(dir, vkey)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %s holds %d entries, root %s\n", rep.File, rep.Entries, rep.Root)
	if rep.Checkpoint.Size > 0 {
		fmt.Fprintf(stdout, "ok: checkpoint %q size %d root %s is signed by the key and matches the journal\n",
			rep.Checkpoint.Origin, rep.Checkpoint.Size, rep.Checkpoint.Root)
	}
	if rep.TornTail != nil {
		fmt.Fprintf(stdout, "note: the journal ends in an incomplete record (never acknowledged); the server truncates it at its next start\n")
	}
	return nil
}

// reorderFlags moves flags before positional arguments so that
// "verify DIR --key K" works as well as "verify --key K DIR".
func reorderFlags(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

// runVerifyDisclosure serves "ictledger verify disclosure FILE.pdf --key
// KEY [--server URL]": a check of a PDF disclosure with nothing but the
// log's public key, and, with --server, the log's word on whether a
// return it presents was restated since. The first line printed is the
// verdict. It exits 0 for a current document (or, without --server, an
// authentic one), exitSuperseded for an authentic one restated since and
// 1 for one that is not authentic.
func runVerifyDisclosure(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify disclosure", flag.ContinueOnError)
	fs.SetOutput(stderr)
	key := fs.String("key", "", "the log's verifier key (name+hash+base64), or a file holding it: from GET /v1/ledger/key or the operator of the log")
	server := fs.String("server", "", "the log's server (e.g. https://ledger.example): asked whether a return the document presents was restated since; without it only authenticity is checked")
	witnesses, minWitnesses := witnessFlags(fs)
	if err := fs.Parse(reorderFlags(args)); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 || *key == "" {
		return usageError{"verify disclosure needs FILE.pdf and --key KEY"}
	}
	need, err := quorum(*witnesses, *minWitnesses)
	if err != nil {
		return err
	}
	vkey, err := keyArg(*key)
	if err != nil {
		return err
	}
	pdf, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	res := disclosure.Verify(pdf, vkey)
	var witnessed string
	if res.Valid && len(*witnesses) > 0 {
		n, err := checkCosignatures(res.Checkpoint.NoteText, vkey, *witnesses, need)
		if err != nil {
			return fmt.Errorf("%s: %w", fs.Arg(0), err)
		}
		witnessed = fmt.Sprintf("witnessed: the checkpoint carries cosignatures of %d of the %s given", n, ledger.CountNoun(len(*witnesses), "witness", "witnesses"))
	}
	switch {
	case !res.Valid:
		res.Decide(nil) // not authentic whatever the log says
	case *server != "":
		ans, err := askLog(ctx, *server, pdf)
		if err != nil {
			return err
		}
		decideWithLog(res, ans, *server)
	}
	fmt.Fprintln(stdout, verdictLine(res))
	printSupersessions(stdout, res)
	if res.Checkpoint != nil {
		fmt.Fprintf(stdout, "document: %s %s %s\ncheckpoint: %s size %d root %s (signature verifies: %v)\n",
			res.Document, res.Operator, res.Period, res.Checkpoint.Origin, res.Checkpoint.Size, res.Checkpoint.Root, res.Checkpoint.Signed)
	}
	for _, e := range res.Entries {
		fmt.Fprintf(stdout, "entry %d %s %s included: %v\n", e.Seq, e.Kind, e.LeafHash, e.Included)
	}
	if res.Verdict == disclosure.VerdictNotAuthentic {
		for _, p := range res.Problems {
			fmt.Fprintf(stdout, "problem: %s\n", p)
		}
		return fmt.Errorf("%s is not an authentic disclosure of this log (%s)", fs.Arg(0), ledger.CountNoun(len(res.Problems), "problem", "problems"))
	}
	if witnessed != "" {
		fmt.Fprintln(stdout, witnessed)
	}
	for _, n := range res.Notices {
		fmt.Fprintf(stdout, "notice: %s\n", n)
	}
	if res.Document == disclosure.DocRegion {
		fmt.Fprintln(stdout, "note: a regional report proves that the log recorded its figures; whoever holds the log's entries checks that they are right with \"ictledger verify records DATA_DIR\"")
	}
	if b := res.Bundle(); b != nil && b.Template == templates.SectorTemplateV4 {
		fmt.Fprintln(stdout, "note: a sector report proves that the log recorded its view; whoever holds the log's entries checks that it is right with \"ictledger verify records DATA_DIR\"")
	}
	if res.Verdict == disclosure.VerdictSuperseded {
		return errSuperseded
	}
	return nil
}

// keyArg is the value of a --key flag: the verifier key text itself
// (name+hash+base64) or, as people naturally pass, the path of a file
// that holds it, such as DATA_DIR/ledger.pub or a copy of
// GET /v1/ledger/key.
func keyArg(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if st, err := os.Stat(v); err == nil && st.Mode().IsRegular() {
		b, err := os.ReadFile(v)
		if err != nil {
			return "", fmt.Errorf("--key: read key file: %w", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return v, nil
}

// runVerifyRecords serves "ictledger verify records DATA_DIR [--key
// KEY]": the journal checked as "verify DATA_DIR" checks it, then every
// recorded view (region.recorded, sector.recorded) computed again from
// the entries before its point and compared (package recordcheck). It
// exits 0 only when every record holds; a record that does not is
// printed with the first figure that differs.
func runVerifyRecords(ctx context.Context, name string, args []string, stdout, stderr io.Writer) error {
	dir, key, err := dirAndKey(name, args, stderr)
	if err != nil {
		return err
	}
	if err := verifyDir(dir, key, stdout); err != nil {
		return err
	}
	rep, err := recordcheck.Dir(ctx, dir, nil)
	if err != nil {
		return err
	}
	for _, r := range rep.Records {
		view, counted := fmt.Sprintf("the regional view of %s as of %d entries", r.Period, r.At), "counted"
		if r.Kind == ledger.KindSectorRecorded {
			view, counted = fmt.Sprintf("the sector view of %s for %s as of %d entries", r.Period, r.Scope, r.At), "due"
		}
		if r.Holds() {
			fmt.Fprintf(stdout, "ok: entry %d records %s, as they give it (%s, %s %s)\n", r.Seq, view,
				ledger.CountNoun(r.Countries, "country", "countries"), ledger.CountNoun(r.Operators, "operator", "operators"), counted)
			continue
		}
		other := ""
		if r.OtherBuild {
			other = " (recorded by another build than this one: read it against the release notes in between)"
		}
		fmt.Fprintf(stdout, "WRONG: entry %d records %s, which they do not give: %s%s\n", r.Seq, view, r.Difference, other)
	}
	switch wrong := rep.Wrong(); {
	case len(rep.Records) == 0:
		fmt.Fprintf(stdout, "ok: no recorded view among the %s\n", ledger.CountNoun(rep.Entries, "entry", "entries"))
	case wrong > 0:
		return fmt.Errorf("%d of %s do not hold: the log signed figures its entries do not give, as this build computes them (a record made by an earlier build differs also where a calculation was corrected since)", wrong, ledger.CountNoun(len(rep.Records), "record", "records"))
	case len(rep.Records) == 1:
		fmt.Fprintln(stdout, "ok: the record holds")
	default:
		fmt.Fprintf(stdout, "ok: all %d records hold\n", len(rep.Records))
	}
	return nil
}
