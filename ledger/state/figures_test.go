package state

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// TestFiguresLiveWithTheLatestVersion: figures are kept for a latest
// version, dropped by the entry that supersedes it, refused for a version
// that is superseded already, and a version's restatement leaves the
// figures of another version whose id it prefixes alone.
func TestFiguresLiveWithTheLatestVersion(t *testing.T) {
	st := New()
	at := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	apply := func(kind ledger.Kind, payload any) {
		t.Helper()
		raw, err := ledger.EncodeEntry(st.Size(), at, ledger.SystemActor, kind, payload)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Apply(st.Size(), raw); err != nil {
			t.Fatal(err)
		}
	}
	apply(ledger.KindFactorSetPublished, ledger.FactorSet{Version: "f1"})
	apply(ledger.KindOperatorRegistered, ledger.Operator{ID: "op", Name: "Op", Country: "JP", Kinds: []string{"mobile"}})
	q3 := ledger.Period{Year: 2025, Quarter: 3}
	file := func(id string, version int, supersedes string) {
		t.Helper()
		kind := ledger.KindReturnFiled
		if supersedes != "" {
			kind = ledger.KindReturnRestated
		}
		apply(kind, ledger.ReturnFiled{ID: id, Version: version, Supersedes: supersedes, FactorSet: "f1",
			Return: ledger.Return{Operator: "op", Period: q3, Reason: "r"}})
	}
	figures := func(id string) *Figures {
		return &Figures{ReturnID: id, FactorSet: "f1", Values: map[string]decimal.Decimal{"energy": decimal.NewFromInt(7)}}
	}
	file("op-2025-Q3-v1", 1, "")
	if !st.PutFigures(figures("op-2025-Q3-v1")) || st.FiguresOf("op-2025-Q3-v1", "f1") == nil {
		t.Fatal("figures of the latest version not kept")
	}
	if st.PutFigures(figures("op-2025-Q3-v9")) {
		t.Fatal("figures of an unknown version kept")
	}
	// A made-up row for an id that op-2025-Q3-v1 prefixes.
	txn := st.db.Txn(true)
	if err := txn.Insert(tableFigures, figures("op-2025-Q3-v10")); err != nil {
		t.Fatal(err)
	}
	txn.Commit()
	file("op-2025-Q3-v2", 2, "op-2025-Q3-v1")
	if st.FiguresOf("op-2025-Q3-v1", "f1") != nil {
		t.Fatal("the restatement kept the superseded version's figures")
	}
	if st.FiguresOf("op-2025-Q3-v10", "f1") == nil {
		t.Fatal("the restatement of v1 dropped v10's figures")
	}
	if st.PutFigures(figures("op-2025-Q3-v1")) {
		t.Fatal("figures of a superseded version kept")
	}
	apply(ledger.KindOperatorRegistered, ledger.Operator{ID: "op2", Name: "Op 2", Country: "JP", Kinds: []string{"mobile"}})
	apply(ledger.KindReturnFiled, ledger.ReturnFiled{ID: "op2-2025-Q3-v1", Version: 1, FactorSet: "f1",
		Return: ledger.Return{Operator: "op2", Period: q3}})
	have, missing := st.PeriodFigures(q3)
	if len(have) != 0 || len(missing) != 2 {
		t.Fatalf("before any figures of the latest versions: have %v, missing %d", have, len(missing))
	}
	st.PutFigures(figures("op-2025-Q3-v2"))
	other := figures("op2-2025-Q3-v1")
	other.FactorSet = "f2" // not the set op2 filed under
	st.PutFigures(other)
	have, missing = st.PeriodFigures(q3)
	if len(have) != 1 || have["op"] == nil || have["op"].ReturnID != "op-2025-Q3-v2" || len(missing) != 1 || missing[0].ID != "op2-2025-Q3-v1" {
		t.Fatalf("PeriodFigures = %v, missing %v; want op's v2 and op2 missing", have, missing)
	}
}
