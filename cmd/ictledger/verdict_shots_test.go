package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// verdictShots screenshots the verify page with each of its three
// verdicts: a disclosure as issued (current), the same bytes after its
// quarter was restated and the restatement accepted (superseded), and a
// copy with one byte changed (not authentic, its technical details
// opened), and a regional report of the same quarter once the
// restatement changed the region's view (superseded), and a sector
// report likewise (superseded). It files into the
// demo, so it runs after the other shots.
func verdictShots(t *testing.T, p *page, ts *testServer) {
	t.Helper()
	op, reg := ts.addOperator("verdict-mobile", "Verdict Mobile"), ts.regulator()
	ret := exampleReturn(t)
	ret["operator"] = "verdict-mobile"
	ownCertificates(ret)
	var v1, v2 struct {
		ID string `json:"id"`
	}
	ts.mustJSON("POST", "/v1/operators/verdict-mobile/returns", op, ret, 201, &v1)
	ts.mustJSON("POST", "/v1/returns/"+v1.ID+"/reviews", reg, map[string]any{"decision": "accept"}, 201, nil)
	pdf, _, code := ts.getPDF("/v1/operators/verdict-mobile/disclosures/2025-Q3.pdf", "")
	if code != 200 {
		t.Fatalf("download: %d", code)
	}
	region, _, code := ts.getPDF("/v1/region/disclosures/2025-Q3.pdf", "")
	if code != 200 {
		t.Fatalf("regional report: %d", code)
	}
	sector, _, code := ts.getPDF("/v1/sector/disclosures/2025-Q3.pdf", reg)
	if code != 200 {
		t.Fatalf("sector report: %d", code)
	}
	dir := t.TempDir()
	file, forgedFile := filepath.Join(dir, "verdict-2025-Q3.pdf"), filepath.Join(dir, "forged.pdf")
	regionFile, sectorFile := filepath.Join(dir, "region-2025-Q3.pdf"), filepath.Join(dir, "sector-2025-Q3.pdf")
	if err := os.WriteFile(regionFile, region, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sectorFile, sector, 0o600); err != nil {
		t.Fatal(err)
	}
	forged := append([]byte(nil), pdf...)
	forged[len(forged)/2] ^= 1
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(forgedFile, forged, 0o600); err != nil {
		t.Fatal(err)
	}
	verify := func(f string) {
		t.Helper()
		p.open("/verify")
		p.submit("verify "+f, `form[action="/verify"] button`, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{f}))
	}
	verify(file)
	p.shot("verify-current")
	verify(forgedFile)
	p.do("open the details", chromedp.Click(chromedp.CSS("#v-technical summary")))
	p.shot("verify-not-authentic")
	ret["restates"], ret["reason"] = v1.ID, "diesel for the backup generators was counted twice in August"
	ret["fuels"].([]any)[0].(map[string]any)["quantity"] = "170000"
	ts.mustJSON("POST", "/v1/operators/verdict-mobile/returns", op, ret, 201, &v2)
	ts.mustJSON("POST", "/v1/returns/"+v2.ID+"/reviews", reg, map[string]any{"decision": "accept"}, 201, nil)
	verify(file)
	p.shot("verify-superseded")
	verify(regionFile)
	p.shot("verify-region-superseded")
	verify(sectorFile)
	p.shot("verify-sector-superseded")
}
