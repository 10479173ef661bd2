package service_test

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

// sectorRecordOf checks that pdf is a sector_v4 report of country made of
// exactly one sector.recorded entry by the server, and returns that
// entry's sequence number, its payload and the view it records.
func sectorRecordOf(t testing.TB, pdf []byte, country string) (uint64, *ledger.SectorRecorded, *disclosure.SectorView) {
	t.Helper()
	raw, err := templates.ExtractAttachment(pdf, templates.AttachmentName)
	if err != nil {
		t.Fatal(err)
	}
	b, err := disclosure.DecodeBundle(raw)
	if err != nil {
		t.Fatal(err)
	}
	if b.Document != disclosure.DocSector || b.Template != templates.SectorTemplateV4 || b.Country != country || len(b.Entries) != 1 {
		t.Fatalf("bundle %s %s of country %q with %d entries; want a sector_v4 report of %q with its one record",
			b.Document, b.Template, b.Country, len(b.Entries), country)
	}
	be := b.Entries[0]
	canonical, err := base64.StdEncoding.DecodeString(be.Canonical)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ledger.DecodeEntry(canonical)
	if err != nil || e.Kind != ledger.KindSectorRecorded || e.Seq != be.Seq || e.Actor != ledger.SystemActor {
		t.Fatalf("the bundle's entry is %s %d by %+v (%v), want the server's sector.recorded", e.Kind, e.Seq, e.Actor, err)
	}
	var rec ledger.SectorRecorded
	if err := json.Unmarshal(e.Payload, &rec); err != nil {
		t.Fatal(err)
	}
	var v disclosure.SectorView
	if err := json.Unmarshal(rec.View, &v); err != nil {
		t.Fatal(err)
	}
	return be.Seq, &rec, &v
}
