package disclosure

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/templates"
)

// A renderer that cannot render at all makes verification an error, not
// a verdict on the document; a bundle the renderer refuses is a problem
// of the document.
func TestVerifyWithRenderer(t *testing.T) {
	vkey := fixtureKey(t)
	pdf, err := Render(fixtureBundle(t, "operator-bundle.json"))
	if err != nil {
		t.Fatal(err)
	}

	down := func(*Bundle) ([]byte, error) { return nil, fmt.Errorf("worker crashed: %w", ErrRenderUnavailable) }
	if res, err := VerifyWith(pdf, vkey, down); res != nil || !errors.Is(err, ErrRenderUnavailable) {
		t.Fatalf("unavailable renderer: %+v, %v", res, err)
	}

	refuses := func(*Bundle) ([]byte, error) { return nil, errors.New("no such template") }
	res, err := VerifyWith(pdf, vkey, refuses)
	if err != nil || res.Valid || len(res.Problems) != 1 || !strings.Contains(res.Problems[0], "no such template") {
		t.Fatalf("refusing renderer: %+v, %v", res, err)
	}

	if res, err := VerifyWith(pdf, vkey, Render); err != nil || !res.Valid {
		t.Fatalf("in-process renderer: %+v, %v", res, err)
	}
}

// counting is a renderer that renders with Render and counts its calls.
func counting(calls *int) func(*Bundle) ([]byte, error) {
	return func(b *Bundle) ([]byte, error) {
		*calls++
		return Render(b)
	}
}

// pdfCarrying renders the operator disclosure of view with attachment
// attached in place of view's own bundle: a real document whose proof was
// swapped after it was rendered.
func pdfCarrying(t *testing.T, view *Bundle, attachment []byte) []byte {
	t.Helper()
	es, _, err := view.rawEntries()
	if err != nil {
		t.Fatal(err)
	}
	in, err := decodeInputs(es)
	if err != nil {
		t.Fatal(err)
	}
	v, err := operatorDisclosure(view, in)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := templates.RenderOperatorDisclosure(v, attachment)
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// editEntry returns a copy of b in which edit changed the canonical bytes
// of the entry seq. The listed leaf hash follows the new bytes; the
// inclusion proof is the old one.
func editEntry(t *testing.T, b *Bundle, seq uint64, edit func([]byte) []byte) *Bundle {
	t.Helper()
	out := *b
	out.Entries = append([]BundleEntry(nil), b.Entries...)
	for i, be := range out.Entries {
		if be.Seq != seq {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(be.Canonical)
		if err != nil {
			t.Fatal(err)
		}
		changed := edit(raw)
		if bytes.Equal(changed, raw) {
			t.Fatalf("the edit did not change entry %d", seq)
		}
		out.Entries[i].Canonical = base64.StdEncoding.EncodeToString(changed)
		out.Entries[i].LeafHash = tlog.RecordHash(changed).String()
		return &out
	}
	t.Fatalf("no entry %d in the bundle", seq)
	return nil
}

// resign proves b's entries, as they are, in a log of their own: a tree
// whose leaves at the entries' sequence numbers are their bytes (the
// others filler), under a checkpoint signed with a new key. It returns
// the new bundle and that key's verifier text, with which every entry of
// it is signed and included, whatever the entries say.
func resign(t *testing.T, b *Bundle) (*Bundle, string) {
	t.Helper()
	cp, err := b.checkpointOf()
	if err != nil {
		t.Fatal(err)
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, cp.Origin)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	records := map[int64][]byte{}
	for _, be := range b.Entries {
		raw, err := base64.StdEncoding.DecodeString(be.Canonical)
		if err != nil {
			t.Fatal(err)
		}
		records[int64(be.Seq)] = raw
	}
	n := int64(b.Entries[len(b.Entries)-1].Seq) + 1
	var hashes []tlog.Hash
	hr := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = hashes[x]
		}
		return out, nil
	})
	for i := int64(0); i < n; i++ {
		rec, ok := records[i]
		if !ok {
			rec = []byte(fmt.Sprintf("filler %d", i))
		}
		hs, err := tlog.StoredHashes(i, rec, hr)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hs...)
	}
	root, err := tlog.TreeHash(n, hr)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := checkpoint.Sign(signer, cp.Origin, uint64(n), root)
	if err != nil {
		t.Fatal(err)
	}
	out := *b
	out.Checkpoint = string(msg)
	out.Entries = nil
	for _, be := range b.Entries {
		proof, err := tlog.ProveRecord(n, int64(be.Seq), hr)
		if err != nil {
			t.Fatal(err)
		}
		out.Entries = append(out.Entries, NewBundleEntry(be.Seq, records[int64(be.Seq)], proof))
	}
	return &out, vkey
}

// wantRefusedUnrendered checks that a verification found the document
// not valid, with a problem containing want, without rendering.
func wantRefusedUnrendered(t *testing.T, res *Result, err error, calls int, want string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid || calls != 0 || res.ReadyToRender() {
		t.Fatalf("valid %v, rendered %d times, problems %q", res.Valid, calls, res.Problems)
	}
	if !slices.ContainsFunc(res.Problems, func(p string) bool { return strings.Contains(p, want) }) {
		t.Fatalf("no problem says %q: %q", want, res.Problems)
	}
}

// A real document whose attached bundle was edited after it was issued
// (an entry changed, so its inclusion proof fails), or whose checkpoint
// is not signed by the key, is not valid, and its bundle is never
// rendered: a bundle is untrusted input until its proofs check.
func TestVerifyDoesNotRenderAnEditedBundle(t *testing.T) {
	key := fixtureKey(t)
	b := fixtureBundle(t, "operator-bundle.json")
	edited := editEntry(t, b, 19, func(raw []byte) []byte {
		return bytes.Replace(raw, []byte(`"kwh":"`), []byte(`"kwh":"9`), 1)
	})
	attachment, err := edited.Encode()
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	res, err := VerifyWith(pdfCarrying(t, b, attachment), key, counting(&calls))
	wantRefusedUnrendered(t, res, err, calls, "entry 19: the inclusion proof does not check against the checkpoint")
	if len(res.Entries) != len(b.Entries) || res.Entries[3].Included || !res.Entries[2].Included {
		t.Errorf("entries: %+v", res.Entries)
	}

	pdf, err := Render(b)
	if err != nil {
		t.Fatal(err)
	}
	_, other, err := note.GenerateKey(rand.Reader, "ictledger")
	if err != nil {
		t.Fatal(err)
	}
	res, err = VerifyWith(pdf, other, counting(&calls))
	wantRefusedUnrendered(t, res, err, calls, "signature does not verify")
}

// Entries that are signed and included but break the rules a filing is
// held to (a historic year of -20000000 would have the e-waste history
// walk 80 million quarters; a quantity of 1e300000 is a number of 300,000
// digits) are refused by those rules and never rendered. The bundles are
// proved in a log of their own, signed with a test key; unedited, the
// same bundle verifies, so the refusals are the rules', not the proofs'.
func TestVerifyHoldsSignedEntriesToTheFilingRules(t *testing.T) {
	b := fixtureBundle(t, "operator-bundle.json")

	rb, vkey := resign(t, b)
	pdf, err := Render(rb)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	if res, err := VerifyWith(pdf, vkey, counting(&calls)); err != nil || !res.Valid || calls != 1 {
		t.Fatalf("re-signed fixture: %+v, %v, rendered %d times", res, err, calls)
	}

	firstKWh := regexp.MustCompile(`"kwh":"[0-9.]+"`)
	for _, tc := range []struct {
		name string
		seq  uint64
		edit func([]byte) []byte
		want string
	}{
		{"historic year -20000000", 13, func(raw []byte) []byte {
			return bytes.Replace(raw, []byte(`"year":2021`), []byte(`"year":-20000000`), 1)
		}, "historic_inflow[0].year must be a year from 1990"},
		{"kwh 1e300000", 19, func(raw []byte) []byte {
			return []byte(firstKWh.ReplaceAllStringFunc(string(raw), once(`"kwh":"1e300000"`)))
		}, "kwh must not have an exponent"},
		{"kwh of 25 digits", 19, func(raw []byte) []byte {
			return []byte(firstKWh.ReplaceAllStringFunc(string(raw), once(`"kwh":"1234567890123456789012345"`)))
		}, "kwh must have at most 18 digits before the decimal point"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rb, vkey := resign(t, editEntry(t, b, tc.seq, tc.edit))
			attachment, err := rb.Encode()
			if err != nil {
				t.Fatal(err)
			}
			calls := 0
			res, err := VerifyWith(pdfCarrying(t, b, attachment), vkey, counting(&calls))
			wantRefusedUnrendered(t, res, err, calls, tc.want)
			if res.Checkpoint == nil || !res.Checkpoint.Signed {
				t.Fatalf("checkpoint not signed: %+v", res.Checkpoint)
			}
			for _, e := range res.Entries {
				if !e.Included {
					t.Fatalf("entry %d not included", e.Seq)
				}
			}
		})
	}
}

// once replaces the first match with s and leaves the others.
func once(s string) func(string) string {
	done := false
	return func(m string) string {
		if done {
			return m
		}
		done = true
		return s
	}
}

// TestVerifyReadsEntriesUnderTheRulesOfTheirDay: the filing rules grow
// stricter over time (the text rule on free strings came after the first
// filings), and an entry the ledger admitted before must not make its
// authentic document fail. A recycler's name with a bidi override, which
// filing refuses today, verifies in a document of a re-signed log.
func TestVerifyReadsEntriesUnderTheRulesOfTheirDay(t *testing.T) {
	b := fixtureBundle(t, "operator-bundle.json")
	edited := editEntry(t, b, 19, func(raw []byte) []byte {
		return bytes.Replace(raw, []byte(`"recycler":"Kanto Urban Mining K.K.`), []byte(`"recycler":"Kanto \u202eUrban Mining K.K.`), 1)
	})
	rb, vkey := resign(t, edited)
	pdf, err := Render(rb)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	if res, err := VerifyWith(pdf, vkey, counting(&calls)); err != nil || !res.Valid || calls != 1 {
		t.Fatalf("an entry admitted under an earlier text rule: %+v, %v, rendered %d times", res, err, calls)
	}
}

// TestMember reads one member of an entry's payload as encoding/json
// would, or leaves it to encoding/json.
func TestMember(t *testing.T) {
	for _, c := range []struct {
		obj, key, want string
		ok             bool
	}{
		{`{"id":"r-1","return":{"a":[1,"}"]}}`, "return", `{"a":[1,"}"]}`, true},
		{`{"id":"r-1","id":"r-2"}`, "id", `"r-2"`, true},
		{`{"id":"r-1"}`, "return", "", false},
		{`{"id": "r-1"}`, "id", "", false},
		{`{"i\u0064":"r-1"}`, "id", "", false},
		{`not json`, "id", "", false},
	} {
		got, ok := member([]byte(c.obj), c.key)
		if ok != c.ok || string(got) != c.want {
			t.Errorf("member(%s, %s) = %s, %v; want %s, %v", c.obj, c.key, got, ok, c.want, c.ok)
		}
	}
}
