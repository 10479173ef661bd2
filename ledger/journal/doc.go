// Package journal is the ledger's durable, append-only log: framed,
// checksummed and hash-chained records in one file, group-committed with
// one fsync per batch, with an RFC 6962 Merkle tree over the records for
// inclusion and consistency proofs.
//
// # Files
//
// A journal lives in a directory, which it shares with other files of the
// data directory (the signing key, checkpoints). The journal owns the names
// starting with "journal":
//
//	journal.lock     flock(2)ed while a Journal is open; after the first
//	                 start it also holds a marker line saying journal.wal
//	                 was created, so that a deleted journal.wal stops the
//	                 start instead of silently becoming an empty ledger
//	journal.wal      the records
//	journal.wal.tmp  exists only while journal.wal is being created
//
// Any other file whose name starts with "journal" makes Open fail.
//
// One file, not segments: the ledger never deletes or compacts records, so
// segments would buy nothing but more ways to lose one.
//
// # journal.wal, byte by byte
//
// All integers are big-endian. CRC32C is CRC-32 with the Castagnoli
// polynomial (hash/crc32.Castagnoli).
//
// The file starts with a 16-byte header:
//
//	[0:8)    magic "ICTLJRNL"
//	[8:12)   format version, 1
//	[12:16)  CRC32C of bytes [0:12)
//
// Then come frames, one per record, back to back with no padding, record
// 0 first. A frame is a 52-byte header followed by the record bytes:
//
//	[0:4)    length L of the record in bytes (at most MaxRecordSize)
//	[4:12)   sequence number (0-based, dense: frame k carries k)
//	[12:44)  chain value C_k = SHA-256(C_{k-1} || leaf_k), C_{-1} = 32 zero
//	         bytes, leaf_k = SHA-256(0x00 || record_k)
//	[44:48)  CRC32C of the L record bytes
//	[48:52)  CRC32C of header bytes [0:48)
//	[52:52+L) the record: a ledger entry's canonical encoding
//
// leaf_k is the RFC 6962 leaf hash, so the Merkle tree (tlog) is built over
// the same hashes the chain uses.
//
// # Recovery
//
// Open reads every frame. The first frame that is not whole ends the
// records; it is a torn tail, truncated with a warning, only when it is
// also the last thing in the file:
//
//   - fewer than 52 bytes remain (short header);
//   - the header checks out but the record runs past the end of the file
//     (short body);
//   - the header checks out, the frame ends exactly at the end of the file
//     and the record's CRC is wrong (a body partly written);
//   - the header fails its CRC and every byte from it to the end of the
//     file is zero (blocks allocated but never written, after power loss).
//
// A killed process leaves one of the first two; the others cover power
// loss. A torn tail was never acknowledged: Append returns only after the
// fsync covering the record.
//
// Everything else stops Open with a *CorruptError naming the file, the
// byte offset of the frame and its sequence number: a bad file header; a
// frame header CRC mismatch with data after it; a wrong sequence number; a
// length over MaxRecordSize (checked before allocating); a record CRC
// mismatch with frames after it; a chain value that does not follow. The
// middle of the log is never skipped or repaired.
//
// # Memory
//
// In memory the journal keeps one 8-byte offset per record and the tlog
// stored hashes (just under two 32-byte hashes per record): about 72 MB at
// 1,000,000 records. Records themselves are read back from disk.
package journal
