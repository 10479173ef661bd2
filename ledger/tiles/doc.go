// Package tiles is the ledger's journal in the c2sp.org/tlog-tiles layout:
// the paths of hash tiles and entry bundles, and the one place where the
// ledger's entry bundles differ from the specification.
//
// # Hash tiles
//
// Hash tiles are exactly the specification's: height 8, so a full tile
// holds 256 hashes (8,192 bytes); the tile at level L and index N holds
// the Merkle tree hashes of the subtrees of 256^L leaves numbered N*256
// onwards. They are served at
//
//	tile/<L>/<N>[.p/<W>]
//
// with N written in groups of three digits, every group but the last
// prefixed with "x" (index 1234067 is x001/x234/067), and ".p/<W>" naming
// a partial tile of W hashes (1 to 255). tlog.Tile describes one; this
// package prints and parses the c2sp path, which is golang.org/x/mod's
// sumdb path without its height element.
//
// # Entry bundles
//
// An entry bundle, at tile/entries/<N>[.p/<W>], holds the entries N*256
// onwards, each as a big-endian uint16 length followed by that many bytes,
// as the specification says. A uint16 cannot carry an entry of 65,536
// bytes or more (a return of 100,000 sites is about 20 MB), so such an
// entry is written in the bundle as a reference instead: a record of
// exactly RefSize (64) bytes, framed like any other entry,
//
//	"ictledger-ref/v1"     16 bytes, ASCII
//	sequence number        uint64, big-endian
//	length of the entry    uint64, big-endian, at least 65,536
//	SHA-256 of the entry   32 bytes
//
// and the entry's own bytes are served alone at entry/<N>, N written as in
// tile paths. A ledger entry is canonical JSON and starts with "{", so a
// reference can never be mistaken for an entry. A client that knows this
// layout fetches the referenced entry and checks it as it would an inline
// one: SHA-256(0x00 || bytes) must be the entry's leaf hash in the level 0
// tile. A client that does not know it still parses every bundle (the
// framing is standard) and sees a mismatching leaf hash only for large
// entries. Bundles thus stay below 256 * (2 + 65,535) bytes, about 16 MiB.
package tiles
