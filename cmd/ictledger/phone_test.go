package main

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ictledger/ictledger/ledger"
)

// phoneWidth is the width of a phone's screen in CSS pixels.
const phoneWidth = 390

// phoneProblems lists what is wrong with the open page at a phone's
// width: the page wider than the screen (with the first elements that
// stick out), and a card label taller than its cell, which then runs
// into the next line of the card.
const phoneProblems = `(() => {
  const out = [];
  const w = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > w) {
    out.push("the page is " + document.documentElement.scrollWidth + " px wide on a " + w + " px screen");
    const out1 = (el) => el.getBoundingClientRect().right > w + 1 || (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1);
    // Inside a box that scrolls or clips sideways an element may be wider.
    const scrolled = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible") return true;
      }
      return false;
    };
    for (const el of document.querySelectorAll("main *")) {
      if (out1(el) && ![...el.children].some(out1) && !scrolled(el)) {
        out.push("  sticking out: <" + el.tagName.toLowerCase() + "> " + el.textContent.trim().slice(0, 60));
        if (out.length > 4) break;
      }
    }
  }
  const seen = new Set();
  for (const el of document.querySelectorAll("[data-label]")) {
    const cell = el.getBoundingClientRect();
    if (cell.height === 0) continue;
    const label = parseFloat(getComputedStyle(el, "::before").height);
    if (label > cell.height + 1 && !seen.has(el.dataset.label)) {
      seen.add(el.dataset.label);
      out.push("the label \"" + el.dataset.label + "\" (" + label + " px) is taller than its cell (" + cell.height + " px)");
    }
  }
  return out;
})()`

// TestPagesFitAPhone opens every page over the demo ledger at a phone's
// width, with a Thai, a Japanese and long English names, warnings and
// data-quality messages that name fields: none may be wider than the
// screen, and no card label may run into the next line.
func TestPagesFitAPhone(t *testing.T) {
	ctx := newBrowser(t)
	ts, toks := startDemo(t, Config{AdminToken: testAdminToken})
	defer ts.stop()
	reg := demoTokenOf(t, toks, ledger.RoleRegulator).Token
	op := demoTokenOf(t, toks, ledger.RoleOperator).Token
	var status struct {
		Operators []struct {
			Return string `json:"return"`
		} `json:"operators"`
	}
	ts.mustJSON("GET", "/v1/sector/status?period="+ledger.LastEndedQuarter(time.Now()).String(), reg, nil, 200, &status)

	p := &page{t: t, ctx: ctx, base: ts.base}
	p.do("phone viewport", chromedp.EmulateViewport(phoneWidth, 900, chromedp.EmulateMobile))
	check := func(path string) {
		t.Helper()
		p.open(path)
		for _, problem := range get(p, "measure "+path, chromedp.Evaluate[[]string](phoneProblems)) {
			t.Errorf("%s at %d px: %s", path, phoneWidth, problem)
		}
	}
	for _, path := range []string{"/", "/region", "/verify", "/signin"} {
		check(path)
	}
	p.signIn(reg)
	check("/dashboard")
	check("/sector")
	for _, o := range status.Operators {
		if o.Return != "" {
			check("/returns/" + o.Return)
		}
	}
	p.signOut()
	p.signIn(testAdminToken)
	check("/tokens")
	p.signOut()
	p.signIn(op)
	check("/")
	check("/file")
}
