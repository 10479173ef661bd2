package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
)

// TestSectorReportWithTwoFactorSetsVerifies: a sector report whose
// operators filed under two factor sets names both, and renders to the
// same bytes every time, so it verifies again and again (the names came
// out of a map in random order once).
func TestSectorReportWithTwoFactorSetsVerifies(t *testing.T) {
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	ts.register("op-a") // files under apt-2026.1, the newest set a ledger starts with
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
	out := firstPageText(t, pdf)
	if !strings.Contains(out, "apt-2025.2, apt-2026.1") {
		t.Fatalf("the report does not name both factor sets in order:\n%.800s", out)
	}
	for i := range 12 {
		if res := ts.verify(pdf); !res.Valid {
			t.Fatalf("verification %d: %+v", i, res)
		}
	}
}
