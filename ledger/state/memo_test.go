package state

import (
	"sync"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
)

// The memoized look-ups see every commit at once: a token read before its
// revocation reads revoked after it, and a version read before it was
// superseded reads superseded after.
func TestMemoForgetsOnCommit(t *testing.T) {
	a := &applier{t: t, st: New(), at: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)}
	a.must(ledger.KindOperatorRegistered, ledger.Operator{ID: "op", Name: "Op", Country: "JP", Kinds: []string{"mobile"}})
	a.must(ledger.KindTokenIssued, ledger.TokenIssued{ID: "tok", SecretHash: "h1", Role: ledger.RoleOperator, Operator: "op"})
	if tk := a.st.TokenBySecretHash("h1"); tk == nil || tk.Revoked {
		t.Fatalf("issued token: %+v", tk)
	}
	if _, ok := a.st.memo.Load().tokens.Load("h1"); !ok {
		t.Fatal("the look-up was not remembered until the next commit")
	}
	a.must(ledger.KindTokenRevoked, ledger.TokenRevoked{ID: "tok"})
	if tk := a.st.TokenBySecretHash("h1"); tk == nil || !tk.Revoked {
		t.Fatalf("after the revocation: %+v", tk)
	}

	p := ledger.Period{Year: 2025, Quarter: 3}
	v1, v2 := ledger.ReturnID("op", p, 1), ledger.ReturnID("op", p, 2)
	if a.st.Return(v1) != nil {
		t.Fatal("a return before it was filed")
	}
	a.must(ledger.KindReturnFiled, ledger.ReturnFiled{ID: v1, Version: 1, FactorSet: "f", Return: ledger.Return{Operator: "op", Period: p}})
	if rv := a.st.Return(v1); rv == nil || rv.SupersededBy != "" {
		t.Fatalf("filed: %+v (a miss before filing must not be remembered)", rv)
	}
	a.must(ledger.KindReturnRestated, ledger.ReturnFiled{ID: v2, Version: 2, Supersedes: v1, FactorSet: "f", Return: ledger.Return{Operator: "op", Period: p}})
	if rv := a.st.Return(v1); rv == nil || rv.SupersededBy != v2 {
		t.Fatalf("after the restatement: %+v", rv)
	}
}

// A full memo stops remembering; look-ups stay right.
func TestMemoBound(t *testing.T) {
	m := new(memo)
	for i := range maxMemo + 10 {
		m.remember(&m.returns, i, &ReturnVersion{})
	}
	n := 0
	m.returns.Range(func(any, any) bool { n++; return true })
	if n != maxMemo || m.n.Load() != maxMemo {
		t.Fatalf("%d answers kept (counted %d), want %d", n, m.n.Load(), maxMemo)
	}
}

// Readers racing with commits (go test -race).
func TestMemoConcurrentReaders(t *testing.T) {
	a := &applier{t: t, st: New(), at: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)}
	a.must(ledger.KindOperatorRegistered, ledger.Operator{ID: "op", Name: "Op", Country: "JP", Kinds: []string{"mobile"}})
	p := ledger.Period{Year: 2025, Quarter: 3}
	a.must(ledger.KindReturnFiled, ledger.ReturnFiled{ID: ledger.ReturnID("op", p, 1), Version: 1, FactorSet: "f", Return: ledger.Return{Operator: "op", Period: p}})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				_ = a.st.Return(ledger.ReturnID("op", p, 1))
				_ = a.st.HistoryMark("op", ledger.Period{Year: 2026, Quarter: 1})
			}
		})
	}
	for v := 2; v <= 50; v++ {
		a.must(ledger.KindReturnRestated, ledger.ReturnFiled{ID: ledger.ReturnID("op", p, v), Version: v, Supersedes: ledger.ReturnID("op", p, v-1), FactorSet: "f", Return: ledger.Return{Operator: "op", Period: p}})
		// Once the commit is done, every reader sees it.
		if rv := a.st.Return(ledger.ReturnID("op", p, v-1)); rv.SupersededBy != ledger.ReturnID("op", p, v) {
			close(stop)
			wg.Wait()
			t.Fatalf("version %d after its restatement: superseded by %q", v-1, rv.SupersededBy)
		}
	}
	close(stop)
	wg.Wait()
}
