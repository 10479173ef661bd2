package service

import (
	"context"
	"strings"

	"github.com/ictledger/ictledger/ledger"
)

// Review records a regulator's decision on a return version. Only the
// latest version of a period can be reviewed (a superseded one is
// EConflict), a returned version must be restated before it can be
// reviewed again, and a return decision needs at least one finding so the
// operator knows what to fix.
func (s *Service) Review(ctx context.Context, a ledger.Actor, id string, r ledger.Review) (*ReviewView, error) {
	if err := requireRole(a, ledger.RoleRegulator); err != nil {
		return nil, err
	}
	rv := s.st.Return(id)
	if rv == nil || s.requireOperatorRead(a, rv.Operator) != nil {
		// Outside the regulator's jurisdictions it is as if it did not exist.
		return nil, ledger.Errorf(ledger.ENotFound, "no return %s", id)
	}
	r.Return = id
	r.Comment = strings.TrimSpace(r.Comment)
	var errs []ledger.FieldError
	switch r.Decision {
	case ledger.DecisionAccept, ledger.DecisionReturn:
	default:
		errs = append(errs, ledger.FieldError{Path: "decision", Message: "must be one of: accept, return"})
	}
	if r.Decision == ledger.DecisionReturn && len(r.Findings) == 0 {
		errs = append(errs, ledger.FieldError{Path: "findings", Message: "a return decision needs at least one finding"})
	}
	if err := ledger.CheckText(r.Comment, ledger.TextNote); err != nil {
		errs = append(errs, ledger.FieldError{Path: "comment", Message: err.Error()})
	}
	for i, f := range r.Findings {
		at := pathIndex("findings", i)
		if strings.TrimSpace(f.Message) == "" {
			errs = append(errs, ledger.FieldError{Path: at + ".message", Message: "is required"})
		}
		if len(f.Path) > 500 || len(f.Message) > 5000 {
			errs = append(errs, ledger.FieldError{Path: at, Message: "path at most 500 and message at most 5000 characters"})
		}
		// A finding's path names a field of the return, e.g.
		// "sites.csv:line 18:column grid": one short line, like a name.
		if err := ledger.CheckText(f.Path, ledger.TextName); err != nil {
			errs = append(errs, ledger.FieldError{Path: at + ".path", Message: err.Error()})
		}
		if err := ledger.CheckText(f.Message, ledger.TextNote); err != nil {
			errs = append(errs, ledger.FieldError{Path: at + ".message", Message: err.Error()})
		}
	}
	if len(errs) > 0 {
		return nil, &ledger.Error{Code: ledger.EInvalid, Message: "the review is not valid", Fields: errs}
	}
	payload, err := ledger.Canonical(r)
	if err != nil {
		return nil, err
	}
	err = s.commit(ctx, change{actor: a, kind: ledger.KindReviewRecorded, payload: payload,
		keys: []string{returnKey(rv.Operator, rv.Period)},
		check: func() error {
			cur := s.st.Return(id)
			switch cur.Status() {
			case ledger.StatusSuperseded:
				return ledger.Errorf(ledger.EConflict, "return %s is superseded by %s; review the latest version", id, cur.SupersededBy)
			case ledger.StatusReturned:
				return ledger.Errorf(ledger.EConflict, "return %s was returned; the operator must restate it first", id)
			case ledger.StatusAccepted:
				return ledger.Errorf(ledger.EConflict, "return %s is accepted already", id)
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	cur := s.st.Return(id)
	v := reviewView(cur.Reviews[len(cur.Reviews)-1])
	return &v, nil
}
