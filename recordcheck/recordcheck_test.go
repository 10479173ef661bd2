package recordcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// recordedFixture files and accepts returns of three operators in two
// countries, leaves a fourth submitted, and downloads the regional
// report of 2025-Q3 (which records its view), accepts one more return
// and downloads it again and the year's (two more records).
func recordedFixture(t *testing.T) *servicetest.Env {
	t.Helper()
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	reg := env.Token(ledger.RoleRegulator)
	accept := ledger.Review{Decision: ledger.DecisionAccept}
	for _, op := range []struct{ id, cc string }{{"op-a", "JP"}, {"op-b", "JP"}, {"op-c", "FJ"}} {
		s := env.Operator(op.id, "Operator "+op.id, op.cc)
		env.Review(reg, env.File(s, servicetest.ExampleReturn(t, op.id, "2025-Q3")).ID, accept)
	}
	d := env.Operator("op-d", "Operator op-d", "FJ")
	pending := env.File(d, servicetest.ExampleReturn(t, "op-d", "2025-Q3"))

	q3, year := ledger.Span{Year: 2025, Quarter: 3}, ledger.Span{Year: 2025}
	download := func(span ledger.Span) {
		t.Helper()
		if _, err := env.Service.RegionDisclosure(context.Background(), ledger.Actor{}, span); err != nil {
			t.Fatalf("regional report of %s: %v", span, err)
		}
	}
	download(q3)
	env.Review(reg, pending.ID, accept)
	download(q3)
	download(year)
	return env
}

func TestRecordsOfARealLogHold(t *testing.T) {
	env := recordedFixture(t)
	rep, err := Dir(context.Background(), env.Journal.Dir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Entries != env.Journal.Size() || len(rep.Records) != 3 || rep.Wrong() != 0 {
		t.Fatalf("report %+v; want 3 records that hold of %d entries", rep, env.Journal.Size())
	}
	want := []struct {
		period               string
		countries, operators int
	}{{"2025-Q3", 2, 3}, {"2025-Q3", 2, 4}, {"2025", 2, 4}}
	for i, r := range rep.Records {
		if r.Period != want[i].period || r.Countries != want[i].countries || r.Operators != want[i].operators || r.At == 0 || r.At > r.Seq {
			t.Errorf("record %d = %+v; want %+v", i, r, want[i])
		}
	}
	if rep.Records[1].At <= rep.Records[0].At {
		t.Errorf("the second record is of %d entries, the first of %d", rep.Records[1].At, rep.Records[0].At)
	}
}

// forge appends a region.recorded entry: the latest record's payload
// changed by edit, as a server that lied would append it.
func forge(t *testing.T, env *servicetest.Env, edit func(map[string]any)) uint64 {
	t.Helper()
	rec := env.Service.State().RegionRecord("2025")
	if rec == nil {
		t.Fatal("no record of 2025")
	}
	return forgeAfter(t, env, rec.Seq, edit)
}

// forgeAfter appends a copy of entry seq, a second later, with its
// payload changed by edit.
func forgeAfter(t *testing.T, env *servicetest.Env, seq uint64, edit func(map[string]any)) uint64 {
	t.Helper()
	raw, err := env.Journal.Read(seq)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ledger.DecodeEntry(raw)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(e.Payload))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	payload, err := ledger.Canonical(m)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := env.Journal.Append(context.Background(), func(seq uint64) ([]byte, error) {
		return ledger.EncodeEntryRaw(seq, e.Time.Add(time.Second), ledger.SystemActor, e.Kind, payload)
	})
	if err != nil {
		t.Fatal(err)
	}
	return forged
}

func TestAForgedRecordIsNamed(t *testing.T) {
	cases := []struct {
		name string
		edit func(map[string]any)
		want string
	}{
		{"a figure", func(m map[string]any) {
			c := m["view"].(map[string]any)["countries"].([]any)[1].(map[string]any)
			c["coverage"].(map[string]any)["accepted"] = json.Number("3")
		}, "view.countries[1].coverage.accepted: recorded 3, computed 2"},
		{"a name", func(m map[string]any) {
			m["operators"].(map[string]any)["op-b"] = "Someone else"
		}, `operators.op-b: recorded "Someone else", computed "Operator op-b"`},
		{"an operator left out", func(m map[string]any) {
			delete(m["operators"].(map[string]any), "op-c")
		}, `operators.op-c: not recorded, computed "Operator op-c"`},
		{"another point", func(m map[string]any) {
			// One entry earlier (the issue of a report), where the view is
			// the same but the tree is not.
			at, _ := m["at"].(json.Number).Int64()
			m["at"] = json.Number(strconv.FormatInt(at-1, 10))
		}, "root: recorded "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := recordedFixture(t)
			seq := forge(t, env, c.edit)
			rep, err := Dir(context.Background(), env.Journal.Dir(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Records) != 4 || rep.Wrong() != 1 {
				t.Fatalf("report %+v; want one wrong record of four", rep)
			}
			got := rep.Records[3]
			if got.Seq != seq || got.Holds() || !strings.HasPrefix(got.Difference, c.want) {
				t.Fatalf("forged record %+v; want a difference beginning %q", got, c.want)
			}
		})
	}
}
