package consistency

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger/checkpoint"
)

const origin = "ictledger.test/log"

// fakeLog is an in-memory RFC 6962 tree served like the ledger's public
// endpoints. Its records are "<seed>-<i>", so two logs with different
// seeds share a prefix only up to where their seeds agree.
type fakeLog struct {
	t      *testing.T
	signer note.Signer
	vkey   string
	hashes map[int64]tlog.Hash
	size   int64
	// lie replaces the proof the server sends, when set.
	lie func(tlog.TreeProof) tlog.TreeProof
}

func newFakeLog(t *testing.T, signer note.Signer, vkey string, seeds ...string) *fakeLog {
	l := &fakeLog{t: t, signer: signer, vkey: vkey, hashes: map[int64]tlog.Hash{}}
	for _, s := range seeds {
		l.add(s)
	}
	return l
}

func (l *fakeLog) add(record string) {
	hs, err := tlog.StoredHashes(l.size, []byte(record), l)
	if err != nil {
		l.t.Fatal(err)
	}
	base := tlog.StoredHashIndex(0, l.size)
	for i, h := range hs {
		l.hashes[base+int64(i)] = h
	}
	l.size++
}

// ReadHashes implements tlog.HashReader.
func (l *fakeLog) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := l.hashes[x]
		if !ok {
			return nil, fmt.Errorf("no hash %d", x)
		}
		out[i] = h
	}
	return out, nil
}

func (l *fakeLog) note(size int64) []byte {
	root, err := tlog.TreeHash(size, l)
	if err != nil {
		l.t.Fatal(err)
	}
	msg, err := checkpoint.Sign(l.signer, origin, uint64(size), root)
	if err != nil {
		l.t.Fatal(err)
	}
	return msg
}

func (l *fakeLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/v1/ledger/key":
		fmt.Fprintln(w, l.vkey)
	case "/v1/ledger/checkpoint":
		w.Write(l.note(l.size))
	case "/v1/ledger/proof/consistency":
		from, _ := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64)
		to, _ := strconv.ParseInt(r.URL.Query().Get("to"), 10, 64)
		p, err := tlog.ProveTree(to, from, l)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if l.lie != nil {
			p = l.lie(p)
		}
		out := struct {
			From  int64    `json:"from"`
			To    int64    `json:"to"`
			Proof []string `json:"proof"`
		}{from, to, []string{}}
		for _, h := range p {
			out.Proof = append(out.Proof, h.String())
		}
		json.NewEncoder(w).Encode(out)
	default:
		http.NotFound(w, r)
	}
}

func records(seed string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%d", seed, i)
	}
	return out
}

func key(t *testing.T) (note.Signer, string) {
	skey, vkey, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return signer, vkey
}

func TestCheck(t *testing.T) {
	signer, vkey := key(t)
	_, otherKey := key(t)
	// The regulator saw the honest log at size 7.
	honest := newFakeLog(t, signer, vkey, records("a", 7)...)
	old := honest.note(7)

	forked := append(records("a", 5), records("b", 6)...) // diverges at record 5
	tests := []struct {
		name       string
		log        *fakeLog
		key        string
		lie        func(tlog.TreeProof) tlog.TreeProof
		wantErr    error // nil: consistent
		anyErr     bool  // an error that is not ErrInconsistent
		fromServer bool
	}{
		{name: "appended", log: newFakeLog(t, signer, vkey, records("a", 20)...), key: vkey},
		{name: "unchanged", log: newFakeLog(t, signer, vkey, records("a", 7)...), key: vkey},
		{name: "key from the server", log: newFakeLog(t, signer, vkey, records("a", 9)...), fromServer: true},
		{name: "forked", log: newFakeLog(t, signer, vkey, forked...), key: vkey, wantErr: ErrInconsistent},
		{name: "rewritten at the same size", log: newFakeLog(t, signer, vkey, append(records("a", 6), "x")...), key: vkey, wantErr: ErrInconsistent},
		{name: "shrank", log: newFakeLog(t, signer, vkey, records("a", 4)...), key: vkey, wantErr: ErrInconsistent},
		{name: "a proof that does not hold", log: newFakeLog(t, signer, vkey, records("a", 12)...), key: vkey,
			lie: func(p tlog.TreeProof) tlog.TreeProof { p[0][0] ^= 1; return p }, wantErr: ErrInconsistent},
		{name: "wrong key", log: newFakeLog(t, signer, vkey, records("a", 9)...), key: otherKey, anyErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.log.lie = tc.lie
			srv := httptest.NewServer(tc.log)
			defer srv.Close()
			c := &Client{Base: srv.URL + "/", HTTP: srv.Client()}
			res, err := c.Check(context.Background(), old, tc.key)
			switch {
			case tc.anyErr:
				if err == nil || errors.Is(err, ErrInconsistent) {
					t.Fatalf("err %v, want a non-consistency error", err)
				}
				return
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if res.New.Size != uint64(tc.log.size) || res.Old.Size != 7 || res.KeyFromServer != tc.fromServer {
				t.Fatalf("result %+v", res)
			}
			// The note to save for the next run verifies under the key.
			v, _ := note.NewVerifier(vkey)
			if c, err := checkpoint.Open(res.NewNote, v); err != nil || c != res.New {
				t.Fatalf("new note: %v %+v", err, c)
			}
		})
	}
}

func TestCheckRefusesAForgedOldCheckpoint(t *testing.T) {
	signer, vkey := key(t)
	other, _ := key(t)
	log := newFakeLog(t, signer, vkey, records("a", 3)...)
	srv := httptest.NewServer(log)
	defer srv.Close()
	forged := newFakeLog(t, other, vkey, records("a", 3)...).note(3)
	_, err := (&Client{Base: srv.URL}).Check(context.Background(), forged, vkey)
	if err == nil || errors.Is(err, ErrInconsistent) {
		t.Fatalf("err %v", err)
	}
}

func TestCheckRejectsNonHTTPServers(t *testing.T) {
	_, err := (&Client{Base: "ftp://ledger.example.org"}).Check(context.Background(), nil, "")
	if err == nil {
		t.Fatal("no error")
	}
}
