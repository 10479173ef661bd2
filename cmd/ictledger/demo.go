package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// demoTokensFile keeps the demo's bearer secrets (mode 0600) so that a
// second `serve --demo` on the same directory can print them again; the
// ledger itself only knows their hashes.
const demoTokensFile = "demo-tokens.json"

type demoToken struct {
	Role          ledger.Role `json:"role"`
	Operator      string      `json:"operator,omitempty"`
	Jurisdictions []string    `json:"jurisdictions,omitempty"` // a regulator's, when not every country
	Token         string      `json:"token"`
	Hint          string      `json:"hint"` // a path worth calling with it
}

// demoClockStart is when the demo ledger pretends to have been created:
// before the first demo filing.
func demoClockStart(demo fixtures.Demo) func() time.Time {
	var first time.Time
	for _, d := range demo.Operators {
		for _, f := range d.Filings {
			if first.IsZero() || f.FiledAt.Before(first) {
				first = f.FiledAt
			}
		}
	}
	first = first.Add(-24 * time.Hour)
	return func() time.Time { return first }
}

// loadDemo registers the demo operators, issues a token per role, and
// files, restates and reviews the demo returns through the service, with
// the same validation as any filing, each at its demo filing time.
func (m *Main) loadDemo(ctx context.Context, demo fixtures.Demo) error {
	sys := ledger.SystemActor
	var toks []demoToken
	for _, j := range fixtures.DemoJurisdictions() {
		if _, err := m.svc.SetJurisdiction(ctx, sys, j); err != nil {
			return fmt.Errorf("jurisdiction %s: %w", j.Country, err)
		}
	}
	period := ledger.LastEndedQuarter(m.cfg.Now()).String()
	// The regulator of one administration first; the regulator of every
	// country last, as the one a reader takes for "the regulator".
	cc := fixtures.DemoRegulatedCountry
	national, err := m.svc.IssueTokenFor(ctx, sys, service.TokenRequest{Role: ledger.RoleRegulator,
		Label: "demo regulator " + cc, Jurisdictions: []string{cc}})
	if err != nil {
		return err
	}
	toks = append(toks, demoToken{Role: ledger.RoleRegulator, Jurisdictions: national.Jurisdictions, Token: national.Token,
		Hint: "/v1/sector/status?period=" + period})
	reg, err := m.svc.IssueToken(ctx, sys, ledger.RoleRegulator, "", "demo regulator")
	if err != nil {
		return err
	}
	toks = append(toks, demoToken{Role: ledger.RoleRegulator, Token: reg.Token, Hint: "/v1/sector/status?period=" + period})
	regActor := ledger.Actor{TokenID: reg.ID, Role: ledger.RoleRegulator}

	// The timeline: every filing at its demo time, and every review a
	// week later, never in the future. Entries are appended in time order.
	type step struct {
		at     time.Time
		op     string
		actor  ledger.Actor
		filing *fixtures.Filing
		review int // index of the filing step this step reviews, or -1
	}
	now := m.cfg.Now()
	clamp := func(t time.Time) time.Time {
		if t.After(now) {
			return now
		}
		return t
	}
	var steps []step
	for _, d := range demo.Operators {
		if len(d.Filings) > 0 && d.Operator.ReportingFrom.IsZero() {
			// Due from its first demo quarter, which ended before the
			// demo ledger pretends to begin.
			d.Operator.ReportingFrom = d.Filings[0].Return.Period
		}
		if _, err := m.svc.RegisterOperator(ctx, sys, d.Operator); err != nil {
			return fmt.Errorf("register %s: %w", d.Operator.ID, err)
		}
		t, err := m.svc.IssueToken(ctx, sys, ledger.RoleOperator, d.Operator.ID, "demo "+d.Operator.ID)
		if err != nil {
			return err
		}
		toks = append(toks, demoToken{Role: ledger.RoleOperator, Operator: d.Operator.ID, Token: t.Token,
			Hint: "/v1/operators/" + d.Operator.ID + "/returns"})
		actor := ledger.Actor{TokenID: t.ID, Role: ledger.RoleOperator, Operator: d.Operator.ID}
		for i := range d.Filings {
			f := &d.Filings[i]
			steps = append(steps, step{at: clamp(f.FiledAt), op: d.Operator.ID, actor: actor, filing: f, review: -1})
		}
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].at.Before(steps[j].at) })
	filedIDs := make([]string, len(steps))
	for i := 0; i < len(steps); i++ {
		s := steps[i]
		at := s.at
		m.setClock(func() time.Time { return at })
		if s.review >= 0 {
			rv := steps[s.review].filing.Review
			review := ledger.Review{Decision: rv.Decision, Comment: rv.Comment, Findings: rv.Findings}
			if _, err := m.svc.Review(ctx, regActor, filedIDs[s.review], review); err != nil {
				return fmt.Errorf("review %s: %w", filedIDs[s.review], err)
			}
			continue
		}
		r := s.filing.Return
		if s.filing.Restatement {
			latest := m.svc.State().Latest(s.op, r.Period)
			if latest == nil {
				return fmt.Errorf("demo restates %s %s, which was never filed", s.op, r.Period)
			}
			r.Restates = latest.ID
		}
		filed, err := m.svc.FileReturn(ctx, s.actor, s.op, validateValue(&r), "")
		if err != nil {
			return fmt.Errorf("file %s %s: %w", s.op, r.Period, err)
		}
		filedIDs[i] = filed.ID
		if s.filing.Review != nil {
			// Insert the review step in time order among the steps still to come.
			rs := step{at: clamp(at.Add(7 * 24 * time.Hour)), review: i}
			j := i + 1
			for j < len(steps) && !steps[j].at.After(rs.at) {
				j++
			}
			steps = append(steps[:j], append([]step{rs}, steps[j:]...)...)
			filedIDs = append(filedIDs[:j], append([]string{""}, filedIDs[j:]...)...)
		}
	}
	if m.cfg.AdminToken == "" {
		if b, err := os.ReadFile(filepath.Join(m.cfg.DataDir, "admin.token")); err == nil {
			toks = append([]demoToken{{Role: ledger.RoleAdmin, Token: string(trimNL(b)), Hint: "/v1/operators"}}, toks...)
		}
	}
	b, err := json.MarshalIndent(toks, "", "  ")
	if err != nil {
		return err
	}
	return writeSecretFile(filepath.Join(m.cfg.DataDir, demoTokensFile), string(b)+"\n")
}

// validateValue is a service.Decoder for a return that is already a Go
// value: it runs the same rules as an HTTP filing.
func validateValue(r *ledger.Return) service.Decoder {
	return func(resolve func(*ledger.Return) filing.Context) (*ledger.Return, []ledger.Warning, error) {
		problems, warnings := filing.Validate(r, resolve(r))
		if len(problems) > 0 {
			return nil, nil, &ledger.Error{Code: ledger.EInvalid, Message: "the demo return breaks the rules", Fields: problems}
		}
		return r, warnings, nil
	}
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// printDemoTokens prints a token and a ready curl line per demo role.
func (m *Main) printDemoTokens() error {
	b, err := os.ReadFile(filepath.Join(m.cfg.DataDir, demoTokensFile))
	if err != nil {
		fmt.Fprintf(m.cfg.Out, "This data directory was not created by --demo, so there are no demo tokens to show.\n")
		return nil
	}
	var toks []demoToken
	if err := json.Unmarshal(b, &toks); err != nil {
		return fmt.Errorf("read %s: %w", demoTokensFile, err)
	}
	base := "http://" + m.Addr()
	out := m.cfg.Out
	fmt.Fprintf(out, "\nictledger demo is running at %s (data in %s)\n\n", base, m.cfg.DataDir)
	for _, t := range toks {
		who := string(t.Role)
		switch {
		case t.Operator != "":
			who += " " + t.Operator
		case t.Role == ledger.RoleRegulator && len(t.Jurisdictions) > 0:
			who += " of " + strings.Join(t.Jurisdictions, ", ") + " only"
		case t.Role == ledger.RoleRegulator:
			who += " of every country"
		}
		// The URL is quoted: a query's "?" is a glob to zsh.
		fmt.Fprintf(out, "%s\n  token: %s\n  curl -H 'Authorization: Bearer %s' '%s%s'\n\n", who, t.Token, t.Token, base, t.Hint)
	}
	fmt.Fprintf(out, "public (no token)\n  curl %s/v1/ledger/checkpoint\n\n", base)
	fmt.Fprintf(out, "web pages\n  %s/ (sign in at %s/signin with a token above)\n\n", base, base)
	return nil
}
