package main

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"os"
	"path/filepath"
	"testing"
)

// TestExampleParts files fixtures/example-parts (the README's multipart
// example: the return as JSON with its sites and devices as CSV files)
// and checks that the CSV rows are what the metrics count.
func TestExampleParts(t *testing.T) {
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	opTok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range []struct{ name, file, ctype string }{
		{"return", "return.json", "application/json"},
		{"sites", "sites.csv", "text/csv"},
		{"devices", "devices.csv", "text/csv"},
	} {
		b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "example-parts", p.file))
		if err != nil {
			t.Fatal(err)
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+p.name+`"; filename="`+p.file+`"`)
		h.Set("Content-Type", p.ctype)
		w, _ := mw.CreatePart(h)
		w.Write(b)
	}
	mw.Close()
	var filed filedReturn
	if code, _ := ts.do("POST", "/v1/operators/sakura-mobile/returns", opTok, mw.FormDataContentType(), body.Bytes(), &filed); code != 201 {
		t.Fatalf("multipart filing: %d", code)
	}
	var m struct {
		E2 struct {
			Total map[string]any `json:"total"`
		} `json:"e2"`
		E3 struct {
			BackupCoverage string `json:"backup_power_coverage_pct"`
			Parts          struct {
				SitesTotal int `json:"sites_total"`
			} `json:"parts"`
		} `json:"e3"`
	}
	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics", opTok, nil, 200, &m)
	// Six site rows, five with backup power; the devices CSV's flows
	// (the same as the JSON example's devices).
	if m.E3.Parts.SitesTotal != 6 || m.E3.BackupCoverage != "83.333333" ||
		m.E2.Total["inflow_kg"] != "274400" || m.E2.Total["collected_kg"] != "166380" {
		t.Fatalf("metrics of the example parts: %+v", m)
	}
}
