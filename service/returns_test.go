package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// filingTime is after the end of 2025-Q3, so that its returns can be filed.
var filingTime = time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC)

// wantCode fails the test unless err is a *ledger.Error with code.
func wantCode(t *testing.T, err error, code string) *ledger.Error {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) || le.Code != code {
		t.Fatalf("got %v, want a %s error", err, code)
	}
	return le
}

// fieldPaths lists the paths of e's field problems.
func fieldPaths(e *ledger.Error) []string {
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Path)
	}
	return out
}

// unchanged fails the test if the ledger's size moved from before: a
// refused change must write nothing.
func unchanged(t *testing.T, env *servicetest.Env, before uint64) {
	t.Helper()
	if got := env.Service.Size(); got != before {
		t.Fatalf("a refused change wrote %d entries", got-before)
	}
}

// file files body for operator as actor with an idempotency key.
func file(env *servicetest.Env, a ledger.Actor, operator string, body []byte, key string) (*service.Filed, error) {
	return env.Service.FileReturn(context.Background(), a, operator, servicetest.JSONDecoder(body), key)
}

// restatement is the example return for 2025-Q3 restating id with reason.
func restatement(t *testing.T, operator, id, reason string) []byte {
	return servicetest.ReturnWith(t, operator, "2025-Q3", func(m map[string]any) {
		m["restates"], m["reason"] = id, reason
		m["fuels"].([]any)[0].(map[string]any)["quantity"] = "92500"
	})
}

// A first filing is version 1, recorded by the next ledger entry, with
// the warnings its rules raise kept on it.
func TestFileReturnFirstVersion(t *testing.T) {
	env := servicetest.New(t, filingTime)
	op := env.Operator("op-a", "Operator A", "JP")
	before := env.Service.Size()
	// A PPA without certificates for 85 % of the electricity bought.
	body := servicetest.ReturnWith(t, "op-a", "2025-Q3", func(m map[string]any) {
		c := m["renewable_claims"].([]any)[0].(map[string]any)
		c["instrument"], c["kwh"] = "ppa", "110000000"
		delete(c, "certificates")
	})
	f, err := file(env, env.Actor(op), "op-a", body, "")
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != ledger.ReturnID("op-a", period(t, "2025-Q3"), 1) || f.Version != 1 || f.Period != "2025-Q3" ||
		f.Operator != "op-a" || f.Status != ledger.StatusSubmitted || f.Replayed {
		t.Fatalf("filed %+v", f)
	}
	if f.Entry.Seq != before || env.Service.Size() != before+1 || f.Entry.Hash == "" {
		t.Fatalf("entry %+v, ledger %d -> %d entries", f.Entry, before, env.Service.Size())
	}
	if len(f.Warnings) != 1 || f.Warnings[0].Rule != "renewable_share_uncertified" || f.Warnings[0].Path != "renewable_claims" {
		t.Fatalf("warnings %+v", f.Warnings)
	}
	rv := env.Service.State().Return(f.ID)
	if rv == nil || rv.Seq != f.Entry.Seq || len(rv.Warnings) != 1 || rv.Actor.Operator != "op-a" {
		t.Fatalf("state holds %+v", rv)
	}
}

// Only the operator's own token files for it; every other caller is
// refused with the code api.md gives, and nothing is written.
func TestFileReturnRoles(t *testing.T) {
	env := servicetest.New(t, filingTime)
	opA := env.Actor(env.Operator("op-a", "Operator A", "JP"))
	opB := env.Actor(env.Operator("op-b", "Operator B", "JP"))
	tests := []struct {
		name     string
		actor    ledger.Actor
		operator string
		code     string
	}{
		{"no token", service.Public, "op-a", ledger.EUnauthorized},
		{"admin", env.Actor(env.Token(ledger.RoleAdmin)), "op-a", ledger.EForbidden},
		{"regulator", env.Actor(env.Token(ledger.RoleRegulator)), "op-a", ledger.EForbidden},
		{"another operator", opB, "op-a", ledger.EForbidden},
		{"another operator's own body", opA, "op-b", ledger.EForbidden},
		{"the system", ledger.SystemActor, "op-a", ledger.EForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := env.Service.Size()
			_, err := file(env, tc.actor, tc.operator, servicetest.ExampleReturn(t, tc.operator, "2025-Q3"), "")
			wantCode(t, err, tc.code)
			unchanged(t, env, before)
		})
	}
	if got := env.Service.State().Latest("op-a", period(t, "2025-Q3")); got != nil {
		t.Fatalf("a refused filing is in the state: %+v", got)
	}
}

// A return that breaks rules is EInvalid with a path for every problem,
// and nothing is written; the operator in the body must be the one filed
// for.
func TestFileReturnInvalid(t *testing.T) {
	env := servicetest.New(t, filingTime)
	op := env.Actor(env.Operator("op-a", "Operator A", "JP"))
	env.Operator("op-b", "Operator B", "JP")
	tests := []struct {
		name  string
		body  []byte
		code  string
		paths []string
	}{
		{"negative energy and a quarter not yet over", servicetest.ReturnWith(t, "op-a", "2025-Q4", func(m map[string]any) {
			m["electricity"].([]any)[3].(map[string]any)["kwh"] = "-5"
		}), ledger.EInvalid, []string{"period", "electricity[3].kwh"}},
		{"another operator in the body", servicetest.ExampleReturn(t, "op-b", "2025-Q3"), ledger.EInvalid, []string{"operator"}},
		{"an unknown factor set", servicetest.ReturnWith(t, "op-a", "2025-Q3", func(m map[string]any) {
			m["factor_set"] = "apt-1999.1"
		}), ledger.EInvalid, []string{"factor_set"}},
		{"not JSON", []byte(`{"operator":`), ledger.EBadRequest, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := env.Service.Size()
			_, err := file(env, op, "op-a", tc.body, "")
			e := wantCode(t, err, tc.code)
			got := strings.Join(fieldPaths(e), ",")
			for _, p := range tc.paths {
				if !strings.Contains(","+got+",", ","+p+",") {
					t.Errorf("problems at %s, want one at %s", got, p)
				}
			}
			unchanged(t, env, before)
		})
	}
}

// A second filing of a quarter without restates is EConflict: the
// quarter has a return, and the answer names its latest version.
func TestFileReturnTwiceConflicts(t *testing.T) {
	env := servicetest.New(t, filingTime)
	tok := env.Operator("op-a", "Operator A", "JP")
	v1 := env.File(tok, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	before := env.Service.Size()
	_, err := file(env, env.Actor(tok), "op-a", servicetest.ExampleReturn(t, "op-a", "2025-Q3"), "")
	e := wantCode(t, err, ledger.EConflict)
	if !strings.Contains(e.Message, v1.ID) || strings.Join(fieldPaths(e), ",") != "restates" {
		t.Fatalf("conflict %q with fields %v", e.Message, fieldPaths(e))
	}
	unchanged(t, env, before)
}

// A retry with the same Idempotency-Key and the same return gets the
// first answer and writes nothing; the key used for another return, or
// too long, is refused.
func TestFileReturnIdempotencyKey(t *testing.T) {
	env := servicetest.New(t, filingTime)
	tok := env.Operator("op-a", "Operator A", "JP")
	op := env.Actor(tok)
	q3 := servicetest.ExampleReturn(t, "op-a", "2025-Q3")
	first, err := file(env, op, "op-a", q3, "q3-upload-1")
	if err != nil {
		t.Fatal(err)
	}
	before := env.Service.Size()
	again, err := file(env, op, "op-a", q3, "q3-upload-1")
	if err != nil {
		t.Fatal(err)
	}
	if !again.Replayed || first.Replayed || again.ID != first.ID || again.Entry != first.Entry || again.Version != 1 {
		t.Fatalf("retry %+v, first %+v", again, first)
	}
	unchanged(t, env, before)

	// The same key for a different return of the same quarter and of
	// another quarter: a client bug, EConflict naming the first filing.
	otherQ3 := servicetest.ReturnWith(t, "op-a", "2025-Q3", func(m map[string]any) {
		m["activity"].(map[string]any)["data_traffic_tb"] = "1850001"
	})
	for _, body := range [][]byte{otherQ3, servicetest.ExampleReturn(t, "op-a", "2025-Q2")} {
		_, err = file(env, op, "op-a", body, "q3-upload-1")
		if e := wantCode(t, err, ledger.EConflict); !strings.Contains(e.Message, first.ID) {
			t.Fatalf("conflict %q does not name %s", e.Message, first.ID)
		}
		unchanged(t, env, before)
	}

	_, err = file(env, op, "op-a", servicetest.ExampleReturn(t, "op-a", "2025-Q2"), strings.Repeat("k", 201))
	wantCode(t, err, ledger.EBadRequest)
	unchanged(t, env, before)

	// Keys are the operator's own: another operator may use the same one.
	tokB := env.Operator("op-b", "Operator B", "JP")
	before = env.Service.Size()
	fb, err := file(env, env.Actor(tokB), "op-b", servicetest.ExampleReturn(t, "op-b", "2025-Q3"), "q3-upload-1")
	if err != nil || fb.Replayed || fb.Operator != "op-b" || env.Service.Size() != before+1 {
		t.Fatalf("op-b with op-a's key: %+v, %v", fb, err)
	}
}

// A retried restatement is checked as the first attempt was, against
// the version it restated, and replays even though that version is
// superseded now.
func TestFileReturnIdempotentRestatement(t *testing.T) {
	env := servicetest.New(t, filingTime)
	tok := env.Operator("op-a", "Operator A", "JP")
	v1 := env.File(tok, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	body := restatement(t, "op-a", v1.ID, "diesel litres double counted")
	v2, err := file(env, env.Actor(tok), "op-a", body, "restate-1")
	if err != nil {
		t.Fatal(err)
	}
	before := env.Service.Size()
	again, err := file(env, env.Actor(tok), "op-a", body, "restate-1")
	if err != nil || !again.Replayed || again.ID != v2.ID || again.Version != 2 {
		t.Fatalf("retried restatement: %+v, %v", again, err)
	}
	unchanged(t, env, before)
}

// A restatement names the latest version and a reason; it becomes the
// next version, linked both ways, and the old one is superseded.
func TestRestatement(t *testing.T) {
	env := servicetest.New(t, filingTime)
	tok := env.Operator("op-a", "Operator A", "JP")
	v1 := env.File(tok, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	v2 := env.File(tok, restatement(t, "op-a", v1.ID, "diesel litres double counted"))
	if v2.Version != 2 || v2.ID != ledger.ReturnID("op-a", period(t, "2025-Q3"), 2) || v2.Status != ledger.StatusSubmitted {
		t.Fatalf("restatement filed %+v", v2)
	}
	st := env.Service.State()
	old, now := st.Return(v1.ID), st.Return(v2.ID)
	if old.Status() != ledger.StatusSuperseded || old.SupersededBy != v2.ID || now.Supersedes != v1.ID ||
		now.Reason != "diesel litres double counted" || st.Latest("op-a", period(t, "2025-Q3")).ID != v2.ID {
		t.Fatalf("v1 %+v\nv2 %+v", old, now)
	}
	raw, err := env.Service.Entries(env.Actor(env.Token(ledger.RoleRegulator)), v2.Entry.Seq, 1)
	if err != nil || len(raw) != 1 || raw[0].Kind != ledger.KindReturnRestated {
		t.Fatalf("the restatement's entry: %+v, %v", raw, err)
	}
	vs, err := env.Service.Versions(env.Actor(tok), "op-a", nil)
	if err != nil || len(vs) != 2 || vs[0].Status != ledger.StatusSuperseded || vs[1].Status != ledger.StatusSubmitted {
		t.Fatalf("versions %+v, %v", vs, err)
	}
}

// Restatements that break the rules are refused and write nothing.
func TestRestatementRefused(t *testing.T) {
	env := servicetest.New(t, filingTime)
	tok := env.Operator("op-a", "Operator A", "JP")
	tokB := env.Operator("op-b", "Operator B", "JP")
	v1 := env.File(tok, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	v2 := env.File(tok, restatement(t, "op-a", v1.ID, "first correction"))
	q2 := env.File(tok, servicetest.ExampleReturn(t, "op-a", "2025-Q2"))
	b1 := env.File(tokB, servicetest.ExampleReturn(t, "op-b", "2025-Q3"))
	tests := []struct {
		name  string
		as    string
		body  []byte
		code  string
		field string
	}{
		// A stale version (someone restated it already) breaks the
		// filing rule that restates names the latest version: 422 with
		// the path. Only a restatement that loses a race to the commit
		// is EConflict (TestConcurrentRestatements).
		{"a superseded version", tok, restatement(t, "op-a", v1.ID, "second correction"), ledger.EInvalid, "restates"},
		{"no reason", tok, restatement(t, "op-a", v2.ID, ""), ledger.EInvalid, "reason"},
		{"a version of another quarter", tok, servicetest.ReturnWith(t, "op-a", "2025-Q1", func(m map[string]any) {
			m["restates"], m["reason"] = q2.ID, "wrong quarter"
		}), ledger.EInvalid, "restates"},
		{"another operator's version", tok, restatement(t, "op-a", b1.ID, "not ours"), ledger.EInvalid, "restates"},
		{"as another operator", tokB, restatement(t, "op-a", v2.ID, "not ours"), ledger.EForbidden, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := env.Service.Size()
			a := env.Actor(tc.as)
			_, err := file(env, a, "op-a", tc.body, "")
			e := wantCode(t, err, tc.code)
			if tc.field != "" && !strings.Contains(","+strings.Join(fieldPaths(e), ",")+",", ","+tc.field+",") {
				t.Fatalf("problems at %v, want one at %s", fieldPaths(e), tc.field)
			}
			unchanged(t, env, before)
		})
	}
	if got := env.Service.State().Return(b1.ID); got.Status() != ledger.StatusSubmitted {
		t.Fatalf("op-b's return is %s", got.Status())
	}
}

// Two filings of one quarter at once: exactly one is written, the other
// is EConflict, and the ledger and the state agree on what happened.
func TestConcurrentFilingsOfOneQuarter(t *testing.T) {
	env := servicetest.New(t, filingTime)
	tok := env.Operator("op-a", "Operator A", "JP")
	a := env.Actor(tok)
	for _, q := range []string{"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"} {
		t.Run(q, func(t *testing.T) {
			body := servicetest.ReturnWith(t, "op-a", q, func(m map[string]any) {
				for _, c := range m["renewable_claims"].([]any) {
					c.(map[string]any)["vintage"] = json.Number(q[:4])
				}
			})
			before := env.Service.Size()
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = file(env, a, "op-a", body, "")
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
				} else {
					wantCode(t, err, ledger.EConflict)
				}
			}
			vs := env.Service.State().Versions("op-a", period(t, q))
			if ok != 1 || len(vs) != 1 || env.Service.Size() != before+1 || vs[0].Seq != before {
				t.Fatalf("%d succeeded (%v), %d versions, ledger %d -> %d", ok, errs, len(vs), before, env.Service.Size())
			}
		})
	}
}

// Two restatements of one version at once: one becomes version 2, the
// other is refused, and version 1 has exactly one successor.
func TestConcurrentRestatements(t *testing.T) {
	env := servicetest.New(t, filingTime)
	tok := env.Operator("op-a", "Operator A", "JP")
	a := env.Actor(tok)
	v1 := env.File(tok, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	before := env.Service.Size()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = file(env, a, "op-a", restatement(t, "op-a", v1.ID, "correction "+string(rune('a'+i))), "")
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch ledger.ErrorCode(err) {
		case "":
			ok++
		case ledger.EConflict, ledger.EInvalid: // EInvalid: checked after the winner was applied
		default:
			t.Fatalf("unexpected %v", err)
		}
	}
	vs := env.Service.State().Versions("op-a", period(t, "2025-Q3"))
	if ok != 1 || len(vs) != 2 || env.Service.Size() != before+1 || vs[1].Supersedes != v1.ID {
		t.Fatalf("%d succeeded (%v), versions %+v, ledger %d -> %d", ok, errs, vs, before, env.Service.Size())
	}
}

// period parses a quarter the test spells correctly.
func period(t *testing.T, s string) ledger.Period {
	t.Helper()
	p, err := ledger.ParsePeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
