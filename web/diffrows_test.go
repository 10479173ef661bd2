package web

import (
	"encoding/json"
	"testing"

	"github.com/ictledger/ictledger/service"
)

// TestFieldRowsFoldWholeElements: a site row only the later version has
// is one "added" row, a fuel only the earlier has one "removed" row, and
// a field changed inside an element both have stays a row of its own.
func TestFieldRowsFoldWholeElements(t *testing.T) {
	null := json.RawMessage("null")
	c := func(path, label, before, after string) service.Change {
		b, a := json.RawMessage(before), json.RawMessage(after)
		if before == "" {
			b = null
		}
		if after == "" {
			a = null
		}
		return service.Change{Path: path, Label: label, Before: b, After: a}
	}
	rows := fieldRows([]service.Change{
		c("fuels[2].quantity", "Fuels · natural gas, stationary, office · quantity", `"41000"`, ""),
		c("fuels[2].unit", "Fuels · natural gas, stationary, office · unit", `"m3"`, ""),
		c("reason", "Reason", "", `"meters fixed"`),
		c("sites[0].grid_kwh", "Sites · TKI-1 · grid kWh", `"10"`, `"12"`),
		c("sites[1].grid_kwh", "Sites · TKI-2 · grid kWh", "", `"5"`),
		c("sites[1].site_id", "Sites · TKI-2 · site id", "", `"TKI-2"`),
		c("sites[10].site_id", "Sites · TKI-11 · site id", "", `"TKI-11"`),
	})
	want := []fieldRow{
		{"Fuels · natural gas, stationary, office", "fuels[2]", "removed, 2 fields", notGiven},
		{"Reason", "reason", notGiven, "meters fixed"},
		{"Sites · TKI-1 · grid kWh", "sites[0].grid_kwh", "10", "12"},
		{"Sites · TKI-2", "sites[1]", notGiven, "added, 2 fields"},
		{"Sites · TKI-11 · site id", "sites[10].site_id", notGiven, "TKI-11"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %+v, want %+v", rows, want)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, rows[i], want[i])
		}
	}
}
