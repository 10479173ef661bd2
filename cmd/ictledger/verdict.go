package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/templates"
)

// exitSuperseded is the exit code of "verify disclosure --server" for an
// authentic document of a return restated since. It is not 0, so that
// "verify disclosure ... && publish" never publishes outdated figures, and
// not 1, so that a script can tell a document that was corrected since
// (ask for the current one) from a forged one (report it).
const exitSuperseded = 4

// errSuperseded is what runVerifyDisclosure returns for a superseded
// document; run maps it to exitSuperseded.
var errSuperseded = errors.New("the document is authentic but superseded: figures it presents were corrected or completed since")

// maxVerifyAnswer bounds the answer of a server's POST /v1/verify that
// the command reads: a few entries and a checkpoint take kilobytes.
const maxVerifyAnswer = 4 << 20

// askLog posts the document to the log's server (POST /v1/verify) and
// returns its answer: what only the ledger knows, whether a return the
// document presents was restated since, and whether the checkpoint is
// that log's tree.
func askLog(ctx context.Context, server string, pdf []byte) (*disclosure.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	url := strings.TrimRight(server, "/") + "/v1/verify"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(pdf))
	if err != nil {
		return nil, fmt.Errorf("--server: %w", err)
	}
	req.Header.Set("Content-Type", "application/pdf")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask %s whether the document is current: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxVerifyAnswer))
	if err != nil {
		return nil, fmt.Errorf("read the answer of %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	var ans disclosure.Result
	if err := json.Unmarshal(body, &ans); err != nil {
		return nil, fmt.Errorf("the answer of %s is not a verification: %w", url, err)
	}
	return &ans, nil
}

// decideWithLog concludes an offline verification with what the log's
// server says: its problems with the document (it comes from another log,
// say) make it not authentic, and its supersessions make it superseded.
// The document's authenticity is always the local check's; the server
// can only take it away.
func decideWithLog(res, ans *disclosure.Result, server string) {
	if ans.Verdict == disclosure.VerdictNotAuthentic || !ans.Valid {
		for _, p := range ans.Problems {
			res.AddProblem("the log's server says: " + p)
		}
		if len(ans.Problems) == 0 {
			res.AddProblem("the log's server does not find the document authentic")
		}
	}
	res.FiguresChanged = ans.FiguresChanged
	res.Decide(ans.SupersededBy)
	if res.Verdict == disclosure.VerdictSuperseded && ans.CurrentDocument != "" {
		res.CurrentDocument = strings.TrimRight(server, "/") + ans.CurrentDocument
	}
}

// verdictLine is the first line the command prints: the verdict and its
// summary, or, when no server was asked, what the offline check alone
// establishes.
func verdictLine(res *disclosure.Result) string {
	switch res.Verdict {
	case disclosure.VerdictCurrent:
		return "CURRENT: " + res.Summary
	case disclosure.VerdictSuperseded:
		return "SUPERSEDED: " + res.Summary
	case disclosure.VerdictNotAuthentic:
		return "NOT AUTHENTIC: " + res.Summary
	}
	if b := res.Bundle(); b != nil && b.Template == templates.SectorTemplateV4 {
		return "AUTHENTIC: the ledger issued this document and not a byte of it has changed. " +
			"Whether the sector view of its period changed since was not checked: pass --server URL of the log to know whether it is current."
	}
	if res.Document == disclosure.DocRegion {
		return "AUTHENTIC: the ledger issued this document and not a byte of it has changed. " +
			"Whether the regional figures of its period changed since was not checked: pass --server URL of the log to know whether it is current."
	}
	return "AUTHENTIC: the ledger issued this document and not a byte of it has changed. " +
		"Whether a return it presents was restated since was not checked: pass --server URL of the log to know whether it is current."
}

// printSupersessions says, for a superseded document, what replaced it.
func printSupersessions(w io.Writer, res *disclosure.Result) {
	for _, sp := range res.SupersededBy {
		fmt.Fprintf(w, "restated: %s was replaced by %s, filed %s", sp.Return, sp.By, sp.Filed)
		if sp.Reason != "" {
			fmt.Fprintf(w, "; reason: %s", sp.Reason)
		} else {
			fmt.Fprint(w, "; its reason is published once a regulator accepts it")
		}
		if sp.Current != sp.By {
			fmt.Fprintf(w, "; current version: %s", sp.Current)
		}
		fmt.Fprintln(w)
	}
	if fc := res.FiguresChanged; fc != nil {
		view := "regional"
		if res.Document == disclosure.DocSector {
			view = "sector"
		}
		fmt.Fprintf(w, "changed: the %s view of %s is no longer what entry %d recorded", view, res.Period, fc.Record)
		switch {
		case fc.NoneAccepted:
			fmt.Fprint(w, "; no return of the period is accepted today, so there is no current report")
		case fc.Latest != 0:
			fmt.Fprintf(w, "; entry %d records it as it stands", fc.Latest)
		default:
			fmt.Fprint(w, "; the next download of the report records it as it stands")
		}
		fmt.Fprintln(w)
	}
	if res.CurrentDocument != "" {
		fmt.Fprintf(w, "current document: %s\n", res.CurrentDocument)
	}
}
