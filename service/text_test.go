package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// The free strings of the admin and review requests follow the same rule
// as those of a return (ledger.CheckText), each problem at its field.
// Before, names, labels and comments were only checked for length (in
// bytes), so NUL, escape sequences and bidi overrides were stored.
func TestRequestTextRefused(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	op := env.Operator("op-a", "Operator A", "JP")
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	f := env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	ctx := context.Background()
	sys := ledger.SystemActor

	checks := []struct {
		name, path, msg string
		call            func() error
	}{
		{"operator name with a bidi override", "name", "U+202E", func() error {
			_, err := env.Service.RegisterOperator(ctx, sys, ledger.Operator{ID: "op-b", Name: "Acme\u202eTelecom", Country: "JP", Kinds: []string{"mobile"}})
			return err
		}},
		{"operator name with invalid UTF-8", "name", "not valid UTF-8", func() error {
			_, err := env.Service.RegisterOperator(ctx, sys, ledger.Operator{ID: "op-b", Name: "Acme\xff", Country: "JP", Kinds: []string{"mobile"}})
			return err
		}},
		{"operator name over 200 characters", "name", "at most 200 characters", func() error {
			_, err := env.Service.RegisterOperator(ctx, sys, ledger.Operator{ID: "op-b", Name: strings.Repeat("n", 201), Country: "JP", Kinds: []string{"mobile"}})
			return err
		}},
		{"token label with NUL", "label", "U+0000", func() error {
			_, err := env.Service.IssueToken(ctx, sys, ledger.RoleRegulator, "", "desk\x00")
			return err
		}},
		{"token label with an escape sequence", "label", "U+001B", func() error {
			_, err := env.Service.IssueToken(ctx, sys, ledger.RoleRegulator, "", "\x1b[2Jdesk")
			return err
		}},
		{"review comment with an isolate", "comment", "U+2066", func() error {
			_, err := env.Service.Review(ctx, reg, f.ID, ledger.Review{Decision: ledger.DecisionAccept, Comment: "ok \u2066"})
			return err
		}},
		{"review comment of a megabyte", "comment", "at most 10000 characters", func() error {
			_, err := env.Service.Review(ctx, reg, f.ID, ledger.Review{Decision: ledger.DecisionAccept, Comment: strings.Repeat("c", 1<<20)})
			return err
		}},
		{"finding message with NUL", "findings[0].message", "U+0000", func() error {
			_, err := env.Service.Review(ctx, reg, f.ID, ledger.Review{Decision: ledger.DecisionReturn,
				Findings: []ledger.FieldError{{Path: "fuels[0].quantity", Message: "twice\x00"}}})
			return err
		}},
		{"finding path on two lines", "findings[0].path", "line break", func() error {
			_, err := env.Service.Review(ctx, reg, f.ID, ledger.Review{Decision: ledger.DecisionReturn,
				Findings: []ledger.FieldError{{Path: "fuels[0]\nquantity", Message: "twice"}}})
			return err
		}},
		{"deadline reason with a bidi override", "reason", "U+202D", func() error {
			p, _ := ledger.ParsePeriod("2025-Q4")
			return env.Service.SetDeadline(ctx, sys, p, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "moved \u202d")
		}},
	}
	for _, tc := range checks {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var e *ledger.Error
			if !errors.As(err, &e) || e.Code != ledger.EInvalid {
				t.Fatalf("got %v, want %s", err, ledger.EInvalid)
			}
			found := false
			for _, fe := range e.Fields {
				found = found || fe.Path == tc.path && strings.Contains(fe.Message, tc.msg)
			}
			if !found {
				t.Errorf("no %q at %q in %.300q", tc.msg, tc.path, e.Fields)
			}
		})
	}

	t.Run("idempotency key with invalid UTF-8", func(t *testing.T) {
		a := env.Actor(op)
		_, err := env.Service.FileReturn(ctx, a, a.Operator, servicetest.JSONDecoder(servicetest.ExampleReturn(t, "op-a", "2025-Q2")), "key\xff")
		if code := ledger.ErrorCode(err); code != ledger.EBadRequest || !strings.Contains(err.Error(), "not valid UTF-8") {
			t.Errorf("got %v, want %s naming UTF-8", err, ledger.EBadRequest)
		}
	})
}

// Legitimate text in the scripts of the region, and a comment typed in a
// browser's text area (CRLF line breaks), is accepted as sent; a name is
// measured in characters, so 200 Japanese characters fit.
func TestRequestTextAccepted(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	ctx := context.Background()
	sys := ledger.SystemActor
	for i, name := range []string{"ฟ้าใส โทรคมนาคม", "株式会社" + strings.Repeat("桜", 196), "한국통신", "ارتباطات\u200cسیار"} {
		id := "op-" + string(rune('a'+i))
		if _, err := env.Service.RegisterOperator(ctx, sys, ledger.Operator{ID: id, Name: name, Country: "JP", Kinds: []string{"mobile"}}); err != nil {
			t.Errorf("register %q: %v", name, err)
		}
	}
	if _, err := env.Service.IssueToken(ctx, sys, ledger.RoleRegulator, "", "監督チーム"); err != nil {
		t.Errorf("issue token: %v", err)
	}
	op := env.Operator("op-z", "Operator Z", "JP")
	f := env.File(op, servicetest.ExampleReturn(t, "op-z", "2025-Q3"))
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	_, err := env.Service.Review(ctx, reg, f.ID, ledger.Review{Decision: ledger.DecisionReturn, Comment: "確認してください。\r\n\tPlease check.",
		Findings: []ledger.FieldError{{Path: "sites.csv:line 18:column grid", Message: "燃料が前四半期の2倍です"}}})
	if err != nil {
		t.Errorf("review: %v", err)
	}
}
