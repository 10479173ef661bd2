package httpapi

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestDiffNamesFieldsAndCountsPoints: the diff of two versions names each
// changed field by the row it belongs to, names each metric as the
// documents do, and gives the change of a percentage in points, never as
// a change relative to the percentage.
func TestDiffNamesFieldsAndCountsPoints(t *testing.T) {
	ts := newAPI(t, filingTime)
	reg := ts.regulator()
	tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	v1 := ts.file(tok, returnFor(t, "sakura-mobile", "2025-Q3", nil))
	v2 := ts.file(tok, returnFor(t, "sakura-mobile", "2025-Q3", func(r map[string]any) {
		r["restates"], r["reason"] = v1.ID, "the wind PPA was under-reported"
		r["fuels"].([]any)[0].(map[string]any)["quantity"] = "92500"
		r["renewable_claims"].([]any)[1].(map[string]any)["kwh"] = "16500000"
	}))
	var d struct {
		Changes []struct{ Path, Label string }
		Metrics []struct {
			Metric    string  `json:"metric"`
			Label     string  `json:"label"`
			Unit      string  `json:"unit"`
			Before    *string `json:"before"`
			After     *string `json:"after"`
			Change    *string `json:"change"`
			ChangePct *string `json:"change_pct"`
		}
	}
	ts.mustJSON("GET", "/v1/returns/"+v2.ID+"/diff?against="+v1.ID, reg, nil, 200, &d)
	labels := map[string]string{}
	for _, c := range d.Changes {
		labels[c.Path] = c.Label
	}
	for path, want := range map[string]string{
		"fuels[0].quantity":       "Fuels · diesel, stationary, RAN · quantity",
		"renewable_claims[1].kwh": "Renewable claims · PPA, wind, JP · kWh",
		"reason":                  "Reason",
	} {
		if labels[path] != want {
			t.Errorf("%s: label %q, want %q", path, labels[path], want)
		}
	}
	var share, scope1 bool
	for _, m := range d.Metrics {
		if m.Label == "" || strings.Contains(m.Label, "_") {
			t.Errorf("%s: label %q is not in words", m.Metric, m.Label)
		}
		switch m.Metric {
		case "e1.renewable_electricity_share_pct":
			share = true
			if m.Unit != "%" || m.ChangePct != nil || m.Change == nil || m.Label != "Renewable electricity share" {
				t.Fatalf("the renewable share: %+v; want unit %%, a change in points and no relative change", m)
			}
			b, a := decimal.RequireFromString(*m.Before), decimal.RequireFromString(*m.After)
			if !decimal.RequireFromString(*m.Change).Equal(a.Sub(b)) || !a.GreaterThan(b) {
				t.Errorf("the renewable share: change %s, want %s - %s", *m.Change, a, b)
			}
		case "e1.scope1_tco2e":
			scope1 = true
			if m.Unit != "" || m.ChangePct == nil || m.Label != "Scope 1 emissions" {
				t.Errorf("scope 1: %+v", m)
			}
		}
	}
	if !share || !scope1 {
		t.Fatalf("the renewable share (%v) or scope 1 (%v) is missing from %+v", share, scope1, d.Metrics)
	}
}
