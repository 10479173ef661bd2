package templates

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

// fixtureSectorV4 is fixtureSectorV3 drawn from a record: entry 200 of a
// log of 210 entries, the view of its first 198 as of a day after the
// deadline.
func fixtureSectorV4() *SectorReport {
	r := fixtureSectorV3()
	r.Methodology = "2026.1"
	r.Checkpoint = Checkpoint{Origin: "test", Size: 210, Root: "Hh4mF+9jAaRy72j++0HyLVXWMuNH/JGZmWLg0d2jmgU=",
		Note: "test\n210\nHh4mF+9jAaRy72j++0HyLVXWMuNH/JGZmWLg0d2jmgU=\n"}
	leaf := "q9yJ8m3xTq0cV1cHq9yJ8m3xTq0cV1cHq9yJ8m3xTq0="
	r.Record = &RecordRef{
		Entry: EntryRef{Seq: 200, Kind: "sector.recorded", LeafHash: leaf, Time: r.LedgerTime},
		Proof: InclusionProof{Seq: 200, Size: 210, LeafHash: leaf, Root: r.Checkpoint.Root,
			Hashes: []string{"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA="}},
		At: 198, Root: "zLn9Q7l9bq0cV1cHq9yJ8m3xTq0cV1cHq9yJ8m3xTq0=", AsOf: r.LedgerTime.Add(-time.Minute),
	}
	return r
}

// sector_v4 is pinned as every released layout is: its text, page by
// page, and its bytes. A change that is meant is a new layout version.
func TestSectorV4IsPinned(t *testing.T) {
	pdf, err := RenderSectorReportV4(fixtureSectorV4(), fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	again, err := RenderSectorReportV4(fixtureSectorV4(), fixtureAttachment())
	if err != nil || !bytes.Equal(pdf, again) {
		t.Fatalf("two renders differ (%v)", err)
	}
	text, err := pdfText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sector_v4.text.golden", text)
	sum := sha256.Sum256(pdf)
	golden(t, "sector_v4.sha256", hex.EncodeToString(sum[:])+"\n")
}

// The cover of a sector_v4 report says which entry recorded its view, of
// how many entries and as of when, and what verifying it does not prove;
// the appendix lists the entry and its proof. sector_v3 says none of it,
// and neither layout draws the other's view model.
func TestSectorV4SaysWhatItDrawsFrom(t *testing.T) {
	pdf, err := RenderSectorReportV4(fixtureSectorV4(), fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdfText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"recorded in entry 200 (sector.recorded): the sector view of its first 198 entries",
		"It does not prove that the recorded figures are right",
		"ictledger verify records",
		"Verification appendix",
		"Lateness counted at",
		"sector_v4",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("sector_v4 does not read %q", want)
		}
	}
	v3, err := RenderSectorReportV3(fixtureSectorV3(), fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	text3, err := pdfText(v3)
	if err != nil {
		t.Fatal(err)
	}
	if flat3 := strings.Join(strings.Fields(text3), " "); strings.Contains(flat3, "sector.recorded") || strings.Contains(flat3, "Verification appendix") {
		t.Error("sector_v3 speaks of a record")
	}
	if _, err := RenderSectorReportV4(fixtureSectorV3(), nil); err == nil {
		t.Error("sector_v4 drew a view model without a record")
	}
	if _, err := RenderSectorReportV3(fixtureSectorV4(), nil); err == nil {
		t.Error("sector_v3 drew a view model with a record")
	}
}
