package service

import (
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/journal"
	"github.com/ictledger/ictledger/ledger/tiles"
)

// The tile reads below serve the c2sp.org/tlog-tiles API: the same tree
// as the JSON proofs, as static-looking resources a monitor or a witness
// can fetch and cache. The checkpoint and hash tiles are public; the
// entries need a regulator of every country. See package tiles for the
// layout.

// LogCheckpoint is the signed checkpoint served beside the tiles: the
// current tree head in the c2sp.org/tlog-checkpoint form (public). Every
// tile and bundle it needs is served. With witnesses it is the checkpoint
// of the latest witnessing round, their cosignatures as extra signature
// lines (see Checkpoint).
func (s *Service) LogCheckpoint() ([]byte, error) {
	cp, err := s.Checkpoint()
	if err != nil {
		return nil, err
	}
	return []byte(cp.Note), nil
}

// HashTile returns the bytes of hash tile t (public): t.W hashes of 32
// bytes. A tile that reaches past the committed tree is ENotFound; a tile
// that is served never changes.
func (s *Service) HashTile(t tlog.Tile) ([]byte, error) {
	b, err := s.j.TileData(t)
	if errors.Is(err, journal.ErrNotFound) {
		return nil, ledger.Errorf(ledger.ENotFound, "no tile %s: the log has %s", tiles.Path(t), ledger.CountNoun(s.j.Size(), "entry", "entries"))
	}
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not read tile " + tiles.Path(t), Err: err}
	}
	return b, nil
}

// EntryBundle returns entry bundle t (regulator, admin): entries t.N*256
// onwards,
// t.W of them, each inline or as a reference (tiles.AppendEntry). Every
// entry is read back from the journal, which checks it against its leaf
// hash, so at most about 16 MiB are held.
//
// The hash tiles and checkpoints are public, so anyone can check that the
// log never forked; the entries are not, because they hold returns before
// they are accepted and the registry of tokens, which are not public data.
func (s *Service) EntryBundle(a ledger.Actor, t tlog.Tile) ([]byte, error) {
	if err := s.requireAllJurisdictions(a); err != nil {
		return nil, err
	}
	start := uint64(t.N) * tiles.FullWidth
	if t.L != tiles.EntriesLevel || t.N < 0 || t.W < 1 || t.W > tiles.FullWidth || start/tiles.FullWidth != uint64(t.N) ||
		start+uint64(t.W) > s.j.Size() {
		return nil, ledger.Errorf(ledger.ENotFound, "no entry bundle %s: the log has %d entries", tiles.Path(t), s.j.Size())
	}
	var b []byte
	for seq := start; seq < start+uint64(t.W); seq++ {
		raw, err := s.j.Read(seq)
		if err != nil {
			return nil, &ledger.Error{Code: ledger.EInternal, Message: fmt.Sprintf("could not read entry %d", seq), Err: err}
		}
		if b, err = tiles.AppendEntry(b, seq, raw); err != nil {
			return nil, &ledger.Error{Code: ledger.EInternal, Message: fmt.Sprintf("could not bundle entry %d", seq), Err: err}
		}
	}
	return b, nil
}

// LogEntry returns the canonical bytes of entry seq alone (to an admin or a
// regulator of every country, like the entry bundles), as a
// bundle's reference to a large entry points to them.
func (s *Service) LogEntry(a ledger.Actor, seq uint64) ([]byte, error) {
	if err := s.requireAllJurisdictions(a); err != nil {
		return nil, err
	}
	if seq >= s.j.Size() {
		return nil, ledger.Errorf(ledger.ENotFound, "no entry %d: the log has %d entries", seq, s.j.Size())
	}
	raw, err := s.j.Read(seq)
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: fmt.Sprintf("could not read entry %d", seq), Err: err}
	}
	return raw, nil
}
