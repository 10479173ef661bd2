package journal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// damagedJournal writes n records and damages record bad's data in the
// middle of the file (not its tail), returning the directory.
func damagedJournal(t *testing.T, n, bad int) string {
	t.Helper()
	dir := t.TempDir()
	j := openT(t, dir, Options{FS: noSyncFS{}})
	fill(t, j, n)
	off := j.offsets[bad]
	j.Close()
	f, err := os.OpenFile(filepath.Join(dir, walName), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte{'X'}, off+frameHeaderSize+2); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The reader scans batches ahead of Replay, but what Open reports is
// what a scan in step would: a replay that fails before the damage wins
// over the damage, and Replay sees every record before the damage.
func TestReplayAheadKeepsErrorOrder(t *testing.T) {
	const n, bad = 3*aheadRecords + 10, 2*aheadRecords + 5
	dir := damagedJournal(t, n, bad)

	boom := errors.New("boom")
	calls := 0
	_, err := Open(dir, Options{Logger: quietLogger(), Replay: func(seq uint64, _ []byte, _ tlog.Hash, _ any) error {
		calls++
		if seq == 7 {
			return boom
		}
		return nil
	}})
	if !errors.Is(err, boom) || calls != 8 {
		t.Fatalf("Open = %v after %d replays, want boom after 8", err, calls)
	}

	var replayed uint64
	_, err = Open(dir, Options{Logger: quietLogger(), Replay: func(seq uint64, _ []byte, _ tlog.Hash, _ any) error {
		replayed = seq + 1
		return nil
	}})
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Seq != bad || replayed != bad {
		t.Fatalf("Open = %v after replaying %d records, want the damage at record %d after %d", err, replayed, bad, bad)
	}
}

// Prepare sees each record before Replay does, ahead of it, and Replay
// gets what Prepare returned for the same record.
func TestPrepareRunsAhead(t *testing.T) {
	const n = 2*aheadRecords + 3
	dir := t.TempDir()
	j := openT(t, dir, Options{FS: noSyncFS{}})
	fill(t, j, n)
	j.Close()

	type prep struct {
		seq  uint64
		data string
	}
	aheadSeen := make(chan struct{})
	j, err := Open(dir, Options{Logger: quietLogger(),
		Prepare: func(seq uint64, data []byte, _ tlog.Hash) any {
			if seq == aheadRecords {
				close(aheadSeen) // a later batch is being prepared
			}
			return prep{seq, string(data)}
		},
		Replay: func(seq uint64, data []byte, _ tlog.Hash, prepared any) error {
			if seq == 0 {
				select {
				case <-aheadSeen:
				case <-time.After(time.Minute):
					return errors.New("Prepare did not run ahead of Replay")
				}
			}
			if p, ok := prepared.(prep); !ok || p.seq != seq || p.data != string(data) || p.data != string(record(seq)) {
				return errors.New("Replay got another record's preparation")
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if j.Size() != n {
		t.Fatalf("Size %d, want %d", j.Size(), n)
	}
}

// A batch read ahead holds a few large records, not aheadRecords of
// them.
func TestReadAheadBoundsBytes(t *testing.T) {
	dir := t.TempDir()
	j := openT(t, dir, Options{FS: noSyncFS{}})
	big := func(seq uint64) []byte { return bytes.Repeat([]byte{byte('a' + seq%26)}, 1<<20) }
	const n = 10
	for seq := uint64(0); seq < n; seq++ {
		appendT(t, j, big(seq))
	}
	j.Close()

	f, err := os.Open(filepath.Join(dir, walName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	s, err := newScanner(f, f.Name(), fi.Size(), DefaultMaxRecordSize)
	if err != nil {
		t.Fatal(err)
	}
	var b aheadBatch
	var seen uint64
	for !b.last {
		fillAhead(&b, s, nil)
		if len(b.buf) > aheadBytes+1<<20 || len(b.recs) > aheadBytes>>20+1 {
			t.Fatalf("a batch of %d records, %d bytes", len(b.recs), len(b.buf))
		}
		for _, rec := range b.recs {
			if rec.seq != seen || !bytes.Equal(rec.data, big(seen)) {
				t.Fatalf("record %d read as record %d or with other bytes", seen, rec.seq)
			}
			seen++
		}
	}
	if b.err != nil || seen != n {
		t.Fatalf("read %d records, then %v", seen, b.err)
	}
}
