package httpapi

import (
	"strings"
	"testing"
	"time"
)

// TestRegionPublic reads GET /v1/region without a token for a quarter of
// two countries and checks the share of sites with backup power against
// figures worked out by hand: JP sums 17,900 of 18,250 and 17,900 of
// 20,000 sites (35,800 / 38,250 = 93.594771%), FJ has 17,900 of 18,250
// (98.082192%), the region 53,700 / 56,500 (95.044248%), and the median
// of the two countries is their mean (95.838482%). A submitted and a
// returned return, each with a marker in a supplier's name, appear in
// the coverage counts only.
func TestRegionPublic(t *testing.T) {
	const marker = "ZZREGIONHTTPMARKER"
	a := newAPI(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	reg := a.regulator()
	accept := map[string]any{"decision": "accept"}
	a.mustJSON("PUT", "/v1/jurisdictions/JP", a.admin, map[string]any{"name": "Japan"}, 200, nil)
	for _, op := range []struct {
		id, country string
		sites       int
	}{{"op-a", "JP", 18250}, {"op-b", "JP", 20000}, {"op-c", "FJ", 18250}, {"op-d", "JP", 0}, {"op-e", "FJ", 0}} {
		a.mustJSON("POST", "/v1/operators", a.admin, map[string]any{"id": op.id, "name": "Operator " + op.id, "country": op.country,
			"kinds": []string{"mobile"}, "reporting_from": "2020-Q1"}, 201, nil)
		var tok struct{ Token string }
		a.mustJSON("POST", "/v1/tokens", a.admin, map[string]any{"role": "operator", "operator": op.id}, 201, &tok)
		sites := op.sites
		f := a.file(tok.Token, returnFor(t, op.id, "2025-Q3", func(m map[string]any) {
			if sites == 0 {
				m["electricity"].([]any)[3].(map[string]any)["supplier"] = marker + " Power"
				return
			}
			m["activity"].(map[string]any)["sites_total"] = sites
		}))
		switch op.id {
		case "op-d": // left submitted
		case "op-e":
			a.mustJSON("POST", "/v1/returns/"+f.ID+"/reviews", reg, map[string]any{"decision": "return",
				"findings": []map[string]string{{"path": "fuels[0]", "message": "check"}}}, 201, nil)
		default:
			a.mustJSON("POST", "/v1/returns/"+f.ID+"/reviews", reg, accept, 201, nil)
		}
	}

	rec := a.do("GET", "/v1/region?period=2025-Q3", "", "", nil)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), marker) {
		t.Fatalf("an unaccepted return reached the regional view: %s", rec.Body)
	}
	var got struct {
		Metrics []struct {
			Key    string
			Region string
			Median *string
		}
		Countries []struct {
			Country, Name string
			Coverage      struct{ Due, Filed, Accepted int }
			Figures       map[string]*string
		}
		Coverage struct{ Due, Filed, Accepted int }
	}
	a.mustJSON("GET", "/v1/region?period=2025-Q3", "", nil, 200, &got)
	const key = "e3.backup_power_coverage_pct"
	if len(got.Countries) != 2 {
		t.Fatalf("countries %+v", got.Countries)
	}
	fj, jp := got.Countries[0], got.Countries[1]
	if fj.Country != "FJ" || fj.Name != "FJ" || jp.Name != "Japan" {
		t.Fatalf("countries %+v", got.Countries)
	}
	if *jp.Figures[key] != "93.594771" || *fj.Figures[key] != "98.082192" {
		t.Errorf("backup coverage JP %s FJ %s", *jp.Figures[key], *fj.Figures[key])
	}
	if jp.Coverage.Due != 3 || jp.Coverage.Filed != 3 || jp.Coverage.Accepted != 2 || fj.Coverage.Accepted != 1 || got.Coverage.Due != 5 || got.Coverage.Accepted != 3 {
		t.Errorf("coverage JP %+v FJ %+v region %+v", jp.Coverage, fj.Coverage, got.Coverage)
	}
	for _, m := range got.Metrics {
		if m.Key == key && (m.Region != "95.044248" || m.Median == nil || *m.Median != "95.838482") {
			t.Errorf("region %+v median %v", m, m.Median)
		}
	}

	rec = a.do("GET", "/v1/region?period=2025-Q5", "", "", nil)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), `"period"`) {
		t.Errorf("a bad period: %d %s", rec.Code, rec.Body)
	}
}
