package journal

import (
	"errors"
	"math"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// TestTileData serves the tiles of a tree of 300 records and refuses any
// tile that would reach past the committed records, whatever its numbers.
func TestTileData(t *testing.T) {
	j := openT(t, t.TempDir(), Options{})
	defer j.Close()
	const n = 300 // one full level 0 tile, a partial one of 44, a level 1 tile of 1
	fill(t, j, n)
	_, h := j.snapshot()
	for _, tile := range []tlog.Tile{
		{H: 8, L: 0, N: 0, W: 256}, {H: 8, L: 0, N: 1, W: 44}, {H: 8, L: 0, N: 1, W: 1},
		{H: 8, L: 0, N: 0, W: 7}, {H: 8, L: 1, N: 0, W: 1},
	} {
		got, err := j.TileData(tile)
		if err != nil {
			t.Fatalf("TileData(%+v): %v", tile, err)
		}
		want, _ := tlog.ReadTileData(tile, h)
		if string(got) != string(want) || len(got) != tile.W*tlog.HashSize {
			t.Errorf("TileData(%+v): %d bytes, not the stored hashes", tile, len(got))
		}
	}
	for _, tile := range []tlog.Tile{
		{H: 8, L: 0, N: 1, W: 45}, {H: 8, L: 0, N: 1, W: 256}, {H: 8, L: 0, N: 2, W: 1},
		{H: 8, L: 1, N: 0, W: 2}, {H: 8, L: 2, N: 0, W: 1}, {H: 8, L: 8, N: 0, W: 1},
		{H: 8, L: 0, N: math.MaxInt64, W: 256}, {H: 8, L: -1, N: 0, W: 1}, {H: 8, L: 0, N: 0, W: 0},
		{H: 8, L: 0, N: 0, W: 257}, {H: 8, L: 0, N: -1, W: 1}, {H: 0, L: 0, N: 0, W: 1},
	} {
		if _, err := j.TileData(tile); !errors.Is(err, ErrNotFound) {
			t.Errorf("TileData(%+v) = %v, want ErrNotFound", tile, err)
		}
	}
}
