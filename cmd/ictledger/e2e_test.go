package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
)

// testServer runs the real wiring on 127.0.0.1:0 in dir.
type testServer struct {
	t    *testing.T
	m    *Main
	base string
	done chan error
}

const testAdminToken = "ictl_test-admin-secret-0123456789abcdef"

func startServer(t *testing.T, dir string) *testServer {
	t.Helper()
	return startConfigured(t, dir, Config{AdminToken: testAdminToken})
}

func (ts *testServer) stop() {
	ts.t.Helper()
	if err := ts.m.Close(); err != nil {
		ts.t.Fatalf("close: %v", err)
	}
	if err := <-ts.done; err != nil {
		ts.t.Fatalf("serve: %v", err)
	}
}

// do sends a request and decodes a JSON answer into out (when not nil;
// a *json.RawMessage keeps the bytes). header is extra header names and
// values, in pairs.
func (ts *testServer) do(method, path, token, contentType string, body []byte, out any, header ...string) (int, http.Header) {
	ts.t.Helper()
	req, err := http.NewRequest(method, ts.base+path, bytes.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			ts.t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode, resp.Header
}

func (ts *testServer) mustJSON(method, path, token string, body any, want int, out any) {
	ts.t.Helper()
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			ts.t.Fatal(err)
		}
	}
	var raw json.RawMessage
	got, _ := ts.do(method, path, token, "application/json", b, &raw)
	if got != want {
		ts.t.Fatalf("%s %s: status %d, want %d: %s", method, path, got, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			ts.t.Fatal(err)
		}
	}
}

func exampleReturn(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(fixtures.ExampleReturn()))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// ownCertificates makes the certificate ids of a return built from the
// example its operator's and quarter's own: a server starts with
// apt-2026.1 as its newest set, under which a certificate counts once in
// the ledger (methodology 2026.1 G3). A restatement keeps them.
func ownCertificates(m map[string]any) map[string]any {
	prefix := fmt.Sprintf("%v-%v-", m["operator"], m["period"])
	claims, _ := m["renewable_claims"].([]any)
	for _, c := range claims {
		certs, _ := c.(map[string]any)["certificates"].([]any)
		for i, id := range certs {
			certs[i] = prefix + fmt.Sprint(id)
		}
	}
	return m
}

type token struct {
	ID    string `json:"id"`
	Token string `json:"token"`
}

// TestEndToEnd registers an operator, issues tokens, files, restates and
// reviews a return, restarts the server and finds everything as it was,
// under the same checkpoint root.
func TestEndToEnd(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir)

	ts.mustJSON("POST", "/v1/operators", testAdminToken,
		map[string]any{"id": "sakura-mobile", "name": "Sakura Mobile K.K.", "country": "JP", "kinds": []string{"mobile"}}, 201, nil)
	var opTok, regTok token
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "sakura-mobile", "label": "sustainability team"}, 201, &opTok)
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "regulator", "jurisdictions": []string{"*"}, "label": "analyst"}, 201, &regTok)
	if !strings.HasPrefix(opTok.Token, "ictl_") {
		t.Fatalf("token %q", opTok.Token)
	}

	ret := exampleReturn(t)
	var filed struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
		Status  string `json:"status"`
		Entry   struct {
			Seq  uint64 `json:"seq"`
			Hash string `json:"hash"`
		} `json:"entry"`
	}
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, ret, 201, &filed)
	if filed.Version != 1 || filed.Status != "submitted" || filed.Entry.Hash == "" {
		t.Fatalf("filed: %+v", filed)
	}
	// Filing again without restates is a conflict.
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, ret, 409, nil)

	ret["restates"] = filed.ID
	ret["reason"] = "diesel litres were double counted at two RAN sites"
	ret["fuels"].([]any)[0].(map[string]any)["quantity"] = "180000"
	var restated struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, ret, 201, &restated)
	if restated.Version != 2 {
		t.Fatalf("restated: %+v", restated)
	}
	// The superseded version cannot be reviewed; the latest can.
	review := map[string]any{"decision": "accept", "comment": "consistent with last year"}
	ts.mustJSON("POST", "/v1/returns/"+filed.ID+"/reviews", regTok.Token, review, 409, nil)
	ts.mustJSON("POST", "/v1/returns/"+restated.ID+"/reviews", regTok.Token, review, 201, nil)

	var diff struct {
		Changes []struct {
			Path string `json:"path"`
		} `json:"changes"`
	}
	ts.mustJSON("GET", "/v1/returns/"+restated.ID+"/diff?against="+filed.ID, regTok.Token, nil, 200, &diff)
	paths := []string{}
	for _, c := range diff.Changes {
		paths = append(paths, c.Path)
	}
	if got := strings.Join(paths, ","); got != "fuels[0].quantity,reason,restates" {
		t.Fatalf("diff paths %s", got)
	}

	var before struct {
		Size uint64 `json:"size"`
		Root string `json:"root"`
	}
	ts.mustJSON("GET", "/v1/ledger/checkpoint.json", "", nil, 200, &before)
	var got map[string]any
	ts.mustJSON("GET", "/v1/returns/"+restated.ID, opTok.Token, nil, 200, &got)
	// The first read is served from what the filing computed for its
	// warnings; after the restart it is computed afresh and must agree.
	var metricsBefore json.RawMessage
	ts.mustJSON("GET", "/v1/returns/"+restated.ID+"/metrics", opTok.Token, nil, 200, &metricsBefore)
	ts.stop()

	ts = startServer(t, dir)
	defer ts.stop()
	var after struct {
		Size uint64 `json:"size"`
		Root string `json:"root"`
	}
	ts.mustJSON("GET", "/v1/ledger/checkpoint.json", "", nil, 200, &after)
	if after != before {
		t.Fatalf("checkpoint changed across restart: %+v -> %+v", before, after)
	}
	var again map[string]any
	ts.mustJSON("GET", "/v1/returns/"+restated.ID, opTok.Token, nil, 200, &again)
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(again)
	if !bytes.Equal(a, b) {
		t.Fatalf("return changed across restart:\n%s\n%s", a, b)
	}
	var metricsAfter json.RawMessage
	ts.mustJSON("GET", "/v1/returns/"+restated.ID+"/metrics", opTok.Token, nil, 200, &metricsAfter)
	if !bytes.Equal(metricsBefore, metricsAfter) {
		t.Fatalf("metrics differ after a restart:\n%s\n%s", metricsBefore, metricsAfter)
	}
	if again["status"] != "accepted" || again["supersedes"] != filed.ID {
		t.Fatalf("after restart: status %v supersedes %v", again["status"], again["supersedes"])
	}
}
