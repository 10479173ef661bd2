package ledger_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
)

// FuzzCanonicalizeJSON checks that canonical JSON is a fixed point:
// canonicalizing canonical bytes gives the same bytes, so an entry hashes
// the same however often it is re-encoded.
func FuzzCanonicalizeJSON(f *testing.F) {
	for _, s := range []string{
		`{"b":1,"a":[true,null,"x"],"c":{"z":"1.50","y":-0.0}}`,
		`{"a":"<&>","b":"\u2028\ud800","c":1e400,"a":2}`,
		`[1, 2 ,3]  trailing`,
		`"\xff\xfe"`,
		`{"payload":{"sites":[{"kwh":"12.000"}]},"seq":7}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		c1, err := ledger.CanonicalizeJSON(raw)
		if err != nil {
			return
		}
		c2, err := ledger.CanonicalizeJSON(c1)
		if err != nil {
			t.Fatalf("canonical bytes %q do not parse: %v", c1, err)
		}
		if !bytes.Equal(c1, c2) {
			t.Fatalf("not a fixed point:\n%q\n%q", c1, c2)
		}
		// Canonical of a value decoded from canonical bytes agrees too.
		c3, err := ledger.Canonical(jsonRaw(c1))
		if err != nil || !bytes.Equal(c1, c3) {
			t.Fatalf("Canonical(%q) = %q, %v", c1, c3, err)
		}
	})
}

// jsonRaw lets Canonical see already-encoded JSON.
type jsonRaw []byte

func (r jsonRaw) MarshalJSON() ([]byte, error) { return r, nil }

// FuzzEntryRoundTrip checks that an entry encodes, decodes and encodes
// again to the same bytes.
func FuzzEntryRoundTrip(f *testing.F) {
	f.Add(uint64(0), int64(0), "tok", "return.filed", `{"a":"1.0"}`)
	f.Add(uint64(9), int64(1700000000123456789), "system", "review.recorded", `{"b":[1,2],"a":{}}`)
	f.Fuzz(func(t *testing.T, seq uint64, nanos int64, token, kind, payload string) {
		c1, err := ledger.CanonicalizeJSON([]byte(payload))
		if err != nil {
			return
		}
		when := time.Unix(0, nanos)
		b1, err := ledger.EncodeEntry(seq, when, ledger.Actor{TokenID: token, Role: ledger.RoleOperator}, ledger.Kind(kind), jsonRaw(c1))
		if err != nil {
			return
		}
		e, err := ledger.DecodeEntry(b1)
		if err != nil {
			t.Fatalf("DecodeEntry(%q): %v", b1, err)
		}
		b2, err := ledger.Canonical(e)
		if err != nil || !bytes.Equal(b1, b2) {
			t.Fatalf("re-encoded entry differs:\n%q\n%q (%v)", b1, b2, err)
		}
	})
}

// FuzzSortKeys holds the fast canonical form of encoding/json output to
// the generic one (decode into interface values, encode with sorted keys).
func FuzzSortKeys(f *testing.F) {
	for _, s := range []string{
		`{"b":1,"a":[true,null,"x"],"c":{"z":"1.50","y":-0.0}}`,
		`{"a":"<&>","b":"\u2028","k\u00e9":{"\u0041":1,"B":2}}`,
		`[{"z":[],"y":{}},{"b":{"d":1,"c":2},"a":0}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var v any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if d.Decode(&v) != nil {
			return
		}
		fast, err := ledger.Canonical(v)
		if err != nil {
			t.Fatalf("Canonical: %v", err)
		}
		slow, err := ledger.CanonicalizeJSON(fast)
		if err != nil || !bytes.Equal(fast, slow) {
			t.Fatalf("fast %q, generic %q (%v)", fast, slow, err)
		}
	})
}
