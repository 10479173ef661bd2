package disclosure

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

// TestHistoryPayload decodes every demo return, as the ledger records
// it, for a look back: the entry's fields and the return's operator,
// period, factor set, device rows and historic inflow must be those the
// whole decoding gives, and nothing else of the return is decoded.
func TestHistoryPayload(t *testing.T) {
	n := 0
	for _, op := range fixtures.Build(ledger.Period{Year: 2026, Quarter: 4}).Operators {
		for i, f := range op.Filings {
			rf := ledger.ReturnFiled{ID: ledger.ReturnID(f.Return.Operator, f.Return.Period, 1), Version: 1 + i%2,
				FactorSet: "apt-2025.1", Return: f.Return}
			if i%3 == 0 {
				rf.Warnings = []ledger.Warning{{Rule: "r", Path: "p", Message: "m"}}
				rf.Supersedes = "x"
			}
			raw, err := ledger.Canonical(rf)
			if err != nil {
				t.Fatal(err)
			}
			e := ledger.Entry{Seq: 1, Kind: ledger.KindReturnFiled, Payload: raw}
			whole := new(ledger.ReturnFiled)
			if err := e.DecodePayload(whole); err != nil {
				t.Fatal(err)
			}
			got, ok := historyPayload(raw)
			if !ok {
				t.Fatalf("%s: not taken on", whole.ID)
			}
			want := *whole
			want.Return = ledger.Return{Operator: whole.Return.Operator, Period: whole.Return.Period, FactorSet: whole.Return.FactorSet,
				Devices: whole.Return.Devices, HistoricInflow: whole.Return.HistoricInflow}
			if !reflect.DeepEqual(*got, want) {
				t.Fatalf("%s:\n got %#v\nwant %#v", whole.ID, *got, want)
			}
			if len(got.Return.Devices) > 0 {
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("no demo return with device rows")
	}
	for _, p := range []string{
		`{"id":"r","return":{"operator":"o","period":"2025-Q1","surprise":1},"version":1}`,
		`{"id":"r","return":{"operator":"o"},"version":1,"surprise":1}`,
		`{"id":"r", "return":{"operator":"o"}}`,
		`{"id":"r","return":{"period":"2025-Q9"}}`,
		`{"id":"r","return":{"devices":[{"category":"a","inflow":{"units":1,"kg":"x"}}]}}`,
	} {
		if _, ok := historyPayload([]byte(p)); ok {
			t.Errorf("%s: taken on", p)
		}
	}
}

// TestSkippedSectionsAreReturnMembers checks the sections a look back
// skips against ledger.Return: each is one of its members, and every
// member is either skipped or decoded.
func TestSkippedSectionsAreReturnMembers(t *testing.T) {
	decoded := map[string]bool{"operator": true, "period": true, "factor_set": true, "devices": true, "historic_inflow": true}
	rt := reflect.TypeOf(ledger.Return{})
	members := map[string]bool{}
	for i := 0; i < rt.NumField(); i++ {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		members[name] = true
		if !decoded[name] && !skippedSections[name] {
			t.Errorf("return member %q is neither decoded nor skipped for a look back", name)
		}
	}
	for k := range skippedSections {
		if !members[k] {
			t.Errorf("skipped section %q is no member of a return", k)
		}
	}
}
