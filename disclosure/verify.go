package disclosure

import (
	"bytes"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/templates"
)

// Result is what verifying a disclosure established.
type Result struct {
	// Verdict and Summary are what Decide concludes: empty until it is
	// called, as offline, where no ledger says what was restated since.
	Verdict Verdict `json:"verdict,omitempty"`
	Summary string  `json:"summary,omitempty"`
	// Valid is true for an authentic document, current or superseded.
	Valid bool `json:"valid"`
	// SupersededBy lists, for a superseded document, each return it
	// presents that was restated since (see Decide).
	SupersededBy []Supersession `json:"superseded_by,omitempty"`
	// FiguresChanged says, for a superseded report drawn from a record
	// (region_v2, sector_v4), that the view of its period has changed
	// since its record (see Decide).
	FiguresChanged *FiguresChange `json:"figures_changed,omitempty"`
	// CurrentDocument is the path, on the server that verified it, of
	// the document as it reads today, when a superseded document has one
	// the asker may download.
	CurrentDocument string            `json:"current_document,omitempty"`
	Document        string            `json:"document,omitempty"`
	Operator        string            `json:"operator,omitempty"`
	Period          string            `json:"period,omitempty"`
	Entries         []VerifiedEntry   `json:"entries"`
	Checkpoint      *ResultCheckpoint `json:"checkpoint"`
	Problems        []string          `json:"problems"`
	// Issued is the ledger's disclosure.issued entry of these exact
	// bytes. Only a server holding the ledger can say; offline it is nil,
	// and so it is for documents produced while the ledger was read-only.
	Issued *ResultIssued `json:"issued,omitempty"`
	// Notices say what was corrected since the document was issued: a
	// valid document made with a roll-up fixed since (R1, R2) gets one
	// per figure the fix changes. They leave Valid as it is: the
	// document is what the ledger produced at the time.
	Notices []string `json:"notices,omitempty"`
	bundle  *Bundle
	// pdf is the document and ready says that Inspect found nothing
	// wrong with it, so Confirm is to render it; Confirm clears both.
	pdf   []byte
	ready bool
	// confirmed says the bundle was rendered again and gave exactly the
	// document's bytes; failure is the kind of the first check that
	// failed (failNoProof, ...), for Summary.
	confirmed bool
	failure   string
}

// ResultIssued is where the ledger recorded a document as issued.
type ResultIssued struct {
	Seq  uint64 `json:"seq"`
	Time string `json:"time"` // RFC 3339, UTC
}

// VerifiedEntry is one entry the disclosure derives from.
type VerifiedEntry struct {
	Seq      uint64 `json:"seq"`
	Kind     string `json:"kind"`
	LeafHash string `json:"leaf_hash"`
	Included bool   `json:"included"` // its inclusion proof checks against the checkpoint
	ReturnID string `json:"return,omitempty"`
}

// ResultCheckpoint is the checkpoint a disclosure was produced under.
type ResultCheckpoint struct {
	Origin   string `json:"origin"`
	Size     uint64 `json:"size"`
	Root     string `json:"root"`
	Signed   bool   `json:"signed"` // the signature verifies with the key
	NoteText string `json:"note"`
}

// Bundle returns the bundle found in the document, or nil.
func (r *Result) Bundle() *Bundle { return r.bundle }

// Verify checks a PDF disclosure with nothing but the log's public key
// (verifierKey in the note.NewVerifier text form): that it carries a
// bundle, that the bundle's checkpoint is signed by the key, that every
// entry's inclusion proof checks against that checkpoint, that every
// entry keeps the rules the ledger admitted it under, and that rendering
// the bundle gives exactly the document's bytes, so no number, word or
// byte of it was changed. Valid is true only when all of it holds;
// Problems lists what does not. Whether an entry was superseded since is
// for a caller with access to the ledger to add.
func Verify(pdf []byte, verifierKey string) *Result {
	res, _ := VerifyWith(pdf, verifierKey, Render) // Render is never unavailable
	return res
}

// ErrRenderUnavailable is matched by the errors of a renderer that could
// not render at all (a worker process crashed, say), as opposed to a
// bundle that does not render.
var ErrRenderUnavailable = errors.New("disclosure rendering is unavailable")

// VerifyWith is Verify rendering the attached bundle again with render,
// which must give the bytes Render gives (a server renders in worker
// processes, see package renderproc). It is Inspect followed by Confirm:
// render is called only for a bundle that passed every other check. When
// render fails with an error matching ErrRenderUnavailable the document
// could not be checked, which says nothing about it: that error is
// returned instead of a result.
func VerifyWith(pdf []byte, verifierKey string, render func(*Bundle) ([]byte, error)) (*Result, error) {
	res := Inspect(pdf, verifierKey)
	if err := res.Confirm(render); err != nil {
		return nil, err
	}
	return res, nil
}

// Inspect runs every check of Verify except rendering again, all of them
// cheap and bounded by the size of the document: the attachment, the
// checkpoint's signature, every entry's inclusion proof and then, when
// those hold, the entries' own rules (see checkEntries). A document that
// fails any of them has Problems and is never rendered; one that passes
// them all is ReadyToRender, and Confirm finishes its verification. The
// result of Inspect alone is never Valid.
func Inspect(pdf []byte, verifierKey string) *Result {
	res := &Result{Entries: []VerifiedEntry{}, Problems: []string{}}
	kind := failNoProof
	problem := func(format string, args ...any) {
		res.Problems = append(res.Problems, fmt.Sprintf(format, args...))
		if res.failure == "" {
			res.failure = kind
		}
	}
	raw, err := templates.ExtractAttachment(pdf, templates.AttachmentName)
	if err != nil {
		problem("no ictledger proof attachment could be read from the document: %v", err)
		return res
	}
	b, err := DecodeBundle(raw)
	if err != nil {
		problem("%v", err)
		return res
	}
	res.bundle = b
	res.Document, res.Operator, res.Period = b.Document, b.Operator, b.Period
	cp, err := b.checkpointOf()
	if err != nil {
		problem("the checkpoint in the document is malformed: %v", err)
		return res
	}
	res.Checkpoint = &ResultCheckpoint{Origin: cp.Origin, Size: cp.Size, Root: cp.Root.String(), NoteText: b.Checkpoint}
	kind = failSignature
	verifier, err := note.NewVerifier(verifierKey)
	if err != nil {
		problem("the verifier key is not valid: %v", err)
	} else if signed, err := checkpoint.Open([]byte(b.Checkpoint), verifier); err != nil {
		problem("the checkpoint's signature does not verify with the key %s: %v", verifier.Name(), err)
	} else if signed != cp {
		problem("the signed checkpoint differs from the one shown")
	} else {
		res.Checkpoint.Signed = true
	}
	kind = failNoProof
	es, raws, err := b.rawEntries()
	if err != nil {
		problem("%v", err)
		return res
	}
	kind = failInclusion
	for i, e := range es {
		ve := VerifiedEntry{Seq: e.Seq, Kind: string(e.Kind), LeafHash: b.Entries[i].LeafHash}
		leaf := tlog.RecordHash(raws[i])
		if leaf.String() != b.Entries[i].LeafHash {
			problem("entry %d: its bytes hash to %s, not the listed %s", e.Seq, leaf, b.Entries[i].LeafHash)
		} else if proof, err := parseHashes(b.Entries[i].Proof); err != nil {
			problem("entry %d: %v", e.Seq, err)
		} else if e.Seq >= cp.Size {
			problem("entry %d is beyond the checkpoint's tree of %d entries", e.Seq, cp.Size)
		} else if err := tlog.CheckRecord(proof, int64(cp.Size), cp.Root, int64(e.Seq), leaf); err != nil {
			problem("entry %d: the inclusion proof does not check against the checkpoint: %v", e.Seq, err)
		} else {
			ve.Included = true
		}
		if id := returnIDOf(e.Kind, e); id != "" {
			ve.ReturnID = id
		}
		res.Entries = append(res.Entries, ve)
	}
	if len(res.Problems) == 0 {
		// Reading every return again costs about 0.1 s a megabyte, so
		// only entries of this log pay for it: the log admitted them, so
		// their size is its, not whatever a document was made to hold.
		if ps := checkEntries(b, es); len(ps) > 0 {
			res.Problems, res.failure = append(res.Problems, ps...), failRules
		}
	}
	res.pdf, res.ready = pdf, len(res.Problems) == 0
	return res
}

// ReadyToRender reports whether Inspect found nothing wrong, so that only
// rendering the bundle again remains: Confirm renders exactly when this
// is true. A server takes its render slot only then.
func (r *Result) ReadyToRender() bool { return r.ready }

// Confirm finishes a verification Inspect began: it renders the bundle
// again with render and compares the bytes with the document's, and sets
// Valid. For a result that is not ReadyToRender it does nothing and the
// result stays not valid; it never calls render then. When render fails
// with an error matching ErrRenderUnavailable that error is returned and
// the result says nothing.
func (r *Result) Confirm(render func(*Bundle) ([]byte, error)) error {
	if !r.ReadyToRender() {
		return nil
	}
	pdf := r.pdf
	r.pdf, r.ready = nil, false // one render per inspection
	again, err := render(r.bundle)
	if errors.Is(err, ErrRenderUnavailable) {
		return err
	}
	if err != nil {
		r.Problems, r.failure = append(r.Problems, fmt.Sprintf("the attached entries cannot be rendered again: %v", err)), failUnrender
	} else if !bytes.Equal(again, pdf) {
		r.Problems, r.failure = append(r.Problems, "the document's bytes differ from the disclosure its attached entries produce: it was altered after it was issued"), failAltered
	}
	r.confirmed = len(r.Problems) == 0
	r.Valid = r.confirmed
	if r.Valid {
		// The bundle has just rendered, so its figures compute; an error
		// here would only cost the notice.
		r.Notices, _ = corrections(r.bundle)
	}
	return nil
}

func parseHashes(ss []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(ss))
	for i, s := range ss {
		h, err := tlog.ParseHash(s)
		if err != nil {
			return nil, fmt.Errorf("proof hash %d: %w", i, err)
		}
		out[i] = h
	}
	return out, nil
}
