// Package servicetest runs a real service on a journal in a test's
// temporary directory, with the default factor set published, for the
// tests of packages that call the service (the web pages, the service's
// own external tests). Checkpoints are signed by a stub.
package servicetest

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/journal"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/service"
)

// Clock is a settable test clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Env is a running service and its clock.
type Env struct {
	T       testing.TB
	Service *service.Service
	Clock   *Clock
	Journal *journal.Journal // the service's, for a test to read entries and tree hashes
}

// New starts a service on a journal in t.TempDir() at the given time,
// publishes the default factor set, and closes the journal when the test
// ends.
func New(t testing.TB, now time.Time) *Env {
	t.Helper()
	return NewConfigured(t, now, service.Config{})
}

// NewConfigured is New with the service's limits and renderer taken
// from cfg; its State and Now are the environment's own.
func NewConfigured(t testing.TB, now time.Time, cfg service.Config) *Env {
	t.Helper()
	clock := &Clock{t: now}
	st := state.New()
	cfg.State, cfg.Now = st, clock.Now
	svc := service.New(cfg)
	j, err := journal.Open(t.TempDir(), journal.Options{OnCommit: svc.OnCommit})
	if err != nil {
		t.Fatalf("open journal: %v", err)
	}
	t.Cleanup(func() {
		svc.WaitDerived()
		j.Close()
	})
	if err := svc.Start(j, newSigner(t)); err != nil {
		t.Fatalf("start service: %v", err)
	}
	if _, err := svc.PublishFactorSet(context.Background(), ledger.SystemActor, fixtures.DefaultFactorSet()); err != nil {
		t.Fatalf("publish factor set: %v", err)
	}
	return &Env{T: t, Service: svc, Clock: clock, Journal: j}
}

// Operator registers an operator and returns a bearer secret bound to it.
// The operator is due from 2020-Q1, before any quarter tests file for,
// so that every quarter they look at counts it.
func (e *Env) Operator(id, name, country string) string {
	e.T.Helper()
	ctx := context.Background()
	if _, err := e.Service.RegisterOperator(ctx, ledger.SystemActor,
		ledger.Operator{ID: id, Name: name, Country: country, Kinds: []string{"mobile"}, ReportingFrom: ledger.Period{Year: 2020, Quarter: 1}}); err != nil {
		e.T.Fatalf("register %s: %v", id, err)
	}
	tok, err := e.Service.IssueToken(ctx, ledger.SystemActor, ledger.RoleOperator, id, "test "+id)
	if err != nil {
		e.T.Fatal(err)
	}
	return tok.Token
}

// Token issues a bearer secret for a role without an operator.
func (e *Env) Token(role ledger.Role) string {
	e.T.Helper()
	tok, err := e.Service.IssueToken(context.Background(), ledger.SystemActor, role, "", "test "+string(role))
	if err != nil {
		e.T.Fatal(err)
	}
	return tok.Token
}

// Actor authenticates a bearer secret.
func (e *Env) Actor(secret string) ledger.Actor {
	e.T.Helper()
	a, err := e.Service.Authenticate(secret)
	if err != nil {
		e.T.Fatal(err)
	}
	return a
}

// ExampleReturn is the spec's example return (2025-Q3) as JSON for
// operator and period, without historic inflow (which only a first
// return may carry) and, for another quarter, without its outages.
func ExampleReturn(t testing.TB, operator, period string) []byte {
	t.Helper()
	return ReturnWith(t, operator, period, nil)
}

// ReturnWith is ExampleReturn changed by edit, which gets the decoded
// JSON (numbers as json.Number) and may change it in place; a nil edit
// changes nothing.
func ReturnWith(t testing.TB, operator, period string, edit func(map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(fixtures.ExampleReturn()))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	m["operator"] = operator
	delete(m, "historic_inflow")
	if period != "2025-Q3" {
		m["period"] = period
		delete(m["resilience"].(map[string]any), "outages")
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// File files a JSON return as actor and returns the filing.
func (e *Env) File(secret string, body []byte) *service.Filed {
	e.T.Helper()
	a := e.Actor(secret)
	f, err := e.Service.FileReturn(context.Background(), a, a.Operator, JSONDecoder(body), "")
	if err != nil {
		e.T.Fatalf("file: %v", err)
	}
	return f
}

// JSONDecoder is a service.Decoder for a JSON body.
func JSONDecoder(body []byte) service.Decoder {
	return service.DraftDecoder(func() (*filing.Draft, error) { return filing.ReadJSON(bytes.NewReader(body), filing.Options{}) })
}

// Review records a regulator's review.
func (e *Env) Review(secret, id string, r ledger.Review) {
	e.T.Helper()
	if _, err := e.Service.Review(context.Background(), e.Actor(secret), id, r); err != nil {
		e.T.Fatalf("review %s: %v", id, err)
	}
}

// signer signs checkpoints with a key made for the test, so that the
// service can render disclosures (they carry a signed checkpoint).
type signer struct {
	s        note.Signer
	verifier string
}

func newSigner(t testing.TB) signer {
	t.Helper()
	skey, vkey, err := note.GenerateKey(nil, "test")
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return signer{s: s, verifier: vkey}
}

func (s signer) SignCheckpoint(size uint64, root tlog.Hash) ([]byte, error) {
	return checkpoint.Sign(s.s, "test", size, root)
}
func (s signer) VerifierKey() string { return s.verifier }
func (s signer) Origin() string      { return "test" }
