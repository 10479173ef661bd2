package journal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// record returns deterministic test bytes for seq, of varying length
// (including an empty record), so frames do not all line up.
func record(seq uint64) []byte {
	n := int(seq*37) % 300
	var b bytes.Buffer
	fmt.Fprintf(&b, "record %d:", seq)
	for b.Len() < n {
		b.WriteByte(byte('a' + (b.Len()+int(seq))%26))
	}
	return b.Bytes()
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openT(t testing.TB, dir string, opts Options) *Journal {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quietLogger()
	}
	j, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return j
}

func appendT(t testing.TB, j *Journal, data []byte) uint64 {
	t.Helper()
	seq, err := j.Append(context.Background(), func(uint64) ([]byte, error) { return data, nil })
	if err != nil {
		t.Fatalf("Append: %v", err)
	}
	return seq
}

// fill appends records 0..n-1 (record(seq)) sequentially.
func fill(t testing.TB, j *Journal, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		seq, err := j.Append(context.Background(), func(seq uint64) ([]byte, error) { return record(seq), nil })
		if err != nil {
			t.Fatalf("Append %d: %v", i, err)
		}
		if seq != uint64(i) {
			t.Fatalf("Append %d got seq %d", i, seq)
		}
	}
}

func TestAppendReadReopen(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	var committed []uint64
	j := openT(t, dir, Options{OnCommit: func(seq uint64, data []byte, leaf tlog.Hash) {
		if !bytes.Equal(data, record(seq)) || leaf != tlog.RecordHash(data) {
			t.Errorf("OnCommit(%d) got other bytes or another leaf hash", seq)
		}
		mu.Lock()
		committed = append(committed, seq)
		mu.Unlock()
	}})
	const n = 200
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < n/8; i++ {
				seq, err := j.Append(context.Background(), func(seq uint64) ([]byte, error) { return record(seq), nil })
				if err != nil {
					t.Errorf("Append: %v", err)
					return
				}
				if j.Size() <= seq {
					t.Errorf("Append returned seq %d but Size is %d", seq, j.Size())
				}
			}
		}()
	}
	wg.Wait()
	if got := j.Size(); got != n {
		t.Fatalf("Size = %d, want %d", got, n)
	}
	for i, seq := range committed {
		if seq != uint64(i) {
			t.Fatalf("OnCommit order: position %d got seq %d", i, seq)
		}
	}
	for seq := uint64(0); seq < n; seq++ {
		got, err := j.Read(seq)
		if err != nil || !bytes.Equal(got, record(seq)) {
			t.Fatalf("Read(%d) = %q, %v", seq, got, err)
		}
		leaf, err := j.LeafHash(seq)
		if err != nil || leaf != tlog.RecordHash(record(seq)) {
			t.Fatalf("LeafHash(%d) = %v, %v", seq, leaf, err)
		}
	}
	if _, err := j.Read(n); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Read past end: %v", err)
	}
	root, err := j.TreeHash(n)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append(context.Background(), func(uint64) ([]byte, error) { return nil, nil }); !errors.Is(err, ErrClosed) {
		t.Fatalf("Append after Close: %v", err)
	}
	if _, err := j.Read(0); !errors.Is(err, ErrClosed) {
		t.Fatalf("Read after Close: %v", err)
	}

	var replayed uint64
	j = openT(t, dir, Options{Replay: func(seq uint64, data []byte, leaf tlog.Hash, _ any) error {
		if seq != replayed || !bytes.Equal(data, record(seq)) || leaf != tlog.RecordHash(data) {
			return fmt.Errorf("replay got seq %d (want %d), or other bytes, or another leaf hash", seq, replayed)
		}
		replayed++
		return nil
	}})
	defer j.Close()
	if replayed != n || j.Size() != n {
		t.Fatalf("replayed %d, Size %d, want %d", replayed, j.Size(), n)
	}
	if root2, _ := j.TreeHash(n); root2 != root {
		t.Fatalf("root after reopen %v, want %v", root2, root)
	}
	// Appending after reopen continues the sequence and the chain.
	if seq := appendT(t, j, record(n)); seq != n {
		t.Fatalf("seq after reopen = %d", seq)
	}
	in, err := Inspect(dir, InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if root3, _ := j.TreeHash(n + 1); in.Size != n+1 || in.Root != root3 || in.TornTail != nil {
		t.Fatalf("Inspect = size %d root %v torn %v", in.Size, in.Root, in.TornTail)
	}
}

func TestReplayErrorStopsOpen(t *testing.T) {
	dir := t.TempDir()
	j := openT(t, dir, Options{})
	fill(t, j, 3)
	j.Close()
	boom := errors.New("boom")
	_, err := Open(dir, Options{Logger: quietLogger(), Replay: func(seq uint64, _ []byte, _ tlog.Hash, _ any) error {
		if seq == 1 {
			return boom
		}
		return nil
	}})
	if !errors.Is(err, boom) {
		t.Fatalf("Open = %v, want boom", err)
	}
	// The failed Open released the lock.
	openT(t, dir, Options{}).Close()
}

func TestBuildErrorAndTooLarge(t *testing.T) {
	j := openT(t, t.TempDir(), Options{MaxRecordSize: 100})
	defer j.Close()
	appendT(t, j, []byte("zero"))
	bad := errors.New("invalid return")
	if _, err := j.Append(context.Background(), func(uint64) ([]byte, error) { return nil, bad }); !errors.Is(err, bad) {
		t.Fatalf("build error: %v", err)
	}
	if _, err := j.Append(context.Background(), func(uint64) ([]byte, error) { return make([]byte, 101), nil }); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("too large: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := j.Append(ctx, func(uint64) ([]byte, error) { return []byte("x"), nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	// None of the failures consumed a sequence number.
	if seq := appendT(t, j, make([]byte, 100)); seq != 1 {
		t.Fatalf("seq = %d, want 1", seq)
	}
	if err := j.Err(); err != nil {
		t.Fatalf("journal failed: %v", err)
	}
}

func TestLargeRecordWrittenDirect(t *testing.T) {
	dir := t.TempDir()
	j := openT(t, dir, Options{})
	big := bytes.Repeat([]byte("0123456789abcdef"), 3<<16) // 3 MiB
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j.Append(context.Background(), func(seq uint64) ([]byte, error) {
				if seq%2 == 0 {
					return big, nil
				}
				return record(seq), nil
			})
		}()
	}
	wg.Wait()
	j.Close()
	j = openT(t, dir, Options{})
	defer j.Close()
	for seq := uint64(0); seq < 4; seq++ {
		want := record(seq)
		if seq%2 == 0 {
			want = big
		}
		if got, err := j.Read(seq); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("Read(%d): %d bytes, %v", seq, len(got), err)
		}
	}
}

func TestSecondOpenFails(t *testing.T) {
	dir := t.TempDir()
	j := openT(t, dir, Options{})
	_, err := Open(dir, Options{Logger: quietLogger()})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("second Open = %v, want ErrLocked naming %s", err, dir)
	}
	j.Close()
	openT(t, dir, Options{}).Close()
}

func TestMissingJournalFileRefused(t *testing.T) {
	dir := t.TempDir()
	j := openT(t, dir, Options{})
	fill(t, j, 2)
	j.Close()
	if err := os.Remove(filepath.Join(dir, walName)); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir, Options{Logger: quietLogger()})
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("Open without journal.wal = %v", err)
	}
}

func TestUnexpectedFileRefused(t *testing.T) {
	dir := t.TempDir()
	openT(t, dir, Options{}).Close()
	if err := os.WriteFile(filepath.Join(dir, "journal-000002.wal"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir, Options{Logger: quietLogger()})
	if err == nil || !strings.Contains(err.Error(), "journal-000002.wal") {
		t.Fatalf("Open = %v", err)
	}
}

func TestHalfCreatedJournalRecovered(t *testing.T) {
	dir := t.TempDir()
	// A first start that died after creating the temporary file.
	if err := os.WriteFile(filepath.Join(dir, tmpName), []byte("ICTL"), 0o600); err != nil {
		t.Fatal(err)
	}
	j := openT(t, dir, Options{})
	defer j.Close()
	appendT(t, j, []byte("first"))
	if _, err := os.Stat(filepath.Join(dir, tmpName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("tmp file still there: %v", err)
	}
}

func TestProofs(t *testing.T) {
	j := openT(t, t.TempDir(), Options{FS: noSyncFS{}})
	defer j.Close()
	const n = 70
	fill(t, j, n)
	roots := make([]tlog.Hash, n+1)
	for size := uint64(0); size <= n; size++ {
		var err error
		if roots[size], err = j.TreeHash(size); err != nil {
			t.Fatal(err)
		}
	}
	for size := uint64(1); size <= n; size++ {
		for seq := uint64(0); seq < size; seq++ {
			p, err := j.InclusionProof(seq, size)
			if err != nil {
				t.Fatalf("InclusionProof(%d, %d): %v", seq, size, err)
			}
			leaf := tlog.RecordHash(record(seq))
			if err := tlog.CheckRecord(p, int64(size), roots[size], int64(seq), leaf); err != nil {
				t.Fatalf("CheckRecord(%d, %d): %v", seq, size, err)
			}
			if seq == 0 && size > 1 {
				if tlog.CheckRecord(p, int64(size), roots[size], int64(seq), tlog.RecordHash([]byte("other"))) == nil {
					t.Fatalf("proof for (%d, %d) accepted a different record", seq, size)
				}
			}
		}
		for from := uint64(1); from <= size; from++ {
			p, err := j.ConsistencyProof(from, size)
			if err != nil {
				t.Fatalf("ConsistencyProof(%d, %d): %v", from, size, err)
			}
			if err := tlog.CheckTree(p, int64(size), roots[size], int64(from), roots[from]); err != nil {
				t.Fatalf("CheckTree(%d, %d): %v", from, size, err)
			}
			if from < size && tlog.CheckTree(p, int64(size), roots[size], int64(from), roots[from-1]) == nil && from > 1 {
				t.Fatalf("consistency (%d, %d) accepted the wrong old root", from, size)
			}
		}
	}
	if _, err := j.InclusionProof(n, n); !errors.Is(err, ErrNotFound) {
		t.Fatalf("InclusionProof beyond size: %v", err)
	}
	if _, err := j.ConsistencyProof(1, n+1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ConsistencyProof beyond size: %v", err)
	}
}

func TestReadChecksDisk(t *testing.T) {
	dir := t.TempDir()
	j := openT(t, dir, Options{})
	defer j.Close()
	fill(t, j, 3)
	// Damage record 1 behind the open journal's back.
	f, err := os.OpenFile(filepath.Join(dir, walName), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{'X'}, j.offsets[1]+frameHeaderSize+2); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var ce *CorruptError
	if _, err := j.Read(1); !errors.As(err, &ce) || ce.Seq != 1 || ce.Offset != j.offsets[1] {
		t.Fatalf("Read of a damaged record = %v", err)
	}
	if _, err := j.Read(2); err != nil {
		t.Fatalf("Read(2): %v", err)
	}
}

func TestCloseDuringAppends(t *testing.T) {
	j := openT(t, t.TempDir(), Options{FS: noSyncFS{}})
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := map[uint64]bool{}
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				seq, err := j.Append(context.Background(), func(seq uint64) ([]byte, error) { return record(seq), nil })
				if errors.Is(err, ErrClosed) {
					return
				}
				if err != nil {
					t.Errorf("Append: %v", err)
					return
				}
				mu.Lock()
				acked[seq] = true
				mu.Unlock()
			}
		}()
	}
	for j.Size() < 50 {
		runtime.Gosched()
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := j.Close(); !errors.Is(err, ErrClosed) {
		t.Fatalf("second Close: %v", err)
	}
	in, err := Inspect(j.Dir(), InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for seq := range acked {
		if seq >= in.Size {
			t.Fatalf("acknowledged record %d missing after Close (size %d)", seq, in.Size)
		}
	}
}
