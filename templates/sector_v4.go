package templates

import (
	"errors"
	"fmt"
)

// SectorTemplateV4 is the layout of the sector report drawn from a
// sector.recorded entry (ledger.SectorRecorded): the sector view the
// ledger recorded for a scope and span, instead of every return its
// figures are computed from.
//
// It draws what sector_v3 draws, with the same blocks, and differs where
// a recorded report must: the cover says which entry recorded the view,
// of which tree size and as of when, and how it is checked; and a
// verification appendix lists that one entry and its proof. Once
// released, nothing may change what it draws (templates/testdata and
// disclosure/testdata pin it).
const SectorTemplateV4 = "sector_v4"

// RenderSectorReportV4 draws the sector report in layout sector_v4 from a
// view model whose Record is set, and embeds attachment as
// AttachmentName. The same view model and attachment always give the
// same bytes.
func RenderSectorReportV4(r *SectorReport, attachment []byte) ([]byte, error) {
	if r == nil {
		return nil, errors.New("render sector report: no view model")
	}
	if r.Record == nil {
		return nil, fmt.Errorf("render sector report %s: layout %s draws a recorded view, and the view model names no record", r.Period, SectorTemplateV4)
	}
	return renderSectorV3(r, attachment, SectorTemplateV4)
}

// sectorRecordCover is the cover's account of a sector_v4 report: which
// entry recorded its view and how to check it.
func sectorRecordCover(d *doc, r *SectorReport) {
	rec := r.Record
	d.subheading("How to verify this document", 10)
	d.para(fmt.Sprintf("The figures and filing status of this report are those the ledger recorded in entry %d (sector.recorded): the sector view of its first %d entries, "+
		"whose tree hash begins %s, with lateness counted at %s. They are not computed again from returns attached to this file; "+
		"the record is attached instead, with its inclusion proof, as %s.",
		rec.Entry.Seq, rec.At, rootStart(rec.Root), formatTime(rec.AsOf), AttachmentName), 8)
	d.para(fmt.Sprintf("Run \u201cictledger verify disclosure FILE.pdf --key KEY\u201d with the ledger's public key, or send the file to POST /v1/verify. "+
		"It proves that the signed log holds the record and that this document is exactly its rendering. It does not prove that the recorded figures "+
		"are right: anyone who holds the ledger's entries computes the view of the first %d entries again and compares, with "+
		"\u201cictledger verify records\u201d; a wrong record is then signed evidence against the ledger.", rec.At), 8)
	d.subheading("Signed checkpoint", 10)
	checkpointBlock(d, r.Checkpoint)
}
