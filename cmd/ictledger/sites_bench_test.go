package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// sitesBody builds a multipart filing of the example return for period
// with n site rows in a sites CSV part.
func sitesBody(t testing.TB, period string, n int) ([]byte, string) {
	ret := exampleReturn(t.(*testing.T))
	ret["period"] = period
	delete(ret, "historic_inflow")
	delete(ret["activity"].(map[string]any), "sites_total")
	res := ret["resilience"].(map[string]any)
	for _, k := range []string{"sites_with_backup", "backup_autonomy", "sites_hazard_assessed", "sites_high_hazard", "sites_high_hazard_hardened", "outages"} {
		delete(res, k)
	}
	js, err := json.Marshal(ret)
	if err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("site_id,domain,grid,grid_kwh,diesel_l,solar_kwh,backup_hours,hazard_level,hazard_assessed,hardened,offgrid\n")
	levels := []string{"none", "low", "medium", "high"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&csv, "S%06d,ran,JP,%d.5,%d,%d,%d,%s,%t,%t,false\n", i, 4000+i%900, i%7*10, i%5*100, i%96, levels[i%4], i%3 != 0, i%8 == 0)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	p, _ := w.CreateFormFile("return", "return.json")
	p.Write(js)
	p, _ = w.CreateFormFile("sites", "sites.csv")
	p.Write([]byte(csv.String()))
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// TestHundredThousandSiteRows files a return with 100,000 site rows
// through the HTTP API (multipart, sites CSV) and reads its metrics: it
// must be accepted, and it reports time and memory. Skipped with -short.
func TestHundredThousandSiteRows(t *testing.T) {
	if testing.Short() {
		t.Skip("large filing")
	}
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	ts.mustJSON("POST", "/v1/operators", testAdminToken,
		map[string]any{"id": "sakura-mobile", "name": "Sakura Mobile K.K.", "country": "JP", "kinds": []string{"mobile"}}, 201, nil)
	var opTok token
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "sakura-mobile"}, 201, &opTok)
	body, ct := sitesBody(t, "2025-Q2", 100_000)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var filed struct {
		ID string `json:"id"`
	}
	var raw json.RawMessage
	got, _ := ts.do("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, ct, body, &raw)
	if got != http.StatusCreated {
		t.Fatalf("filing: %d %s", got, raw)
	}
	json.Unmarshal(raw, &filed)
	fileTime := time.Since(start)
	start = time.Now()
	var m struct {
		E3 struct {
			Backup string `json:"backup_power_coverage_pct"`
		} `json:"e3"`
	}
	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics", opTok.Token, nil, 200, &m)
	metricsTime := time.Since(start)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if m.E3.Backup == "" {
		t.Fatal("no backup coverage computed from the site rows")
	}
	t.Logf("100,000 site rows: body %.1f MB, filed in %v, metrics in %v, %.0f MB allocated, heap in use after %.0f MB",
		float64(len(body))/1e6, fileTime.Round(time.Millisecond), metricsTime.Round(time.Millisecond),
		float64(after.TotalAlloc-before.TotalAlloc)/1e6, float64(after.HeapInuse)/1e6)
}
