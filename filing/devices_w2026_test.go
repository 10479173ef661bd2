package filing

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// exampleWith decodes the example return after change edits its JSON
// document, so that the JSON reader sees the new fields.
func exampleWith(t *testing.T, change func(doc map[string]any)) *ledger.Return {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(exampleJSON(t), &doc); err != nil {
		t.Fatal(err)
	}
	change(doc)
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	r, err := DecodeJSON(bytes.NewReader(b), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// device returns devices[i] of a decoded JSON document.
func device(doc map[string]any, i int) map[string]any {
	return doc["devices"].([]any)[i].(map[string]any)
}

// TestDeviceRedeployed is return v1.1 redeployed (methodology 2026.1 W3):
// network rows only, a flow like the others.
func TestDeviceRedeployed(t *testing.T) {
	tests := []struct {
		name, path, msg string
		row             int // 0 smartphone/customer, 2 network_radio/network
		flow            map[string]any
	}{
		{name: "network row", row: 2, flow: map[string]any{"units": 40, "kg": "1000"}},
		{name: "customer row", row: 0, flow: map[string]any{"units": 40, "kg": "1000"},
			path: "devices[0].redeployed", msg: "network stream only"},
		{name: "negative", row: 2, flow: map[string]any{"units": 0, "kg": "-1"},
			path: "devices[2].redeployed.kg", msg: "must be >= 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := exampleWith(t, func(doc map[string]any) { device(doc, tc.row)["redeployed"] = tc.flow })
			if r.Devices[tc.row].Redeployed == nil {
				t.Fatal("redeployed not read")
			}
			probs, _ := Validate(r, exampleContext(t))
			if tc.path == "" {
				if len(probs) != 0 {
					t.Errorf("problems %+v", probs)
				}
				return
			}
			if !hasProblem(probs, tc.path, tc.msg) {
				t.Errorf("problems %+v, want %s: %s", probs, tc.path, tc.msg)
			}
		})
	}
}

// TestDevicesCSVRedeployed reads redeployed as a flow of the devices CSV.
func TestDevicesCSVRedeployed(t *testing.T) {
	csv := "category,stream,flow,units,kg\nnetwork_radio,network,collected,10,250\nnetwork_radio,network,redeployed,4,100\n"
	rows, _, probs, err := readDevicesCSV(strings.NewReader(csv), "devices")
	if err != nil || probs.count() != 0 {
		t.Fatalf("err %v, problems %+v", err, probs.list)
	}
	if len(rows) != 1 || rows[0].Redeployed == nil || rows[0].Redeployed.Units != 4 || rows[0].Redeployed.Kg.String() != "100" {
		t.Errorf("rows %+v", rows)
	}
}

// TestDeviceRecyclerEfficiency is return v1.1 recycler_efficiency_pct
// (methodology 2026.1 W5): battery rows only, a percentage.
func TestDeviceRecyclerEfficiency(t *testing.T) {
	tests := []struct {
		name, value, path, msg string
		row                    int // 3 battery_lead_acid, 0 smartphone
	}{
		{name: "battery row", row: 3, value: "76.5"},
		{name: "smartphone row", row: 0, value: "76.5", path: "devices[0].recycler_efficiency_pct", msg: "battery rows only"},
		{name: "above 100", row: 3, value: "100.1", path: "devices[3].recycler_efficiency_pct", msg: "from 0 to 100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := exampleWith(t, func(doc map[string]any) { device(doc, tc.row)["recycler_efficiency_pct"] = tc.value })
			if got := r.Devices[tc.row].RecyclerEfficiencyPct; got == nil || got.String() != tc.value {
				t.Fatalf("recycler_efficiency_pct read as %v", got)
			}
			probs, _ := Validate(r, exampleContext(t))
			if tc.path == "" {
				if len(probs) != 0 {
					t.Errorf("problems %+v", probs)
				}
				return
			}
			if !hasProblem(probs, tc.path, tc.msg) {
				t.Errorf("problems %+v, want %s: %s", probs, tc.path, tc.msg)
			}
		})
	}
}
