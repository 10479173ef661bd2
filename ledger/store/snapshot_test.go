package store

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/journal"
	"github.com/ictledger/ictledger/ledger/state"
)

// logBuffer collects what a store logs.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// openLogged is open with the store's log kept.
func openLogged(t *testing.T, dir string) (*Store, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	st := state.New()
	s, err := Open(dir, st, Options{Origin: "ictledger.test/store", CheckpointInterval: time.Hour,
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
		OnCommit: func(seq uint64, data []byte, leaf tlog.Hash) {
			if err := st.ApplyRecord(seq, data, leaf); err != nil {
				t.Errorf("apply %d: %v", seq, err)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	return s, logs
}

// fill appends entries of several kinds: operators, their tokens, and
// returns filed, reviewed and restated.
func fill(t *testing.T, s *Store, n int) {
	t.Helper()
	at := time.Unix(1_700_000_000, 0).UTC()
	appendEntry := func(kind ledger.Kind, payload any) {
		raw, err := ledger.Canonical(payload)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Journal.Append(context.Background(), func(seq uint64) ([]byte, error) {
			return ledger.EncodeEntryRaw(seq, at, ledger.SystemActor, kind, raw)
		}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		op := fmt.Sprintf("op-%d-%d", s.Journal.Size(), i)
		appendEntry(ledger.KindOperatorRegistered, ledger.Operator{ID: op, Name: "Op " + op, Country: "JP", Kinds: []string{"mobile"}})
		appendEntry(ledger.KindTokenIssued, ledger.TokenIssued{ID: "tok-" + op, SecretHash: "h-" + op, Role: ledger.RoleOperator, Operator: op})
		p := ledger.Period{Year: 2025, Quarter: 1 + i%4}
		first := ledger.ReturnID(op, p, 1)
		appendEntry(ledger.KindReturnFiled, ledger.ReturnFiled{ID: first, Version: 1, FactorSet: "f1",
			Return: ledger.Return{Operator: op, Period: p}})
		appendEntry(ledger.KindReviewRecorded, ledger.Review{Return: first, Decision: ledger.DecisionReturn, Comment: "again"})
		appendEntry(ledger.KindReturnRestated, ledger.ReturnFiled{ID: ledger.ReturnID(op, p, 2), Version: 2, Supersedes: first, FactorSet: "f1",
			Return: ledger.Return{Operator: op, Period: p, Reason: "fixed"}})
	}
}

// replayed is the state a full replay of dir's journal builds: dir is
// copied without its snapshot and opened.
func replayed(t *testing.T, dir string) *state.State {
	t.Helper()
	cp := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == SnapshotFile || strings.HasPrefix(e.Name(), SnapshotFile) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cp, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, logs := openLogged(t, cp)
	if strings.Contains(logs.String(), "snapshot") {
		t.Fatalf("the copy without a snapshot logged: %s", logs)
	}
	st := s.State
	// Closed without the snapshot Close would write: the copy is only
	// the reference.
	close(s.stop)
	<-s.done
	if err := s.Journal.Close(); err != nil {
		t.Fatal(err)
	}
	return st
}

// reopen opens dir and checks that its state is the full replay's and
// whether the snapshot was loaded.
func reopen(t *testing.T, dir string, wantLoaded bool) *Store {
	t.Helper()
	s, _ := reopenLogged(t, dir, wantLoaded)
	return s
}

// reopenLogged is reopen that also returns the log.
func reopenLogged(t *testing.T, dir string, wantLoaded bool) (*Store, string) {
	t.Helper()
	want := replayed(t, dir)
	s, logs := openLogged(t, dir)
	if d := state.Diff(want, s.State); d != "" {
		t.Fatalf("state differs from a full replay: %s\nlog: %s", d, logs)
	}
	loaded := strings.Contains(logs.String(), "state snapshot loaded")
	ignored := strings.Contains(logs.String(), "state snapshot ignored")
	if loaded != wantLoaded || ignored == wantLoaded {
		t.Fatalf("snapshot loaded %v, ignored %v, want loaded %v; log: %s", loaded, ignored, wantLoaded, logs)
	}
	return s, logs.String()
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestSnapshotLoadedWithTheEntriesAfterIt(t *testing.T) {
	dir := t.TempDir()
	s, _ := openLogged(t, dir)
	fill(t, s, 20)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if !fileExists(filepath.Join(dir, SnapshotFile)) {
		t.Fatal("Close wrote no snapshot")
	}
	s = reopen(t, dir, true)
	// Entries after the snapshot, and a crash: no Close, so the snapshot
	// on disk is the older one.
	fill(t, s, 7)
	old, err := os.ReadFile(filepath.Join(dir, SnapshotFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, SnapshotFile), old, 0o600); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, dir, true)
	if s.snapSize != 100 {
		t.Fatalf("loaded a snapshot of size %d, want 100", s.snapSize)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Close wrote a newer snapshot.
	s = reopen(t, dir, true)
	defer s.Close()
	if s.snapSize != 135 {
		t.Fatalf("loaded a snapshot of size %d, want 135", s.snapSize)
	}
}

// rewrite changes a snapshot's header with change and writes the file
// back with a trailer that fits, signed with the directory's key, so
// that only the change is wrong.
func rewrite(t *testing.T, path string, change func(h *snapshotHeader, rows []byte) []byte) {
	t.Helper()
	signer, err := LoadSigner(filepath.Dir(path), "ictledger.test/store")
	if err != nil {
		t.Fatal(err)
	}
	resign(t, path, signer.signer, change)
}

// resign is rewrite with the signature of key.
func resign(t *testing.T, path string, key note.Signer, change func(h *snapshotHeader, rows []byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := decodeSnapshotHeader(b[:snapshotHeaderSize])
	if err != nil {
		t.Fatal(err)
	}
	rows := change(&h, b[snapshotHeaderSize:len(b)-snapshotTrailerSize])
	out := append(h.encode(), rows...)
	out = binary.BigEndian.AppendUint64(out, uint64(len(rows)))
	sum := sha256.Sum256(out)
	sig, err := key.Sign(snapshotMessage(sum[:]))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(append(out, sum[:]...), sig...), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestSnapshotIgnoredUnlessItIsOfThisJournal(t *testing.T) {
	// base has 10 entries; ahead is base grown by 5 more; other is
	// another log of base's size.
	newDir := func(fills ...int) string {
		dir := t.TempDir()
		s, _ := openLogged(t, dir)
		for _, n := range fills {
			fill(t, s, n)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	base := newDir(2)
	snapshotOf := func(dir string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, SnapshotFile))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	good := snapshotOf(base)
	ahead := t.TempDir()
	copyDir(t, base, ahead)
	s, _ := openLogged(t, ahead)
	fill(t, s, 1)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	other := newDir(1, 1) // the same size, other operators' ids

	path := filepath.Join(base, SnapshotFile)
	for _, tc := range []struct {
		name   string
		reason string // a pattern of the log's reason
		setup  func()
	}{
		{"another tree of the same size", "of another tree", func() { os.WriteFile(path, snapshotOf(other), 0o600) }},
		{"ahead of the journal", "ahead of the journal", func() { os.WriteFile(path, snapshotOf(ahead), 0o600) }},
		{"cut short", "its trailer says", func() { os.WriteFile(path, good[:len(good)/2], 0o600) }},
		{"cut at the rows' end", "its trailer says", func() { os.WriteFile(path, good[:len(good)-snapshotTrailerSize], 0o600) }},
		{"empty", "too short", func() { os.WriteFile(path, nil, 0o600) }},
		{"a byte of the rows changed", "checksum mismatch|read snapshot", func() {
			b := bytes.Clone(good)
			b[snapshotHeaderSize+len(b)/3]++
			os.WriteFile(path, b, 0o600)
		}},
		{"rows that are not rows", "read snapshot", func() {
			os.WriteFile(path, good, 0o600)
			rewrite(t, path, func(_ *snapshotHeader, rows []byte) []byte { return rows[:len(rows)/2] })
		}},
		{"written by another build", "another build", func() {
			os.WriteFile(path, good, 0o600)
			rewrite(t, path, func(h *snapshotHeader, rows []byte) []byte { h.build[0]++; return rows })
		}},
		{"signed with another key", "not signed", func() {
			os.WriteFile(path, good, 0o600)
			stranger, err := LoadSigner(t.TempDir(), "ictledger.test/store")
			if err != nil {
				t.Fatal(err)
			}
			resign(t, path, stranger.signer, func(_ *snapshotHeader, rows []byte) []byte { return rows })
		}},
		{"another root", "of another tree", func() {
			os.WriteFile(path, good, 0o600)
			rewrite(t, path, func(h *snapshotHeader, rows []byte) []byte { h.root[0]++; return rows })
		}},
		{"a smaller size, the rows of the whole", "after the snapshot", func() {
			os.WriteFile(path, good, 0o600)
			rewrite(t, path, func(h *snapshotHeader, rows []byte) []byte {
				root, err := tlogRoot(base, h.size-1)
				if err != nil {
					t.Fatal(err)
				}
				h.size, h.root = h.size-1, root
				return rows
			})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.setup()
			s, logs := reopenLogged(t, base, false)
			if !regexp.MustCompile(tc.reason).MatchString(logs) {
				t.Errorf("the log gives another reason than %q: %s", tc.reason, logs)
			}
			// Close writes a good snapshot again, which the next start loads.
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(snapshotOf(base)[:snapshotHeaderSize], good[:snapshotHeaderSize]) {
				t.Fatal("Close did not write the snapshot again")
			}
			s = reopen(t, base, true)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// tlogRoot is the root of the first size entries of dir's journal.
func tlogRoot(dir string, size uint64) (tlog.Hash, error) {
	j, err := journal.Open(dir, journal.Options{})
	if err != nil {
		return tlog.Hash{}, err
	}
	defer j.Close()
	return j.TreeHash(size)
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshotKillEnv tells the test binary to act as the child of
// TestKilledWhileWritingSnapshot.
const snapshotKillEnv = "ICTLEDGER_STORE_SNAPSHOT_KILL_DIR"

// TestSnapshotWriterProcess is the child of TestKilledWhileWritingSnapshot:
// it opens the store in $ICTLEDGER_STORE_SNAPSHOT_KILL_DIR and writes
// snapshots, one after another, until it is killed. It is not a test on
// its own.
func TestSnapshotWriterProcess(t *testing.T) {
	dir := os.Getenv(snapshotKillEnv)
	if dir == "" {
		t.Skip("helper process for TestKilledWhileWritingSnapshot")
	}
	s, _ := openLogged(t, dir)
	fmt.Println("ready")
	for {
		s.storeSnapshot()
	}
}

// TestKilledWhileWritingSnapshot kills a process while it writes the
// snapshot, at random moments: the directory opens to the state a full
// replay builds, whatever the kill left (the old snapshot, the new one,
// a temporary file, which the start removes).
func TestKilledWhileWritingSnapshot(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	s, _ := openLogged(t, dir)
	fill(t, s, 300) // 1,500 entries: a snapshot takes a few milliseconds to write
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	temps := 0
	for round := range 4 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSnapshotWriterProcess$")
		cmd.Env = append(os.Environ(), snapshotKillEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil || line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child: %q, %v", line, err)
		}
		time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		left, _ := filepath.Glob(filepath.Join(dir, SnapshotFile+".tmp-*"))
		temps += len(left)
		if round%2 == 1 {
			// A snapshot cut where the kill left the file it was writing.
			for _, tmp := range left {
				if err := os.Rename(tmp, filepath.Join(dir, SnapshotFile)); err != nil {
					t.Fatal(err)
				}
			}
		}
		s := reopen2(t, dir)
		if left, _ := filepath.Glob(filepath.Join(dir, SnapshotFile+".tmp-*")); len(left) != 0 {
			t.Fatalf("the start left %v", left)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d kills of 4 left a temporary file", temps)
}

// reopen2 opens dir and checks that its state is the full replay's,
// whether or not a snapshot was loaded.
func reopen2(t *testing.T, dir string) *Store {
	t.Helper()
	want := replayed(t, dir)
	s, logs := openLogged(t, dir)
	if d := state.Diff(want, s.State); d != "" {
		t.Fatalf("state differs from a full replay: %s\nlog: %s", d, logs)
	}
	return s
}

func TestSnapshotDue(t *testing.T) {
	at := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name     string
		size     uint64
		after    time.Duration
		due      bool
		lastSize uint64
	}{
		{"grown enough, spaced enough", 10_000 + snapshotEvery, snapshotSpacing, true, 10_000},
		{"grown enough, too soon", 10_000 + snapshotEvery, snapshotSpacing - time.Second, false, 10_000},
		{"spaced enough, not grown enough", 10_000 + snapshotEvery - 1, time.Hour, false, 10_000},
		{"a burst of filings within a minute", 10_000 + 20*snapshotEvery, 30 * time.Second, false, 10_000},
		{"no snapshot yet", snapshotEvery, snapshotSpacing, true, 0},
	} {
		if got := snapshotDue(c.lastSize, at, c.size, at.Add(c.after)); got != c.due {
			t.Errorf("%s: due %v, want %v", c.name, got, c.due)
		}
	}
}

// failingSigner fails as a snapshot write does on a full disk, at its end.
type failingSigner struct{ note.Signer }

func (failingSigner) Sign([]byte) ([]byte, error) { return nil, errors.New("no space left on device") }

// TestFailedSnapshotWaitsItsSpacing: after a snapshot written while
// serving fails, the next is not due before snapshotSpacing, however
// much the state grew: a lasting failure must not write the whole state
// again on every tick of keepCheckpoints.
func TestFailedSnapshotWaitsItsSpacing(t *testing.T) {
	dir := t.TempDir()
	s, logs := openLogged(t, dir)
	defer s.Close()
	fill(t, s, 2)
	s.snapAt = time.Now().Add(-time.Hour) // the last one long ago
	good := s.signer.signer
	s.signer.signer = failingSigner{good}
	s.storeSnapshot()
	s.signer.signer = good
	if !strings.Contains(logs.String(), "no space left") {
		t.Fatalf("the failure was not logged: %s", logs)
	}
	if fileExists(filepath.Join(dir, SnapshotFile)) {
		t.Fatal("a snapshot was stored")
	}
	if snapshotDue(s.snapSize, s.snapAt, s.snapSize+10*snapshotEvery, time.Now()) {
		t.Fatal("another snapshot is due right after one failed")
	}
	if !snapshotDue(s.snapSize, s.snapAt, s.snapSize+snapshotEvery, time.Now().Add(snapshotSpacing)) {
		t.Fatal("no snapshot is due a spacing after one failed")
	}
}

// TestSnapshotDueSoonAfterAFullReplay: a start that replayed the whole
// journal (no snapshot, or one it could not use) writes one at the first
// tick once the state is large enough, not a spacing later; a start from
// a snapshot waits the spacing.
func TestSnapshotDueSoonAfterAFullReplay(t *testing.T) {
	dir := t.TempDir()
	s, _ := openLogged(t, dir)
	fill(t, s, 2)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, SnapshotFile)); err != nil {
		t.Fatal(err)
	}
	s, _ = openLogged(t, dir) // a full replay
	if !snapshotDue(s.snapSize, s.snapAt, s.snapSize+snapshotEvery, time.Now()) {
		t.Error("after a full replay, a snapshot is not due at once")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, _ = openLogged(t, dir) // from the snapshot Close wrote
	defer s.Close()
	if snapshotDue(s.snapSize, s.snapAt, s.snapSize+snapshotEvery, time.Now()) {
		t.Error("after loading a snapshot, another is due at once")
	}
}
