package httpapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestAuthorizationMatrix calls every endpoint as every kind of caller
// and checks the exact status docs/spec/api.md gives: 401 without or with a bad
// token, 403 for a known token without the right, and an operator's token
// never reaching another operator's data.
func TestAuthorizationMatrix(t *testing.T) {
	ts := newAPI(t, time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC))
	for _, op := range []string{"op-a", "op-b"} {
		ts.mustJSON("POST", "/v1/operators", ts.admin,
			map[string]any{"id": op, "name": "Operator " + op, "country": "JP", "kinds": []string{"mobile"}}, 201, nil)
	}
	type token struct{ ID, Token string }
	issue := func(body map[string]any) token {
		var tok token
		ts.mustJSON("POST", "/v1/tokens", ts.admin, body, 201, &tok)
		return tok
	}
	tokens := map[string]string{
		"none":      "",
		"admin":     ts.admin,
		"regulator": issue(map[string]any{"role": "regulator", "jurisdictions": []string{"*"}}).Token,
		"op-a":      issue(map[string]any{"role": "operator", "operator": "op-a"}).Token,
		"op-b":      issue(map[string]any{"role": "operator", "operator": "op-b"}).Token,
		"unknown":   "ictl_not-a-real-token",
	}
	revoked := issue(map[string]any{"role": "regulator", "jurisdictions": []string{"*"}, "label": "to revoke"})
	ts.mustJSON("DELETE", "/v1/tokens/"+revoked.ID, ts.admin, nil, 204, nil)
	tokens["revoked"] = revoked.Token

	ret := returnFor(t, "op-a", "2025-Q3", nil)
	var filed struct {
		ID string `json:"id"`
	}
	ts.mustJSON("POST", "/v1/operators/op-a/returns", tokens["op-a"], ret, 201, &filed)
	rid := filed.ID

	callers := []string{"none", "unknown", "revoked", "admin", "regulator", "op-a", "op-b"}
	// want lists the status per caller, in the order of callers.
	type row struct {
		method, path string
		body         func(caller string) any
		want         [7]int
	}
	fileBody := func(caller string) any {
		if caller == "op-a" {
			return returnFor(t, "op-a", "2025-Q1", nil)
		}
		return returnFor(t, "op-a", "2025-Q2", nil)
	}
	rows := []row{
		{"GET", "/healthz", nil, [7]int{200, 401, 401, 200, 200, 200, 200}},
		{"GET", "/v1/openapi.json", nil, [7]int{200, 401, 401, 200, 200, 200, 200}},
		{"GET", "/v1/ledger/checkpoint", nil, [7]int{200, 401, 401, 200, 200, 200, 200}},
		{"GET", "/v1/ledger/checkpoint.json", nil, [7]int{200, 401, 401, 200, 200, 200, 200}},
		{"GET", "/v1/ledger/key", nil, [7]int{200, 401, 401, 200, 200, 200, 200}},
		{"GET", "/v1/ledger/proof/inclusion?seq=0&size=2", nil, [7]int{200, 401, 401, 200, 200, 200, 200}},
		{"GET", "/v1/ledger/proof/consistency?from=1&to=2", nil, [7]int{200, 401, 401, 200, 200, 200, 200}},
		{"GET", "/v1/ledger/entries?start=0&limit=2", nil, [7]int{401, 401, 401, 200, 200, 403, 403}},
		{"GET", "/v1/operators", nil, [7]int{401, 401, 401, 200, 200, 403, 403}},
		{"GET", "/v1/operators/op-a", nil, [7]int{401, 401, 401, 200, 200, 200, 403}},
		{"POST", "/v1/operators", func(c string) any {
			return map[string]any{"id": "new-" + c, "name": "New", "country": "FJ", "kinds": []string{"fixed"}}
		}, [7]int{401, 401, 401, 201, 403, 403, 403}},
		{"POST", "/v1/tokens", func(string) any { return map[string]any{"role": "regulator", "jurisdictions": []string{"*"}} }, [7]int{401, 401, 401, 201, 403, 403, 403}},
		{"DELETE", "/v1/tokens/tok-000000000000", nil, [7]int{401, 401, 401, 404, 403, 403, 403}},
		{"GET", "/v1/factor-sets", nil, [7]int{401, 401, 401, 200, 200, 200, 200}},
		{"GET", "/v1/factor-sets/apt-2025.1", nil, [7]int{401, 401, 401, 200, 200, 200, 200}},
		{"POST", "/v1/factor-sets", func(string) any { return map[string]any{"version": "x"} }, [7]int{401, 401, 401, 422, 403, 403, 403}},
		{"POST", "/v1/operators/op-a/returns", fileBody, [7]int{401, 401, 401, 403, 403, 201, 403}},
		{"GET", "/v1/operators/op-a/returns", nil, [7]int{401, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/returns/" + rid, nil, [7]int{401, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/returns/" + rid + "/diff?against=" + rid, nil, [7]int{401, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/returns/" + rid + "/metrics", nil, [7]int{401, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/returns/" + rid + "/metrics.xlsx", nil, [7]int{401, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/operators/op-a/metrics?period=2025-Q3", nil, [7]int{401, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/operators/op-a/disclosures/2025-Q3.pdf", nil, [7]int{404, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/sector/status?period=2025-Q3", nil, [7]int{401, 401, 401, 200, 200, 403, 403}},
		{"GET", "/v1/sector/metrics?period=2025-Q3", nil, [7]int{401, 401, 401, 200, 200, 403, 403}},
		{"GET", "/v1/sector/export.csv?period=2025-Q3", nil, [7]int{401, 401, 401, 200, 200, 403, 403}},
		{"GET", "/v1/sector/export.xlsx?period=2025-Q3", nil, [7]int{401, 401, 401, 200, 200, 403, 403}},
		{"GET", "/v1/sector/disclosures/2025-Q3.pdf", nil, [7]int{401, 401, 401, 200, 200, 403, 403}},
		{"PUT", "/v1/deadlines/2025-Q3", func(string) any {
			return map[string]any{"deadline": "2025-12-31T00:00:00Z", "reason": "typhoon season"}
		}, [7]int{401, 401, 401, 200, 403, 403, 403}},
		{"POST", "/v1/returns/" + rid + "/reviews", func(string) any {
			return map[string]any{"decision": "return", "findings": []any{map[string]any{"path": "fuels[0].quantity", "message": "check litres"}}}
		}, [7]int{401, 401, 401, 403, 201, 403, 403}},
	}
	var failures []string
	for _, r := range rows {
		for i, caller := range callers {
			var body []byte
			if r.body != nil {
				body, _ = json.Marshal(r.body(caller))
			}
			rec := ts.do(r.method, r.path, tokens[caller], "application/json", body)
			if rec.Code != r.want[i] {
				failures = append(failures, fmt.Sprintf("%s %s as %s: %d, want %d: %s", r.method, r.path, caller, rec.Code, r.want[i], rec.Body))
			}
		}
	}
	if len(failures) > 0 {
		t.Fatalf("%d wrong statuses:\n%s", len(failures), strings.Join(failures, "\n"))
	}
}

// TestAuthorizationJurisdictions extends the matrix with regulators bound
// to jurisdictions: a TH regulator gets 404 on everything of a JP
// operator (it does not learn that the operator exists), sees TH
// operators only in its listings, and an all-countries regulator sees
// both.
func TestAuthorizationJurisdictions(t *testing.T) {
	ts := newAPI(t, time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC))
	for _, cc := range []string{"TH", "JP"} {
		ts.mustJSON("PUT", "/v1/jurisdictions/"+cc, ts.admin, map[string]any{"name": "Administration " + cc}, 200, nil)
	}
	ops := map[string]string{"th-op": "TH", "jp-op": "JP"}
	rids := map[string]string{}
	for id, cc := range ops {
		ts.mustJSON("POST", "/v1/operators", ts.admin, map[string]any{"id": id, "name": "Operator " + id, "country": cc,
			"kinds": []string{"mobile"}, "reporting_from": "2025-Q3"}, 201, nil)
		var tok struct{ Token string }
		ts.mustJSON("POST", "/v1/tokens", ts.admin, map[string]any{"role": "operator", "operator": id}, 201, &tok)
		var filed struct{ ID string }
		ts.mustJSON("POST", "/v1/operators/"+id+"/returns", tok.Token, returnFor(t, id, "2025-Q3", nil), 201, &filed)
		rids[id] = filed.ID
	}
	var th, all struct{ Token string }
	ts.mustJSON("POST", "/v1/tokens", ts.admin, map[string]any{"role": "regulator", "jurisdictions": []string{"TH"}}, 201, &th)
	ts.mustJSON("POST", "/v1/tokens", ts.admin, map[string]any{"role": "regulator", "jurisdictions": []string{"*"}}, 201, &all)

	jp := rids["jp-op"]
	denied := []struct{ method, path string }{
		{"GET", "/v1/operators/jp-op"},
		{"GET", "/v1/operators/jp-op/returns"},
		{"GET", "/v1/operators/jp-op/metrics?period=2025-Q3"},
		{"GET", "/v1/returns/" + jp},
		{"GET", "/v1/returns/" + jp + "/metrics"},
		{"GET", "/v1/returns/" + jp + "/metrics.xlsx"},
		{"GET", "/v1/returns/" + jp + "/diff?against=" + jp},
		{"GET", "/v1/operators/jp-op/disclosures/2025-Q3.pdf"},
		{"GET", "/v1/sector/status?period=2025-Q3&country=JP"},
		{"GET", "/v1/sector/metrics?period=2025-Q3&country=JP"},
		{"GET", "/v1/sector/export.csv?period=2025-Q3&country=JP"},
		{"GET", "/v1/sector/export.xlsx?period=2025-Q3&country=JP"},
		{"GET", "/v1/sector/disclosures/2025-Q3.pdf?country=JP"},
		{"POST", "/v1/returns/" + jp + "/reviews"},
	}
	review, _ := json.Marshal(map[string]any{"decision": "accept"})
	for _, d := range denied {
		for name, tok := range map[string]string{"TH regulator": th.Token, "all-countries regulator": all.Token} {
			rec := ts.do(d.method, d.path, tok, "application/json", review)
			want := 404
			if name != "TH regulator" {
				want = map[string]int{"POST": 201, "GET": 200}[d.method]
			}
			if rec.Code != want {
				t.Errorf("%s %s as %s: %d, want %d: %s", d.method, d.path, name, rec.Code, want, rec.Body)
			}
		}
	}
	// The same requests for the TH operator succeed for the TH regulator.
	th1 := rids["th-op"]
	for _, path := range []string{"/v1/operators/th-op", "/v1/returns/" + th1, "/v1/returns/" + th1 + "/metrics",
		"/v1/returns/" + th1 + "/diff?against=" + th1, "/v1/operators/th-op/disclosures/2025-Q3.pdf"} {
		if rec := ts.do("GET", path, th.Token, "", nil); rec.Code != 200 {
			t.Errorf("GET %s as TH regulator: %d: %s", path, rec.Code, rec.Body)
		}
	}
	// Listings hold TH operators only.
	var status struct {
		Country   string `json:"country"`
		Operators []struct{ Operator string }
	}
	ts.mustJSON("GET", "/v1/sector/status?period=2025-Q3", th.Token, nil, 200, &status)
	if status.Country != "TH" || len(status.Operators) != 1 || status.Operators[0].Operator != "th-op" {
		t.Errorf("TH regulator's status: %+v", status)
	}
	var sector struct {
		Country   string `json:"country"`
		Operators []struct{ Operator string }
	}
	ts.mustJSON("GET", "/v1/sector/metrics?period=2025-Q3", th.Token, nil, 200, &sector)
	if sector.Country != "TH" || len(sector.Operators) != 1 || sector.Operators[0].Operator != "th-op" {
		t.Errorf("TH regulator's sector view (anomalies included): %+v", sector)
	}
	if csv := ts.do("GET", "/v1/sector/export.csv?period=2025-Q3", th.Token, "", nil).Body.String(); strings.Contains(csv, "jp-op") || !strings.Contains(csv, "th-op") {
		t.Errorf("TH regulator's export:\n%s", csv)
	}
	var listed []struct{ ID string }
	ts.mustJSON("GET", "/v1/operators", th.Token, nil, 200, &listed)
	if len(listed) != 1 || listed[0].ID != "th-op" {
		t.Errorf("TH regulator's operators: %+v", listed)
	}
	var js []struct{ Country string }
	ts.mustJSON("GET", "/v1/jurisdictions", th.Token, nil, 200, &js)
	if len(js) != 1 || js[0].Country != "TH" {
		t.Errorf("TH regulator's jurisdictions: %+v", js)
	}
	ts.mustJSON("GET", "/v1/ledger/entries?start=0&limit=2", th.Token, nil, 403, nil)
	ts.mustJSON("GET", "/v1/sector/status?period=2025-Q3", all.Token, nil, 200, &status)
	if len(status.Operators) != 2 {
		t.Errorf("all-countries regulator's status: %+v", status)
	}
	// A regulator token must say which jurisdictions it covers.
	rec := ts.do("POST", "/v1/tokens", ts.admin, "application/json", []byte(`{"role":"regulator"}`))
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), `"path":"jurisdictions"`) {
		t.Errorf("regulator token without jurisdictions: %d %s", rec.Code, rec.Body)
	}
}
