package journal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A reader next to a live journal: it reads back every record it saw,
// with the server's tree hashes, and nothing appended after it opened.
func TestReaderReadsWhatItSaw(t *testing.T) {
	dir := t.TempDir()
	j := openT(t, dir, Options{})
	defer j.Close()
	fill(t, j, 40)

	var visited int
	r, err := OpenReader(dir, InspectOptions{Visit: func(seq uint64, data []byte) error {
		if !bytes.Equal(data, record(seq)) {
			t.Errorf("visit %d = %q", seq, data)
		}
		visited++
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	appendT(t, j, record(40))

	if r.Size() != 40 || visited != 40 || r.TornTail() != nil {
		t.Fatalf("size %d, visited %d, torn %+v", r.Size(), visited, r.TornTail())
	}
	for _, seq := range []uint64{39, 0, 17, 3} {
		got, err := r.Read(seq)
		if err != nil || !bytes.Equal(got, record(seq)) {
			t.Fatalf("Read(%d) = %q, %v", seq, got, err)
		}
	}
	if _, err := r.Read(40); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Read(40) past what was opened: %v", err)
	}
	for _, size := range []uint64{0, 1, 25, 40} {
		want, _ := j.TreeHash(size)
		got, err := r.TreeHash(size)
		if err != nil || got != want {
			t.Fatalf("TreeHash(%d) = %v, %v; journal says %v", size, got, err, want)
		}
	}
	if _, err := r.TreeHash(41); !errors.Is(err, ErrNotFound) {
		t.Fatalf("TreeHash(41): %v", err)
	}
}

// A record changed on disk after the reader opened is refused when read,
// naming the record, not returned.
func TestReaderRefusesARecordChangedSince(t *testing.T) {
	wal, offsets := golden(t, 3)
	dir := withWAL(t, wal)
	r, err := OpenReader(dir, InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := os.OpenFile(filepath.Join(dir, walName), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("X"), offsets[1]+frameHeaderSize); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var ce *CorruptError
	if _, err := r.Read(1); !errors.As(err, &ce) || ce.Seq != 1 {
		t.Fatalf("Read(1) of a changed record: %v", err)
	}
	if _, err := r.Read(2); err != nil {
		t.Fatalf("Read(2): %v", err)
	}
}

// A torn tail is reported and left in place: the reader writes nothing.
func TestReaderLeavesATornTail(t *testing.T) {
	wal, offsets := golden(t, 3)
	dir := withWAL(t, wal[:len(wal)-3])
	r, err := OpenReader(dir, InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Size() != 2 || r.TornTail() == nil || r.TornTail().Offset != offsets[2] {
		t.Fatalf("size %d, torn %+v", r.Size(), r.TornTail())
	}
	if fi, _ := os.Stat(filepath.Join(dir, walName)); fi.Size() != int64(len(wal)-3) {
		t.Fatalf("the file changed: %d bytes", fi.Size())
	}
}
