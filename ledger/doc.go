// Package ledger is the domain of ictledger: the entries of the append-only
// ledger, the quarterly return operators file, factor sets, operators,
// tokens and reviews, and the one error type whose codes the HTTP adapter
// maps to status codes.
//
// Subpackages are adapters that speak these types: journal (the framed,
// checksummed file under a Merkle tree), checkpoint (signing key and signed
// tree heads), state (go-memdb), and httpapi (the HTTP API).
package ledger
