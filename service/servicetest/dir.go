package servicetest

import (
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/ledger/store"
	"github.com/ictledger/ictledger/service"
)

// Dir is a data directory opened as the server opens it: its store,
// which replayed the journal into a new state, and a service on that
// state which is told of every entry committed. Tests of a generated
// ledger (loadtest.GenerateRegion) serve it this way.
type Dir struct {
	Store *store.Store
	cfg   service.Config
	cur   atomic.Pointer[service.Service] // the service told of commits
	once  sync.Once
	err   error
}

// OpenDir opens the data directory dir, starts a service on it
// configured by cfg (its State is the store's), and closes the store
// when the test ends unless Close did so before.
func OpenDir(t testing.TB, dir string, cfg service.Config) *Dir {
	t.Helper()
	d := &Dir{cfg: cfg}
	s, err := store.Open(dir, state.New(), store.Options{OnCommit: func(seq uint64, data []byte, leaf tlog.Hash) {
		d.cur.Load().OnCommit(seq, data, leaf)
	}})
	if err != nil {
		t.Fatal(err)
	}
	d.Store = s
	d.cfg.State = s.State
	t.Cleanup(func() { d.Close() })
	d.Restart(t)
	return d
}

// Service returns the service told of commits: the one OpenDir started,
// or the last one Restart started.
func (d *Dir) Service() *service.Service { return d.cur.Load() }

// Restart starts a new service with the same configuration on the open
// state, as a restarted server whose state is kept: nothing computed by
// the services before is in its memory. It is told of the entries
// committed from now on, the services before are not.
func (d *Dir) Restart(t testing.TB) *service.Service {
	t.Helper()
	svc := service.New(d.cfg)
	if err := svc.Start(d.Store.Journal, d.Store.Signer()); err != nil {
		t.Fatal(err)
	}
	d.cur.Store(svc)
	return svc
}

// Close waits for the derived files the last service is writing and
// closes the store, once.
func (d *Dir) Close() error {
	d.once.Do(func() {
		d.cur.Load().WaitDerived()
		d.err = d.Store.Close()
	})
	return d.err
}
