package httpapi

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/ictledger/ictledger/fixtures"
)

// filingTime is after the end of 2025-Q3.
var filingTime = time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC)

// A retried filing with the same Idempotency-Key gets the same bytes,
// marked Idempotent-Replayed; the key reused for another return is 409.
// (That nothing is written is the service's test.)
func TestIdempotencyKeyHeader(t *testing.T) {
	ts := newAPI(t, filingTime)
	tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	post := func(ret map[string]any, key string) (int, string, []byte) {
		b, err := json.Marshal(ret)
		if err != nil {
			t.Fatal(err)
		}
		rec := ts.do("POST", "/v1/operators/sakura-mobile/returns", tok, "application/json", b, "Idempotency-Key", key)
		return rec.Code, rec.Header().Get("Idempotent-Replayed"), rec.Body.Bytes()
	}
	q3 := returnFor(t, "sakura-mobile", "2025-Q3", nil)
	code, replayed, first := post(q3, "q3-upload-1")
	if code != 201 || replayed != "" {
		t.Fatalf("first: %d (replayed %q) %s", code, replayed, first)
	}
	code, replayed, again := post(q3, "q3-upload-1")
	if code != 201 || !bytes.Equal(first, again) || replayed != "true" {
		t.Fatalf("retry: %d %s (replayed %q)\nfirst %s", code, again, replayed, first)
	}
	q2 := returnFor(t, "sakura-mobile", "2025-Q2", nil)
	if code, _, out := post(q2, "q3-upload-1"); code != 409 {
		t.Fatalf("key reused for another return: %d %s", code, out)
	}
	if code, _, out := post(q2, "q2-upload-1"); code != 201 {
		t.Fatalf("new key: %d %s", code, out)
	}
}

// TestExampleParts files fixtures/example-parts (the README's multipart
// example: the return as JSON with its sites and devices as CSV files)
// and checks that the CSV rows are what the metrics count.
func TestExampleParts(t *testing.T) {
	ts := newAPI(t, filingTime)
	tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")

	id := ts.fileParts(tok, "example-parts")
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
	ts.mustJSON("GET", "/v1/returns/"+id+"/metrics", tok, nil, 200, &m)
	// Six site rows, five with backup power; the devices CSV's flows
	// (the same as the JSON example's devices).
	if m.E3.Parts.SitesTotal != 6 || m.E3.BackupCoverage != "83.333333" ||
		m.E2.Total["inflow_kg"] != "274400" || m.E2.Total["collected_kg"] != "166380" {
		t.Fatalf("metrics of the example parts: %+v", m)
	}
}

// TestMetricsUnderOtherFactorSetsAndGWP recomputes a return under AR5 and
// under a newly published factor set, and checks that publishing changes
// nothing computed under the set the return was filed with.
func TestMetricsUnderOtherFactorSetsAndGWP(t *testing.T) {
	ts := newAPI(t, filingTime)
	tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	filed := ts.file(tok, returnFor(t, "sakura-mobile", "2025-Q3", nil))

	type e1 struct {
		FactorSet string `json:"factor_set"`
		GWP       string `json:"gwp"`
		E1        struct {
			Scope1 string `json:"scope1_tco2e"`
			Loc    string `json:"scope2_location_tco2e"`
		} `json:"e1"`
	}
	var ar6, ar5, newer, after e1
	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics", tok, nil, 200, &ar6)
	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics?gwp=ar5", tok, nil, 200, &ar5)
	if ar6.GWP != "ar6" || ar5.GWP != "ar5" || ar6.E1.Scope1 == ar5.E1.Scope1 || ar6.E1.Loc != ar5.E1.Loc {
		t.Fatalf("ar6 %+v, ar5 %+v", ar6, ar5)
	}
	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics?gwp=ar4", tok, nil, 422, nil)
	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics?factor_set=nope", tok, nil, 422, nil)
	before := ar6

	// Publish apt-2025.2 with a different Japanese grid factor.
	var fs map[string]any
	if err := json.Unmarshal(fixtures.DefaultFactorSet(), &fs); err != nil {
		t.Fatal(err)
	}
	fs["version"] = "apt-2025.2"
	fs["grid"].(map[string]any)["JP"].(map[string]any)["kgco2e_per_kwh"] = "0.4"
	ts.mustJSON("POST", "/v1/factor-sets", ts.admin, fs, 201, nil)
	ts.mustJSON("POST", "/v1/factor-sets", ts.admin, fs, 409, nil)
	ts.mustJSON("POST", "/v1/factor-sets", tok, fs, 403, nil)

	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics?factor_set=apt-2025.2", tok, nil, 200, &newer)
	ts.mustJSON("GET", "/v1/returns/"+filed.ID+"/metrics", tok, nil, 200, &after)
	if newer.FactorSet != "apt-2025.2" || newer.E1.Loc == before.E1.Loc || newer.E1.Scope1 != before.E1.Scope1 {
		t.Fatalf("under apt-2025.2: %+v (before %+v)", newer, before)
	}
	if after != before {
		t.Fatalf("publishing a factor set changed metrics computed under the old one: %+v -> %+v", before, after)
	}
}
