package sessions

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

func newStore(t *testing.T, cfg Config) (*Store, *servicetest.Env) {
	t.Helper()
	env := servicetest.New(t, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	cfg.Service, cfg.Now = env.Service, env.Clock.Now
	return New(cfg), env
}

func signIn(t *testing.T, s *Store, secret string) string {
	t.Helper()
	id, _, err := s.SignIn(secret)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func live(s *Store, id string) bool {
	_, ok := s.Actor(id)
	return ok
}

// TestSessionID: a session id is 256 random bits apart from the token,
// and the store keeps only its hash, never the id or the token.
func TestSessionID(t *testing.T) {
	s, env := newStore(t, Config{})
	secret := env.Operator("op-a", "Alpha Telecom", "JP")
	id, a, err := s.SignIn(secret)
	if err != nil {
		t.Fatal(err)
	}
	if a != env.Actor(secret) {
		t.Fatalf("sign-in actor %+v", a)
	}
	raw, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil || len(raw) < 16 {
		t.Fatalf("session id %q is not 128 random bits or more: %v", id, err)
	}
	if strings.Contains(id, strings.TrimPrefix(secret, "ictl_")) {
		t.Fatal("the session id carries the token")
	}
	if other := signIn(t, s, secret); other == id {
		t.Fatal("two sign-ins gave the same session id")
	}
	got, ok := s.Actor(id)
	if !ok || got != a {
		t.Fatalf("Actor: %+v %v", got, ok)
	}
	for k, el := range s.byKey {
		dump := fmt.Sprintf("%x %+v", k[:], *el.Value.(*record))
		if bytes.Contains([]byte(dump), []byte(id)) || strings.Contains(dump, secret) {
			t.Fatalf("the store keeps the session id or the token: %s", dump)
		}
	}
	if _, _, err := s.SignIn("ictl_guessed"); ledger.ErrorCode(err) != ledger.EUnauthorized {
		t.Fatalf("a wrong token: %v", err)
	}
	if s.Len() != 2 {
		t.Fatalf("a failed sign-in left a session: %d", s.Len())
	}
}

// TestSessionEnds: signing out, revoking the token, age and idleness each
// end a session at once.
func TestSessionEnds(t *testing.T) {
	s, env := newStore(t, Config{})
	secret := env.Operator("op-a", "Alpha Telecom", "JP")
	start := env.Clock.Now()

	id := signIn(t, s, secret)
	s.SignOut(id)
	if live(s, id) {
		t.Error("a signed-out session lives")
	}
	s.SignOut(id) // twice is no error

	id = signIn(t, s, secret)
	for h := 1; h < 12; h++ {
		env.Clock.Set(start.Add(time.Duration(h) * time.Hour))
		if !live(s, id) {
			t.Fatalf("a session used every hour died after %d hours", h)
		}
	}
	env.Clock.Set(start.Add(12 * time.Hour))
	if live(s, id) {
		t.Error("a session lives past 12 hours")
	}

	id = signIn(t, s, secret)
	env.Clock.Set(env.Clock.Now().Add(2*time.Hour - time.Second))
	if !live(s, id) {
		t.Fatal("a session died before 2 idle hours")
	}
	env.Clock.Set(env.Clock.Now().Add(2 * time.Hour))
	if live(s, id) {
		t.Error("a session lives after 2 idle hours")
	}

	kept := signIn(t, s, secret)
	other := env.Token(ledger.RoleRegulator)
	id = signIn(t, s, other)
	tokID := env.Actor(other).TokenID
	if err := env.Service.RevokeToken(context.Background(), ledger.SystemActor, tokID); err != nil {
		t.Fatal(err)
	}
	if live(s, id) {
		t.Error("the session of a revoked token lives")
	}
	if !live(s, kept) {
		t.Error("revoking one token ended another's session")
	}
	if s.Len() != 1 {
		t.Errorf("ended sessions are still held: %d", s.Len())
	}
}

// TestStoreBounded: however many sign-ins, the store holds at most
// MaxSessions, a token at most MaxPerToken, and the oldest give way.
func TestStoreBounded(t *testing.T) {
	s, env := newStore(t, Config{MaxSessions: 6, MaxPerToken: 3})
	a := env.Operator("op-a", "Alpha Telecom", "JP")
	b := env.Operator("op-b", "Bravo Networks", "FJ")
	c := env.Token(ledger.RoleRegulator)

	var ofA []string
	for range 10 {
		ofA = append(ofA, signIn(t, s, a))
		env.Clock.Set(env.Clock.Now().Add(time.Second))
	}
	if s.Len() != 3 {
		t.Fatalf("one token holds %d sessions, want 3", s.Len())
	}
	for i, id := range ofA {
		if want := i >= 7; live(s, id) != want {
			t.Errorf("session %d of token a: live %v, want %v", i, !want, want)
		}
	}

	var ofB []string
	for range 3 {
		ofB = append(ofB, signIn(t, s, b))
		env.Clock.Set(env.Clock.Now().Add(time.Second))
	}
	idC := signIn(t, s, c) // the store is full: the oldest session (a's) gives way
	if s.Len() != 6 {
		t.Fatalf("the store holds %d sessions, want 6", s.Len())
	}
	if live(s, ofA[7]) || !live(s, ofA[8]) || !live(s, ofB[0]) || !live(s, idC) {
		t.Fatal("a full store did not drop its oldest session")
	}

	// Expired sessions go before live ones.
	env.Clock.Set(env.Clock.Now().Add(13 * time.Hour))
	fresh := signIn(t, s, c)
	if s.Len() != 1 || !live(s, fresh) {
		t.Fatalf("expired sessions are kept: %d", s.Len())
	}
}

// TestIdleDroppedWhenFull: when the store is full, idle sessions give way
// before the oldest live one.
func TestIdleDroppedWhenFull(t *testing.T) {
	s, env := newStore(t, Config{MaxSessions: 2})
	a := env.Operator("op-a", "Alpha Telecom", "JP")
	b := env.Operator("op-b", "Bravo Networks", "FJ")
	used := signIn(t, s, a)
	idle := signIn(t, s, b)
	for range 3 {
		env.Clock.Set(env.Clock.Now().Add(time.Hour))
		if !live(s, used) {
			t.Fatal("a used session died")
		}
	}
	third := signIn(t, s, b)
	if !live(s, used) || !live(s, third) || live(s, idle) || s.Len() != 2 {
		t.Fatalf("a full store dropped a live session before an idle one (%d held)", s.Len())
	}
}

// BenchmarkActor is the cost a session adds to every signed-in request.
func BenchmarkActor(b *testing.B) {
	env := servicetest.New(b, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	s := New(Config{Service: env.Service, Now: env.Clock.Now})
	secret := env.Operator("op-a", "Alpha Telecom", "JP")
	id, _, err := s.SignIn(secret)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if !live(s, id) {
			b.Fatal("session ended")
		}
	}
}

// BenchmarkSignInFull is a sign-in into a store full of 10000 live
// sessions of other tokens: the first walks the store for idle sessions,
// the next ones drop the oldest.
func BenchmarkSignInFull(b *testing.B) {
	env := servicetest.New(b, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	s := New(Config{Service: env.Service, Now: env.Clock.Now, MaxSessions: 10000})
	secret := env.Operator("op-a", "Alpha Telecom", "JP")
	for i := range 10000 {
		tid := fmt.Sprint("tok-", i)
		el := s.order.PushBack(&record{key: key{byte(i), byte(i >> 8)},
			actor: ledger.Actor{TokenID: tid}, created: env.Clock.Now(), lastUsed: env.Clock.Now()})
		s.byKey[key{byte(i), byte(i >> 8)}] = el
		s.perToken[tid] = append(s.perToken[tid], el)
	}
	for b.Loop() {
		if _, _, err := s.SignIn(secret); err != nil {
			b.Fatal(err)
		}
	}
}
