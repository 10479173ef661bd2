package journal

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// hashes is the tlog stored-hash array of a tree: for n leaves it holds
// tlog.StoredHashCount(n) hashes, the leaf hashes and the hash of every
// complete subtree, laid out as tlog.StoredHashIndex describes. With it, any
// tree hash and any inclusion or consistency proof costs O(log n) lookups.
//
// Memory: just under two hashes per leaf, so 64 MB at 1,000,000 entries.
// The array is rebuilt from the journal at Open, so correctness never
// depends on a side file; the replay cost is one SHA-256 per record, which
// the chain needs anyway.
//
// Elements below the length are never changed once written, so a reader
// may keep a slice header taken under the journal's lock and use it after
// releasing the lock while the writer appends.
type hashes []tlog.Hash

// ReadHashes implements tlog.HashReader.
func (h hashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(h)) {
			return nil, fmt.Errorf("journal: stored hash %d not present (have %d)", x, len(h))
		}
		out[i] = h[x]
	}
	return out, nil
}

// add appends the stored hashes for leaf number n (the tree's current
// size) and returns the extended array.
func (h hashes) add(n uint64, leaf tlog.Hash) (hashes, error) {
	if want := tlog.StoredHashIndex(0, int64(n)); want != int64(len(h)) {
		return h, fmt.Errorf("journal: internal error: adding leaf %d at stored index %d, want %d", n, len(h), want)
	}
	more, err := tlog.StoredHashesForRecordHash(int64(n), leaf, h)
	if err != nil {
		return h, err
	}
	return append(h, more...), nil
}

// leaf returns the leaf hash of record seq, which must be below the size.
func (h hashes) leaf(seq uint64) tlog.Hash {
	return h[tlog.StoredHashIndex(0, int64(seq))]
}

// treeHash returns the root of the tree of the first size leaves.
func (h hashes) treeHash(size uint64) (tlog.Hash, error) {
	return tlog.TreeHash(int64(size), h)
}

// inclusionProof proves leaf seq is in the tree of size leaves.
func (h hashes) inclusionProof(seq, size uint64) (tlog.RecordProof, error) {
	return tlog.ProveRecord(int64(size), int64(seq), h)
}

// consistencyProof proves the tree of from leaves is a prefix of the tree of
// to leaves.
func (h hashes) consistencyProof(from, to uint64) (tlog.TreeProof, error) {
	return tlog.ProveTree(int64(to), int64(from), h)
}

// TileData returns the hashes of tile t of the committed tree, as
// tlog.ReadTileData lays them out: t.W hashes at tree level t.H*t.L,
// starting at index t.N<<t.H. It fails with ErrNotFound unless every hash
// in the tile belongs to a complete subtree of the committed records, so
// that a tile, once served, never changes. t.L must be at least 0 (hash
// tiles only; entries are read with Read).
func (j *Journal) TileData(t tlog.Tile) ([]byte, error) {
	size, h := j.snapshot()
	if !tileWithin(t, size) {
		return nil, fmt.Errorf("%w: tile %d/%d width %d of height %d, journal size %d", ErrNotFound, t.L, t.N, t.W, t.H, size)
	}
	return tlog.ReadTileData(t, h)
}

// tileWithin reports whether the hashes of tile t all cover complete
// subtrees of a tree of size leaves, without overflowing on any t.
func tileWithin(t tlog.Tile, size uint64) bool {
	if t.H < 1 || t.H > 30 || t.L < 0 || t.N < 0 || t.W < 1 || t.W > 1<<t.H {
		return false
	}
	shift := uint64(t.H) * uint64(t.L)
	if shift >= 64 {
		return false
	}
	// complete is the number of complete subtrees at the tile's level.
	complete := size >> shift
	n := uint64(t.N)
	if n > complete>>t.H {
		return false
	}
	return n<<t.H+uint64(t.W) <= complete
}
