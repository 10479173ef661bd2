package service

import (
	"context"
	"strings"
	"time"

	"github.com/ictledger/ictledger/ledger"
)

// Deadline is the filing deadline of a period: the admin's override if
// one was recorded, otherwise DeadlineDays after the quarter ends.
func (s *Service) Deadline(p ledger.Period) (deadline time.Time, overridden bool) {
	if d := s.st.Deadline(p); d != nil {
		return d.Deadline, true
	}
	return p.End().AddDate(0, 0, s.cfg.DeadlineDays), false
}

// SetDeadline overrides a period's filing deadline (admin). The override
// is a ledger entry like any other, so lateness can always be explained.
// A later override replaces an earlier one.
func (s *Service) SetDeadline(ctx context.Context, a ledger.Actor, p ledger.Period, deadline time.Time, reason string) error {
	if err := requireRole(a, ledger.RoleAdmin); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	var errs []ledger.FieldError
	if deadline.IsZero() {
		errs = append(errs, ledger.FieldError{Path: "deadline", Message: "is required (RFC 3339 time)"})
	} else if !deadline.After(p.End()) {
		errs = append(errs, ledger.FieldError{Path: "deadline", Message: "must be after the end of " + p.String()})
	}
	if reason == "" || len(reason) > 2000 {
		errs = append(errs, ledger.FieldError{Path: "reason", Message: "must be 1-2000 characters: say why the deadline moves"})
	} else if err := ledger.CheckText(reason, ledger.TextNote); err != nil {
		errs = append(errs, ledger.FieldError{Path: "reason", Message: err.Error()})
	}
	if len(errs) > 0 {
		return &ledger.Error{Code: ledger.EInvalid, Message: "the deadline is not valid", Fields: errs}
	}
	payload, err := ledger.Canonical(ledger.DeadlineSet{Period: p, Deadline: deadline.UTC(), Reason: reason})
	if err != nil {
		return err
	}
	err = s.commit(ctx, change{actor: a, kind: ledger.KindDeadlineSet, payload: payload,
		keys: []string{"deadline:" + p.String()}})
	return err
}
