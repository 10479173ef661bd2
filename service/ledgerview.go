package service

import (
	"encoding/base64"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger"
)

// Checkpoint is a signed tree head.
type Checkpoint struct {
	Origin string `json:"origin"`
	Size   uint64 `json:"size"`
	Root   string `json:"root"` // standard base64 of the 32-byte root, as tlog.Hash prints it
	Note   string `json:"note"` // the signed note text
}

// Checkpoint signs the current tree head (public). Ed25519 signatures are
// deterministic, so the same tree always gives the same note. With
// witnesses it is instead the checkpoint of the latest witnessing round,
// with their cosignatures, once there is one (see StartWitnessing).
func (s *Service) Checkpoint() (*Checkpoint, error) {
	if cp, err := s.publishedCheckpoint(); cp != nil || err != nil {
		return cp, err
	}
	return s.CheckpointAt(s.j.Size())
}

// CheckpointAt signs the tree head of the first size entries.
func (s *Service) CheckpointAt(size uint64) (*Checkpoint, error) {
	if size > s.j.Size() {
		return nil, ledger.Errorf(ledger.EInvalid, "the ledger has only %d entries", s.j.Size())
	}
	root, err := s.j.TreeHash(size)
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not compute the tree hash", Err: err}
	}
	note, err := s.signer.SignCheckpoint(size, root)
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not sign the checkpoint", Err: err}
	}
	return &Checkpoint{Origin: s.signer.Origin(), Size: size, Root: root.String(), Note: string(note)}, nil
}

// VerifierKey is the public key that checks checkpoints (public).
func (s *Service) VerifierKey() string { return s.signer.VerifierKey() }

// Size is the number of entries in the ledger.
func (s *Service) Size() uint64 { return s.j.Size() }

// EntryView is one ledger entry as the API shows it: anyone can recompute
// leaf_hash = SHA-256(0x00 || canonical).
type EntryView struct {
	Seq       uint64       `json:"seq"`
	LeafHash  string       `json:"leaf_hash"`
	Canonical string       `json:"canonical"` // standard base64 of the canonical bytes
	Kind      ledger.Kind  `json:"kind"`
	Time      string       `json:"time"`
	Actor     ledger.Actor `json:"actor"`
}

// Entries lists entries [start, start+limit) (regulator, admin). Large
// payloads are included as the canonical bytes only.
func (s *Service) Entries(a ledger.Actor, start, limit uint64) ([]EntryView, error) {
	if err := s.requireAllJurisdictions(a); err != nil {
		return nil, err
	}
	if limit == 0 || limit > 1000 {
		limit = 1000
	}
	size := s.j.Size()
	out := []EntryView{}
	for seq := start; seq < size && seq < start+limit; seq++ {
		raw, err := s.j.Read(seq)
		if err != nil {
			return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not read the ledger", Err: err}
		}
		e, err := ledger.DecodeEntry(raw)
		if err != nil {
			return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not decode an entry", Err: err}
		}
		leaf := tlog.RecordHash(raw)
		out = append(out, EntryView{Seq: seq, LeafHash: leaf.String(), Canonical: base64.StdEncoding.EncodeToString(raw),
			Kind: e.Kind, Time: e.Time.Format(time.RFC3339Nano), Actor: e.Actor})
	}
	return out, nil
}

// InclusionProof proves entry seq is in the tree of the given size (public).
type InclusionProof struct {
	Seq      uint64   `json:"seq"`
	Size     uint64   `json:"size"`
	LeafHash string   `json:"leaf_hash"`
	Root     string   `json:"root"`
	Proof    []string `json:"proof"`
}

// Inclusion builds an inclusion proof.
func (s *Service) Inclusion(seq, size uint64) (*InclusionProof, error) {
	if size == 0 || size > s.j.Size() || seq >= size {
		return nil, ledger.Errorf(ledger.EInvalid, "need seq < size <= %d", s.j.Size())
	}
	raw, err := s.j.Read(seq)
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not read the ledger", Err: err}
	}
	p, err := s.j.InclusionProof(seq, size)
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not build the proof", Err: err}
	}
	root, err := s.j.TreeHash(size)
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not compute the tree hash", Err: err}
	}
	return &InclusionProof{Seq: seq, Size: size, LeafHash: tlog.RecordHash(raw).String(), Root: root.String(), Proof: hashStrings(p)}, nil
}

// ConsistencyProof proves the tree of size From is a prefix of the tree of size To.
type ConsistencyProof struct {
	From     uint64   `json:"from"`
	To       uint64   `json:"to"`
	FromRoot string   `json:"from_root"`
	ToRoot   string   `json:"to_root"`
	Proof    []string `json:"proof"`
}

// Consistency builds a consistency proof (public).
func (s *Service) Consistency(from, to uint64) (*ConsistencyProof, error) {
	if from == 0 || from > to || to > s.j.Size() {
		return nil, ledger.Errorf(ledger.EInvalid, "need 0 < from <= to <= %d", s.j.Size())
	}
	p, err := s.j.ConsistencyProof(from, to)
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not build the proof", Err: err}
	}
	fr, err := s.j.TreeHash(from)
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not compute the tree hash", Err: err}
	}
	tr, err := s.j.TreeHash(to)
	if err != nil {
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not compute the tree hash", Err: err}
	}
	return &ConsistencyProof{From: from, To: to, FromRoot: fr.String(), ToRoot: tr.String(), Proof: hashStrings(p)}, nil
}

func hashStrings[T ~[]tlog.Hash](hs T) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.String()
	}
	return out
}
