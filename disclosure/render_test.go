package disclosure

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/ictledger/ictledger/templates"
)

var update = flag.Bool("update", false, "rewrite the golden hashes in testdata")

// fixtureBundle reads and decodes a bundle of testdata.
func fixtureBundle(t testing.TB, name string) *Bundle {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	b, err := DecodeBundle(raw)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fixtureKey is the verifier key of the log the testdata bundles come from.
func fixtureKey(t *testing.T) string {
	t.Helper()
	key, err := os.ReadFile("testdata/ledger.pub")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(key))
}

// The view-model mapping in this package is part of the layout version:
// a document issued under disclosure_v1 (or any later version) must
// render to the same bytes for as long as this build claims to render
// that version, or it would stop verifying. These golden hashes catch any
// change to the bytes; a change that is meant needs a new template
// version, not -update. The -v2 bundles are the v1 ones under the names
// disclosure_v2 and sector_v2 (which draw CJK text; these fixtures have
// none, so they differ from v1 only in the version printed). The -v3 and
// -v4 operator bundles are the -v2 one (a Japanese operator) under the
// names disclosure_v3 and disclosure_v4; the -20261 ones are a document
// of methodology 2026.1 (bundle20261) in each. The region bundle is a
// public regional report of the sector bundle's accepted return, proved
// in the same checkpoint.
func TestRenderIsPinned(t *testing.T) {
	for _, name := range []string{"operator-bundle.json", "sector-bundle.json", "operator-bundle-v2.json", "sector-bundle-v2.json", "sector-bundle-v3.json", "region-bundle.json",
		"operator-bundle-v3.json", "operator-bundle-v3-20261.json", "operator-bundle-v4.json", "operator-bundle-v4-20261.json"} {
		t.Run(name, func(t *testing.T) {
			b := fixtureBundle(t, name)
			pdf, err := Render(b)
			if err != nil {
				t.Fatal(err)
			}
			again, err := Render(b)
			if err != nil || !bytes.Equal(pdf, again) {
				t.Fatalf("two renders differ (err %v)", err)
			}
			sum := sha256.Sum256(pdf)
			got := hex.EncodeToString(sum[:])
			golden := "testdata/" + strings.TrimSuffix(name, ".json") + ".sha256"
			if *update {
				if err := os.WriteFile(golden, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != strings.TrimSpace(string(want)) {
				t.Fatalf("rendered bytes changed: sha256 %s, golden %s", got, strings.TrimSpace(string(want)))
			}
		})
	}
}

// TestVerifyWithoutLedger checks rendered bundles offline, operator
// disclosures and sector reports in both template versions, and a
// regional report: valid with the log's key, invalid with another key,
// invalid after any edit.
func TestVerifyWithoutLedger(t *testing.T) {
	for _, name := range []string{"operator-bundle.json", "operator-bundle-v2.json", "sector-bundle.json", "sector-bundle-v2.json", "sector-bundle-v3.json", "region-bundle.json", "operator-bundle-v4.json"} {
		t.Run(name, func(t *testing.T) { verifyWithoutLedger(t, name) })
	}
}

func verifyWithoutLedger(t *testing.T, name string) {
	key := fixtureKey(t)
	pdf, err := Render(fixtureBundle(t, name))
	if err != nil {
		t.Fatal(err)
	}
	if r := Verify(pdf, key); !r.Valid {
		t.Fatalf("valid document reported invalid: %v", r.Problems)
	}
	// A key of the same name but another key pair must not verify it.
	origin := strings.SplitN(key, "+", 2)[0]
	_, other, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		t.Fatal(err)
	}
	if r := Verify(pdf, other); r.Valid || r.Checkpoint == nil || r.Checkpoint.Signed {
		t.Fatalf("valid with another key: %+v", r)
	}
	for _, at := range []int{100, len(pdf) / 3, len(pdf) - 100} {
		bad := append([]byte(nil), pdf...)
		bad[at] ^= 0x20
		if r := Verify(bad, key); r.Valid {
			t.Fatalf("byte %d changed: still valid", at)
		}
	}
	if r := Verify([]byte("not a pdf"), key); r.Valid || len(r.Problems) == 0 {
		t.Fatal("garbage reported valid")
	}
}

// A bundle whose encoding is over what a verifier inflates is refused
// with ErrBundleTooLarge, before its entries are decoded (they are not
// entries at all here): no verifier could read its proof.
func TestRenderRefusesBundleOverVerifierLimit(t *testing.T) {
	b := &Bundle{Format: Format, Document: DocRegion, Template: templates.RegionTemplateVersion, Period: "2025-Q3",
		Basis: BasisAccepted, Entries: []BundleEntry{{Seq: 1, Canonical: strings.Repeat("A", MaxBundleSize)}}}
	_, err := Render(b)
	if !errors.Is(err, ErrBundleTooLarge) || errors.Is(err, ErrRenderUnavailable) {
		t.Fatalf("err %v, want ErrBundleTooLarge (the bundle's error, not the renderer's)", err)
	}
	b.Entries[0].Canonical = "AAAA"
	if _, err := Render(b); err == nil || errors.Is(err, ErrBundleTooLarge) {
		t.Fatalf("a small bundle of the same junk: err %v, want its decoding error", err)
	}
}
