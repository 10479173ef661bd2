package ledger_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

// sameAsJSON checks that DecodeDevices and DecodeHistoricInflow give
// what json.Unmarshal gives for in: the same rows (decimals to the
// exponent) or an error from both.
func sameAsJSON(t *testing.T, in []byte) {
	t.Helper()
	var want []ledger.DeviceFlow
	werr := json.Unmarshal(in, &want)
	got, err := ledger.DecodeDevices(in)
	if (err == nil) != (werr == nil) {
		t.Fatalf("devices %s: error %v, encoding/json %v", in, err, werr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("devices %s:\n got %#v\nwant %#v", in, got, want)
	}
	var wantH []ledger.HistoricInflow
	werr = json.Unmarshal(in, &wantH)
	gotH, err := ledger.DecodeHistoricInflow(in)
	if (err == nil) != (werr == nil) {
		t.Fatalf("historic inflow %s: error %v, encoding/json %v", in, err, werr)
	}
	if err == nil && !reflect.DeepEqual(gotH, wantH) {
		t.Fatalf("historic inflow %s:\n got %#v\nwant %#v", in, gotH, wantH)
	}
}

// TestDecodeDevicesDemo decodes the device rows and historic inflow of
// every demo return, in the canonical form the state keeps.
func TestDecodeDevicesDemo(t *testing.T) {
	n := 0
	for _, op := range fixtures.Build(ledger.Period{Year: 2026, Quarter: 4}).Operators {
		for _, f := range op.Filings {
			raw, err := ledger.Canonical(f.Return)
			if err != nil {
				t.Fatal(err)
			}
			err = ledger.Members(raw, func(key, v []byte) error {
				if k := string(key); k == "devices" || k == "historic_inflow" {
					sameAsJSON(t, v)
					n++
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if n == 0 {
		t.Fatal("no device rows in the demo")
	}
}

func TestDecodeDevicesCases(t *testing.T) {
	for _, in := range []string{
		`[]`,
		`null`,
		`[{}]`,
		`[{"category":"smartphone","stream":"customer","inflow":{"units":410000,"kg":"77900"},"collected":{"units":61000,"kg":"10980.50"},"recycled_content_kg":"3900","lifetime_years":"3.0","recycler":"Tokyo Eco Recycling (R2v3 cert 1234)"}]`,
		`[{"category":"router","stream":"network","redeployed":{"units":1,"kg":"0.000"},"exported_kg":"1E3","recycler_efficiency_pct":"-0","basel_notification":["A1","B2"],"exports":[{"country":"MY","kg":"5"}],"recycler_authorisation_id":"x"}]`,
		`[{"category":"a","category":"b"}]`,
		`[{"Category":"a"}]`,
		`[{"unknown":1,"stream":"s"}]`,
		`[{"category":"caf\u00e9"}]`,
		`[{"category":"Käse"}]`,
		`[{"category":null,"inflow":null,"lifetime_years":null}]`,
		`[{"inflow":{"units":1,"kg":"2","units":3}}]`,
		`[{"inflow":{"units":1.0,"kg":"2"}}]`,
		`[{"inflow":{"units":01,"kg":"2"}}]`,
		`[{"inflow":{"units":-0,"kg":"2"}}]`,
		`[{"inflow":{"units":99999999999999999999,"kg":"2"}}]`,
		`[{"inflow":{"units":1,"kg":2.5}}]`,
		`[{"inflow":{"units":1,"kg":"x"}}]`,
		`[{"inflow":{"units":"1","kg":"2"}}]`,
		`[{"category":"smartphone","stream":"customer","year":2019,"units":10,"kg":"100.5"}]`,
		`[{"category":"smartphone","year":2019.5,"kg":"1"}]`,
		`[{"category":"smartphone"}, {"stream":"x"}]`,
		`[{"category":"smartphone"},]`,
		`[{"category":"smartphone"}`,
		`{"category":"smartphone"}`,
		`[1]`,
		`["x"]`,
	} {
		sameAsJSON(t, []byte(in))
	}
}

// FuzzDecodeDevices holds DecodeDevices and DecodeHistoricInflow to
// encoding/json on any input.
func FuzzDecodeDevices(f *testing.F) {
	for _, s := range []string{`[]`, `[{"category":"smartphone","stream":"customer","inflow":{"units":410000,"kg":"77900"},"lifetime_years":"3.0"}]`,
		`[{"category":"a","stream":"b","year":2019,"units":10,"kg":"100.5"}]`, `[{"basel_notification":["A1"],"exports":[{"country":"MY","kg":"5"}]}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		sameAsJSON(t, in)
	})
}

// demoDeviceRows are the "devices" arrays of every demo return, as the
// state keeps them.
func demoDeviceRows(b *testing.B) [][]byte {
	b.Helper()
	var out [][]byte
	for _, op := range fixtures.Build(ledger.Period{Year: 2026, Quarter: 4}).Operators {
		for _, f := range op.Filings {
			raw, err := ledger.Canonical(f.Return)
			if err != nil {
				b.Fatal(err)
			}
			ledger.Members(raw, func(k, v []byte) error {
				if string(k) == "devices" {
					out = append(out, v)
				}
				return nil
			})
		}
	}
	return out
}

// BenchmarkDecodeDevices decodes the device rows of every demo return;
// BenchmarkDecodeDevicesJSON does the same with json.Unmarshal.
func BenchmarkDecodeDevices(b *testing.B) {
	rows := demoDeviceRows(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range rows {
			if _, err := ledger.DecodeDevices(r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkDecodeDevicesJSON(b *testing.B) {
	rows := demoDeviceRows(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range rows {
			var d []ledger.DeviceFlow
			if err := json.Unmarshal(r, &d); err != nil {
				b.Fatal(err)
			}
		}
	}
}
