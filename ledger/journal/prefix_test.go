package journal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestCopyPrefix copies prefixes of a journal that is still open and
// checks that each copy opens with exactly that many records, the same
// tree, and no torn tail; asking for more records than exist fails.
func TestCopyPrefix(t *testing.T) {
	dir := t.TempDir()
	j := openT(t, dir, Options{})
	defer j.Close()
	fill(t, j, 9)
	for _, size := range []uint64{0, 1, 5, 9} {
		var buf bytes.Buffer
		n, err := CopyPrefix(dir, size, &buf, InspectOptions{})
		if err != nil || n != int64(buf.Len()) {
			t.Fatalf("CopyPrefix(%d): %d %v", size, n, err)
		}
		dst := t.TempDir()
		if err := os.WriteFile(filepath.Join(dst, FileName), buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		in, err := Inspect(dst, InspectOptions{})
		if err != nil || in.Size != size || in.TornTail != nil {
			t.Fatalf("copy of %d: %+v %v", size, in, err)
		}
		want, _ := j.TreeHash(size)
		if in.Root != want {
			t.Fatalf("copy of %d: root %v, want %v", size, in.Root, want)
		}
	}
	if _, err := CopyPrefix(dir, 10, &bytes.Buffer{}, InspectOptions{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("CopyPrefix past the end: %v", err)
	}
}
