package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/loadtest"
)

// TestLoadtestGenerateCommand writes a small region with the command and
// serves it: the public regional view counts its countries, and the
// token printed for one jurisdiction's regulator sees that country only.
func TestLoadtestGenerateCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "region")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"loadtest", "generate", "--jurisdictions", "3", "--operators", "2", "--years", "1", dir}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "3 jurisdictions, 6 operators") {
		t.Fatalf("output: %s", out.String())
	}
	raw, err := os.ReadFile(filepath.Join(dir, loadtest.TokensFile))
	if err != nil {
		t.Fatal(err)
	}
	var tokens map[string]string
	if err := json.Unmarshal(raw, &tokens); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, dir)
	defer ts.stop()
	var region struct {
		Countries []struct{ Country string } `json:"countries"`
	}
	if code, _ := ts.do("GET", "/v1/region?period=2025", "", "", nil, &region); code != 200 || len(region.Countries) != 3 {
		t.Fatalf("region: %d, %+v", code, region)
	}
	var status struct {
		Operators []struct{ Country string } `json:"operators"`
	}
	if code, _ := ts.do("GET", "/v1/sector/status?period=2025-Q3", tokens["regulator:JP"], "", nil, &status); code != 200 || len(status.Operators) != 2 {
		t.Fatalf("status: %d, %+v", code, status)
	}
	for _, op := range status.Operators {
		if op.Country != "JP" {
			t.Errorf("a JP regulator sees an operator of %s", op.Country)
		}
	}
	// A directory that holds a ledger is refused; so is a missing one.
	if code := run(context.Background(), []string{"loadtest", "generate", "--operators", "1", "--years", "1", dir}, &out, &errb); code == 0 {
		t.Error("generating into a ledger's directory succeeded")
	}
	errb.Reset()
	if code := run(context.Background(), []string{"loadtest", "generate", "--jurisdictions", "41", t.TempDir()}, &out, &errb); code == 0 ||
		!strings.Contains(errb.String(), "jurisdictions") {
		t.Errorf("41 jurisdictions: exit %d %s", code, errb.String())
	}
}
