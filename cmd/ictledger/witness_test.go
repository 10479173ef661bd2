package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/witness"
)

// omniwitnessVersion is the version of github.com/transparency-dev/witness
// whose omniwitness the tests run: the reference witness, built from its
// own module (and its own go.sum) through the module proxy.
const omniwitnessVersion = "v0.0.0-20260720115447-2e1c6971d19e"

// buildOmniwitness builds the reference witness once per version into the
// temporary directory, where later runs find it. Without a module proxy
// (offline) the tests that need it are skipped, except in CI.
var buildOmniwitness = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(os.TempDir(), "ictledger-omniwitness-"+omniwitnessVersion)
	if _, err := os.Stat(filepath.Join(bin, "omniwitness")); err == nil {
		return filepath.Join(bin, "omniwitness"), nil
	}
	tmp, err := os.MkdirTemp(os.TempDir(), "omniwitness-build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("go", "install", "github.com/transparency-dev/witness/cmd/omniwitness@"+omniwitnessVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOFLAGS=-mod=mod", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install omniwitness: %v\n%s", err, out)
	}
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return "", err
	}
	if err := os.Rename(filepath.Join(tmp, "omniwitness"), filepath.Join(bin, "omniwitness")); err != nil {
		return "", err
	}
	return filepath.Join(bin, "omniwitness"), nil
})

// realWitness is a running omniwitness process.
type realWitness struct {
	url  string
	vkey string // its cosignature/v1 public key
	cmd  *exec.Cmd
	logs *syncBuffer
}

// spec is the witness as serve's --witness takes it.
func (w *realWitness) spec(name string) string { return name + "," + w.url + "," + w.vkey }

// startRealWitness runs the reference witness for the log whose key is in
// dataDir (created there when missing), keeping its state in stateDir.
func startRealWitness(t *testing.T, dataDir, stateDir, skey string) *realWitness {
	t.Helper()
	bin, err := buildOmniwitness()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the reference witness is needed in CI: %v", err)
		}
		t.Skipf("cannot build the reference witness (offline?): %v", err)
	}
	if _, _, err := checkpoint.LoadOrCreateKey(dataDir, "ictledger"); err != nil {
		t.Fatal(err)
	}
	logKey, err := checkpoint.VerifierKey(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		t.Fatal(err)
	}
	vkey := witnessPublicKey(t, skey)
	keyFile, logsFile := filepath.Join(stateDir, "witness.key"), filepath.Join(stateDir, "logs.yaml")
	yaml := fmt.Sprintf("Logs:\n  - Origin: ictledger\n    PublicKey: %s\n    URL: http://127.0.0.1/log\n", logKey)
	if err := os.WriteFile(keyFile, []byte(skey), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(logsFile, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	w := &realWitness{url: "http://" + addr, vkey: vkey, logs: &syncBuffer{}}
	w.cmd = exec.Command(bin, "--listen", addr, "--metrics_listen", "", "--db_file", filepath.Join(stateDir, "witness.db"),
		"--private_key_path", keyFile, "--additional_logs", logsFile, "--logtostderr")
	w.cmd.Stdout, w.cmd.Stderr = w.logs, w.logs
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.cmd.Process.Kill(); w.cmd.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Post(w.url+"/add-checkpoint", "text/plain", strings.NewReader("x"))
		if err == nil {
			resp.Body.Close()
			return w
		}
		if time.Now().After(deadline) {
			t.Fatalf("the witness does not answer: %v\n%s", err, w.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// newWitnessKey makes a witness signing key.
func newWitnessKey(t *testing.T, name string) string {
	t.Helper()
	skey, _, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	return skey
}

// witnessPublicKey is the cosignature/v1 public key of a signing key
// ("PRIVATE+KEY+name+hash+base64" of an Ed25519 seed).
func witnessPublicKey(t *testing.T, skey string) string {
	t.Helper()
	parts := strings.SplitN(skey, "+", 5)
	seed, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(seed) != 1+ed25519.SeedSize {
		t.Fatalf("signer key: %v", err)
	}
	vkey, err := note.NewEd25519VerifierKey(parts[2], ed25519.NewKeyFromSeed(seed[1:]).Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	cv, err := fnote.VKeyToCosignatureV1(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return cv
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitWitnessed waits until /log/checkpoint is the log's full size and
// carries a cosignature by wkey, and returns it.
func waitWitnessed(t *testing.T, ts *testServer, wkey string) []byte {
	t.Helper()
	lv := dirVerifier(t, ts.m.cfg.DataDir)
	wv, err := witness.NewVerifier(wkey)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, status, _ := fetchURL(t, ts.base+"/log/checkpoint")
		if status == 200 {
			if n, k, err := witness.Count(b, lv, []note.Verifier{wv}); err == nil && k == 1 {
				if cp, err := checkpoint.Parse(n.Text); err == nil && cp.Size == ts.m.Service().Size() {
					return b
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no cosigned checkpoint of the full log within a minute; last:\n%s", b)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// metricValue reads one series of /metrics.
func metricValue(t *testing.T, base, series string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(metricsText(t, base))
	if m == nil {
		t.Fatalf("no %s in /metrics", series)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRealWitnessCosigns runs the reference witness against a real
// server: the witness cosigns the log's checkpoints, /log/checkpoint
// serves them, a disclosure made afterwards verifies with
// --min-witnesses 1 against the witness's key (and not against another
// key), the monitor requires the cosignature, and a second server with
// the same key and other entries is refused by the witness at the same
// size and caught by the monitor.
func TestRealWitnessCosigns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a witness process")
	}
	dir, wdir, stateDir := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "monitor")
	w := startRealWitness(t, dir, wdir, newWitnessKey(t, "witness.example.org"))
	ts := startConfigured(t, dir, Config{AdminToken: testAdminToken, Witnesses: mustWitnesses(t, w.spec("w1"))})
	path := publicDisclosure(ts)
	waitWitnessed(t, ts, w.vkey)

	pdf, _, status := ts.getPDF(path, "")
	if status != 200 {
		t.Fatalf("download: %d", status)
	}
	pdfFile := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(pdfFile, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	lkey, _ := checkpoint.VerifierKey(dir)
	if code, out, errOut := runCmd("verify", "disclosure", pdfFile, "--key", lkey, "--witness", w.vkey, "--min-witnesses", "1"); code != 0 || !strings.Contains(out, "witnessed: the checkpoint carries cosignatures of 1") {
		t.Fatalf("verify with the witness's key: %d\n%s%s", code, out, errOut)
	}
	other := witnessPublicKey(t, newWitnessKey(t, "witness.example.org"))
	if code, out, errOut := runCmd("verify", "disclosure", pdfFile, "--key", lkey, "--witness", other, "--min-witnesses", "1"); code == 0 {
		t.Fatalf("verify with another witness key passed:\n%s%s", out, errOut)
	}

	// The download added a disclosure.issued entry: wait for it to be
	// witnessed, then the monitor, requiring the witness, is satisfied.
	waitWitnessed(t, ts, w.vkey)
	if code, out, errOut := runMonitorCmd(t, ts.base+"/log", dir, stateDir, "--witness", w.vkey); code != 0 {
		t.Fatalf("monitor: %d\n%s%s", code, out, errOut)
	}
	if v := metricValue(t, ts.base, `ictledger_witness_lag_entries{witness="w1"}`); v != 0 {
		t.Fatalf("lag %v after the witness caught up", v)
	}
	size := ts.m.Service().Size()
	ts.stop()

	// A split view: the same key, other entries, the same size.
	dir2 := t.TempDir()
	for _, f := range []string{checkpoint.KeyFile, checkpoint.PublicKeyFile} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir2, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ts2 := startConfigured(t, dir2, Config{AdminToken: testAdminToken, Witnesses: mustWitnesses(t, w.spec("w1"))})
	defer ts2.stop()
	if n := ts2.m.Service().Size(); n < size {
		fillLog(ts2, int(size-n))
	}
	if ts2.m.Service().Size() != size {
		t.Fatalf("second log has %d entries, want %d", ts2.m.Service().Size(), size)
	}
	// The witness refuses it (422): failures grow while the lag stays.
	deadline := time.Now().Add(60 * time.Second)
	for metricValue(t, ts2.base, `ictledger_witness_failures_total{witness="w1"}`) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the witness did not refuse the split view within a minute\n%s", w.logs)
		}
		time.Sleep(200 * time.Millisecond)
	}
	sts, err := ts2.m.Service().Witnesses(ledger.SystemActor)
	if err != nil || len(sts) != 1 || !strings.Contains(sts[0].LastError, "422") {
		t.Fatalf("witness status: %+v %v", sts, err)
	}
	cp, note2 := logCheckpoint(t, ts2, dirVerifier(t, dir2))
	if strings.Count(string(note2), "\n— ") != 1 || cp.Size != size {
		t.Fatalf("the split view is served with cosignatures:\n%s", note2)
	}
	// A monitor that saw the first view raises the alarm; a new one that
	// requires the witness does not trust the second view.
	if code, out, errOut := runMonitorCmd(t, ts2.base+"/log", dir2, stateDir, "--witness", w.vkey); code != exitAlarm || !strings.Contains(errOut, "split_view") {
		t.Fatalf("monitor on the split view: %d\n%s%s", code, out, errOut)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	if code, out, errOut := runMonitorCmd(t, ts2.base+"/log", dir2, fresh, "--witness", w.vkey); code != 1 || !strings.Contains(errOut, "not witnessed") {
		t.Fatalf("fresh monitor on the split view: %d\n%s%s", code, out, errOut)
	}
}

func mustWitnesses(t *testing.T, specs ...string) []witness.Witness {
	t.Helper()
	ws, err := loadWitnesses(specs, "")
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// TestWitnessDownFilingsContinue: a witness that does not answer stops
// nothing; its lag and failures show in /metrics, and the checkpoint is
// served without cosignatures.
func TestWitnessDownFilingsContinue(t *testing.T) {
	dir := t.TempDir()
	down := "http://" + freeAddr(t) // nothing listens there
	wkey := witnessPublicKey(t, newWitnessKey(t, "down.example.org"))
	ts := startConfigured(t, dir, Config{AdminToken: testAdminToken, Witnesses: mustWitnesses(t, "down,"+down+","+wkey)})
	defer ts.stop()
	publicDisclosure(ts)
	deadline := time.Now().Add(60 * time.Second)
	for metricValue(t, ts.base, `ictledger_witness_failures_total{witness="down"}`) < 1 {
		if time.Now().After(deadline) {
			t.Fatal("no failure recorded within a minute")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if lag := metricValue(t, ts.base, `ictledger_witness_lag_entries{witness="down"}`); lag != float64(ts.m.Service().Size()) {
		t.Fatalf("lag %v, want %d", lag, ts.m.Service().Size())
	}
	_, b := logCheckpoint(t, ts, dirVerifier(t, dir))
	if strings.Count(string(b), "\n— ") != 1 {
		t.Fatalf("checkpoint with cosignatures from a witness that is down:\n%s", b)
	}
	// The regulator's dashboard shows the witness and its lag.
	status, _, page := ts.send("GET", "/dashboard", nil, ts.signInCookie(ts.regulator()))
	if status != 200 || !strings.Contains(page, "Witnesses of the ledger") || !strings.Contains(page, down) {
		t.Fatalf("dashboard: %d, no witness table", status)
	}
}

// TestWitnessSIGKILL kills a server process while it files and witnesses;
// after the restart every acknowledged filing is there and the witness
// cosigns the grown log from the size it had, with a valid proof.
func TestWitnessSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns server and witness processes")
	}
	dir := t.TempDir()
	w := startRealWitness(t, dir, t.TempDir(), newWitnessKey(t, "witness.example.org"))
	env := serveChildWitnessEnv + "=" + w.spec("w1")
	srv := startChild(t, dir, env)
	hc := &http.Client{Timeout: 20 * time.Second}
	tok := addChildOperator(t, hc, srv.base, "kill-op", "Kill Op")
	ret := exampleReturn(t)
	ret["operator"] = "kill-op"
	file := func() string {
		body, _ := json.Marshal(ret)
		code, b, err := call(hc, "POST", srv.base+"/v1/operators/kill-op/returns", tok, body)
		var filed filedReturn
		if err != nil || code != 201 || json.Unmarshal(b, &filed) != nil {
			t.Fatalf("file: %d %s %v", code, b, err)
		}
		ret["restates"], ret["reason"] = filed.ID, "corrected meter reading"
		return filed.ID
	}
	// File (restatements, one after another) for a few witnessing rounds,
	// then kill the server while it files and witnesses.
	var acked []string
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); {
		acked = append(acked, file())
	}
	srv.kill(t)
	srv = startChild(t, dir, env)
	defer srv.stop(t)
	for _, id := range acked {
		if code, b, err := call(hc, "GET", srv.base+"/v1/returns/"+id, tok, nil); err != nil || code != 200 {
			t.Fatalf("acknowledged filing %s lost: %d %s %v", id, code, b, err)
		}
	}
	// The witness follows the restarted log: a new filing gets cosigned.
	file()
	lv := dirVerifier(t, dir)
	wv, _ := witness.NewVerifier(w.vkey)
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, _, _ := fetchURL(t, srv.base+"/log/checkpoint")
		_, k, _ := witness.Count(b, lv, []note.Verifier{wv})
		sizeText := metricsText(t, srv.base)
		if k == 1 && strings.Contains(sizeText, `ictledger_witness_lag_entries{witness="w1"} 0`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the witness did not cosign the restarted log within a minute\n%s\n%s", b, srv.logs)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
