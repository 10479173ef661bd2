package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger/checkpoint"
)

// The public regional PDF, downloaded from a running server (rendered by
// its render workers), is valid for POST /v1/verify and for "ictledger
// verify disclosure" offline; a copy with one byte flipped is valid for
// neither.
func TestRegionDisclosureVerifiesOffline(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir)
	defer ts.stop()
	publicDisclosure(ts)
	pdf, h, code := ts.getPDF("/v1/region/disclosures/2025-Q3.pdf", "")
	if code != 200 || h.Get("ETag") == "" {
		t.Fatalf("download: %d", code)
	}
	if res := ts.verify(pdf); !res.Valid || res.Issued == nil {
		t.Fatalf("POST /v1/verify: %+v", res)
	}
	key, err := checkpoint.VerifierKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "region.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd("verify", "disclosure", file, "--key", key)
	if code != 0 || !strings.Contains(out, "document: region  2025-Q3") {
		t.Fatalf("verify disclosure: %d\n%s%s", code, out, errOut)
	}
	bad := append([]byte(nil), pdf...)
	bad[len(bad)/2] ^= 1
	if err := os.WriteFile(file, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCmd("verify", "disclosure", file, "--key", key); code == 0 {
		t.Fatalf("a flipped byte verifies:\n%s", out)
	}
	if res := ts.verify(bad); res.Valid {
		t.Fatal("a flipped byte verifies on the server")
	}
}
