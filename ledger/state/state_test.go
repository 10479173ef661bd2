package state

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// applier feeds entries to a state the way the journal does.
type applier struct {
	t  *testing.T
	st *State
	at time.Time
}

func (a *applier) apply(kind ledger.Kind, payload any) error {
	a.t.Helper()
	a.at = a.at.Add(time.Hour)
	raw, err := ledger.EncodeEntry(a.st.Size(), a.at, ledger.SystemActor, kind, payload)
	if err != nil {
		a.t.Fatal(err)
	}
	return a.st.Apply(a.st.Size(), raw)
}

func (a *applier) must(kind ledger.Kind, payload any) {
	a.t.Helper()
	if err := a.apply(kind, payload); err != nil {
		a.t.Fatal(err)
	}
}

func TestReturnLifecycle(t *testing.T) {
	a := &applier{t: t, st: New(), at: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)}
	a.must(ledger.KindOperatorRegistered, ledger.Operator{ID: "op", Name: "Op", Country: "JP", Kinds: []string{"mobile"}})
	p := ledger.Period{Year: 2025, Quarter: 3}
	ret := ledger.Return{Operator: "op", Period: p,
		Sites: []ledger.Site{{SiteID: "s1", Domain: "ran", Grid: "JP", GridKWh: decimal.NewFromInt(5)}}}
	v1 := ledger.ReturnID("op", p, 1)
	a.must(ledger.KindReturnFiled, ledger.ReturnFiled{ID: v1, Version: 1, FactorSet: "f", IdempotencyKey: "k1", Return: ret})

	for q, want := range map[ledger.Period]bool{p: true, p.Prev(): false, p.Next(): false, {Year: 2024, Quarter: 3}: false} {
		if a.st.AnyFiled(q) != want {
			t.Errorf("AnyFiled(%s) = %v, want %v", q, !want, want)
		}
	}
	rv := a.st.Return(v1)
	if rv == nil || rv.Status() != ledger.StatusSubmitted || rv.Raw != nil { // with site rows: the journal only
		t.Fatalf("after filing: %+v", rv)
	}
	if got := a.st.IdempotentReturn("op", "k1"); got == nil || got.ID != v1 {
		t.Fatalf("idempotency key not found: %v", got)
	}
	if got := a.st.IdempotentReturn("other", "k1"); got != nil {
		t.Fatal("an idempotency key leaked across operators")
	}

	a.must(ledger.KindReviewRecorded, ledger.Review{Return: v1, Decision: ledger.DecisionReturn,
		Findings: []ledger.FieldError{{Path: "sites[0].grid_kwh", Message: "check meter"}}})
	if s := a.st.Return(v1).Status(); s != ledger.StatusReturned {
		t.Fatalf("after return: %s", s)
	}

	ret.Sites = nil
	ret.Restates, ret.Reason = v1, "meter read again"
	v2 := ledger.ReturnID("op", p, 2)
	a.must(ledger.KindReturnRestated, ledger.ReturnFiled{ID: v2, Version: 2, Supersedes: v1, FactorSet: "f", Return: ret})
	if s := a.st.Return(v1).Status(); s != ledger.StatusSuperseded {
		t.Fatalf("old version: %s", s)
	}
	if l := a.st.Latest("op", p); l.ID != v2 || l.Raw == nil || l.Status() != ledger.StatusSubmitted { // no site rows: kept
		t.Fatalf("latest: %+v", l)
	}
	a.must(ledger.KindReviewRecorded, ledger.Review{Return: v2, Decision: ledger.DecisionAccept})
	if s := a.st.Return(v2).Status(); s != ledger.StatusAccepted {
		t.Fatalf("after accept: %s", s)
	}
	if n := len(a.st.Versions("op", p)); n != 2 {
		t.Fatalf("%d versions", n)
	}

	// Entries that contradict the state are refused, not applied.
	if err := a.apply(ledger.KindReturnRestated, ledger.ReturnFiled{ID: "x", Version: 3, Supersedes: v1, Return: ret}); err == nil {
		t.Fatal("superseding a superseded version was applied")
	}
}

func TestApplyRefusesGapsAndUnknownKinds(t *testing.T) {
	st := New()
	// An entry that would apply cleanly at 0, offered at 1.
	op := ledger.Operator{ID: "op", Name: "Op", Country: "JP", Kinds: []string{"mobile"}}
	raw, _ := ledger.EncodeEntry(1, time.Now(), ledger.SystemActor, ledger.KindOperatorRegistered, op)
	if err := st.Apply(1, raw); err == nil || !strings.Contains(err.Error(), "expected entry 0") {
		t.Fatalf("a gap in sequence numbers: %v", err)
	}
	// And one that says it is 1, offered as 0.
	if err := st.Apply(0, raw); err == nil || !strings.Contains(err.Error(), "entry says it is 1") {
		t.Fatalf("an entry with another seq: %v", err)
	}
	if st.Size() != 0 {
		t.Fatalf("refused entries left %d applied", st.Size())
	}
	raw, _ = ledger.EncodeEntry(0, time.Now(), ledger.SystemActor, "made.up", map[string]any{})
	if err := st.Apply(0, raw); err == nil {
		t.Fatal("an unknown kind was applied")
	}
}

// A disclosure.issued entry makes the document findable by its SHA-256;
// a second record of the same bytes keeps the first.
func TestDisclosureIssued(t *testing.T) {
	a := &applier{t: t, st: New()}
	sha := strings.Repeat("ab", 32)
	if a.st.Disclosure(sha) != nil {
		t.Fatal("found before it was issued")
	}
	a.must(ledger.KindDisclosureIssued, ledger.DisclosureIssued{Document: "operator", Operator: "op-a", Period: "2025-Q3",
		Template: "disclosure_v2", TreeSize: 0, Entries: 3, SHA256: sha, Bytes: 1000})
	a.must(ledger.KindDisclosureIssued, ledger.DisclosureIssued{Document: "operator", Operator: "op-a", Period: "2025-Q3",
		Template: "disclosure_v2", TreeSize: 0, Entries: 3, SHA256: sha, Bytes: 1000})
	d := a.st.Disclosure(sha)
	if d == nil || d.Seq != 0 || d.Operator != "op-a" || d.Template != "disclosure_v2" {
		t.Fatalf("issued disclosure: %+v", d)
	}
	if a.st.Disclosure(strings.Repeat("cd", 32)) != nil {
		t.Fatal("found a document never issued")
	}
}

// TestVersionsAreOneChain: a quarter's versions are the chain of
// restatements back from its latest version, so the state refuses what
// would start a second chain or join two quarters: a first version of a
// quarter already filed, and a restatement of another quarter's return.
// Versions and ReturnsOf list the chain oldest first.
func TestVersionsAreOneChain(t *testing.T) {
	a := &applier{t: t, st: New(), at: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)}
	a.must(ledger.KindOperatorRegistered, ledger.Operator{ID: "op", Name: "Op", Country: "JP", Kinds: []string{"mobile"}})
	q2, q3 := ledger.Period{Year: 2025, Quarter: 2}, ledger.Period{Year: 2025, Quarter: 3}
	filed := func(p ledger.Period, v int, supersedes string) ledger.ReturnFiled {
		return ledger.ReturnFiled{ID: ledger.ReturnID("op", p, v), Version: v, Supersedes: supersedes, FactorSet: "f",
			Return: ledger.Return{Operator: "op", Period: p}}
	}
	a.must(ledger.KindReturnFiled, filed(q3, 1, ""))
	a.must(ledger.KindReturnRestated, filed(q3, 2, ledger.ReturnID("op", q3, 1)))
	a.must(ledger.KindReturnRestated, filed(q3, 3, ledger.ReturnID("op", q3, 2)))
	a.must(ledger.KindReturnFiled, filed(q2, 1, ""))

	if err := a.apply(ledger.KindReturnFiled, filed(q3, 4, "")); err == nil || !strings.Contains(err.Error(), "first version") {
		t.Errorf("a second first version of op 2025-Q3: %v", err)
	}
	if err := a.apply(ledger.KindReturnRestated, filed(q2, 2, ledger.ReturnID("op", q3, 3))); err == nil || !strings.Contains(err.Error(), "supersedes") {
		t.Errorf("a restatement of 2025-Q2 superseding a 2025-Q3 return: %v", err)
	}

	var ids []string
	for _, rv := range a.st.ReturnsOf("op") {
		ids = append(ids, rv.ID)
	}
	want := []string{ledger.ReturnID("op", q2, 1), ledger.ReturnID("op", q3, 1), ledger.ReturnID("op", q3, 2), ledger.ReturnID("op", q3, 3)}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("ReturnsOf(op) = %v, want %v", ids, want)
	}
	vs := a.st.Versions("op", q3)
	if len(vs) != 3 || vs[0].Version != 1 || vs[2].Version != 3 || vs[2].Status() != ledger.StatusSubmitted || vs[0].Status() != ledger.StatusSuperseded {
		t.Errorf("Versions(op, 2025-Q3) = %+v", vs)
	}
	if vs := a.st.Versions("op", ledger.Period{Year: 2025, Quarter: 1}); len(vs) != 0 {
		t.Errorf("Versions of a quarter never filed: %+v", vs)
	}
}
