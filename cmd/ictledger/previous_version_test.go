package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/previous-version holds a data directory written by the
// release before the layout change (commit 0b44728): an operator, the
// example return for 2025-Q3 accepted, and the public operator disclosure
// and the sector report it served then. The signing key in it is a test
// key made for this directory.
const previousDir = "testdata/previous-version"

// previousAdminToken is the admin token that server ran with.
const previousAdminToken = "ictl_fixture-admin-secret-0123456789abcdef"

// freshCopy copies the old data directory into a new one, so that a test
// can open it (a server truncates and appends).
func freshCopy(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	copyDir(t, filepath.Join(previousDir, "data"), dst)
	return dst
}

// TestPreviousVersionDataAndDocuments checks what an upgrade must keep:
// the offline verifier accepts the old data directory and the old PDFs,
// and a server of this version opens the directory, verifies the old
// documents as valid and issued, and serves a public PDF of its own
// that verifies too. (That PDF is not the old one byte for byte: a
// public bundle now says it holds accepted returns only.)
func TestPreviousVersionDataAndDocuments(t *testing.T) {
	pub := filepath.Join(previousDir, "data", "ledger.pub")
	run := func(args ...string) {
		t.Helper()
		if code, out, errOut := runCmd(args...); code != 0 {
			t.Fatalf("ictledger %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
	}
	run("verify", freshCopy(t), "--key", pub)
	docs := map[string][]byte{}
	for _, name := range []string{"op-2025-Q3.pdf", "sector-2025-Q3.pdf"} {
		run("verify", "disclosure", filepath.Join(previousDir, name), "--key", pub)
		b, err := os.ReadFile(filepath.Join(previousDir, name))
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = b
	}

	ts := startConfigured(t, freshCopy(t),
		Config{AdminToken: previousAdminToken, Origin: "ictledger.test/previous-version"})
	defer ts.stop()
	got, _, code := ts.getPDF("/v1/operators/sakura-mobile/disclosures/2025-Q3.pdf", "")
	if code != 200 {
		t.Fatalf("public download from the old directory: %d", code)
	}
	if res := ts.verify(got); !res.Valid {
		t.Errorf("the public PDF served now does not verify: %v", res.Problems)
	}
	for name, pdf := range docs {
		if res := ts.verify(pdf); !res.Valid || res.Issued == nil {
			t.Errorf("%s: POST /v1/verify = valid %v, issued %v, problems %v", name, res.Valid, res.Issued != nil, res.Problems)
		}
	}
}
