// Package disclosure makes the PDF disclosures and checks them. A
// disclosure is a pure function of a Bundle: the ledger entries it derives
// from (canonical bytes), their inclusion proofs and the signed checkpoint
// of the tree they were proved in. The bundle is attached to the PDF, so
// anyone with the log's public key can verify a disclosure offline: the
// checkpoint's signature, every entry's inclusion proof, the filing rules
// on every return, and — by rendering the bundle again and comparing
// bytes — that nothing in the document was altered. A bundle is rendered
// only after all the other checks pass: until then it is untrusted input.
package disclosure

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/checkpoint"
)

// Format names the bundle layout; a new layout gets a new name.
const Format = "ictledger-disclosure/v1"

// The document kinds.
const (
	DocOperator = "operator"
	DocSector   = "sector"
	DocRegion   = "region"
)

// BasisAccepted is the Basis of a public operator disclosure: it uses a
// quarter only when the latest version of it in the bundle has an
// acceptance as its latest review in the bundle.
const BasisAccepted = "accepted"

// Bundle is everything a disclosure is made from, and what its JSON
// attachment holds.
type Bundle struct {
	Format     string        `json:"format"`
	Document   string        `json:"document"` // DocOperator, DocSector or DocRegion
	Template   string        `json:"template"` // layout version, e.g. "disclosure_v1"
	Operator   string        `json:"operator,omitempty"`
	Country    string        `json:"country,omitempty"` // sector report of one country
	Period     string        `json:"period"`            // "2025-Q3" or "2025"
	GWP        string        `json:"gwp"`
	Deadline   string        `json:"deadline,omitempty"` // sector: the filing deadline of the span's last quarter (RFC 3339)
	Checkpoint string        `json:"checkpoint"`         // signed note text
	Entries    []BundleEntry `json:"entries"`            // in sequence order
	// Basis says which returns the document may use. Empty (every
	// document issued before the field existed, and every preview) uses
	// each quarter the bundle gives. BasisAccepted uses accepted quarters
	// only and says, in the document, which comparison lacks one. The
	// field is left out when empty, so older bundles encode, and render,
	// exactly as they did.
	Basis string `json:"basis,omitempty"`
	// Methodology is the methodology the document's figures follow (e.g.
	// "2026.1"). Empty means 2025.1: every bundle made before the field
	// existed, and every bundle of 2025.1 since, which therefore encodes
	// and renders exactly as before.
	Methodology string `json:"methodology,omitempty"`
	// Rollup is the revision of the sector roll-up a sector document's
	// totals follow. Zero, left out, is the first: every sector document
	// issued before the field existed, which summed two operators' dc-1
	// as one facility (R1) and the two terms of a ratio over a stock over
	// different operators (R2), and renders again exactly so. New sector
	// documents are RollupCorrected. Operator documents have no sector
	// total and leave it out.
	Rollup int `json:"rollup,omitempty"`
	// Deadlines are, in a sector document of every country, the filing
	// deadline of the span's last quarter (RFC 3339) of each country
	// whose operators it covers, each under its administration's rule;
	// an operator's lateness counts from its own country's. Empty (every
	// sector document made before the field existed, and every document
	// of one country) counts from Deadline; left out when empty, so those
	// bundles encode, and render, exactly as before.
	Deadlines map[string]string `json:"deadlines,omitempty"`
	// Coverage, in a regional document, counts by country the operators
	// due for the span and those that filed any version of it. A public
	// document attaches accepted returns, and the registrations of the
	// operators that have one, only: these counts are the ledger's
	// statement at the time, not derived from attached entries. The
	// renderer holds them to what the entries prove (each accepted
	// operator filed and was due). Left out elsewhere.
	Coverage map[string]RegionCounts `json:"coverage,omitempty"`
	// CountedAt is the size of the tree whose entries Coverage counts:
	// no larger than the checkpoint's, so that a server holding the
	// ledger can count them again. Zero elsewhere.
	CountedAt uint64 `json:"counted_at,omitempty"`
}

// RegionCounts is one country's count of operators in a regional
// document's bundle.
type RegionCounts struct {
	Due   int `json:"due"`
	Filed int `json:"filed"`
}

// RollupCorrected is the Rollup of sector documents made with the R1 and
// R2 fixes (methodology-2026, Roll-ups): data centres keyed by operator
// and id, and each ratio over a stock summed over the operators that
// filed both its terms, with the others named.
const RollupCorrected = 2

// rollupCorrected reports whether the bundle's sector totals follow the
// corrected roll-up.
func (b *Bundle) rollupCorrected() (bool, error) {
	switch b.Rollup {
	case 0:
		return false, nil
	case RollupCorrected:
		return true, nil
	}
	return false, fmt.Errorf("bundle: rollup %d is not one this build renders (0 or %d)", b.Rollup, RollupCorrected)
}

// methodology is the methodology the bundle's figures are computed by.
func (b *Bundle) methodology() (string, error) {
	if b.Methodology == "" {
		return ledger.Methodology20251, nil
	}
	if err := ledger.CheckMethodology("methodology", b.Methodology); err != nil {
		return "", fmt.Errorf("bundle: %w", err)
	}
	return b.Methodology, nil
}

// BundleEntry is one ledger entry with its inclusion proof in the
// checkpoint's tree.
type BundleEntry struct {
	Seq       uint64   `json:"seq"`
	LeafHash  string   `json:"leaf_hash"` // standard base64, as tlog.Hash prints it
	Canonical string   `json:"canonical"` // standard base64 of the canonical entry bytes
	Proof     []string `json:"proof"`
}

// Encode gives the bundle's canonical JSON (ledger.Canonical), the bytes
// attached to the PDF.
func (b *Bundle) Encode() ([]byte, error) { return encodeBundle(b) }

// DecodeBundle reads an attached bundle strictly.
func DecodeBundle(raw []byte) (*Bundle, error) {
	if b, ok := decodeCanonicalBundle(raw); ok {
		return checkFormat(b)
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	var b Bundle
	if err := d.Decode(&b); err != nil {
		return nil, fmt.Errorf("the attached proof is not a disclosure bundle: %w", err)
	}
	return checkFormat(&b)
}

// checkFormat refuses a bundle of another format than this build's.
func checkFormat(b *Bundle) (*Bundle, error) {
	if b.Format != Format {
		return nil, fmt.Errorf("the attached proof has format %q; this build reads %q", b.Format, Format)
	}
	return b, nil
}

// checkpointOf parses the bundle's checkpoint without checking the
// signature (Verify does that).
func (b *Bundle) checkpointOf() (checkpoint.Checkpoint, error) {
	body := b.Checkpoint
	if i := bytes.Index([]byte(body), []byte("\n\n")); i >= 0 {
		body = body[:i+1]
	}
	return checkpoint.Parse(body)
}

// rawEntries decodes the entries' canonical bytes.
func (b *Bundle) rawEntries() ([]ledger.Entry, [][]byte, error) {
	es := make([]ledger.Entry, 0, len(b.Entries))
	raws := make([][]byte, 0, len(b.Entries))
	for i, be := range b.Entries {
		raw, err := base64.StdEncoding.DecodeString(be.Canonical)
		if err != nil {
			return nil, nil, fmt.Errorf("entries[%d]: canonical is not base64: %w", i, err)
		}
		e, err := ledger.DecodeEntry(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("entries[%d]: %w", i, err)
		}
		if e.Seq != be.Seq {
			return nil, nil, fmt.Errorf("entries[%d]: says seq %d, listed as %d", i, e.Seq, be.Seq)
		}
		es = append(es, e)
		raws = append(raws, raw)
	}
	return es, raws, nil
}

// NewBundleEntry builds a bundle entry from canonical bytes and a proof.
func NewBundleEntry(seq uint64, canonical []byte, proof tlog.RecordProof) BundleEntry {
	ps := make([]string, len(proof))
	for i, h := range proof {
		ps[i] = h.String()
	}
	return BundleEntry{Seq: seq, LeafHash: tlog.RecordHash(canonical).String(),
		Canonical: base64String(canonical), Proof: ps}
}

// base64String is base64.StdEncoding.EncodeToString written straight
// into the string, without the copy of its bytes EncodeToString makes:
// the entries of a regional sector report are 8 MB of it.
func base64String(b []byte) string {
	var sb strings.Builder
	sb.Grow(base64.StdEncoding.EncodedLen(len(b)))
	w := base64.NewEncoder(base64.StdEncoding, &sb)
	_, _ = w.Write(b) // a strings.Builder takes every write
	_ = w.Close()
	return sb.String()
}
