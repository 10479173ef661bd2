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
