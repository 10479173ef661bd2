package main

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// firstPageText is what poppler's pdftotext reads on the first page of
// pdf. Without pdftotext the test is skipped, except in CI (CI set),
// where .ci/run installs it and it must run.
func firstPageText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftotext not installed (apt-get install poppler-utils)")
		}
		t.Fatal("CI is set but pdftotext is missing")
	}
	cmd := exec.Command("pdftotext", "-f", "1", "-l", "1", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
