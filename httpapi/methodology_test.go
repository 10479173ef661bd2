package httpapi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
)

// TestMetricsMethodologyQuery: a metrics answer names its methodology and
// carries a data_quality list; ?methodology= chooses another one (and is
// cached apart from the default), and an unknown one is a 422 naming the
// field.
func TestMetricsMethodologyQuery(t *testing.T) {
	ts := newAPI(t, filingTime)
	reg := ts.regulator()
	tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	v1 := ts.file(tok, returnFor(t, "sakura-mobile", "2025-Q3", nil))

	type answer struct {
		FactorSet   string `json:"factor_set"`
		Methodology string `json:"methodology"`
		DataQuality []struct {
			Code, Metric, Grid, Message string
		} `json:"data_quality"`
		E1 map[string]any `json:"e1"`
	}
	var def, v2026, again answer
	ts.mustJSON("GET", "/v1/returns/"+v1.ID+"/metrics", reg, nil, 200, &def)
	if def.Methodology != "2025.1" || def.DataQuality == nil || len(def.DataQuality) != 0 {
		t.Errorf("default: methodology %q, data_quality %v", def.Methodology, def.DataQuality)
	}
	if _, ok := def.E1["scope3_cat3_electricity_tco2e"]; ok {
		t.Error("2025.1 has scope3_cat3_electricity_tco2e")
	}
	ts.mustJSON("GET", "/v1/returns/"+v1.ID+"/metrics?methodology=2026.1", reg, nil, 200, &v2026)
	// apt-2025.1 states no basis for the JP factor: 2026.1 flags it
	// (beside G3's flags on the ppa and the residual mix).
	flagged := false
	for _, d := range v2026.DataQuality {
		flagged = flagged || d.Code == "grid_basis_not_stated" && d.Grid == "JP" && d.Message != ""
	}
	if v2026.Methodology != "2026.1" || !flagged {
		t.Errorf("2026.1: methodology %q, data_quality %+v", v2026.Methodology, v2026.DataQuality)
	}
	if v, ok := v2026.E1["scope3_cat3_electricity_tco2e"]; !ok || v != nil {
		t.Errorf("2026.1 scope3_cat3_electricity_tco2e = %v (present %v), want null", v, ok)
	}
	ts.mustJSON("GET", "/v1/returns/"+v1.ID+"/metrics", reg, nil, 200, &again)
	if again.Methodology != "2025.1" {
		t.Errorf("after a 2026.1 read the default answers %q: the cache ignores the methodology", again.Methodology)
	}

	var problem struct {
		Errors []struct{ Path, Message string } `json:"errors"`
	}
	ts.mustJSON("GET", "/v1/returns/"+v1.ID+"/metrics?methodology=2024.2", reg, nil, 422, &problem)
	if len(problem.Errors) != 1 || problem.Errors[0].Path != "methodology" {
		t.Errorf("unknown methodology: %+v", problem)
	}
}

// TestUnknownRegionIs422ListingTheCountry: with apt-2026.1 published, a
// return naming it and an Australian region the set lacks is a 422 whose
// error for the row lists the keys the set has for AU (G2); AU-ACT, an
// alias, files.
func TestUnknownRegionIs422ListingTheCountry(t *testing.T) {
	ts := newAPI(t, filingTime)
	var fs map[string]any
	if err := json.Unmarshal(fixtures.FactorSet20261(), &fs); err != nil {
		t.Fatal(err)
	}
	ts.mustJSON("POST", "/v1/factor-sets", ts.admin, fs, 201, nil)
	tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	withGrid := func(g string) map[string]any {
		return returnFor(t, "sakura-mobile", "2025-Q3", func(r map[string]any) {
			r["factor_set"] = "apt-2026.1"
			r["electricity"].([]any)[0].(map[string]any)["grid"] = g
		})
	}
	var problem struct {
		Errors []struct{ Path, Message string } `json:"errors"`
	}
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", tok, withGrid("AU-XYZ"), 422, &problem)
	found := false
	for _, e := range problem.Errors {
		if e.Path == "electricity[0].grid" {
			found = strings.HasSuffix(e.Message, "its keys for AU are AU, AU-ACT, AU-NSW, AU-NT, AU-QLD, AU-SA, AU-TAS, AU-VIC, AU-WA")
		}
	}
	if !found {
		t.Errorf("422 errors %+v do not list the AU keys at electricity[0].grid", problem.Errors)
	}
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", tok, withGrid("AU-ACT"), 201, nil)
}
