package monitor

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/tiles"
)

// fakeLog serves a log of arbitrary entries, signed with a test key, in
// the tiles layout: it hashes whatever it holds, so that entries which
// hash correctly but are malformed can be shown to the monitor.
type fakeLog struct {
	mu      sync.Mutex
	signer  note.Signer
	origin  string
	entries [][]byte
	hashes  []tlog.Hash
	// note, when set, is served instead of a checkpoint of the entries.
	note []byte
}

func newFakeLog(t *testing.T) (*fakeLog, note.Verifier) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, "example.org/log")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := note.NewSigner(skey)
	v, _ := note.NewVerifier(vkey)
	return &fakeLog{signer: s, origin: "example.org/log"}, v
}

func (l *fakeLog) add(t *testing.T, data []byte) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	more, err := tlog.StoredHashes(int64(len(l.entries)), data, tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(ix))
		for i, x := range ix {
			out[i] = l.hashes[x]
		}
		return out, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	l.entries = append(l.entries, data)
	l.hashes = append(l.hashes, more...)
}

// entry is a well-formed entry numbered seq.
func entry(t *testing.T, seq uint64, when time.Time) []byte {
	t.Helper()
	b, err := ledger.EncodeEntry(seq, when, ledger.SystemActor, ledger.KindDeadlineSet, map[string]string{"period": "2025-Q3"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (l *fakeLog) signed(size int) []byte {
	root, _ := tlog.TreeHash(int64(size), tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(ix))
		for i, x := range ix {
			out[i] = l.hashes[x]
		}
		return out, nil
	}))
	msg, err := checkpoint.Sign(l.signer, l.origin, uint64(size), root)
	if err != nil {
		panic(err)
	}
	return msg
}

func (l *fakeLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := strings.TrimPrefix(r.URL.Path, "/log/")
	if p == "checkpoint" {
		if l.note != nil {
			w.Write(l.note)
			return
		}
		w.Write(l.signed(len(l.entries)))
		return
	}
	t, err := tiles.ParsePath(p)
	if err != nil {
		seq, err := tiles.ParseEntryPath(p)
		if err != nil || seq >= uint64(len(l.entries)) {
			http.NotFound(w, r)
			return
		}
		w.Write(l.entries[seq])
		return
	}
	if t.L == tiles.EntriesLevel {
		var b []byte
		for i := 0; i < t.W; i++ {
			b, _ = tiles.AppendEntry(b, uint64(int(t.N)*256+i), l.entries[int(t.N)*256+i])
		}
		w.Write(b)
		return
	}
	b, err := tlog.ReadTileData(t, tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(ix))
		for i, x := range ix {
			if x >= int64(len(l.hashes)) {
				return nil, errors.New("beyond")
			}
			out[i] = l.hashes[x]
		}
		return out, nil
	}))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Write(b)
}

func runAgainst(t *testing.T, srv *httptest.Server, v note.Verifier, dir string) (*Result, error) {
	t.Helper()
	return Run(context.Background(), Config{Log: srv.URL + "/log", Verifier: v, StateDir: dir, Token: "a-regulator-token"})
}

// TestAlarms shows the monitor each kind of misbehaviour a log can commit
// with its own key, after a good first run.
func TestAlarms(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	good := func(t *testing.T) (*fakeLog, note.Verifier, *httptest.Server, string) {
		l, v := newFakeLog(t)
		for i := 0; i < 300; i++ {
			l.add(t, entry(t, uint64(i), t0.Add(time.Duration(i)*time.Second)))
		}
		srv := httptest.NewServer(l)
		t.Cleanup(srv.Close)
		dir := t.TempDir()
		res, err := runAgainst(t, srv, v, dir)
		if err != nil || res.Checked != 300 || !res.Complete {
			t.Fatalf("good log: %+v, %v", res, err)
		}
		return l, v, srv, dir
	}
	for _, c := range []struct {
		name  string
		act   func(t *testing.T, l *fakeLog)
		kind  AlarmKind
		words string
	}{
		{"entry numbered wrongly", func(t *testing.T, l *fakeLog) { l.add(t, entry(t, 7, t0.Add(time.Hour))) }, BadEntry, "carries sequence number 7"},
		{"entry dated earlier", func(t *testing.T, l *fakeLog) { l.add(t, entry(t, 300, t0)) }, BadEntry, "before the entry before it"},
		{"entry not canonical", func(t *testing.T, l *fakeLog) {
			l.add(t, []byte(strings.Replace(string(entry(t, 300, t0.Add(time.Hour))), `"kind":`, `"kind" :`, 1)))
		}, BadEntry, "not in canonical form"},
		{"entry not JSON", func(t *testing.T, l *fakeLog) { l.add(t, []byte("hello")) }, BadEntry, "does not decode"},
		{"unknown role", func(t *testing.T, l *fakeLog) {
			b, _ := ledger.EncodeEntry(300, t0.Add(time.Hour), ledger.Actor{TokenID: "x", Role: "king"}, ledger.KindDeadlineSet, map[string]string{})
			l.add(t, b)
		}, BadEntry, "actor"},
		{"rollback", func(t *testing.T, l *fakeLog) { l.note = l.signed(100) }, Rollback, "shrank"},
		{"signed by another key", func(t *testing.T, l *fakeLog) {
			other, _ := newFakeLog(t)
			l.signer = other.signer
		}, BadCheckpoint, "does not verify"},
		{"rewritten history", func(t *testing.T, l *fakeLog) {
			entries := l.entries
			l.entries, l.hashes = nil, nil
			for i, e := range entries {
				if i == 5 {
					e = entry(t, 5, t0.Add(5*time.Second+time.Millisecond))
				}
				l.add(t, e)
			}
			l.add(t, entry(t, 300, t0.Add(time.Hour)))
		}, Fork, "does not extend"},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, v, srv, dir := good(t)
			c.act(t, l)
			_, err := runAgainst(t, srv, v, dir)
			var alarm *Alarm
			if !errors.As(err, &alarm) || alarm.Kind != c.kind || !strings.Contains(alarm.Message, c.words) {
				t.Fatalf("err %v, want a %s alarm saying %q", err, c.kind, c.words)
			}
			// The state did not move: the next run says the same.
			if _, err2 := runAgainst(t, srv, v, dir); !errors.As(err2, &alarm) || alarm.Kind != c.kind {
				t.Fatalf("second run: %v", err2)
			}
		})
	}
}

// TestUnreachableIsNotAnAlarm: a log that does not answer is an error the
// operator must look at, not evidence against the log.
func TestUnreachableIsNotAnAlarm(t *testing.T) {
	_, v := newFakeLog(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	_, err := runAgainst(t, srv, v, t.TempDir())
	var alarm *Alarm
	if err == nil || errors.As(err, &alarm) || !strings.Contains(err.Error(), "404") {
		t.Fatalf("err %v", err)
	}
}
