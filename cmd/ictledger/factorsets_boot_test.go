package main

import (
	"fmt"
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
		for range 2 { // the second start finds it published
			ts := startConfigured(t, dir, cfg)
			got := bootSets(ts, previousAdminToken)
			ts.stop()
			if sprint(got) != want {
				t.Errorf("factor sets %v, want %s", got, want)
			}
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
