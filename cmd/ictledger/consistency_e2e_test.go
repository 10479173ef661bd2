package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/journal"
)

// getText fetches a public text endpoint.
func (ts *testServer) getText(path string) []byte {
	ts.t.Helper()
	resp, err := http.Get(ts.base + path)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		ts.t.Fatalf("GET %s: %d %v: %s", path, resp.StatusCode, err, b)
	}
	return b
}

// register registers an operator, issues its token and files the example
// return for it; it returns the token.
func (ts *testServer) register(id string) string {
	ts.t.Helper()
	tok := ts.addOperator(id, "Operator "+id)
	ret := exampleReturn(ts.t)
	ret["operator"] = id
	ownCertificates(ret)
	ts.mustJSON("POST", "/v1/operators/"+id+"/returns", tok, ret, 201, nil)
	return tok
}

// runCmd runs the command line and returns its exit code and output.
func runCmd(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == "journal.lock" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestConsistencyEndToEnd takes two checkpoints of a running server with
// filings in between and proves the second extends the first, over HTTP
// with tlog.CheckTree and with "ictledger verify consistency". Then it
// shows the two ways history can be attacked being caught:
//
//   - a byte flipped in an early record of the journal on disk: the server
//     refuses to start and names the record, and the offline verifier
//     fails the same way;
//   - a fork: a server started on a copy of the data directory taken at
//     the first checkpoint (same signing key) and given a different
//     history afterwards. Its new checkpoints are validly signed and it
//     still extends the first checkpoint, but the consistency check
//     against the second checkpoint, which the regulator saved from the
//     real log, fails.
func TestConsistencyEndToEnd(t *testing.T) {
	dir, forkDir, notes := t.TempDir(), t.TempDir(), t.TempDir()
	ts := startServer(t, dir)
	ts.register("sakura-mobile")
	// The key is read from the data directory, not asked of the server:
	// the regulator holds it from registration.
	vkey, err := checkpoint.VerifierKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(ts.getText("/v1/ledger/key"))); got != vkey {
		t.Fatalf("server key %q, data directory key %q", got, vkey)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	noteA := ts.getText("/v1/ledger/checkpoint")
	cpA, err := checkpoint.Open(noteA, verifier)
	if err != nil {
		t.Fatal(err)
	}
	fileA := filepath.Join(notes, "a.checkpoint")
	os.WriteFile(fileA, noteA, 0o644)
	ts.stop()
	copyDir(t, dir, forkDir) // the would-be forger's copy, at checkpoint A

	ts = startServer(t, dir)
	ts.register("fuji-fibre")
	ts.register("kansai-net")
	noteB := ts.getText("/v1/ledger/checkpoint")
	cpB, err := checkpoint.Open(noteB, verifier)
	if err != nil {
		t.Fatal(err)
	}
	if cpB.Size <= cpA.Size {
		t.Fatalf("checkpoint sizes %d then %d", cpA.Size, cpB.Size)
	}

	// By hand: the proof, checked against the two signed roots.
	var proof struct {
		From, To uint64
		Proof    []string
	}
	ts.mustJSON("GET", fmt.Sprintf("/v1/ledger/proof/consistency?from=%d&to=%d", cpA.Size, cpB.Size), "", nil, 200, &proof)
	var tp tlog.TreeProof
	for _, s := range proof.Proof {
		h, err := tlog.ParseHash(s)
		if err != nil {
			t.Fatal(err)
		}
		tp = append(tp, h)
	}
	if err := tlog.CheckTree(tp, int64(cpB.Size), cpB.Root, int64(cpA.Size), cpA.Root); err != nil {
		t.Fatalf("CheckTree: %v", err)
	}

	// With the command, saving the new checkpoint for the next run.
	fileB := filepath.Join(notes, "b.checkpoint")
	code, out, errOut := runCmd("verify", "consistency", "--server", ts.base, "--from", fileA, "--key", vkey, "--save", fileB)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("at size %d", cpB.Size)) {
		t.Fatalf("verify consistency: exit %d\n%s\n%s", code, out, errOut)
	}
	if saved, _ := os.ReadFile(fileB); !bytes.Equal(saved, noteB) || !strings.HasSuffix(out, string(noteB)) {
		t.Fatalf("saved %q, printed %q, want %q", saved, out, noteB)
	}
	// The next scheduled run starts from the saved checkpoint.
	if code, out, errOut := runCmd("verify", "consistency", "--server", ts.base, "--from", fileB, "--key", vkey); code != 0 {
		t.Fatalf("second run: exit %d\n%s\n%s", code, out, errOut)
	}
	// Without --key the server's own key is used, and the output says so.
	if code, out, errOut := runCmd("verify", "consistency", "--server", ts.base, "--from", fileA); code != 0 || !strings.Contains(out, "using the key the server sent") {
		t.Fatalf("without --key: exit %d\n%s\n%s", code, out, errOut)
	}
	ts.stop()

	t.Run("flipped byte in an early record", func(t *testing.T) {
		wal := filepath.Join(dir, "journal.wal")
		b, err := os.ReadFile(wal)
		if err != nil {
			t.Fatal(err)
		}
		b[16+52+10] ^= 0x01 // inside record 0: after the file and frame headers
		if err := os.WriteFile(wal, b, 0o600); err != nil {
			t.Fatal(err)
		}
		m := NewMain(Config{Addr: "127.0.0.1:0", DataDir: dir, AdminToken: testAdminToken})
		err = m.Open(context.Background())
		var ce *journal.CorruptError
		if !errors.As(err, &ce) || ce.Seq != 0 || !strings.Contains(err.Error(), "record 0") {
			m.Close()
			t.Fatalf("Open of a tampered journal = %v, want an error naming record 0", err)
		}
		code, out, errOut := runCmd("verify", dir, "--key", vkey)
		if code != 1 || !strings.Contains(errOut, "record 0") {
			t.Fatalf("offline verify: exit %d\n%s\n%s", code, out, errOut)
		}
	})

	t.Run("a fork signed with the same key", func(t *testing.T) {
		fork := startServer(t, forkDir)
		defer fork.stop()
		for i := 0; ; i++ {
			var cp struct{ Size uint64 }
			fork.mustJSON("GET", "/v1/ledger/checkpoint.json", "", nil, 200, &cp)
			if cp.Size > cpB.Size {
				break
			}
			fork.register(fmt.Sprintf("forged-%d", i))
		}
		forkNote := fork.getText("/v1/ledger/checkpoint")
		if _, err := checkpoint.Open(forkNote, verifier); err != nil {
			t.Fatalf("the fork's checkpoint should verify under the same key: %v", err)
		}
		// The fork is an honest extension of A: it diverged after it.
		if code, out, errOut := runCmd("verify", "consistency", "--server", fork.base, "--from", fileA, "--key", vkey); code != 0 {
			t.Fatalf("fork against A: exit %d\n%s\n%s", code, out, errOut)
		}
		// But not of B, which the regulator saw from the real log.
		fileC := filepath.Join(notes, "c.checkpoint")
		code, out, errOut := runCmd("verify", "consistency", "--server", fork.base, "--from", fileB, "--key", vkey, "--save", fileC)
		if code != 1 || !strings.Contains(errOut, "not an extension") || !strings.Contains(errOut, "does not hold") {
			t.Fatalf("fork against B: exit %d\n%s\n%s", code, out, errOut)
		}
		if _, err := os.Stat(fileC); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("a failed check saved a checkpoint: %v", err)
		}
	})
}

// TestVerifyConsistencyUsage checks the command's exit codes for a bad
// command line, a missing file and an unreachable server.
func TestVerifyConsistencyUsage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none")
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"verify", "consistency"}, 2},
		{[]string{"verify", "consistency", "--server", "http://127.0.0.1:1"}, 2},
		{[]string{"verify", "consistency", "--server", "http://127.0.0.1:1", "--from", missing}, 1},
		{[]string{"verify", "consistency", "--from", missing, "--server", "http://127.0.0.1:1", "extra"}, 2},
	} {
		if code, out, errOut := runCmd(tc.args...); code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", tc.args, code, tc.code, out, errOut)
		}
	}
}
