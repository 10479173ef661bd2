package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
)

// visible reports whether the actor may see an operator at all: admins
// see every operator, an operator token its own, and a regulator the
// operators of the countries its token covers (all of them for a token
// that says "*" and for one issued before tokens named jurisdictions).
// It is the one place that decides; every read, review and listing of
// operators asks it.
func (s *Service) visible(a ledger.Actor, op *state.Operator) bool {
	switch a.Role {
	case ledger.RoleAdmin:
		return true
	case ledger.RoleOperator:
		return a.Operator == op.ID
	case ledger.RoleRegulator:
		return ledger.Covers(s.coverage(a), op.Country)
	}
	return false
}

// coverage is the list of countries of a regulator's token (nil: all,
// see ledger.Covers). A regulator actor whose token is not in the state
// covers nothing: an empty, non-nil list.
func (s *Service) coverage(a ledger.Actor) []string {
	if a.Role != ledger.RoleRegulator {
		return nil
	}
	t := s.st.Token(a.TokenID)
	if t == nil {
		return []string{}
	}
	return t.Jurisdictions
}

// unrestricted reports whether the actor sees every country's operators.
func (s *Service) unrestricted(a ledger.Actor) bool {
	c := s.coverage(a)
	return c == nil || slices.Contains(c, ledger.AllJurisdictions)
}

// visibleOperators lists the registered operators the actor may see, by
// id.
func (s *Service) visibleOperators(a ledger.Actor) []*state.Operator {
	all := s.st.Operators()
	if s.unrestricted(a) && a.Role != ledger.RoleOperator {
		return all
	}
	out := make([]*state.Operator, 0, len(all))
	for _, op := range all {
		if s.visible(a, op) {
			out = append(out, op)
		}
	}
	return out
}

// requireOperatorRead allows admins, the operator itself, and regulators
// whose jurisdictions include the operator's country. An operator token
// asking for another operator is EForbidden, as it always was; a regulator
// asking for an operator outside its jurisdictions is ENotFound, the
// answer for an operator that does not exist, so that it does not learn
// which exist.
func (s *Service) requireOperatorRead(a ledger.Actor, operator string) error {
	if err := requireRole(a, ledger.RoleAdmin, ledger.RoleRegulator, ledger.RoleOperator); err != nil {
		return err
	}
	if a.Role == ledger.RoleOperator && a.Operator != operator {
		return ledger.Errorf(ledger.EForbidden, "this token may only see operator %s", a.Operator)
	}
	if op := s.st.Operator(operator); op != nil && !s.visible(a, op) {
		return ledger.Errorf(ledger.ENotFound, "no operator %s", operator)
	}
	return nil
}

// requireAllJurisdictions allows admins and regulators that cover every
// country: what reads the whole ledger (its raw entries) needs.
func (s *Service) requireAllJurisdictions(a ledger.Actor) error {
	if err := requireRole(a, ledger.RoleRegulator, ledger.RoleAdmin); err != nil {
		return err
	}
	if !s.unrestricted(a) {
		return ledger.Errorf(ledger.EForbidden, "the raw ledger holds every jurisdiction's entries; this token covers %s only",
			strings.Join(s.coverage(a), ", "))
	}
	return nil
}

// jurisdictionOf is a country's administration record, or the defaults
// (the configured deadline counted in UTC, no factor set of its own).
func (s *Service) jurisdictionOf(country string) ledger.Jurisdiction {
	if j := s.st.Jurisdiction(country); j != nil {
		return j.Jurisdiction
	}
	d := ledger.DefaultJurisdiction(country)
	d.DeadlineDays = s.cfg.DeadlineDays
	return d
}

// DeadlineIn is the filing deadline of period p for operators of country:
// the admin's override of the period where one was recorded (an instant,
// the same for every jurisdiction: it answers an event such as an outage
// of the ledger), otherwise the administration's rule counted in its own
// time zone (ledger.Jurisdiction.Deadline).
func (s *Service) DeadlineIn(country string, p ledger.Period) (deadline time.Time, overridden bool) {
	if d := s.st.Deadline(p); d != nil {
		return d.Deadline, true
	}
	if j := s.st.Jurisdiction(country); j != nil {
		return j.Deadline(p), false
	}
	return s.jurisdictionOf(country).Deadline(p), false
}

// JurisdictionView is an administration's record as the API shows it.
type JurisdictionView struct {
	Country      string    `json:"country"`
	Name         string    `json:"name"`
	NameLocal    string    `json:"name_local,omitempty"`
	DeadlineDays int       `json:"deadline_days"`
	TimeZone     string    `json:"time_zone"`
	FactorSet    string    `json:"factor_set,omitempty"`
	Recorded     bool      `json:"recorded"` // false: the defaults of a country without a record
	SetAt        time.Time `json:"set_at,omitzero"`
}

func jurisdictionView(j ledger.Jurisdiction, rec *state.Jurisdiction) JurisdictionView {
	v := JurisdictionView{Country: j.Country, Name: j.Name, NameLocal: j.NameLocal, DeadlineDays: j.DeadlineDays,
		TimeZone: j.TimeZone, FactorSet: j.FactorSet}
	if rec != nil {
		v.Recorded, v.SetAt = true, rec.SetAt
	}
	return v
}

// SetJurisdiction records an administration's settings (admin). Name is
// required; DeadlineDays defaults to 45 and TimeZone to UTC; FactorSet,
// when given, must be published. A later record replaces the earlier one
// and applies to every deadline and filing from then on.
func (s *Service) SetJurisdiction(ctx context.Context, a ledger.Actor, j ledger.Jurisdiction) (*JurisdictionView, error) {
	if err := requireRole(a, ledger.RoleAdmin); err != nil {
		return nil, err
	}
	j.Name, j.NameLocal = strings.TrimSpace(j.Name), strings.TrimSpace(j.NameLocal)
	if j.DeadlineDays == 0 {
		j.DeadlineDays = ledger.DefaultDeadlineDays
	}
	if j.TimeZone == "" {
		j.TimeZone = "UTC"
	}
	if errs := s.checkJurisdiction(j); len(errs) > 0 {
		return nil, &ledger.Error{Code: ledger.EInvalid, Message: "the jurisdiction is not valid", Fields: errs}
	}
	payload, err := ledger.Canonical(j)
	if err != nil {
		return nil, err
	}
	err = s.commit(ctx, change{actor: a, kind: ledger.KindJurisdictionSet, payload: payload,
		keys: []string{"jurisdiction:" + j.Country},
		check: func() error {
			if j.FactorSet != "" && s.st.FactorSet(j.FactorSet) == nil {
				return &ledger.Error{Code: ledger.EInvalid, Message: "the jurisdiction is not valid",
					Fields: []ledger.FieldError{{Path: "factor_set", Message: "no factor set " + j.FactorSet + " is published"}}}
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	rec := s.st.Jurisdiction(j.Country)
	v := jurisdictionView(rec.Jurisdiction, rec)
	return &v, nil
}

// checkJurisdiction lists every problem of a record at once.
func (s *Service) checkJurisdiction(j ledger.Jurisdiction) []ledger.FieldError {
	var errs []ledger.FieldError
	add := func(p, m string) { errs = append(errs, ledger.FieldError{Path: p, Message: m}) }
	if !ledger.IsCountryCode(j.Country) {
		add("country", "must be an ISO 3166-1 alpha-2 code in capitals, e.g. TH")
	}
	if j.Name == "" {
		add("name", "is required: the administration's name in English")
	} else if err := ledger.CheckText(j.Name, ledger.TextName); err != nil {
		add("name", err.Error())
	}
	if err := ledger.CheckText(j.NameLocal, ledger.TextName); err != nil {
		add("name_local", err.Error())
	}
	if j.DeadlineDays < 1 || j.DeadlineDays > 366 {
		add("deadline_days", "must be 1-366 days after quarter end")
	}
	// time.LoadLocation also reads a file path relative to the zone
	// database; an IANA name has no "..", and "Local" is this machine's.
	if _, err := time.LoadLocation(j.TimeZone); err != nil || strings.Contains(j.TimeZone, "..") || j.TimeZone == "Local" {
		add("time_zone", "must be an IANA time zone name, e.g. Asia/Bangkok")
	}
	if j.FactorSet != "" && s.st.FactorSet(j.FactorSet) == nil {
		add("factor_set", "no factor set "+j.FactorSet+" is published")
	}
	return errs
}

// Jurisdictions lists administrations (admin: every recorded one;
// regulator: those of its own countries, with the defaults for a country
// that has no record; a regulator of every country sees every recorded
// one).
func (s *Service) Jurisdictions(a ledger.Actor) ([]JurisdictionView, error) {
	if err := requireRole(a, ledger.RoleAdmin, ledger.RoleRegulator); err != nil {
		return nil, err
	}
	out := []JurisdictionView{}
	if s.unrestricted(a) {
		for _, rec := range s.st.Jurisdictions() {
			out = append(out, jurisdictionView(rec.Jurisdiction, rec))
		}
		return out, nil
	}
	for _, c := range slices.Sorted(slices.Values(s.coverage(a))) {
		out = append(out, jurisdictionView(s.jurisdictionOf(c), s.st.Jurisdiction(c)))
	}
	return out, nil
}

// Coverage is what a token covers, for the pages: the countries of a
// regulator (nil for every country) and whether the token predates
// jurisdictions.
type Coverage struct {
	All           bool               `json:"all"`
	Unrestricted  bool               `json:"unrestricted"` // issued before tokens named jurisdictions
	Jurisdictions []JurisdictionView `json:"jurisdictions"`
}

// CoverageOf tells a regulator which jurisdictions its token covers.
func (s *Service) CoverageOf(a ledger.Actor) (*Coverage, error) {
	if err := requireRole(a, ledger.RoleAdmin, ledger.RoleRegulator); err != nil {
		return nil, err
	}
	c := s.coverage(a)
	out := &Coverage{All: s.unrestricted(a), Unrestricted: a.Role == ledger.RoleRegulator && c == nil}
	if !out.All {
		js, err := s.Jurisdictions(a)
		if err != nil {
			return nil, err
		}
		out.Jurisdictions = js
	}
	return out, nil
}

// soleJurisdiction is the one country a regulator's token covers, or "".
func (s *Service) soleJurisdiction(a ledger.Actor) string {
	if c := s.coverage(a); len(c) == 1 && c[0] != ledger.AllJurisdictions {
		return c[0]
	}
	return ""
}

// checkJurisdictions checks a regulator token's list: ISO codes, or "*"
// alone, each once. A regulator token must say which (nil is refused).
func checkJurisdictions(role ledger.Role, js []string) []ledger.FieldError {
	var errs []ledger.FieldError
	add := func(p, m string) { errs = append(errs, ledger.FieldError{Path: p, Message: m}) }
	if role != ledger.RoleRegulator {
		if js != nil {
			add("jurisdictions", "is only for regulator tokens")
		}
		return errs
	}
	if len(js) == 0 {
		add("jurisdictions", `is required for a regulator token: list its countries (["TH"]) or say ["*"] for all`)
		return errs
	}
	seen := map[string]bool{}
	for i, c := range js {
		switch {
		case c == ledger.AllJurisdictions && len(js) > 1:
			add(pathIndex("jurisdictions", i), `"*" covers every country and must stand alone`)
		case c != ledger.AllJurisdictions && !ledger.IsCountryCode(c):
			add(pathIndex("jurisdictions", i), "must be an ISO 3166-1 alpha-2 code in capitals, or \"*\"")
		case seen[c]:
			add(pathIndex("jurisdictions", i), "is listed twice")
		}
		seen[c] = true
	}
	return errs
}

// viewCountry is the country a sector view of the actor shows: the one
// asked for, which must be one the actor sees (ENotFound otherwise, as
// for a country without operators), or by default the sole jurisdiction
// of a regulator bound to one, or "" for every country the actor sees.
func (s *Service) viewCountry(a ledger.Actor, country string) (string, error) {
	if country == "" {
		return s.soleJurisdiction(a), nil
	}
	if !ledger.IsCountryCode(country) {
		return "", &ledger.Error{Code: ledger.EInvalid, Message: "bad country",
			Fields: []ledger.FieldError{{Path: "country", Message: "must be an ISO 3166-1 alpha-2 code in capitals"}}}
	}
	if a.Role == ledger.RoleRegulator && !ledger.Covers(s.coverage(a), country) {
		return "", ledger.Errorf(ledger.ENotFound, "no operator is registered for %s", country)
	}
	return country, nil
}

// TokenView is an issued token as the admin's listing shows it, never
// with its secret or the secret's hash.
type TokenView struct {
	ID            string      `json:"id"`
	Role          ledger.Role `json:"role"`
	Operator      string      `json:"operator,omitempty"`
	Label         string      `json:"label,omitempty"`
	Jurisdictions []string    `json:"jurisdictions,omitempty"`
	// Unrestricted marks a regulator token issued before tokens named
	// jurisdictions: it reads every country's operators. Reissue it with
	// the jurisdictions it should have.
	Unrestricted bool      `json:"unrestricted,omitempty"`
	IssuedAt     time.Time `json:"issued_at"`
	Revoked      bool      `json:"revoked"`
}

// Tokens lists every issued token, revoked ones too (admin).
func (s *Service) Tokens(a ledger.Actor) ([]TokenView, error) {
	if err := requireRole(a, ledger.RoleAdmin); err != nil {
		return nil, err
	}
	out := []TokenView{}
	for _, t := range s.st.Tokens() {
		out = append(out, TokenView{ID: t.ID, Role: t.Role, Operator: t.Operator, Label: t.Label, Jurisdictions: t.Jurisdictions,
			Unrestricted: t.Role == ledger.RoleRegulator && t.Jurisdictions == nil, IssuedAt: t.IssuedAt, Revoked: t.Revoked})
	}
	return out, nil
}
