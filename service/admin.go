package service

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
)

var operatorIDPattern = regexp.MustCompile(`^[a-z0-9-]{2,40}$`)

// RegisterOperator records a new operator (admin). Every problem with the
// request is reported at once; an id in use is EConflict.
func (s *Service) RegisterOperator(ctx context.Context, a ledger.Actor, op ledger.Operator) (*state.Operator, error) {
	if err := requireRole(a, ledger.RoleAdmin); err != nil {
		return nil, err
	}
	var errs []ledger.FieldError
	add := func(p, m string) { errs = append(errs, ledger.FieldError{Path: p, Message: m}) }
	if !operatorIDPattern.MatchString(op.ID) {
		add("id", "must be 2-40 characters of lower-case letters, digits and '-'")
	}
	op.Name = strings.TrimSpace(op.Name)
	if op.Name == "" {
		add("name", "is required")
	} else if err := ledger.CheckText(op.Name, ledger.TextName); err != nil {
		add("name", err.Error())
	}
	if !ledger.IsCountryCode(op.Country) {
		add("country", "must be an ISO 3166-1 alpha-2 code in capitals, e.g. JP")
	}
	if len(op.Kinds) == 0 {
		add("kinds", "must list at least one of: "+strings.Join(ledger.OperatorKinds, ", "))
	}
	seen := map[string]bool{}
	for i, k := range op.Kinds {
		if !ledger.OneOf(k, ledger.OperatorKinds) {
			add(pathIndex("kinds", i), "must be one of: "+strings.Join(ledger.OperatorKinds, ", "))
		} else if seen[k] {
			add(pathIndex("kinds", i), "is listed twice")
		}
		seen[k] = true
	}
	if !op.ReportingFrom.IsZero() && (op.ReportingFrom.Year < 2000 || op.ReportingFrom.Year > 2100) {
		add("reporting_from", "must be a quarter between 2000-Q1 and 2100-Q4")
	}
	if len(errs) > 0 {
		return nil, &ledger.Error{Code: ledger.EInvalid, Message: "the operator is not valid", Fields: errs}
	}
	payload, err := ledger.Canonical(op)
	if err != nil {
		return nil, err
	}
	err = s.commit(ctx, change{actor: a, kind: ledger.KindOperatorRegistered, payload: payload,
		keys: []string{"operator:" + op.ID},
		check: func() error {
			if s.st.Operator(op.ID) != nil {
				return ledger.Errorf(ledger.EConflict, "operator %s is registered already", op.ID)
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	return s.st.Operator(op.ID), nil
}

// Operators lists registered operators (admin, regulator).
func (s *Service) Operators(a ledger.Actor) ([]*state.Operator, error) {
	if err := requireRole(a, ledger.RoleAdmin, ledger.RoleRegulator); err != nil {
		return nil, err
	}
	return s.visibleOperators(a), nil
}

// Operator returns one operator (admin, regulator, or the operator itself).
func (s *Service) Operator(a ledger.Actor, id string) (*state.Operator, error) {
	if err := s.requireOperatorRead(a, id); err != nil {
		return nil, err
	}
	op := s.st.Operator(id)
	if op == nil {
		return nil, ledger.Errorf(ledger.ENotFound, "no operator %s", id)
	}
	return op, nil
}

// IssuedToken is a newly issued token with its secret, which is shown once
// and never stored.
type IssuedToken struct {
	ID            string      `json:"id"`
	Token         string      `json:"token"`
	Role          ledger.Role `json:"role"`
	Operator      string      `json:"operator,omitempty"`
	Label         string      `json:"label,omitempty"`
	Jurisdictions []string    `json:"jurisdictions,omitempty"`
}

// TokenRequest is what a token is issued for.
type TokenRequest struct {
	Role     ledger.Role
	Operator string // an operator token's operator
	Label    string
	// Jurisdictions are a regulator token's countries, or
	// ledger.AllJurisdictions alone; a regulator token must name them.
	Jurisdictions []string
}

// IssueToken issues a bearer token (admin). An operator token is bound to
// one registered operator; other roles have none. A regulator token
// issued here covers every country, and its entry says so ("*"); use
// IssueTokenFor to bind one to jurisdictions.
func (s *Service) IssueToken(ctx context.Context, a ledger.Actor, role ledger.Role, operator, label string) (*IssuedToken, error) {
	req := TokenRequest{Role: role, Operator: operator, Label: label}
	if role == ledger.RoleRegulator {
		req.Jurisdictions = []string{ledger.AllJurisdictions}
	}
	return s.IssueTokenFor(ctx, a, req)
}

// IssueTokenFor issues a bearer token as req asks (admin). A regulator
// token must name its jurisdictions: ISO 3166-1 codes, or "*" for every
// country, said explicitly.
func (s *Service) IssueTokenFor(ctx context.Context, a ledger.Actor, req TokenRequest) (*IssuedToken, error) {
	if err := requireRole(a, ledger.RoleAdmin); err != nil {
		return nil, err
	}
	role, operator, label := req.Role, req.Operator, req.Label
	var errs []ledger.FieldError
	if !role.Valid() {
		errs = append(errs, ledger.FieldError{Path: "role", Message: "must be one of: admin, operator, regulator"})
	}
	if role == ledger.RoleOperator && operator == "" {
		errs = append(errs, ledger.FieldError{Path: "operator", Message: "is required for an operator token"})
	}
	if role != ledger.RoleOperator && operator != "" {
		errs = append(errs, ledger.FieldError{Path: "operator", Message: "is only for operator tokens"})
	}
	if err := ledger.CheckText(label, ledger.TextName); err != nil {
		errs = append(errs, ledger.FieldError{Path: "label", Message: err.Error()})
	}
	if role.Valid() {
		errs = append(errs, checkJurisdictions(role, req.Jurisdictions)...)
	}
	if len(errs) > 0 {
		return nil, &ledger.Error{Code: ledger.EInvalid, Message: "the token request is not valid", Fields: errs}
	}
	id, secret := newSecret()
	return s.issueToken(ctx, a, id, secret, req)
}

func (s *Service) issueToken(ctx context.Context, a ledger.Actor, id, secret string, req TokenRequest) (*IssuedToken, error) {
	role, operator, label := req.Role, req.Operator, req.Label
	t := ledger.TokenIssued{ID: id, SecretHash: HashSecret(secret), Role: role, Operator: operator, Label: label, Jurisdictions: req.Jurisdictions}
	payload, err := ledger.Canonical(t)
	if err != nil {
		return nil, err
	}
	err = s.commit(ctx, change{actor: a, kind: ledger.KindTokenIssued, payload: payload,
		keys: []string{"token:" + t.ID, "secret:" + t.SecretHash},
		check: func() error {
			if operator != "" && s.st.Operator(operator) == nil {
				return &ledger.Error{Code: ledger.EInvalid, Message: "the token request is not valid",
					Fields: []ledger.FieldError{{Path: "operator", Message: "no operator " + operator + " is registered"}}}
			}
			if s.st.Token(t.ID) != nil || s.st.TokenBySecretHash(t.SecretHash) != nil {
				return ledger.Errorf(ledger.EConflict, "token id %s is taken; retry", t.ID)
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	return &IssuedToken{ID: id, Token: secret, Role: role, Operator: operator, Label: label, Jurisdictions: req.Jurisdictions}, nil
}

// RevokeToken revokes a token (admin); it stops working as soon as this
// returns.
func (s *Service) RevokeToken(ctx context.Context, a ledger.Actor, id string) error {
	if err := requireRole(a, ledger.RoleAdmin); err != nil {
		return err
	}
	payload, err := ledger.Canonical(ledger.TokenRevoked{ID: id})
	if err != nil {
		return err
	}
	err = s.commit(ctx, change{actor: a, kind: ledger.KindTokenRevoked, payload: payload,
		keys: []string{"token:" + id},
		check: func() error {
			t := s.st.Token(id)
			if t == nil {
				return ledger.Errorf(ledger.ENotFound, "no token %s", id)
			}
			if t.Revoked {
				return ledger.Errorf(ledger.EConflict, "token %s is revoked already", id)
			}
			return nil
		}})
	return err
}

// PublishFactorSet publishes a new factor-set version (admin). The bytes
// are parsed strictly and checked for completeness; a version in use is
// EConflict. Metrics computed under older versions are unaffected.
func (s *Service) PublishFactorSet(ctx context.Context, a ledger.Actor, raw []byte) (*state.FactorSet, error) {
	if err := requireRole(a, ledger.RoleAdmin); err != nil {
		return nil, err
	}
	fs, err := ledger.ParseFactorSet(raw)
	if err != nil {
		return nil, err
	}
	payload, err := ledger.Canonical(fs)
	if err != nil {
		return nil, err
	}
	err = s.commit(ctx, change{actor: a, kind: ledger.KindFactorSetPublished, payload: payload,
		keys: []string{"factor_set:" + fs.Version},
		check: func() error {
			if s.st.FactorSet(fs.Version) != nil {
				return ledger.Errorf(ledger.EConflict, "factor set %s is published already; publish a new version", fs.Version)
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	return s.st.FactorSet(fs.Version), nil
}

// FactorSets lists the published factor sets (any caller).
func (s *Service) FactorSets() []*state.FactorSet { return s.st.FactorSets() }

// FactorSet returns one published factor set (any caller).
func (s *Service) FactorSet(version string) (*state.FactorSet, error) {
	fs := s.st.FactorSet(version)
	if fs == nil {
		return nil, ledger.Errorf(ledger.ENotFound, "no factor set %s", version)
	}
	return fs, nil
}

func pathIndex(field string, i int) string {
	return field + "[" + strconv.Itoa(i) + "]"
}
