package main

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

type verifyResult struct {
	Verdict      string `json:"verdict"`
	SupersededBy []struct {
		Return, By, Filed, Reason, Current string
	} `json:"superseded_by"`
	CurrentDocument string   `json:"current_document"`
	Valid           bool     `json:"valid"`
	Operator        string   `json:"operator"`
	Period          string   `json:"period"`
	Problems        []string `json:"problems"`
	Entries         []struct {
		Seq      uint64 `json:"seq"`
		Included bool   `json:"included"`
	} `json:"entries"`
	Issued *struct {
		Seq uint64 `json:"seq"`
	} `json:"issued"`
}

func (ts *testServer) getPDF(path, token string) ([]byte, http.Header, int) {
	ts.t.Helper()
	req, _ := http.NewRequest("GET", ts.base+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b, resp.Header, resp.StatusCode
}

func (ts *testServer) verify(pdf []byte) verifyResult {
	ts.t.Helper()
	var res verifyResult
	if got, _ := ts.do("POST", "/v1/verify", "", "application/pdf", pdf, &res); got != 200 {
		ts.t.Fatalf("verify: status %d", got)
	}
	return res
}

// TestDisclosureProvesItself downloads a disclosure twice (same bytes,
// ETag = SHA-256), verifies it, sees a flipped byte fail, sees who may
// download it before and after acceptance, and sees the old document
// reported as superseded once the return is restated.
func TestDisclosureProvesItself(t *testing.T) {
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	ts.mustJSON("POST", "/v1/operators", testAdminToken,
		map[string]any{"id": "sakura-mobile", "name": "Sakura Mobile K.K.", "country": "JP", "kinds": []string{"mobile"}}, 201, nil)
	var opTok, otherTok, regTok token
	ts.mustJSON("POST", "/v1/operators", testAdminToken,
		map[string]any{"id": "other-net", "name": "Other Net", "country": "FJ", "kinds": []string{"mobile"}}, 201, nil)
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "sakura-mobile"}, 201, &opTok)
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "other-net"}, 201, &otherTok)
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "regulator", "jurisdictions": []string{"*"}}, 201, &regTok)
	ret := exampleReturn(t)
	var filed struct {
		ID string `json:"id"`
	}
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, ret, 201, &filed)

	path := "/v1/operators/sakura-mobile/disclosures/2025-Q3.pdf"
	// Not accepted yet: not public, not for another operator.
	if _, _, code := ts.getPDF(path, ""); code != 404 {
		t.Fatalf("public download before acceptance: %d, want 404", code)
	}
	if _, _, code := ts.getPDF(path, otherTok.Token); code != 403 {
		t.Fatalf("other operator's download: %d, want 403", code)
	}
	draft, _, code := ts.getPDF(path, opTok.Token)
	if code != 200 || !bytes.HasPrefix(draft, []byte("%PDF-")) {
		t.Fatalf("operator's own download: %d", code)
	}

	ts.mustJSON("POST", "/v1/returns/"+filed.ID+"/reviews", regTok.Token, map[string]any{"decision": "accept"}, 201, nil)
	pdf, h, code := ts.getPDF(path, "")
	if code != 200 {
		t.Fatalf("public download after acceptance: %d", code)
	}
	again, h2, _ := ts.getPDF(path, "")
	if !bytes.Equal(pdf, again) || h.Get("ETag") != h2.Get("ETag") || h.Get("ETag") == "" {
		t.Fatal("the same disclosure downloaded twice differs")
	}
	if bytes.Equal(pdf, draft) {
		t.Fatal("the review is not reflected in the document")
	}

	res := ts.verify(pdf)
	if !res.Valid || res.Operator != "sakura-mobile" || res.Period != "2025-Q3" || len(res.Entries) < 3 {
		t.Fatalf("verify: %+v", res)
	}
	for _, e := range res.Entries {
		if !e.Included {
			t.Fatalf("entry %d not proved included", e.Seq)
		}
	}
	// A flipped byte anywhere makes it fail.
	for _, at := range []int{len(pdf) / 5, len(pdf) / 2, len(pdf) - 40} {
		bad := append([]byte(nil), pdf...)
		bad[at] ^= 0x01
		if r := ts.verify(bad); r.Valid {
			t.Fatalf("byte %d flipped: still valid", at)
		}
	}

	// Restating makes the old document verify as authentic but
	// superseded: still valid, naming the version that replaced it.
	ret["restates"] = filed.ID
	ret["reason"] = "refrigerant top-ups were under-reported"
	var restated struct {
		ID string `json:"id"`
	}
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", opTok.Token, ret, 201, &restated)
	res = ts.verify(pdf)
	if !res.Valid || res.Verdict != "superseded" || len(res.SupersededBy) != 1 || res.SupersededBy[0].By != restated.ID || len(res.Problems) != 0 {
		t.Fatalf("after restatement: %+v", res)
	}

	// The sector report is for regulators.
	if _, _, code := ts.getPDF("/v1/sector/disclosures/2025-Q3.pdf", opTok.Token); code != 403 {
		t.Fatalf("sector report as operator: %d", code)
	}
	sector, _, code := ts.getPDF("/v1/sector/disclosures/2025-Q3.pdf", regTok.Token)
	if code != 200 {
		t.Fatalf("sector report: %d", code)
	}
	if r := ts.verify(sector); !r.Valid {
		t.Fatalf("sector report verify: %+v", r)
	}
	var problem map[string]any
	if got, _ := ts.do("POST", "/v1/verify", "", "application/pdf", []byte("%PDF-1.4 not really"), &problem); got != 200 || problem["valid"] != false {
		t.Fatalf("garbage: %d %v", got, problem)
	}
}
