package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ictledger/ictledger/ledger"
)

// TestWebScreenshotsReviewDiffTokens saves screenshots of the pages the
// review, the diff and the tokens list changed, on the demo ledger: a
// submitted return with its review form, a restated one with its
// changes, a review sent without a decision, and the admin's tokens.
// Like TestWebScreenshots it runs only with ICTLEDGER_SCREENSHOTS set.
func TestWebScreenshotsReviewDiffTokens(t *testing.T) {
	if os.Getenv("ICTLEDGER_SCREENSHOTS") == "" {
		t.Skip("set ICTLEDGER_SCREENSHOTS to a directory to save screenshots")
	}
	ctx := newBrowser(t)
	ts, toks := startDemo(t, Config{AdminToken: testAdminToken})
	defer ts.stop()
	reg := demoTokenOf(t, toks, ledger.RoleRegulator).Token
	submitted, restated := "", ""
	p := ledger.LastEndedQuarter(time.Now())
	for i := 0; i < 12 && (submitted == "" || restated == ""); i++ {
		var st struct {
			Operators []struct {
				State    string `json:"state"`
				Return   string `json:"return"`
				Versions int    `json:"versions"`
			} `json:"operators"`
		}
		ts.mustJSON("GET", "/v1/sector/status?period="+p.String(), reg, nil, 200, &st)
		for _, o := range st.Operators {
			if o.State == "submitted" && submitted == "" {
				submitted = o.Return
			}
			if o.Versions > 1 && restated == "" {
				restated = o.Return
			}
		}
		p = p.Prev()
	}
	if submitted == "" || restated == "" {
		t.Fatalf("the demo has no submitted (%q) or restated (%q) return", submitted, restated)
	}
	first := restated[:strings.LastIndex(restated, "-v")] + "-v1"

	b := &page{t: t, ctx: ctx, base: ts.base}
	b.signIn(reg)
	b.open("/returns/" + submitted)
	b.shot("rough-return-review")
	// The browser itself stops a form without a decision (required); the
	// server's answer is what a browser without that check gets.
	b.submit("review without a decision", "#record-review", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any]("document.querySelectorAll('input[name=decision]').forEach(e => e.required = false)")(ctx, t)
		return err
	}))
	b.shot("rough-review-no-decision")
	b.open("/returns/" + restated + "?against=" + first + "#diff")
	b.shot("rough-return-diff")
	b.signOut()
	b.signIn(testAdminToken) // the server's, so not in the demo's file
	b.open("/tokens")
	b.shot("rough-tokens")
	b.open("/region")
	b.shot("rough-region")
}
