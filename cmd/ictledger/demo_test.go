package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// TestDemoMetricsAreNumbersOrExplained loads the demo and checks every E2
// and E3 metric of every return: a number, or null with a reason in
// "unavailable"; never negative where a negative makes no sense.
func TestDemoMetricsAreNumbersOrExplained(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	ts, toks := startDemo(t, Config{Now: func() time.Time { return now }})
	defer ts.stop()

	var reg, national string
	var operators []string
	for _, tk := range toks {
		if tk.Role == "regulator" && len(tk.Jurisdictions) > 0 {
			national = tk.Token
			continue
		}
		if tk.Role == "regulator" {
			reg = tk.Token
		}
		if tk.Operator != "" {
			operators = append(operators, tk.Operator)
		}
	}
	if len(operators) < 4 || reg == "" || national == "" {
		t.Fatalf("demo tokens: %+v", toks)
	}
	// At least three administrations, and a regulator of Thailand that
	// sees Thai operators only.
	var js []struct{ Country string }
	ts.mustJSON("GET", "/v1/jurisdictions", testAdminTokenOf(t, ts.m.cfg.DataDir), nil, 200, &js)
	if len(js) < 3 {
		t.Errorf("demo jurisdictions: %+v", js)
	}
	var st struct {
		Country   string
		Operators []struct{ Country string }
	}
	ts.mustJSON("GET", "/v1/sector/status?period=2026-Q3", national, nil, 200, &st)
	if st.Country != "TH" || len(st.Operators) == 0 {
		t.Errorf("the TH regulator's status: %+v", st)
	}
	for _, row := range st.Operators {
		if row.Country != "TH" {
			t.Errorf("the TH regulator sees an operator of %s", row.Country)
		}
	}
	checked := 0
	for _, op := range operators {
		var versions []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		ts.mustJSON("GET", "/v1/operators/"+op+"/returns", reg, nil, 200, &versions)
		if len(versions) < 8 {
			t.Errorf("%s: %d versions, want at least 8 quarters", op, len(versions))
		}
		for _, v := range versions {
			if v.Status == "superseded" {
				continue
			}
			var metrics map[string]any
			ts.mustJSON("GET", "/v1/returns/"+v.ID+"/metrics", reg, nil, 200, &metrics)
			explained := map[string]bool{}
			for _, u := range metrics["unavailable"].([]any) {
				explained[u.(map[string]any)["metric"].(string)] = true
			}
			for _, section := range []string{"e2", "e3"} {
				walkMetrics(section, metrics[section], func(path string, val any) {
					checked++
					if val == nil {
						if !explained[path] {
							t.Errorf("%s %s is null without a reason", v.ID, path)
						}
						return
					}
					s, ok := val.(string)
					if !ok {
						return
					}
					d, err := decimal.NewFromString(s)
					if err != nil {
						t.Errorf("%s %s = %q is not a decimal", v.ID, path, s)
						return
					}
					if d.Sign() < 0 && !strings.Contains(path, "gap") && !strings.Contains(path, "stock_change") {
						t.Errorf("%s %s = %s is negative", v.ID, path, s)
					}
				})
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d values checked", checked)
	}
}

// walkMetrics calls f for every metric leaf under path, skipping the
// additive parts (inputs to roll-ups, not metrics) and flags.
func walkMetrics(path string, v any, f func(string, any)) {
	switch n := v.(type) {
	case map[string]any:
		for k, c := range n {
			if strings.HasPrefix(k, "parts") || k == "weee_targets" || k == "mci_basis" || strings.HasSuffix(k, "_partial") ||
				k == "collection_rate_pom_years" || k == "device_categories" { // labels, not metrics
				continue
			}
			walkMetrics(path+"."+k, c, f)
		}
	case []any:
		for _, c := range n {
			walkMetrics(path, c, f)
		}
	default:
		f(path, v)
	}
}

// testAdminTokenOf is the admin secret a server wrote into dir at its
// first start.
func testAdminTokenOf(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "admin.token"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// startDemo serves the demo ledger in a new data directory with cfg (its
// address, directory and Demo set here) and returns the server and the
// tokens the demo wrote. The caller stops the server.
func startDemo(t *testing.T, cfg Config) (*testServer, []demoToken) {
	t.Helper()
	dir := t.TempDir()
	cfg.Demo = true
	ts := startConfigured(t, dir, cfg)
	raw, err := os.ReadFile(filepath.Join(dir, demoTokensFile))
	if err != nil {
		ts.stop()
		t.Fatal(err)
	}
	var toks []demoToken
	if err := json.Unmarshal(raw, &toks); err != nil {
		ts.stop()
		t.Fatal(err)
	}
	return ts, toks
}

// demoTokenOf returns the first of the demo's tokens of role; for a
// regulator, the one of every country. The admin's is in the file only
// when no ICTLEDGER_ADMIN_TOKEN was set.
func demoTokenOf(t *testing.T, toks []demoToken, role ledger.Role) demoToken {
	t.Helper()
	for _, tk := range toks {
		if tk.Role == role && len(tk.Jurisdictions) == 0 {
			return tk
		}
	}
	t.Fatalf("the demo printed no %s token of every country: %+v", role, toks)
	return demoToken{}
}
