package tiles

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// TestPathMatchesSumdbWithoutHeight checks the c2sp path against
// golang.org/x/mod's sumdb path, which has the tile height as an extra
// element, and parses it back.
func TestPathMatchesSumdbWithoutHeight(t *testing.T) {
	for _, tile := range []tlog.Tile{
		{H: 8, L: 0, N: 0, W: 256},
		{H: 8, L: 0, N: 1234067, W: 256},
		{H: 8, L: 2, N: 999, W: 17},
		{H: 8, L: 1, N: 1000, W: 1},
		{H: 8, L: EntriesLevel, N: 4, W: 255},
		{H: 8, L: EntriesLevel, N: 1000000, W: 256},
	} {
		sumdb := strings.Replace(strings.Replace(tile.Path(), "tile/8/", "tile/", 1), "tile/data/", "tile/entries/", 1)
		if got := Path(tile); got != sumdb {
			t.Errorf("Path(%+v) = %q, want %q", tile, got, sumdb)
		}
		back, err := ParsePath(Path(tile))
		if err != nil || back != tile {
			t.Errorf("ParsePath(%q) = %+v, %v, want %+v", Path(tile), back, err, tile)
		}
	}
	if got := Path(tlog.Tile{H: 8, L: 0, N: 1234067, W: 256}); got != "tile/0/x001/x234/067" {
		t.Errorf("spec example: %q", got)
	}
	if got := EntryPath(1234067); got != "entry/x001/x234/067" {
		t.Errorf("EntryPath = %q", got)
	}
	if n, err := ParseEntryPath("entry/x001/x234/067"); err != nil || n != 1234067 {
		t.Errorf("ParseEntryPath = %d, %v", n, err)
	}
}

// TestParsePathRefusesOtherSpellings refuses every non-canonical form.
func TestParsePathRefusesOtherSpellings(t *testing.T) {
	for _, p := range []string{
		"", "tile", "tile/", "tile/0", "tile/0/", "tile/00/000", "tile/-1/000", "tile/9/000", "tile/data/000",
		"tile/0/0", "tile/0/0000", "tile/0/x000/001", "tile/0/001/002", "tile/0/x01/002", "tile/0/x001/x002",
		"tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/05", "tile/0/000.p/", "tile/0/000.p/1/2", "tile/0/000.p/+1",
		"tile/0/x1a2/000", "tile/0/x001/x002/x003/x004/x005/x006/007", "tile/entries/000/", "/tile/0/000",
		"tile/entries/000.p/256", "entry/0", "tile/0/00a", "tile/0/+01",
	} {
		if tile, err := ParsePath(p); !errors.Is(err, ErrBadPath) {
			t.Errorf("ParsePath(%q) = %+v, %v, want ErrBadPath", p, tile, err)
		}
	}
	for _, p := range []string{"entry/", "entry/0", "entry/x000/001", "entry/001/", "tile/0/000"} {
		if n, err := ParseEntryPath(p); !errors.Is(err, ErrBadPath) {
			t.Errorf("ParseEntryPath(%q) = %d, %v, want ErrBadPath", p, n, err)
		}
	}
}

// TestBundleRoundTrip writes small and large entries and reads them back:
// small ones inline with the standard framing, large ones as references.
func TestBundleRoundTrip(t *testing.T) {
	entries := [][]byte{[]byte(`{"a":1}`), bytes.Repeat([]byte("x"), MaxInline), bytes.Repeat([]byte("y"), MaxInline+1), []byte(`{}`)}
	var b []byte
	var err error
	for i, e := range entries {
		if b, err = AppendEntry(b, 512+uint64(i), e); err != nil {
			t.Fatal(err)
		}
	}
	tile := tlog.Tile{H: 8, L: EntriesLevel, N: 2, W: len(entries)}
	items, err := ParseBundle(b, tile)
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range items {
		if it.Seq != 512+uint64(i) {
			t.Errorf("item %d seq %d", i, it.Seq)
		}
		if i == 2 {
			if it.Ref == nil || it.Ref.Check(entries[i]) != nil || it.Ref.Check(entries[1]) == nil {
				t.Errorf("item 2: %+v, want a reference that checks the entry", it)
			}
			continue
		}
		if it.Ref != nil || !bytes.Equal(it.Data, entries[i]) {
			t.Errorf("item %d: %+v", i, it)
		}
	}
	// The inline framing is the standard one: uint16 length, bytes.
	if !bytes.HasPrefix(b, []byte("\x00\x07{\"a\":1}\xff\xff")) {
		t.Errorf("bundle starts %q", b[:12])
	}
	// Entry bytes that would read as a reference are refused.
	ref := Ref{Seq: 1, Length: MaxInline + 1}
	if _, err := AppendEntry(nil, 1, ref.encode()); err == nil {
		t.Error("AppendEntry took reference-shaped entry bytes")
	}
}

// TestParseBundleRefusesMalformed refuses short, long and lying bundles.
func TestParseBundleRefusesMalformed(t *testing.T) {
	tile := tlog.Tile{H: 8, L: EntriesLevel, N: 0, W: 2}
	good, _ := AppendEntry(nil, 0, []byte(`{}`))
	good, _ = AppendEntry(good, 1, []byte(`{"b":2}`))
	if _, err := ParseBundle(good, tile); err != nil {
		t.Fatal(err)
	}
	wrongSeq := Ref{Seq: 7, Length: MaxInline + 1}
	smallRef := Ref{Seq: 1, Length: 10}
	for name, b := range map[string][]byte{
		"one entry short":  good[:4],
		"truncated entry":  good[:len(good)-1],
		"trailing bytes":   append(append([]byte{}, good...), 0),
		"ref to elsewhere": append(append([]byte{}, good[:4]...), append([]byte{0, RefSize}, wrongSeq.encode()...)...),
		"ref to small":     append(append([]byte{}, good[:4]...), append([]byte{0, RefSize}, smallRef.encode()...)...),
	} {
		if _, err := ParseBundle(b, tile); !errors.Is(err, ErrBadBundle) {
			t.Errorf("%s: err %v, want ErrBadBundle", name, err)
		}
	}
	if _, err := ParseBundle(good, tlog.Tile{H: 8, L: 0, W: 2}); err == nil {
		t.Error("ParseBundle read a hash tile as a bundle")
	}
}

// FuzzParsePath checks that whatever ParsePath accepts prints back to the
// same path, so one tile has one path.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"tile/0/000", "tile/entries/x001/234.p/7", "tile/3/x999/999.p/255", "tile/0/x000/001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		tile, err := ParsePath(p)
		if err != nil {
			return
		}
		if Path(tile) != p {
			t.Fatalf("ParsePath(%q) = %+v, which prints as %q", p, tile, Path(tile))
		}
	})
}

// FuzzParseBundle checks that ParseBundle never panics and that what it
// accepts encodes back to the same bytes.
func FuzzParseBundle(f *testing.F) {
	good, _ := AppendEntry(nil, 0, []byte(`{}`))
	f.Add(good, 1)
	f.Add([]byte{0, 64}, 1)
	f.Fuzz(func(t *testing.T, b []byte, w int) {
		if w < 1 || w > FullWidth {
			return
		}
		items, err := ParseBundle(b, tlog.Tile{H: 8, L: EntriesLevel, W: w})
		if err != nil {
			return
		}
		var out []byte
		for _, it := range items {
			if it.Ref != nil {
				out = append(out, 0, RefSize)
				out = append(out, it.Ref.encode()...)
				continue
			}
			if out, err = AppendEntry(out, it.Seq, it.Data); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("bundle %x re-encodes as %x", b, out)
		}
	})
}
