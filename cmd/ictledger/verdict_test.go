package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The three verdicts are the same in the API and on the command line:
// a document as issued is current (exit 0), the same bytes after the
// operator restated the quarter and a regulator accepted it are
// superseded (exit 4, with the new version, its reason and the current
// document), a forged copy is not authentic (exit 1). Each verdict is the
// first line the command prints. Without --server the command checks
// authenticity alone and says so.
func TestVerifyDisclosureVerdicts(t *testing.T) {
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	op, reg := ts.addOperator("sakura-mobile", "Sakura Mobile K.K."), ts.regulator()
	ret := exampleReturn(t)
	var v1, v2 struct {
		ID string `json:"id"`
	}
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", op, ret, 201, &v1)
	ts.mustJSON("POST", "/v1/returns/"+v1.ID+"/reviews", reg, map[string]any{"decision": "accept"}, 201, nil)
	const path = "/v1/operators/sakura-mobile/disclosures/2025-Q3.pdf"
	pdf, _, code := ts.getPDF(path, "")
	if code != 200 {
		t.Fatalf("download: %d", code)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "q3.pdf")
	forged := append([]byte(nil), pdf...)
	forged[len(forged)/2] ^= 1
	forgedFile := filepath.Join(dir, "forged.pdf")
	keyFile := filepath.Join(dir, "ledger.pub")
	for name, b := range map[string][]byte{file: pdf, forgedFile: forged, keyFile: ts.getText("/v1/ledger/key")} {
		if err := os.WriteFile(name, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cli := func(wantCode int, wantFirst string, wantOut ...string) {
		t.Helper()
		args := []string{"verify", "disclosure", file, "--key", keyFile, "--server", ts.base}
		if wantFirst == "AUTHENTIC:" {
			args = args[:len(args)-2]
		}
		if strings.HasPrefix(wantFirst, "NOT") {
			args[2] = forgedFile
		}
		code, out, errOut := runCmd(args...)
		first, _, _ := strings.Cut(out, "\n")
		if code != wantCode || !strings.HasPrefix(first, wantFirst) {
			t.Fatalf("%s: exit %d, first line %q; want %d, %q\n%s%s", strings.Join(args, " "), code, first, wantCode, wantFirst, out, errOut)
		}
		for _, w := range wantOut {
			if !strings.Contains(out, w) {
				t.Errorf("%s: the output lacks %q:\n%s", strings.Join(args, " "), w, out)
			}
		}
	}

	if res := ts.verify(pdf); res.Verdict != "current" || !res.Valid {
		t.Fatalf("API, as issued: %+v", res)
	}
	cli(0, "CURRENT: This document is authentic")
	cli(0, "AUTHENTIC:", "was not checked: pass --server URL")
	if res := ts.verify(forged); res.Verdict != "not_authentic" || res.Valid {
		t.Fatalf("API, forged: %+v", res)
	}
	cli(1, "NOT AUTHENTIC: This file is not authentic", "problem: ")

	ret["restates"], ret["reason"] = v1.ID, "refrigerant top-ups were under-reported"
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", op, ret, 201, &v2)
	ts.mustJSON("POST", "/v1/returns/"+v2.ID+"/reviews", reg, map[string]any{"decision": "accept"}, 201, nil)
	res := ts.verify(pdf)
	if res.Verdict != "superseded" || !res.Valid || len(res.SupersededBy) != 1 || res.SupersededBy[0].By != v2.ID ||
		res.SupersededBy[0].Reason != "refrigerant top-ups were under-reported" || res.CurrentDocument != path {
		t.Fatalf("API, restated: %+v", res)
	}
	cli(exitSuperseded, "SUPERSEDED: This document is authentic",
		"restated: "+v1.ID+" was replaced by "+v2.ID, "reason: refrigerant top-ups were under-reported", "current document: "+ts.base+path)
	cli(1, "NOT AUTHENTIC:")
	// Offline, the command cannot know of the restatement, and says so.
	cli(0, "AUTHENTIC:", "pass --server URL")
}
