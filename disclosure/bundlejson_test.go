package disclosure

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// bundleEncodings are bundles that exercise every member of the
// encoding: each one optional member set and unset, nil and empty
// lists, strings that need escaping (the checkpoint note's newlines,
// non-ASCII text, a quote, control characters, invalid UTF-8, the line
// separators encoding/json escapes) and map keys that need it.
func bundleEncodings(t *testing.T) map[string]*Bundle {
	t.Helper()
	out := map[string]*Bundle{
		"zero":          {},
		"nil entries":   {Format: Format, Document: DocSector, Period: "2025-Q3"},
		"empty entries": {Format: Format, Entries: []BundleEntry{}},
		"nil proof":     {Entries: []BundleEntry{{Seq: 1, LeafHash: "a", Canonical: "b"}}},
		"empty proof":   {Entries: []BundleEntry{{Seq: 18446744073709551615, Proof: []string{}}}},
		"every member": {Format: Format, Document: DocRegion, Template: "region_v1", Operator: "op-1", Country: "TH",
			Period: "2025", GWP: "ar6", Deadline: "2025-11-14T17:00:00Z", Checkpoint: "origin\n12\nroot=\n\n— sig\n",
			Basis: BasisAccepted, Methodology: "2026.1", Rollup: RollupCorrected, CountedAt: 77,
			Deadlines: map[string]string{"TH": "a", "JP": "b", "AU": "c"},
			Coverage:  map[string]RegionCounts{"TH": {Due: 3, Filed: 2}, "JP": {Due: -1, Filed: 0}},
			Entries:   []BundleEntry{{Seq: 3, LeafHash: "h3", Canonical: "c3", Proof: []string{"p1", "p2"}}, {Seq: 4}}},
		"escapes": {Operator: "Ca\"t <&> \\ \x01\t\u2028\u2029 ไทย 日本", Country: "\xff\xfe", Period: "\x7f",
			Entries: []BundleEntry{{LeafHash: "é", Canonical: "\n", Proof: []string{"\"", "\u00a0"}}}},
		"escaped keys": {Deadlines: map[string]string{"é": "1", "z": "2", "\xff": "3", "a\"": "4"},
			Coverage: map[string]RegionCounts{"ไทย": {}, "A": {Due: 1}}},
		"empty maps": {Deadlines: map[string]string{}, Coverage: map[string]RegionCounts{}},
	}
	names, err := filepath.Glob("testdata/*-bundle*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		out[name] = fixtureBundle(t, filepath.Base(name))
	}
	return out
}

// TestEncodeBundleMatchesCanonical holds the bundle's own encoder to
// ledger.Canonical, the definition of the attached bytes.
func TestEncodeBundleMatchesCanonical(t *testing.T) {
	for name, b := range bundleEncodings(t) {
		t.Run(name, func(t *testing.T) { sameAsCanonical(t, b) })
	}
}

func sameAsCanonical(t *testing.T, b *Bundle) {
	t.Helper()
	want, werr := ledger.Canonical(b)
	got, gerr := b.Encode()
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("errors differ: canonical %v, encode %v", werr, gerr)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("encodings differ:\n got %.300q\nwant %.300q", got, want)
	}
}

// FuzzEncodeBundle compares the encoder with ledger.Canonical on every
// bundle that JSON decodes to.
func FuzzEncodeBundle(f *testing.F) {
	f.Add([]byte(`{"format":"x","entries":[{"seq":1,"proof":["a"]}],"deadlines":{"TH":"d"},"coverage":{"TH":{"due":1}}}`))
	f.Add([]byte(`{"checkpoint":"a\nb","operator":"\u2028\"","country":"\ud800","rollup":-3,"counted_at":9}`))
	f.Add([]byte(`{"entries":null,"deadlines":{},"coverage":{"\u00e9":{},"\u00ff":{"filed":2}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var b Bundle
		if json.Unmarshal(raw, &b) != nil {
			return
		}
		sameAsCanonical(t, &b)
	})
}

// BenchmarkEncodeBundle encodes a bundle of as many entries as a
// jurisdiction's sector report on a regional ledger (about 2,100; the
// fixture's returns are larger, 39 MB in all against 2.2 MB).
func BenchmarkEncodeBundle(b *testing.B) {
	bundle := bigBundle(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bundle.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDecodeCanonicalBundle reads the canonical encoding of the bundles
// of bundleEncodings without encoding/json, to the bundle encoding/json
// reads, and leaves any other form to encoding/json. Two go to
// encoding/json whole: invalid UTF-8 is read back as U+FFFD, which
// encodes otherwise, and ledger.Members does not read escaped keys.
func TestDecodeCanonicalBundle(t *testing.T) {
	fallsBack := map[string]bool{"escapes": true, "escaped keys": true}
	for name, b := range bundleEncodings(t) {
		t.Run(name, func(t *testing.T) {
			raw, err := b.Encode()
			if err != nil {
				t.Fatal(err)
			}
			got, ok := decodeCanonicalBundle(raw)
			if ok == fallsBack[name] {
				t.Fatalf("read by the fast path: %v, want %v", ok, !fallsBack[name])
			}
			if ok {
				sameAsEncodingJSON(t, raw, got)
			}
			for _, other := range [][]byte{append(raw, '\n'), append([]byte(" "), raw...),
				bytes.Replace(raw, []byte(`"format"`), []byte(`"Format"`), 1)} {
				if _, ok := decodeCanonicalBundle(other); ok {
					t.Errorf("read %.60q... by the fast path", other)
				}
			}
		})
	}
}

func sameAsEncodingJSON(t *testing.T, raw []byte, got *Bundle) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	var want Bundle
	if err := d.Decode(&want); err != nil {
		t.Fatalf("the fast path read what encoding/json refuses: %v", err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("read otherwise than encoding/json:\n got %+v\nwant %+v", *got, want)
	}
}

// FuzzDecodeCanonicalBundle holds the fast reading of a bundle to
// encoding/json on whatever it takes.
func FuzzDecodeCanonicalBundle(f *testing.F) {
	f.Add([]byte(`{"checkpoint":"","document":"","entries":[{"canonical":"","leaf_hash":"","proof":["a","b"],"seq":1}],"format":"","gwp":"","period":"","template":""}`))
	f.Add([]byte(`{"checkpoint":"a\nb","coverage":{"TH":{"due":1,"filed":0}},"deadlines":{"\u00e9":"x"},"document":"","entries":null,"format":"","gwp":"","period":"","rollup":-2,"template":""}`))
	f.Add([]byte(`{"checkpoint":"","document":"","entries":[],"format":"","gwp":"","period":"","template":""}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if b, ok := decodeCanonicalBundle(raw); ok {
			sameAsEncodingJSON(t, raw, b)
		}
	})
}

// BenchmarkDecodeBundle reads the bundle of BenchmarkEncodeBundle, as a
// render worker and a verification do.
func BenchmarkDecodeBundle(b *testing.B) {
	raw, err := bigBundle(b).Encode()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeBundle(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func bigBundle(b *testing.B) *Bundle {
	bundle := fixtureBundle(b, "sector-bundle-v3.json")
	one := bundle.Entries
	for len(bundle.Entries) < 2100 {
		bundle.Entries = append(bundle.Entries, one...)
	}
	return bundle
}

// TestBase64String is base64.StdEncoding.EncodeToString.
func TestBase64String(t *testing.T) {
	for n := range 70 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*37 + n)
		}
		if got, want := base64String(b), base64.StdEncoding.EncodeToString(b); got != want {
			t.Fatalf("%d bytes: %q, want %q", n, got, want)
		}
	}
}
