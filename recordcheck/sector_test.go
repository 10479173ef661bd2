package recordcheck

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// sectorFixture files returns of two Japanese operators and a Fijian one,
// leaves a third Japanese operator missing, and downloads the sector
// report of 2025-Q3 for Japan's regulator before the deadline, after an
// acceptance, and after the deadline (three records), and once for a
// regulator of every country (a fourth).
func sectorFixture(t *testing.T) *servicetest.Env {
	t.Helper()
	ctx := context.Background()
	env := servicetest.New(t, time.Date(2025, 10, 20, 0, 0, 0, 0, time.UTC))
	var filed []*service.Filed
	for _, op := range []struct{ id, cc string }{{"op-a", "JP"}, {"op-b", "JP"}, {"op-c", "FJ"}} {
		s := env.Operator(op.id, "Operator "+op.id, op.cc)
		filed = append(filed, env.File(s, servicetest.ExampleReturn(t, op.id, "2025-Q3")))
	}
	env.Operator("op-d", "Operator op-d", "JP")
	tok, err := env.Service.IssueTokenFor(ctx, ledger.SystemActor, service.TokenRequest{Role: ledger.RoleRegulator, Jurisdictions: []string{"JP"}})
	if err != nil {
		t.Fatal(err)
	}
	jp, all := env.Actor(tok.Token), env.Token(ledger.RoleRegulator)
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	download := func(a ledger.Actor) {
		t.Helper()
		if _, err := env.Service.SectorDisclosure(ctx, a, q3, ""); err != nil {
			t.Fatalf("sector report: %v", err)
		}
	}
	download(jp)
	env.Review(all, filed[0].ID, ledger.Review{Decision: ledger.DecisionAccept})
	download(jp)
	env.Clock.Set(time.Date(2025, 11, 16, 0, 0, 0, 0, time.UTC)) // past JP's default deadline
	download(jp)
	download(env.Actor(all))
	return env
}

func TestSectorRecordsOfARealLogHold(t *testing.T) {
	env := sectorFixture(t)
	rep, err := Dir(context.Background(), env.Journal.Dir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Records) != 4 || rep.Wrong() != 0 {
		t.Fatalf("report %+v; want 4 records that hold", rep)
	}
	want := []struct {
		scope                string
		countries, operators int
	}{{"JP", 1, 3}, {"JP", 1, 3}, {"JP", 1, 3}, {"*", 2, 4}}
	for i, r := range rep.Records {
		if r.Kind != ledger.KindSectorRecorded || r.Period != "2025-Q3" || r.Scope != want[i].scope || r.Countries != want[i].countries ||
			r.Operators != want[i].operators || r.At == 0 || r.At > r.Seq {
			t.Errorf("record %d = %+v; want %+v", i, r, want[i])
		}
	}
}

// A sector record that says other than its entries give, as of its
// time, is named with the first figure that differs.
func TestAForgedSectorRecordIsNamed(t *testing.T) {
	cases := []struct {
		name string
		edit func(map[string]any)
		want string
	}{
		{"a state", func(m map[string]any) {
			m["view"].(map[string]any)["operators"].([]any)[1].(map[string]any)["state"] = "accepted"
		}, `view.operators[1].state: recorded "accepted", computed "submitted"`},
		{"lateness", func(m map[string]any) {
			m["view"].(map[string]any)["operators"].([]any)[2].(map[string]any)["late"] = false
		}, "view.operators[2].late: recorded false, computed true"},
		{"a figure", func(m map[string]any) {
			m["view"].(map[string]any)["metrics"].([]any)[0].(map[string]any)["total"] = "1"
		}, `view.metrics[0].total: recorded "1", computed "`},
		{"an earlier time", func(m map[string]any) {
			// Before the deadline no operator was late yet.
			m["as_of"] = "2025-10-20T00:00:00Z"
		}, "view.operators[2].late: recorded true, computed false"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := sectorFixture(t)
			seq := forgeSector(t, env, c.edit)
			rep, err := Dir(context.Background(), env.Journal.Dir(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Records) != 5 || rep.Wrong() != 1 {
				t.Fatalf("report %+v; want one wrong record of five", rep)
			}
			got := rep.Records[4]
			if got.Seq != seq || got.Holds() || !strings.HasPrefix(got.Difference, c.want) {
				t.Errorf("record %+v; want entry %d named with %q", got, seq, c.want)
			}
		})
	}
}

// forgeSector appends a sector.recorded entry: Japan's latest record
// changed by edit, as a server that lied would append it.
func forgeSector(t *testing.T, env *servicetest.Env, edit func(map[string]any)) uint64 {
	t.Helper()
	rec := env.Service.State().SectorRecord("JP|2025-Q3")
	if rec == nil {
		t.Fatal("no record of Japan's 2025-Q3")
	}
	return forgeAfter(t, env, rec.Seq, edit)
}
