package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger/checkpoint"
)

// The sector report, downloaded from a running server, is current for
// POST /v1/verify, authentic offline with a note on how its view is
// checked, and its record holds under "ictledger verify records"; once
// another return of its period is filed, it is superseded (exit 4),
// with a link to the current report.
func TestSectorReportFromItsRecord(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir)
	defer ts.stop()
	publicDisclosure(ts)
	reg := ts.regulator()
	pdf, _, code := ts.getPDF("/v1/sector/disclosures/2025-Q3.pdf", reg)
	if code != 200 {
		t.Fatalf("download: %d", code)
	}
	if res := ts.verify(pdf); !res.Valid || res.Verdict != "current" {
		t.Fatalf("POST /v1/verify: %+v", res)
	}
	key, err := checkpoint.VerifierKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "sector.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd("verify", "disclosure", file, "--key", key)
	if code != 0 || !strings.Contains(out, "sector.recorded") || !strings.Contains(out, "Whether the sector view of its period changed since was not checked") ||
		!strings.Contains(out, "ictledger verify records DATA_DIR") {
		t.Fatalf("verify disclosure: %d\n%s%s", code, out, errOut)
	}
	// Next to the running server, once its checkpoint covers the record.
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, out, errOut = runCmd("verify", "records", dir, "--key", key)
		if code == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code != 0 || !strings.Contains(out, "records the sector view of 2025-Q3 for * as of") || !strings.Contains(out, "(1 country, 1 operator due)") {
		t.Fatalf("verify records: %d\n%s%s", code, out, errOut)
	}

	ts.register("hikari-net")
	code, out, errOut = runCmd("verify", "disclosure", file, "--key", key, "--server", ts.base)
	if code != 4 || !strings.Contains(out, "SUPERSEDED: ") || !strings.Contains(out, "changed: the sector view of 2025-Q3 is no longer what entry") ||
		!strings.Contains(out, "current document: "+ts.base+"/v1/sector/disclosures/2025-Q3.pdf") {
		t.Fatalf("verify --server after a filing: %d\n%s%s", code, out, errOut)
	}
}
