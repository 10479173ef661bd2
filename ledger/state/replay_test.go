package state

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// journalOf encodes a ledger's worth of entries of every kind, more than
// one replay batch of them.
func journalOf(t *testing.T) [][]byte {
	var out [][]byte
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	add := func(kind ledger.Kind, payload any) {
		at = at.Add(time.Minute)
		raw, err := ledger.EncodeEntry(uint64(len(out)), at, ledger.SystemActor, kind, payload)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, raw)
	}
	add(ledger.KindFactorSetPublished, ledger.FactorSet{Version: "f1"})
	ops := []string{"op-a", "op-b", "op-c"}
	for _, op := range ops {
		add(ledger.KindOperatorRegistered, ledger.Operator{ID: op, Name: "Op " + op, Country: "JP", Kinds: []string{"mobile"}})
		add(ledger.KindTokenIssued, ledger.TokenIssued{ID: "tok-" + op, SecretHash: "h-" + op, Role: ledger.RoleOperator, Operator: op})
	}
	add(ledger.KindTokenRevoked, ledger.TokenRevoked{ID: "tok-op-b"})
	add(ledger.KindTokenIssued, ledger.TokenIssued{ID: "tok-th", SecretHash: "h-th", Role: ledger.RoleRegulator, Jurisdictions: []string{"TH"}})
	add(ledger.KindJurisdictionSet, ledger.Jurisdiction{Country: "TH", Name: "Thailand", DeadlineDays: 45, TimeZone: "Asia/Bangkok"})
	add(ledger.KindJurisdictionSet, ledger.Jurisdiction{Country: "JP", Name: "Japan", DeadlineDays: 30, TimeZone: "Asia/Tokyo", FactorSet: "f1"})
	add(ledger.KindJurisdictionSet, ledger.Jurisdiction{Country: "TH", Name: "Thailand", NameLocal: "ประเทศไทย", DeadlineDays: 60, TimeZone: "Asia/Bangkok"})
	add(ledger.KindDeadlineSet, ledger.DeadlineSet{Period: ledger.Period{Year: 2025, Quarter: 1}, Deadline: at.Add(240 * time.Hour), Reason: "typhoon"})
	latest := map[string]string{}
	version := map[string]int{}
	for i := 0; len(out) < replayBatch+700; i++ {
		op := ops[i%len(ops)]
		p := ledger.Period{Year: 2024 + i/24%3, Quarter: 1 + i/3%4}
		key := op + p.String()
		version[key]++
		id := ledger.ReturnID(op, p, version[key])
		ret := ledger.Return{Operator: op, Period: p, Reason: fmt.Sprintf("restatement \"%d\"", i)}
		if i%50 == 0 {
			ret.Sites = []ledger.Site{{SiteID: "s1", Domain: "ran", Grid: "JP", GridKWh: decimal.NewFromInt(int64(i))}}
		}
		if i%3 != 1 {
			// Certificates, some claimed again by other operators and
			// quarters (entries filed before the ledger-wide rule), some
			// restated away: replay keeps them all and never refuses.
			ret.RenewableClaims = []ledger.RenewableClaim{{Instrument: "eac", Grid: "JP", KWh: decimal.NewFromInt(int64(i % 7)),
				Technology: "solar", Vintage: 2024, Registry: []string{"", "JEPX"}[i%2], Certificates: []string{fmt.Sprintf("C-%d", i%40), fmt.Sprintf("D-%d", i)}}}
		}
		rf := ledger.ReturnFiled{ID: id, Version: version[key], Supersedes: latest[key], FactorSet: "f1",
			Warnings: []ledger.Warning{{Rule: "jump", Message: fmt.Sprint(i)}}, Return: ret}
		kind := ledger.KindReturnRestated
		if rf.Supersedes == "" {
			kind = ledger.KindReturnFiled
			rf.IdempotencyKey = "k" + id
		}
		add(kind, rf)
		latest[key] = id
		if i%7 == 0 {
			add(ledger.KindReviewRecorded, ledger.Review{Return: id, Decision: ledger.DecisionAccept})
		}
		if i%11 == 0 {
			add(ledger.KindDisclosureIssued, ledger.DisclosureIssued{Document: "operator", Operator: op, Period: p.String(),
				Template: "disclosure_v2", TreeSize: uint64(len(out)), Entries: 3, SHA256: fmt.Sprintf("%064x", i), Bytes: 1000 + i})
		}
		if i%13 == 0 {
			add(ledger.KindRegionRecorded, regionRecord(p.String(), uint64(len(out))))
		}
		if i%17 == 0 {
			add(ledger.KindSectorRecorded, sectorRecord([]string{"JP"}, p.String(), uint64(len(out))))
		}
	}
	return out
}

// TestReplayMatchesApply: replaying in batches builds exactly the tables
// that applying entry by entry does.
func TestReplayMatchesApply(t *testing.T) {
	entries := journalOf(t)
	one, many := New(), New()
	r := many.NewReplay()
	for seq, raw := range entries {
		if err := one.Apply(uint64(seq), raw); err != nil {
			t.Fatal(err)
		}
		if err := r.Apply(uint64(seq), raw, ledger.LeafHash(raw)); err != nil {
			t.Fatal(err)
		}
	}
	if many.Size() == uint64(len(entries)) {
		t.Fatal("the replay published its last batch before Finish")
	}
	r.Finish()
	// Decoded ahead, every entry before any is applied, as the journal's
	// reader may (it runs a few batches ahead), the replay builds the
	// same tables again.
	ahead := New()
	ra := ahead.NewReplay()
	prepared := make([]any, len(entries))
	for seq, raw := range entries {
		prepared[seq] = ra.Prepare(uint64(seq), raw, ledger.LeafHash(raw))
	}
	for seq, raw := range entries {
		if err := ra.ApplyPrepared(uint64(seq), raw, ledger.LeafHash(raw), prepared[seq]); err != nil {
			t.Fatal(err)
		}
	}
	ra.Finish()
	for table := range schema().Tables {
		if a, b := dump(t, one, table), dump(t, ahead, table); !reflect.DeepEqual(a, b) {
			t.Fatalf("table %s: %d rows applied one by one, %d decoded ahead, or they differ", table, len(a), len(b))
		}
	}
	if many.Size() != one.Size() || one.Size() != uint64(len(entries)) {
		t.Fatalf("sizes %d and %d for %d entries", one.Size(), many.Size(), len(entries))
	}
	for table := range schema().Tables { // every table, however many there are
		if table == tableFigures {
			continue // filled by the service, not by entries (figures_test.go)
		}
		a, b := dump(t, one, table), dump(t, many, table)
		if len(a) == 0 || !reflect.DeepEqual(a, b) {
			t.Fatalf("table %s: %d rows applied one by one, %d replayed, or they differ", table, len(a), len(b))
		}
	}
	// Apply carries on after a replay.
	extra, err := ledger.EncodeEntry(many.Size(), time.Now(), ledger.SystemActor, ledger.KindOperatorRegistered,
		ledger.Operator{ID: "op-z", Name: "Z", Country: "AU", Kinds: []string{"mobile"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := many.Apply(many.Size(), extra); err != nil || many.Operator("op-z") == nil {
		t.Fatalf("apply after replay: %v", err)
	}
}

func TestReplayRefusesGapsAndBadEntries(t *testing.T) {
	entries := journalOf(t)[:20]
	st := New()
	r := st.NewReplay()
	for seq, raw := range entries[:10] {
		if err := r.Apply(uint64(seq), raw, ledger.LeafHash(raw)); err != nil {
			t.Fatal(err)
		}
	}
	// An entry that contradicts the state: the same operator twice.
	dup, _ := ledger.EncodeEntry(10, time.Now(), ledger.SystemActor, ledger.KindOperatorRegistered,
		ledger.Operator{ID: "op-a", Name: "again", Country: "JP", Kinds: []string{"mobile"}})
	if err := r.Apply(10, dup, ledger.LeafHash(dup)); err == nil {
		t.Fatal("a second registration of op-a was accepted")
	}
	if err := r.Apply(10, entries[10], ledger.LeafHash(entries[10])); err == nil {
		t.Fatal("the replay went on after a failure")
	}
	r.Finish()
	if st.Size() != 0 {
		t.Fatalf("a failed batch left %d entries", st.Size())
	}
	// Out of order and mislabelled entries end a replay too, and what
	// was pending is dropped. Both entries would apply cleanly at 10.
	clean, err := ledger.EncodeEntry(11, time.Now(), ledger.SystemActor, ledger.KindOperatorRegistered,
		ledger.Operator{ID: "op-new", Name: "New", Country: "JP", Kinds: []string{"mobile"}})
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]struct {
		seq  uint64
		raw  []byte
		says string
	}{"a gap": {11, clean, "expected entry 10"}, "the wrong seq inside": {10, clean, "entry says it is 11"}} {
		st := New()
		r := st.NewReplay()
		for seq, raw := range entries[:10] {
			if err := r.Apply(uint64(seq), raw, ledger.LeafHash(raw)); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.Apply(bad.seq, bad.raw, ledger.LeafHash(bad.raw)); err == nil || !strings.Contains(err.Error(), bad.says) {
			t.Fatalf("%s: %v, want an error saying %q", name, err, bad.says)
		}
		r.Finish()
		if st.Size() != 0 {
			t.Fatalf("after %s the state has %d entries", name, st.Size())
		}
	}
}

// TestPreparedErrorsAreApplys: an entry decoded ahead fails with the
// error Apply gives it, and an entry out of sequence is reported as such
// before what its bytes hold.
func TestPreparedErrorsAreApplys(t *testing.T) {
	entries := journalOf(t)[:10]
	encode := func(seq uint64, kind ledger.Kind, payload any) []byte {
		raw, err := ledger.EncodeEntry(seq, time.Now(), ledger.SystemActor, kind, payload)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	for name, bad := range map[string]struct {
		seq  uint64
		raw  []byte
		says string
	}{
		"not JSON":             {10, []byte("{not json"), "apply entry 10: decode entry"},
		"a gap of bad bytes":   {11, []byte("{not json"), "expected entry 10"},
		"the wrong seq inside": {10, encode(11, ledger.KindOperatorRegistered, ledger.Operator{ID: "op-new"}), "entry says it is 11"},
		"an unknown kind":      {10, encode(10, "something_else", map[string]int{"a": 1}), `unknown entry kind "something_else"`},
		"a payload of another kind": {10, encode(10, ledger.KindTokenRevoked, map[string]int{"id": 1}),
			"apply entry 10 (" + string(ledger.KindTokenRevoked) + ")"},
		"the same operator twice": {10, encode(10, ledger.KindOperatorRegistered,
			ledger.Operator{ID: "op-a", Name: "again", Country: "JP", Kinds: []string{"mobile"}}), "exists already"},
	} {
		var errs [2]error
		for i := range errs {
			r := New().NewReplay()
			for seq, raw := range entries {
				if err := r.Apply(uint64(seq), raw, ledger.LeafHash(raw)); err != nil {
					t.Fatal(err)
				}
			}
			if i == 0 {
				errs[i] = r.Apply(bad.seq, bad.raw, ledger.LeafHash(bad.raw))
			} else {
				p := r.Prepare(bad.seq, bad.raw, ledger.LeafHash(bad.raw))
				errs[i] = r.ApplyPrepared(bad.seq, bad.raw, ledger.LeafHash(bad.raw), p)
			}
		}
		if errs[0] == nil || errs[1] == nil || errs[0].Error() != errs[1].Error() || !strings.Contains(errs[0].Error(), bad.says) {
			t.Errorf("%s: Apply %v, prepared %v, want the same error saying %q", name, errs[0], errs[1], bad.says)
		}
	}
}

// dump lists a table's rows in id order.
func dump(t *testing.T, st *State, table string) []any {
	it, err := st.db.Txn(false).Get(table, indexID)
	if err != nil {
		t.Fatal(err)
	}
	var out []any
	for obj := it.Next(); obj != nil; obj = it.Next() {
		out = append(out, obj)
	}
	return out
}

// TestOperatorScansAreExact: an operator's versions and latest versions
// never include those of an operator whose id starts with its own.
func TestOperatorScansAreExact(t *testing.T) {
	a := &applier{t: t, st: New(), at: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)}
	p := ledger.Period{Year: 2025, Quarter: 3}
	for _, op := range []string{"op", "op-b", "opa"} {
		a.must(ledger.KindOperatorRegistered, ledger.Operator{ID: op, Name: op, Country: "JP", Kinds: []string{"mobile"}})
		a.must(ledger.KindReturnFiled, ledger.ReturnFiled{ID: ledger.ReturnID(op, p, 1), Version: 1, FactorSet: "f", Return: ledger.Return{Operator: op, Period: p}})
	}
	a.must(ledger.KindReturnFiled, ledger.ReturnFiled{ID: ledger.ReturnID("op", p.Prev(), 1), Version: 1, FactorSet: "f", Return: ledger.Return{Operator: "op", Period: p.Prev()}})
	got := a.st.ReturnsOf("op")
	if len(got) != 2 || got[0].Operator != "op" || got[1].Operator != "op" || !got[0].Period.Before(got[1].Period) {
		t.Fatalf("ReturnsOf(op): %+v", got)
	}
	if len(a.st.ReturnsOf("o")) != 0 {
		t.Fatal("a prefix of an operator id found its returns")
	}
	if got := a.st.LatestOf("op"); len(got) != 2 || got[0].Operator != "op" || got[1].Operator != "op" {
		t.Fatalf("LatestOf(op): %+v", got)
	}
	if len(a.st.LatestOf("o")) != 0 || len(a.st.LatestOf("op-")) != 0 {
		t.Fatal("a prefix of an operator id found its latest versions")
	}
}

// TestLatestInPeriodOrder: an operator's latest versions come oldest
// quarter first, and FirstPeriod is the oldest, whatever the order of
// filing (across years too).
func TestLatestInPeriodOrder(t *testing.T) {
	a := &applier{t: t, st: New(), at: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)}
	a.must(ledger.KindOperatorRegistered, ledger.Operator{ID: "op", Name: "Op", Country: "JP", Kinds: []string{"mobile"}})
	if _, ok := a.st.FirstPeriod("op"); ok {
		t.Fatal("a first period before any filing")
	}
	for _, p := range []ledger.Period{{Year: 2025, Quarter: 3}, {Year: 2024, Quarter: 4}, {Year: 2025, Quarter: 1}, {Year: 1999, Quarter: 2}} {
		a.must(ledger.KindReturnFiled, ledger.ReturnFiled{ID: ledger.ReturnID("op", p, 1), Version: 1, FactorSet: "f", Return: ledger.Return{Operator: "op", Period: p}})
	}
	var got []string
	for _, rv := range a.st.LatestOf("op") {
		got = append(got, rv.Period.String())
	}
	if fmt.Sprint(got) != "[1999-Q2 2024-Q4 2025-Q1 2025-Q3]" {
		t.Fatalf("LatestOf order: %v", got)
	}
	if p, ok := a.st.FirstPeriod("op"); !ok || p.String() != "1999-Q2" {
		t.Fatalf("FirstPeriod: %v %v", p, ok)
	}
}

// TestHistoryMark: the mark of an operator's quarters before a period
// changes with every restatement or new quarter among them and with
// nothing else, and agrees with MarkOf over LatestOf.
func TestHistoryMark(t *testing.T) {
	a := &applier{t: t, st: New(), at: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)}
	for _, op := range []string{"op", "op-b"} {
		a.must(ledger.KindOperatorRegistered, ledger.Operator{ID: op, Name: op, Country: "JP", Kinds: []string{"mobile"}})
	}
	q1, q2, q3 := ledger.Period{Year: 2025, Quarter: 1}, ledger.Period{Year: 2025, Quarter: 2}, ledger.Period{Year: 2025, Quarter: 3}
	file := func(op string, p ledger.Period, version int) {
		rf := ledger.ReturnFiled{ID: ledger.ReturnID(op, p, version), Version: version, FactorSet: "f", Return: ledger.Return{Operator: op, Period: p}}
		kind := ledger.KindReturnFiled
		if version > 1 {
			rf.Supersedes = ledger.ReturnID(op, p, version-1)
			kind = ledger.KindReturnRestated
		}
		a.must(kind, rf)
	}
	agree := func(p ledger.Period) HistoryMark {
		t.Helper()
		var before []*ReturnVersion
		for _, rv := range a.st.LatestOf("op") {
			if rv.Period.Before(p) {
				before = append(before, rv)
			}
		}
		m := a.st.HistoryMark("op", p)
		if MarkOf(before) != m {
			t.Fatalf("HistoryMark %+v, MarkOf(LatestOf) %+v", m, MarkOf(before))
		}
		return m
	}
	if m := agree(q3); m != (HistoryMark{}) {
		t.Fatalf("mark with nothing filed: %+v", m)
	}
	file("op", q1, 1)
	m1 := agree(q3)
	if m1.Quarters != 1 || m1 == (HistoryMark{}) {
		t.Fatalf("after one quarter: %+v", m1)
	}
	file("op", q3, 1)   // the period itself: not history
	file("op-b", q2, 1) // another operator, whose id starts with op's
	file("op-b", q1, 1)
	if m := agree(q3); m != m1 {
		t.Fatalf("the mark changed with a filing outside the history: %+v, was %+v", m, m1)
	}
	file("op", q2, 1)
	m2 := agree(q3)
	if m2.Quarters != 2 || m2.MaxSeq <= m1.MaxSeq {
		t.Fatalf("after a second quarter: %+v, was %+v", m2, m1)
	}
	if m := agree(q2); m != m1 {
		t.Fatalf("q2's history is q1 only: %+v, want %+v", m, m1)
	}
	file("op", q1, 2) // restating the oldest quarter
	m3 := agree(q3)
	if m3.Quarters != 2 || m3.MaxSeq <= m2.MaxSeq {
		t.Fatalf("after a restatement: %+v, was %+v", m3, m2)
	}
}
