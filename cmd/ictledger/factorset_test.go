package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
)

// TestMetricsUnderOtherFactorSetsAndGWP recomputes a return under AR5 and
// under a newly published factor set, and checks that publishing changes
// nothing computed under the set the return was filed with.
func TestMetricsUnderOtherFactorSetsAndGWP(t *testing.T) {
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	ts.mustJSON("POST", "/v1/operators", testAdminToken,
		map[string]any{"id": "sakura-mobile", "name": "Sakura Mobile K.K.", "country": "JP", "kinds": []string{"mobile"}}, 201, nil)
	var opTok token
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "sakura-mobile"}, 201, &opTok)
	var filed struct {
		ID string `json:"id"`
	}
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, exampleReturn(t), 201, &filed)

	type e1 struct {
		FactorSet string `json:"factor_set"`
		GWP       string `json:"gwp"`
		E1        struct {
			Scope1 string `json:"scope1_tco2e"`
			Loc    string `json:"scope2_location_tco2e"`
		} `json:"e1"`
	}
	var ar6, ar5, before, newer, after e1
	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics", opTok.Token, nil, 200, &ar6)
	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics?gwp=ar5", opTok.Token, nil, 200, &ar5)
	if ar6.GWP != "ar6" || ar5.GWP != "ar5" || ar6.E1.Scope1 == ar5.E1.Scope1 || ar6.E1.Loc != ar5.E1.Loc {
		t.Fatalf("ar6 %+v, ar5 %+v", ar6, ar5)
	}
	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics?gwp=ar4", opTok.Token, nil, 422, nil)
	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics?factor_set=nope", opTok.Token, nil, 422, nil)
	before = ar6

	// Publish apt-2025.2 with a different Japanese grid factor.
	var fs map[string]any
	if err := json.Unmarshal(fixtures.DefaultFactorSet(), &fs); err != nil {
		t.Fatal(err)
	}
	fs["version"] = "apt-2025.2"
	fs["grid"].(map[string]any)["JP"].(map[string]any)["kgco2e_per_kwh"] = "0.4"
	ts.mustJSON("POST", "/v1/factor-sets", testAdminToken, fs, 201, nil)
	ts.mustJSON("POST", "/v1/factor-sets", testAdminToken, fs, 409, nil)
	ts.mustJSON("POST", "/v1/factor-sets", opTok.Token, fs, 403, nil)

	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics?factor_set=apt-2025.2", opTok.Token, nil, 200, &newer)
	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics", opTok.Token, nil, 200, &after)
	if newer.FactorSet != "apt-2025.2" || newer.E1.Loc == before.E1.Loc || newer.E1.Scope1 != before.E1.Scope1 {
		t.Fatalf("under apt-2025.2: %+v (before %+v)", newer, before)
	}
	if after != before {
		t.Fatalf("publishing a factor set changed metrics computed under the old one: %+v -> %+v", before, after)
	}
}

// TestSectorReportWithTwoFactorSetsVerifies: a sector report whose
// operators filed under two factor sets names both, and renders to the
// same bytes every time, so it verifies again and again (the names came
// out of a map in random order once).
func TestSectorReportWithTwoFactorSetsVerifies(t *testing.T) {
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	ts.register("op-a") // files under apt-2025.1
	var fs map[string]any
	if err := json.Unmarshal(fixtures.DefaultFactorSet(), &fs); err != nil {
		t.Fatal(err)
	}
	fs["version"] = "apt-2025.2"
	ts.mustJSON("POST", "/v1/factor-sets", testAdminToken, fs, 201, nil)
	ts.register("op-b") // files under apt-2025.2, the latest at filing

	pdf, _, code := ts.getPDF("/v1/sector/disclosures/2025-Q3.pdf", ts.regulator())
	if code != 200 {
		t.Fatalf("sector report: %d", code)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command("pdftotext", "-f", "1", "-l", "1", "-", "-")
		cmd.Stdin = bytes.NewReader(pdf)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		if !strings.Contains(string(out), "apt-2025.1, apt-2025.2") {
			t.Fatalf("the report does not name both factor sets in order:\n%.800s", out)
		}
	}
	for i := range 12 {
		if res := ts.verify(pdf); !res.Valid {
			t.Fatalf("verification %d: %+v", i, res)
		}
	}
}
