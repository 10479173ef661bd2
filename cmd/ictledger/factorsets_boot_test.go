package main

import (
	"fmt"
	"strings"
	"testing"
)

// bootSets lists the versions of the factor sets a server has, in
// publication order.
func bootSets(ts *testServer, token string) []string {
	var list []struct {
		Version string `json:"version"`
	}
	ts.mustJSON("GET", "/v1/factor-sets", token, nil, 200, &list)
	out := []string{}
	for _, fs := range list {
		out = append(out, fs.Version)
	}
	return out
}

// TestBootstrapPublishesBothFactorSets: a new ledger starts with
// apt-2025.1 and apt-2026.1; an existing ledger that has only apt-2025.1
// (the previous release's) gains apt-2026.1 as an entry at start, once.
func TestBootstrapPublishesBothFactorSets(t *testing.T) {
	want := "[apt-2025.1 apt-2026.1]"
	t.Run("new", func(t *testing.T) {
		ts := startServer(t, t.TempDir())
		defer ts.stop()
		if got := bootSets(ts, testAdminToken); sprint(got) != want {
			t.Errorf("factor sets %v, want %s", got, want)
		}
	})
	t.Run("existing", func(t *testing.T) {
		dir := freshCopy(t)
		cfg := Config{AdminToken: previousAdminToken, Origin: "ictledger.test/previous-version"}
		var sizes []uint64
		for range 2 { // the second start finds it published
			ts := startConfigured(t, dir, cfg)
			got := bootSets(ts, previousAdminToken)
			var entries struct{ Size uint64 }
			ts.mustJSON("GET", "/v1/ledger/entries?start=0&limit=1", previousAdminToken, nil, 200, &entries)
			ts.stop()
			if sprint(got) != want {
				t.Errorf("factor sets %v, want %s", got, want)
			}
			sizes = append(sizes, entries.Size)
		}
		if sizes[1] != sizes[0] {
			t.Errorf("the second start appended %d entries; the factor set is published once", int(sizes[1])-int(sizes[0]))
		}
		run := func(args ...string) {
			if code, out, errOut := runCmd(args...); code != 0 {
				t.Fatalf("ictledger %v: exit %d\n%s%s", args, code, out, errOut)
			}
		}
		run("verify", dir, "--key", previousDir+"/data/ledger.pub")
	})
}

func sprint(v []string) string { return fmt.Sprint(v) }

// TestDocumentNamesMethodology20261: a return filed under apt-2026.1 (the
// newest set a ledger starts with) is computed by methodology 2026.1; its
// metrics say so, the sector report's bundle names it and the PDF shows
// it beside the factor set, and the document verifies.
func TestDocumentNamesMethodology20261(t *testing.T) {
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	ts.register("op-a")
	var m struct {
		FactorSet   string `json:"factor_set"`
		Methodology string `json:"methodology"`
	}
	ts.mustJSON("GET", "/v1/returns/op-a-2025-Q3-v1/metrics", testAdminToken, nil, 200, &m)
	if m.FactorSet != "apt-2026.1" || m.Methodology != "2026.1" {
		t.Fatalf("metrics under %s, methodology %q", m.FactorSet, m.Methodology)
	}
	pdf, _, code := ts.getPDF("/v1/sector/disclosures/2025-Q3.pdf", ts.regulator())
	if code != 200 {
		t.Fatalf("sector report: %d", code)
	}
	out := firstPageText(t, pdf)
	if !strings.Contains(out, "Methodology 2026.1") {
		t.Errorf("the report does not show its methodology:\n%.800s", out)
	}
	if res := ts.verify(pdf); !res.Valid {
		t.Fatalf("verification: %+v", res)
	}
}
