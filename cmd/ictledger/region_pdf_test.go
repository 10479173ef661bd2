package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/journal"
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
	if code != 0 || !strings.Contains(out, "document: region  2025-Q3") || !strings.Contains(out, "ictledger verify records") {
		t.Fatalf("verify disclosure: %d\n%s%s", code, out, errOut)
	}
	// The figures are checked against the entries, next to the running
	// server, by whoever holds them, once the server has stored a
	// checkpoint (every second while the log grows).
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := checkpoint.Latest(dir); err == nil || time.Now().After(deadline) {
			break
		}
	}
	code, out, errOut = runCmd("verify", "records", dir, "--key", key)
	if code != 0 || !strings.Contains(out, "records the regional view of 2025-Q3 as of") || !strings.Contains(out, "ok: the record holds") {
		t.Fatalf("verify records: %d\n%s%s", code, out, errOut)
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

// A record whose figures the entries do not give (appended here straight
// to the journal of a stopped server, as a dishonest server would) makes
// "verify region-records" fail, naming the entry and the figure.
func TestVerifyRegionRecordsNamesAForgedFigure(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir)
	publicDisclosure(ts)
	if _, _, code := ts.getPDF("/v1/region/disclosures/2025-Q3.pdf", ""); code != 200 {
		t.Fatalf("download: %d", code)
	}
	ts.stop()

	j, err := journal.Open(dir, journal.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	var last ledger.Entry
	for seq := j.Size(); seq > 0; seq-- {
		raw, err := j.Read(seq - 1)
		if err != nil {
			t.Fatal(err)
		}
		if last, err = ledger.DecodeEntry(raw); err != nil {
			t.Fatal(err)
		}
		if last.Kind == ledger.KindRegionRecorded {
			break
		}
	}
	forged := strings.Replace(string(last.Payload), `"sakura-mobile":"Sakura Mobile K.K."`, `"sakura-mobile":"Someone Else"`, 1)
	if forged == string(last.Payload) {
		t.Fatalf("no operator name to change in %s", last.Payload)
	}
	seq, err := j.Append(context.Background(), func(seq uint64) ([]byte, error) {
		return ledger.EncodeEntryRaw(seq, last.Time, ledger.SystemActor, ledger.KindRegionRecorded, []byte(forged))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	// By the command's first name, which scripts may still call.
	code, out, errOut := runCmd("verify", "region-records", dir)
	wrong := fmt.Sprintf(`WRONG: entry %d records the regional view of 2025-Q3 as of %d entries, which they do not give: operators.sakura-mobile: recorded "Someone Else", computed "Sakura Mobile K.K."`, seq, last.Seq)
	if code == 0 || !strings.Contains(out, wrong) || !strings.Contains(errOut, "1 of 2 records do not hold") {
		t.Fatalf("verify region-records: %d\n%s%s\nwant the line\n%s", code, out, errOut, wrong)
	}
}

// With --server, a regional report is current while the view of its
// period is what it records, and superseded (exit 4) once another
// return of the period is accepted, with where the current one is.
func TestVerifyRegionalReportWithTheLog(t *testing.T) {
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	publicDisclosure(ts)
	pdf, _, code := ts.getPDF("/v1/region/disclosures/2025-Q3.pdf", "")
	if code != 200 {
		t.Fatalf("download: %d", code)
	}
	dir := t.TempDir()
	file, keyFile := filepath.Join(dir, "region.pdf"), filepath.Join(dir, "ledger.pub")
	for name, b := range map[string][]byte{file: pdf, keyFile: ts.getText("/v1/ledger/key")} {
		if err := os.WriteFile(name, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCmd("verify", "disclosure", file, "--key", keyFile)
	if code != 0 || !strings.HasPrefix(out, "AUTHENTIC: ") || !strings.Contains(out, "Whether the regional figures of its period changed since was not checked") {
		t.Fatalf("offline: %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runCmd("verify", "disclosure", file, "--key", keyFile, "--server", ts.base); code != 0 || !strings.HasPrefix(out, "CURRENT: ") {
		t.Fatalf("as issued: %d\n%s%s", code, out, errOut)
	}

	op := ts.addOperator("fiji-link", "Fiji Link Ltd")
	var filed filedReturn
	ret := exampleReturn(t)
	ret["operator"] = "fiji-link"
	ts.mustJSON("POST", "/v1/operators/fiji-link/returns", op, ownCertificates(ret), 201, &filed)
	ts.mustJSON("POST", "/v1/returns/"+filed.ID+"/reviews", ts.regulator(), map[string]any{"decision": "accept"}, 201, nil)
	code, out, errOut = runCmd("verify", "disclosure", file, "--key", keyFile, "--server", ts.base)
	for _, want := range []string{"SUPERSEDED: ", "returns of its period were accepted or corrected since",
		"changed: the regional view of 2025-Q3 is no longer what entry ", "the next download of the report records it as it stands",
		"current document: " + ts.base + "/v1/region/disclosures/2025-Q3.pdf"} {
		if !strings.Contains(out, want) {
			t.Errorf("after an acceptance the output lacks %q", want)
		}
	}
	if code != exitSuperseded {
		t.Fatalf("after an acceptance: exit %d\n%s%s", code, out, errOut)
	}
}
