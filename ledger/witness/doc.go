// Package witness speaks to transparency-log witnesses for the ledger: it
// reads their configuration, sends them checkpoints with the
// c2sp.org/tlog-witness add-checkpoint call, checks the cosignatures they
// return (c2sp.org/tlog-cosignature, Ed25519 cosignature/v1), and keeps
// the cosigned checkpoints in the data directory.
//
// A witness keeps the latest checkpoint of our log it has cosigned. It
// cosigns a new one only with a consistency proof from that size, so a
// log that rewrote its history, or shows another view to someone else,
// cannot get the same witness to sign both. The cosignatures are extra
// signature lines on the log's signed note: a client that knows only the
// log's key skips them, one that knows the witnesses' keys counts them.
//
// The cosignature formats come from github.com/transparency-dev/formats,
// the library the reference witness itself signs with, rather than from
// code of our own: the signed message and the key hash must match the
// witness's byte for byte.
package witness
