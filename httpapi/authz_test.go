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
		"regulator": issue(map[string]any{"role": "regulator"}).Token,
		"op-a":      issue(map[string]any{"role": "operator", "operator": "op-a"}).Token,
		"op-b":      issue(map[string]any{"role": "operator", "operator": "op-b"}).Token,
		"unknown":   "ictl_not-a-real-token",
	}
	revoked := issue(map[string]any{"role": "regulator", "label": "to revoke"})
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
		{"POST", "/v1/tokens", func(string) any { return map[string]any{"role": "regulator"} }, [7]int{401, 401, 401, 201, 403, 403, 403}},
		{"DELETE", "/v1/tokens/tok-000000000000", nil, [7]int{401, 401, 401, 404, 403, 403, 403}},
		{"GET", "/v1/factor-sets", nil, [7]int{401, 401, 401, 200, 200, 200, 200}},
		{"GET", "/v1/factor-sets/apt-2025.1", nil, [7]int{401, 401, 401, 200, 200, 200, 200}},
		{"POST", "/v1/factor-sets", func(string) any { return map[string]any{"version": "x"} }, [7]int{401, 401, 401, 422, 403, 403, 403}},
		{"POST", "/v1/operators/op-a/returns", fileBody, [7]int{401, 401, 401, 403, 403, 201, 403}},
		{"GET", "/v1/operators/op-a/returns", nil, [7]int{401, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/returns/" + rid, nil, [7]int{401, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/returns/" + rid + "/diff?against=" + rid, nil, [7]int{401, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/returns/" + rid + "/metrics", nil, [7]int{401, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/operators/op-a/metrics?period=2025-Q3", nil, [7]int{401, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/operators/op-a/disclosures/2025-Q3.pdf", nil, [7]int{404, 401, 401, 200, 200, 200, 403}},
		{"GET", "/v1/sector/status?period=2025-Q3", nil, [7]int{401, 401, 401, 200, 200, 403, 403}},
		{"GET", "/v1/sector/metrics?period=2025-Q3", nil, [7]int{401, 401, 401, 200, 200, 403, 403}},
		{"GET", "/v1/sector/export.csv?period=2025-Q3", nil, [7]int{401, 401, 401, 200, 200, 403, 403}},
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
