package workbook

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
)

// soffice returns the path of LibreOffice's soffice. Without it the test
// is skipped, except in CI (CI set), where it must run: Debian's
// libreoffice-calc package provides it.
func soffice(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("no soffice: the LibreOffice test needs Debian's libreoffice-calc package")
		}
		t.Fatalf("CI is set but soffice is missing: %v", err)
	}
	return p
}

// convert has LibreOffice open each workbook and save it again as XLSX,
// as a user who opens the file and saves it does, and returns the saved
// bytes by name.
func convert(t *testing.T, books map[string][]byte) map[string][]byte {
	t.Helper()
	bin := soffice(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	for _, d := range []string{in, out} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out}
	for name, b := range books {
		p := filepath.Join(in, name+".xlsx")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if msg, err := exec.CommandContext(ctx, bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	saved := map[string][]byte{}
	for name := range books {
		b, err := os.ReadFile(filepath.Join(out, name+".xlsx"))
		if err != nil {
			t.Fatalf("LibreOffice saved no %s: %v", name, err)
		}
		if bytes.Equal(b, books[name]) {
			t.Fatalf("%s came back unchanged: not saved by LibreOffice", name)
		}
		saved[name] = b
	}
	return saved
}

// TestLibreOffice: the template and a filed return's workbook open in
// LibreOffice Calc, and what it saves reads back: the template with
// every sheet and column known, the return to the same return, filed
// without a problem.
func TestLibreOffice(t *testing.T) {
	ret := exampleV11(t)
	filed, err := Write(ret, factors20261(t))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := Template(factors20261(t))
	if err != nil {
		t.Fatal(err)
	}
	saved := convert(t, map[string][]byte{"template": tmpl, "filed": filed})

	_, _, err = readBook(t, saved["template"], exampleContext(t))
	for _, p := range problemsOf(t, err, ledger.EInvalid) {
		if strings.Contains(p.Message, "unknown") || strings.Contains(p.Message, "under no column") {
			t.Errorf("the template saved by LibreOffice: %s: %s", p.Path, p.Message)
		}
	}

	got, _, err := readBook(t, saved["filed"], exampleContext(t))
	if err != nil {
		t.Fatalf("the return saved by LibreOffice: %v\n%+v", err, err.(*ledger.Error).Fields)
	}
	want, _ := json.Marshal(ret)
	have, _ := json.Marshal(got)
	if !bytes.Equal(want, have) {
		t.Errorf("the return saved by LibreOffice reads differently:\nwant %s\n got %s", want, have)
	}
}
