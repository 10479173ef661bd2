package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
)

var updateViews = flag.Bool("update-views", false, "rewrite testdata/views.golden from this build's answers")

// TestDemoViewsUnchanged serves the demo at a fixed time and asks for
// the sector views (every country's, and Thailand's regulator's own),
// each demo operator's roll-ups and the regional view of several
// quarters and years. Each answer's SHA-256 and length must be those in
// testdata/views.golden: the figures are computed by code that is
// changed for speed, and a faster path must give the same bytes.
// Refresh with -update-views only for a change meant to alter answers.
func TestDemoViewsUnchanged(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	ts, toks := startDemo(t, Config{Now: func() time.Time { return now }})
	defer ts.stop()
	reg := demoTokenOf(t, toks, ledger.RoleRegulator).Token
	var national string
	var operators []string
	for _, tk := range toks {
		if tk.Role == ledger.RoleRegulator && len(tk.Jurisdictions) > 0 {
			national = tk.Token
		}
		if tk.Operator != "" {
			operators = append(operators, tk.Operator)
		}
	}
	if national == "" || len(operators) == 0 {
		t.Fatalf("demo tokens: %+v", toks)
	}

	spans := []string{"2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4", "2025-Q2", "2024-Q4", "2026", "2025", "2024"}
	type ask struct{ path, token string }
	var asks []ask
	for _, p := range spans {
		asks = append(asks, ask{"/v1/sector/metrics?period=" + p, reg}, ask{"/v1/sector/metrics?period=" + p, national})
		for _, op := range operators {
			asks = append(asks, ask{"/v1/operators/" + op + "/metrics?period=" + p, reg})
		}
		asks = append(asks, ask{"/v1/region?period=" + p, ""})
	}
	var got strings.Builder
	for _, a := range asks {
		who := "regulator"
		if a.token == national {
			who = "regulator:TH"
		} else if a.token == "" {
			who = "public"
		}
		code, body := ts.getRaw(a.path, a.token)
		if code != 200 {
			body = nil // a problem names its request, which differs each run
		}
		sum := sha256.Sum256(body)
		fmt.Fprintf(&got, "%s %s %d %d %s\n", a.path, who, code, len(body), hex.EncodeToString(sum[:]))
	}

	golden := filepath.Join("testdata", "views.golden")
	if *updateViews {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	gotLines, wantLines := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
	if len(gotLines) != len(wantLines) {
		t.Fatalf("%d answers, want %d (refresh with -update-views only if answers are meant to change)", len(gotLines), len(wantLines))
	}
	for i := range gotLines {
		if gotLines[i] != wantLines[i] {
			t.Errorf("answer changed:\n got %s\nwant %s", gotLines[i], wantLines[i])
		}
	}
}

// getRaw sends a GET and returns the status and the JSON body.
func (ts *testServer) getRaw(path, token string) (int, []byte) {
	ts.t.Helper()
	var raw json.RawMessage
	code, _ := ts.do("GET", path, token, "", nil, &raw)
	return code, raw
}
