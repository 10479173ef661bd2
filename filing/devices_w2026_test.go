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
			checkDeviceProblem(t, probs, tc.path, tc.msg)
		})
	}
}

// checkDeviceProblem fails t unless probs has a problem at path whose
// message contains msg, or, with path "", unless probs is empty.
func checkDeviceProblem(t *testing.T, probs []ledger.FieldError, path, msg string) {
	t.Helper()
	if path == "" {
		if len(probs) != 0 {
			t.Errorf("problems %+v", probs)
		}
		return
	}
	if !hasProblem(probs, path, msg) {
		t.Errorf("problems %+v, want %s: %s", probs, path, msg)
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
			checkDeviceProblem(t, probs, tc.path, tc.msg)
		})
	}
}

// TestDeviceExports is return v1.1 exports (methodology 2026.1 W6): Basel
// codes and prior informed consent since 1 January 2025.
func TestDeviceExports(t *testing.T) {
	x := func(code, consent, purpose, kg string) map[string]any {
		m := map[string]any{"country": "MY", "kg": kg, "purpose": purpose}
		if code != "" {
			m["basel_code"] = code
		}
		if consent != "" {
			m["consent_id"] = consent
		}
		return m
	}
	tests := []struct {
		name   string
		row    int // 0 smartphone (treated 10,800 kg), 3 battery_lead_acid (89,600 kg)
		period string
		export map[string]any
		path   string
		msg    string
	}{
		{name: "WEEE A1181 with consent", export: x("A1181", "MY-PIC-2025-17", "treatment", "1000")},
		{name: "WEEE Y49 with consent", export: x("Y49", "MY-PIC-2025-18", "treatment", "1000")},
		{name: "WEEE without consent", export: x("A1181", "", "treatment", "1000"),
			path: "devices[0].exports[0].consent_id", msg: "prior informed consent"},
		{name: "B1110 since 2025", export: x("B1110", "", "treatment", "1000"),
			path: "devices[0].exports[0].basel_code", msg: "B1110 was deleted"},
		{name: "B1110 in 2024", period: "2024-Q4", export: x("B1110", "", "treatment", "1000")},
		{name: "WEEE under a battery code", export: x("A1160", "c", "treatment", "1000"),
			path: "devices[0].exports[0].basel_code", msg: "one of A1181, Y49"},
		{name: "treatment without a code", export: x("", "", "treatment", "1000"),
			path: "devices[0].exports[0].basel_code", msg: "is required"},
		{name: "reuse after testing", export: x("", "", "reuse_tested", "1000")},
		{name: "battery A1170 with consent", row: 3, export: x("A1170", "MY-PIC-9", "treatment", "1000")},
		{name: "battery A1160 without consent", row: 3, export: x("A1160", "", "treatment", "1000"),
			path: "devices[3].exports[0].consent_id", msg: "A1160"},
		{name: "battery B1090 needs no consent", row: 3, export: x("B1090", "", "treatment", "1000")},
		{name: "battery under a WEEE code", row: 3, export: x("A1181", "c", "treatment", "1000"),
			path: "devices[3].exports[0].basel_code", msg: "one of A1160, A1170, B1090"},
		{name: "not a country", export: map[string]any{"country": "XX", "kg": "1", "purpose": "reuse_tested"},
			path: "devices[0].exports[0].country", msg: "ISO 3166-1"},
		{name: "more than treated", export: x("A1181", "c", "treatment", "10801"),
			path: "devices[0].exports", msg: "more than the treated mass"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := exampleWith(t, func(doc map[string]any) {
				device(doc, tc.row)["exports"] = []any{tc.export}
			})
			c := exampleContext(t)
			if tc.period != "" {
				r.Period = period(t, tc.period)
				r.Resilience.Outages = nil
				r.HistoricInflow = nil
			}
			probs, _ := Validate(r, c)
			if tc.path == "" {
				for _, p := range probs {
					if strings.HasPrefix(p.Path, "devices") {
						t.Errorf("problem %+v", p)
					}
				}
				return
			}
			if !hasProblem(probs, tc.path, tc.msg) {
				t.Errorf("problems %+v, want %s: %s", probs, tc.path, tc.msg)
			}
		})
	}
}

// TestExportedKgWithoutExports: a v1 export stays valid, with a warning.
func TestExportedKgWithoutExports(t *testing.T) {
	r := exampleWith(t, func(doc map[string]any) {
		device(doc, 0)["exported_kg"] = "1000"
		device(doc, 0)["basel_notification"] = []any{"JP-2025-001"}
	})
	probs, warns := Validate(r, exampleContext(t))
	if len(probs) != 0 {
		t.Fatalf("problems %+v", probs)
	}
	if len(warns) != 1 || warns[0].Rule != WarnExportConsent || warns[0].Path != "devices[0].exported_kg" {
		t.Errorf("warnings %+v", warns)
	}
	// With exports, exported_kg must agree with them.
	r = exampleWith(t, func(doc map[string]any) {
		device(doc, 0)["exported_kg"] = "1000"
		device(doc, 0)["basel_notification"] = []any{"JP-2025-001"}
		device(doc, 0)["exports"] = []any{map[string]any{"country": "MY", "kg": "900", "purpose": "treatment", "basel_code": "Y49", "consent_id": "c"}}
	})
	probs, _ = Validate(r, exampleContext(t))
	if !hasProblem(probs, "devices[0].exported_kg", "must equal the sum of exports[].kg (900)") {
		t.Errorf("problems %+v", probs)
	}
}

func period(t *testing.T, s string) ledger.Period {
	t.Helper()
	p, err := ledger.ParsePeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDeviceRecyclerAuthorisationID is return v1.1
// recycler_authorisation_id (methodology 2026.1 W6): an id, read from
// the JSON; a value that is not one is a 422 naming the field.
func TestDeviceRecyclerAuthorisationID(t *testing.T) {
	r := exampleWith(t, func(doc map[string]any) { device(doc, 0)["recycler_authorisation_id"] = "EPA-VIC-1234" })
	if got := r.Devices[0].RecyclerAuthorisationID; got != "EPA-VIC-1234" {
		t.Fatalf("recycler_authorisation_id = %q", got)
	}
	var doc map[string]any
	if err := json.Unmarshal(exampleJSON(t), &doc); err != nil {
		t.Fatal(err)
	}
	device(doc, 0)["recycler_authorisation_id"] = 1234
	b, _ := json.Marshal(doc)
	_, err := DecodeJSON(bytes.NewReader(b), Options{})
	if err == nil || !strings.Contains(err.Error(), "devices[0].recycler_authorisation_id") {
		t.Fatalf("a number as the id: %v, want an error naming devices[0].recycler_authorisation_id", err)
	}
}
