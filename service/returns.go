package service

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
)

// EntryRef names the ledger entry that recorded something.
type EntryRef struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"` // the RFC 6962 leaf hash, standard base64 as tlog.Hash prints it
}

// Filed is the answer to a filing.
type Filed struct {
	ID       string           `json:"id"`
	Operator string           `json:"operator"`
	Period   string           `json:"period"`
	Version  int              `json:"version"`
	Status   ledger.Status    `json:"status"`
	Entry    EntryRef         `json:"entry"`
	Warnings []ledger.Warning `json:"warnings"`
	// Replayed is true when an Idempotency-Key matched an earlier filing
	// and nothing new was written.
	Replayed bool `json:"-"`
}

func filedOf(rv *state.ReturnVersion, replayed bool) *Filed {
	w := rv.Warnings
	if w == nil {
		w = []ledger.Warning{}
	}
	return &Filed{ID: rv.ID, Operator: rv.Operator, Period: rv.PeriodKey, Version: rv.Version, Status: rv.Status(),
		Entry: EntryOf(rv), Warnings: w, Replayed: replayed}
}

// Decoder reads a return from a request body and checks it in the context
// that resolve gives for the decoded return (its period's latest version,
// its factor set), reporting the problems of decoding and of the rules at
// once: filing.CheckJSON and filing.CheckMultipart bound to a body.
type Decoder func(resolve func(*ledger.Return) filing.Context) (*ledger.Return, []ledger.Warning, error)

// DraftDecoder is the Decoder of every transport: read the draft (JSON,
// multipart, an upload form), then check it in the context FileReturn
// resolves for it.
func DraftDecoder(read func() (*filing.Draft, error)) Decoder {
	return func(resolve func(*ledger.Return) filing.Context) (*ledger.Return, []ledger.Warning, error) {
		d, err := read()
		if err != nil {
			return nil, nil, err
		}
		w, err := d.Check(resolve(d.Return))
		return d.Return, w, err
	}
}

// FileReturn files a quarterly return for operator (that operator's token
// only). The first return of a period is version 1; filing again is a
// restatement, which must name the version it replaces in Restates and
// give a Reason. Every rule is checked before anything is written; all
// problems come back at once as EInvalid. With an idempotency key, a
// retry of the same filing returns the first result.
func (s *Service) FileReturn(ctx context.Context, a ledger.Actor, operator string, decode Decoder, idemKey string) (*Filed, error) {
	if err := requireOperatorWrite(a, operator); err != nil {
		return nil, err
	}
	if s.st.Operator(operator) == nil {
		return nil, ledger.Errorf(ledger.ENotFound, "no operator %s", operator)
	}
	if err := ledger.CheckText(idemKey, ledger.TextName); err != nil {
		return nil, &ledger.Error{Code: ledger.EBadRequest, Message: "Idempotency-Key " + err.Error()}
	}
	var prev *state.ReturnVersion // the filing this Idempotency-Key made, if any
	if idemKey != "" {
		prev = s.st.IdempotentReturn(operator, idemKey)
	}
	resolve := func(r *ledger.Return) filing.Context {
		c := filing.Context{Operator: operator, Now: s.now()}
		if fs, err := s.resolveFactorSet(operator, r.FactorSet); err == nil {
			c.Factors = fs
		} else if latest := s.st.LatestFactorSet(); latest != nil {
			c.Factors = latest.Set // Validate then reports the unknown factor_set
		}
		if rv := s.st.Latest(operator, r.Period); rv != nil {
			c.Latest = rv.ID
		}
		if prev != nil && prev.Period == r.Period {
			// A retry is checked as the first attempt was: against the
			// version it restated, not against the version it made.
			c.Latest = prev.Supersedes
		}
		if first, ok := s.st.FirstPeriod(operator); ok {
			c.FirstPeriod = first
		}
		c.ClaimedBy = func(registry, id string) string { return s.st.CertificateClaimedBy(operator, r.Period, registry, id) }
		return c
	}
	r, warnings, err := decode(resolve)
	if err != nil {
		return nil, err
	}
	if prev != nil {
		return s.replay(prev, r)
	}
	fs, err := s.resolveFactorSet(operator, r.FactorSet)
	if err != nil {
		return nil, err
	}
	latest := s.st.Latest(operator, r.Period)
	if latest != nil && r.Restates != latest.ID {
		return nil, ledger.Errorf(ledger.EConflict, "%s already has a return; restate the latest version %s", r.Period, latest.ID)
	}
	rf := ledger.ReturnFiled{Version: 1, FactorSet: fs.Version, IdempotencyKey: idemKey, Return: *r}
	kind := ledger.KindReturnFiled
	if latest != nil {
		rf.Version, rf.Supersedes, kind = latest.Version+1, latest.ID, ledger.KindReturnRestated
	}
	rf.ID = ledger.ReturnID(operator, r.Period, rf.Version)
	more, figures := s.historyWarnings(r, fs)
	rf.Warnings = append(warnings, more...)
	if rf.Warnings == nil {
		rf.Warnings = []ledger.Warning{}
	}
	payload, err := ledger.Canonical(rf)
	if err != nil {
		return nil, err
	}
	keys := []string{returnKey(operator, r.Period)}
	if idemKey != "" {
		keys = append(keys, "idem:"+state.IdempotencyKey(operator, idemKey))
	}
	keys = append(keys, certificateKeys(r, fs)...)
	err = s.commit(ctx, change{actor: a, kind: kind, payload: payload, keys: keys,
		applied: func(uint64) {
			if figures == nil {
				figures = map[string]decimal.Decimal{} // not computable: none available
			}
			s.st.PutFigures(&state.Figures{ReturnID: rf.ID, FactorSet: fs.Version, Values: figures})
		},
		check: func() error {
			now := s.st.Latest(operator, r.Period)
			if (now == nil) != (latest == nil) || (now != nil && now.ID != latest.ID) {
				return ledger.Errorf(ledger.EConflict, "the %s return of %s changed while this one was checked; fetch the latest version and restate it", r.Period, operator)
			}
			if idemKey != "" && s.st.IdempotentReturn(operator, idemKey) != nil {
				return ledger.Errorf(ledger.EConflict, "a filing with this Idempotency-Key was committed meanwhile; retry to get its result")
			}
			return s.certificatesFree(operator, r, fs)
		}})
	if err != nil {
		return nil, err
	}
	return filedOf(s.st.Return(rf.ID), false), nil
}

// replay answers a retried filing with the result of the first one, if
// the return is the same; reusing a key for a different return is a
// client bug and gets EConflict.
func (s *Service) replay(prev *state.ReturnVersion, r *ledger.Return) (*Filed, error) {
	full, err := s.readReturnFiled(prev)
	if err != nil {
		return nil, err
	}
	a, err := ledger.Canonical(full.Return)
	if err != nil {
		return nil, err
	}
	b, err := ledger.Canonical(r)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(a, b) {
		return nil, ledger.Errorf(ledger.EConflict, "Idempotency-Key was used before for a different return (%s)", prev.ID)
	}
	return filedOf(prev, true), nil
}

// resolveFactorSet is the factor set a return of operator that names
// version files under: that version; for a return that names none, the
// set of the operator's jurisdiction where its administration chose one,
// else the latest published.
func (s *Service) resolveFactorSet(operator, version string) (*ledger.FactorSet, error) {
	if version == "" {
		if op := s.st.Operator(operator); op != nil {
			if j := s.st.Jurisdiction(op.Country); j != nil && j.FactorSet != "" {
				version = j.FactorSet // checked published when the jurisdiction was set
			}
		}
	}
	if version == "" {
		fs := s.st.LatestFactorSet()
		if fs == nil {
			return nil, ledger.Errorf(ledger.EUnavailable, "no factor set is published")
		}
		return fs.Set, nil
	}
	fs := s.st.FactorSet(version)
	if fs == nil {
		return nil, ledger.Errorf(ledger.EInvalid, "no factor set %s is published", version)
	}
	return fs.Set, nil
}

// readReturnFiled reads a return version's full entry back from the
// journal. The return itself goes through the filing package's decoder,
// which reads 100,000 site rows several times faster than encoding/json.
func (s *Service) readReturnFiled(rv *state.ReturnVersion) (*ledger.ReturnFiled, error) {
	raw, err := s.j.Read(rv.Seq)
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not read the return from the ledger", Err: err}
	}
	e, err := ledger.DecodeEntry(raw)
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not decode the return entry", Err: err}
	}
	var rf struct {
		ledger.ReturnFiled
		Return json.RawMessage `json:"return"`
	}
	if err := e.DecodePayload(&rf); err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not decode the return entry", Err: err}
	}
	ret, err := filing.DecodeJSON(bytes.NewReader(rf.Return), filing.Options{})
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not decode the filed return", Err: err}
	}
	rf.ReturnFiled.Return = *ret
	return &rf.ReturnFiled, nil
}

// ReturnView is a return as filed plus what the ledger knows about it.
type ReturnView struct {
	Version      *state.ReturnVersion
	Filed        *ledger.ReturnFiled
	Status       ledger.Status
	SupersededBy string
}

// MarshalJSON writes the return's own fields at the top level and adds
// id, status, version, supersedes, superseded_by, reviews, entry,
// warnings and filed_at.
func (v *ReturnView) MarshalJSON() ([]byte, error) {
	raw, err := json.Marshal(v.Filed.Return)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	put := func(k string, val any) error {
		b, err := json.Marshal(val)
		m[k] = b
		return err
	}
	rv := v.Version
	warnings := rv.Warnings
	if warnings == nil {
		warnings = []ledger.Warning{}
	}
	for k, val := range map[string]any{
		"id": rv.ID, "status": rv.Status(), "version": rv.Version, "supersedes": nullable(rv.Supersedes),
		"superseded_by": nullable(rv.SupersededBy), "reviews": ReviewsOf(rv), "warnings": warnings,
		"entry": EntryOf(rv), "filed_at": rv.FiledAt,
		"factor_set_used": rv.FactorSet,
	} {
		if err := put(k, val); err != nil {
			return nil, err
		}
	}
	return json.Marshal(m)
}

// ReviewsOf are a version's reviews as the API shows them, oldest first.
func ReviewsOf(rv *state.ReturnVersion) []ReviewView {
	reviews := make([]ReviewView, 0, len(rv.Reviews))
	for _, r := range rv.Reviews {
		reviews = append(reviews, reviewView(r))
	}
	return reviews
}

// EntryOf is the ledger entry that filed a version.
func EntryOf(rv *state.ReturnVersion) EntryRef {
	return EntryRef{Seq: rv.Seq, Hash: tlog.Hash(rv.LeafHash).String()}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ReviewView is a recorded review as the API shows it.
type ReviewView struct {
	Decision ledger.Decision     `json:"decision"`
	Comment  string              `json:"comment,omitempty"`
	Findings []ledger.FieldError `json:"findings"`
	By       string              `json:"by"`
	At       time.Time           `json:"at"`
	Entry    EntryRef            `json:"entry"`
}

func reviewView(r state.Review) ReviewView {
	f := r.Findings
	if f == nil {
		f = []ledger.FieldError{}
	}
	return ReviewView{Decision: r.Decision, Comment: r.Comment, Findings: f, By: r.Actor.TokenID, At: r.Time,
		Entry: EntryRef{Seq: r.Seq, Hash: tlog.Hash(r.LeafHash).String()}}
}

// Return returns a return version as filed (admin, regulator, or its operator).
func (s *Service) Return(a ledger.Actor, id string) (*ReturnView, error) {
	rv, err := s.ReturnVersion(a, id)
	if err != nil {
		return nil, err
	}
	rf, err := s.readReturnFiled(rv)
	if err != nil {
		return nil, err
	}
	return &ReturnView{Version: rv, Filed: rf}, nil
}

// ReturnVersion is a return version's record, without reading the return
// from the journal (admin, regulator, or its operator). A caller who may
// not read it learns nothing about whether it exists.
func (s *Service) ReturnVersion(a ledger.Actor, id string) (*state.ReturnVersion, error) {
	if err := requireRole(a, ledger.RoleAdmin, ledger.RoleRegulator, ledger.RoleOperator); err != nil {
		return nil, err
	}
	rv := s.st.Return(id)
	if rv == nil || s.requireOperatorRead(a, rv.Operator) != nil {
		if a.Role == ledger.RoleOperator {
			return nil, ledger.Errorf(ledger.EForbidden, "this token may only see operator %s", a.Operator)
		}
		return nil, ledger.Errorf(ledger.ENotFound, "no return %s", id)
	}
	return rv, nil
}

// VersionSummary is one version in a listing.
type VersionSummary struct {
	ID           string        `json:"id"`
	Period       string        `json:"period"`
	Version      int           `json:"version"`
	Status       ledger.Status `json:"status"`
	Supersedes   *string       `json:"supersedes"`
	SupersededBy *string       `json:"superseded_by"`
	Reason       string        `json:"reason,omitempty"`
	FiledAt      time.Time     `json:"filed_at"`
	Entry        EntryRef      `json:"entry"`
	Warnings     int           `json:"warnings"`
	Reviews      int           `json:"reviews"`
}

// Versions lists an operator's return versions, of one period or of all
// (admin, regulator, or the operator itself).
func (s *Service) Versions(a ledger.Actor, operator string, p *ledger.Period) ([]VersionSummary, error) {
	if err := s.requireOperatorRead(a, operator); err != nil {
		return nil, err
	}
	if s.st.Operator(operator) == nil {
		return nil, ledger.Errorf(ledger.ENotFound, "no operator %s", operator)
	}
	var rs []*state.ReturnVersion
	if p != nil {
		rs = s.st.Versions(operator, *p)
	} else {
		rs = s.st.ReturnsOf(operator)
	}
	out := make([]VersionSummary, 0, len(rs))
	for _, rv := range rs {
		out = append(out, summarize(rv))
	}
	return out, nil
}

func summarize(rv *state.ReturnVersion) VersionSummary {
	ptr := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	return VersionSummary{ID: rv.ID, Period: rv.PeriodKey, Version: rv.Version, Status: rv.Status(),
		Supersedes: ptr(rv.Supersedes), SupersededBy: ptr(rv.SupersededBy), Reason: rv.Reason, FiledAt: rv.FiledAt,
		Entry: EntryOf(rv), Warnings: len(rv.Warnings), Reviews: len(rv.Reviews)}
}

// ReturnCounts counts return versions by status, for monitoring.
func (s *Service) ReturnCounts() map[ledger.Status]int {
	out := map[ledger.Status]int{}
	for _, op := range s.st.Operators() {
		for _, rv := range s.st.ReturnsOf(op.ID) {
			out[rv.Status()]++
		}
	}
	return out
}
