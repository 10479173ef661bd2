// Package sessions keeps the web pages' sign-in sessions on the server.
//
// Signing in with a bearer token opens a session: a random id of 256 bits
// goes into the browser's cookie, and the server keeps only the SHA-256
// of that id, with the token's id, the actor and two times. So neither the
// cookie nor the store holds the token, and a dump of the store's memory
// or a log line yields no live cookie. Every look-up checks the session's
// age, its idleness, and that its token is still valid: signing out,
// revoking the token, 12 hours of age or 2 idle hours end a session at
// once. The store is bounded (a public sign-in form must not grow memory
// without bound): a token has a few sessions at most, and the store a
// fixed number, the oldest giving way.
//
// Sessions live in memory only: a restart signs everyone out.
//
// The web pages open and close sessions; the HTTP API resolves the same
// cookie for downloads.
package sessions

import (
	"container/list"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"sync"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// CookieName is the cookie that carries a session id, for the pages and
// the API alike.
const CookieName = "ictledger_session"

// idBytes is the length of a session id before encoding: 256 random bits.
const idBytes = 32

// Defaults of Config.
const (
	DefaultMaxAge      = 12 * time.Hour
	DefaultIdleTimeout = 2 * time.Hour
	DefaultMaxSessions = 10000
	DefaultMaxPerToken = 16
)

// Config configures a Store.
type Config struct {
	// Service authenticates tokens at sign-in and checks, on every
	// look-up, that a session's token is still valid.
	Service *service.Service
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxAge is how long a session lives after sign-in, however much it
	// is used (default 12 hours).
	MaxAge time.Duration
	// IdleTimeout ends a session not used for that long (default 2 hours).
	IdleTimeout time.Duration
	// MaxSessions bounds the store (default 10000). When it is full, a
	// sign-in drops the idle sessions (once a minute at most), and then,
	// if it is still full, the oldest one.
	MaxSessions int
	// MaxPerToken bounds the sessions of one token (default 16); a
	// sign-in beyond it ends that token's oldest session.
	MaxPerToken int
}

// key is the SHA-256 of a session id: the only form in which the store
// keeps it.
type key [sha256.Size]byte

// record is one session. Records are changed only under Store.mu.
type record struct {
	key      key
	actor    ledger.Actor // as at sign-in; see Actor
	created  time.Time
	lastUsed time.Time
}

// Store is the sessions of one server. It is safe for concurrent use.
type Store struct {
	svc *service.Service
	cfg Config

	mu        sync.Mutex
	byKey     map[key]*list.Element      // of *record
	order     *list.List                 // *record, oldest sign-in first
	perToken  map[string][]*list.Element // of each token id, oldest first
	lastSweep time.Time                  // of dropIdleLocked
}

// New returns an empty store.
func New(cfg Config) *Store {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = DefaultMaxAge
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.MaxPerToken <= 0 {
		cfg.MaxPerToken = DefaultMaxPerToken
	}
	return &Store{svc: cfg.Service, cfg: cfg, byKey: map[key]*list.Element{}, order: list.New(), perToken: map[string][]*list.Element{}}
}

// MaxAge is how long a session lives at most, for the cookie's Max-Age.
func (s *Store) MaxAge() time.Duration { return s.cfg.MaxAge }

// SignIn authenticates a bearer secret and opens a session for it,
// returning the session id for the cookie. An unknown or revoked secret
// is the service's EUnauthorized error, and opens nothing.
func (s *Store) SignIn(secret string) (string, ledger.Actor, error) {
	a, err := s.svc.Authenticate(secret)
	if err != nil {
		return "", service.Public, err
	}
	var b [idBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	id := base64.RawURLEncoding.EncodeToString(b[:])
	now := s.cfg.Now()
	rec := &record{key: hashID(id), actor: a, created: now, lastUsed: now}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropExpiredLocked(now)
	if own := s.perToken[a.TokenID]; len(own) >= s.cfg.MaxPerToken {
		s.dropLocked(own[0])
	}
	if len(s.byKey) >= s.cfg.MaxSessions {
		s.dropIdleLocked(now)
	}
	if len(s.byKey) >= s.cfg.MaxSessions {
		s.dropLocked(s.order.Front())
	}
	el := s.order.PushBack(rec)
	s.byKey[rec.key] = el
	s.perToken[a.TokenID] = append(s.perToken[a.TokenID], el)
	return id, a, nil
}

// Actor returns who a session id stands for, and false when there is no
// such session or it has ended: signed out, too old, idle too long, or
// its token revoked (the session is then dropped). A live session counts
// as used now.
func (s *Store) Actor(id string) (ledger.Actor, bool) {
	if id == "" {
		return service.Public, false
	}
	k := hashID(id)
	now := s.cfg.Now()
	s.mu.Lock()
	el, ok := s.byKey[k]
	if !ok {
		s.mu.Unlock()
		return service.Public, false
	}
	rec := el.Value.(*record)
	if s.expired(rec, now) {
		s.dropLocked(el)
		s.mu.Unlock()
		return service.Public, false
	}
	rec.lastUsed = now
	a := rec.actor
	s.mu.Unlock()

	// The token is checked outside the lock: the service's look-up is
	// the same one every bearer request makes.
	if !s.tokenValid(a) {
		s.drop(k)
		return service.Public, false
	}
	return a, true
}

// tokenValid reports whether the token a session was opened with still
// stands for the same actor.
func (s *Store) tokenValid(a ledger.Actor) bool {
	now, err := s.svc.TokenActor(a.TokenID)
	return err == nil && now == a
}

// SignOut ends a session at once. An unknown id is no error: signing out
// twice, or after a restart, signs out.
func (s *Store) SignOut(id string) {
	if id != "" {
		s.drop(hashID(id))
	}
}

// Len is the number of sessions held, expired ones not yet dropped
// included.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byKey)
}

func hashID(id string) key { return sha256.Sum256([]byte(id)) }

// expired reports whether a session is past its age or idle limit.
func (s *Store) expired(r *record, now time.Time) bool {
	return !now.Before(r.created.Add(s.cfg.MaxAge)) || !now.Before(r.lastUsed.Add(s.cfg.IdleTimeout))
}

func (s *Store) drop(k key) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.byKey[k]; ok {
		s.dropLocked(el)
	}
}

func (s *Store) dropLocked(el *list.Element) {
	rec := s.order.Remove(el).(*record)
	delete(s.byKey, rec.key)
	tid := rec.actor.TokenID
	own := slices.DeleteFunc(s.perToken[tid], func(e *list.Element) bool { return e == el })
	if len(own) == 0 {
		delete(s.perToken, tid)
	} else {
		s.perToken[tid] = own
	}
}

// dropExpiredLocked drops the sessions past their age from the front of
// the list, which holds them in sign-in order: as many as have expired
// since the last sign-in, so each is dropped once.
func (s *Store) dropExpiredLocked(now time.Time) {
	for el := s.order.Front(); el != nil; el = s.order.Front() {
		if now.Before(el.Value.(*record).created.Add(s.cfg.MaxAge)) {
			return
		}
		s.dropLocked(el)
	}
}

// sweepEvery is how often a full store may be walked for idle sessions.
// Between walks a full store drops its oldest session: so signing in with
// many tokens at once cannot make every sign-in walk the store.
const sweepEvery = time.Minute

// dropIdleLocked drops every idle session, anywhere in the list. It walks
// the whole store, so it runs only when the store is full, once a
// sweepEvery at most.
func (s *Store) dropIdleLocked(now time.Time) {
	if now.Sub(s.lastSweep) < sweepEvery && !now.Before(s.lastSweep) {
		return
	}
	s.lastSweep = now
	for el := s.order.Front(); el != nil; {
		next := el.Next()
		if s.expired(el.Value.(*record), now) {
			s.dropLocked(el)
		}
		el = next
	}
}
