package httpapi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestDiffListsChangedMetrics restates a return with less diesel and
// checks that the diff lists, besides the field changes, the metrics that
// moved: before and after equal to each version's metrics endpoint,
// change = after - before, headline metrics first, untouched blocks absent.
func TestDiffListsChangedMetrics(t *testing.T) {
	ts := newAPI(t, filingTime)
	reg := ts.regulator()
	tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	v1 := ts.file(tok, returnFor(t, "sakura-mobile", "2025-Q3", nil))
	v2 := ts.file(tok, returnFor(t, "sakura-mobile", "2025-Q3", func(r map[string]any) {
		r["restates"], r["reason"] = v1.ID, "diesel litres were double counted at two RAN sites"
		r["fuels"].([]any)[0].(map[string]any)["quantity"] = "92500"
	}))

	var d struct {
		From, To   string
		Changes    []struct{ Path string }
		FactorSets struct{ From, To string } `json:"factor_sets"`
		Metrics    []struct {
			Metric    string  `json:"metric"`
			Headline  bool    `json:"headline"`
			Before    *string `json:"before"`
			After     *string `json:"after"`
			Change    *string `json:"change"`
			ChangePct *string `json:"change_pct"`
		}
	}
	ts.mustJSON("GET", "/v1/returns/"+v2.ID+"/diff?against="+v1.ID, reg, nil, 200, &d)
	var paths []string
	for _, c := range d.Changes {
		paths = append(paths, c.Path)
	}
	if strings.Join(paths, ",") != "fuels[0].quantity,reason,restates" || d.From != v1.ID || d.To != v2.ID {
		t.Fatalf("field changes %v from %s to %s", paths, d.From, d.To)
	}
	if d.FactorSets.From == "" || d.FactorSets.From != d.FactorSets.To {
		t.Fatalf("factor sets %v", d.FactorSets)
	}

	metricsOf := func(id string) map[string]map[string]any {
		var m struct{ E1 map[string]any }
		ts.mustJSON("GET", "/v1/returns/"+id+"/metrics", reg, nil, 200, &m)
		return map[string]map[string]any{"e1": m.E1}
	}
	m1, m2 := metricsOf(v1.ID), metricsOf(v2.ID)
	byKey := map[string]int{}
	seenOther := false
	for i, c := range d.Metrics {
		byKey[c.Metric] = i
		if !c.Headline {
			seenOther = true
		} else if seenOther {
			t.Fatalf("headline %s listed after other metrics", c.Metric)
		}
		if strings.HasPrefix(c.Metric, "e3.") || strings.HasPrefix(c.Metric, "e2.") || strings.Contains(c.Metric, "parts") {
			t.Errorf("%s changed, but the restatement only touched diesel", c.Metric)
		}
		if c.Before == nil || c.After == nil || c.Change == nil {
			t.Errorf("%s: %+v", c.Metric, c)
			continue
		}
		b, a := decimal.RequireFromString(*c.Before), decimal.RequireFromString(*c.After)
		if !decimal.RequireFromString(*c.Change).Equal(a.Sub(b)) {
			t.Errorf("%s: change %s, want %s - %s", c.Metric, *c.Change, a, b)
		}
	}
	for _, key := range []string{"scope1_tco2e", "energy_total_mwh"} {
		i, ok := byKey["e1."+key]
		if !ok || !d.Metrics[i].Headline {
			t.Fatalf("e1.%s missing or not a headline in %+v", key, d.Metrics)
		}
		c := d.Metrics[i]
		if *c.Before != m1["e1"][key] || *c.After != m2["e1"][key] {
			t.Errorf("e1.%s: diff %s -> %s, metrics %v -> %v", key, *c.Before, *c.After, m1["e1"][key], m2["e1"][key])
		}
		if c.ChangePct == nil || !strings.HasPrefix(*c.ChangePct, "-") {
			t.Errorf("e1.%s: change_pct %v, want a decrease", key, c.ChangePct)
		}
	}
	if i, ok := byKey["e1.scope1_by_source_tco2e.stationary_combustion"]; !ok || d.Metrics[i].Headline {
		t.Errorf("the scope 1 breakdown is missing or a headline: %+v", d.Metrics)
	}

	// The OpenAPI document describes the new shape.
	var doc json.RawMessage
	ts.mustJSON("GET", "/v1/openapi.json", "", nil, 200, &doc)
	if !strings.Contains(string(doc), `"change_pct"`) {
		t.Fatal("the OpenAPI document does not describe the metric changes")
	}
}
