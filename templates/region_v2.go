package templates

import (
	"errors"
	"fmt"
)

// RegionTemplateV2 is the layout of the public regional report drawn from
// a region.recorded entry (ledger.RegionRecorded): the figures the ledger
// recorded for the span, instead of everything they are computed from.
//
// It draws what region_v1 draws, with the same blocks, and differs where
// a recorded report must: the cover says which entry recorded the
// figures, at which tree size, and how they are checked; a verification
// appendix lists that one entry and its proof; a table row taller than a
// page continues on the next (tallRow), and a chart of more
// jurisdictions than a page holds continues on the next (countryBars),
// where region_v1 would draw past the page's foot. Once released,
// nothing may change what it draws (templates/testdata and
// disclosure/testdata pin it).
const RegionTemplateV2 = "region_v2"

// RenderRegionReportV2 draws the public regional report in layout
// region_v2 from a view model whose Record is set, and embeds attachment
// as AttachmentName. The same view model and attachment always give the
// same bytes.
func RenderRegionReportV2(r *RegionReport, attachment []byte) ([]byte, error) {
	if r == nil {
		return nil, errors.New("render regional report: no view model")
	}
	if r.Record == nil {
		return nil, fmt.Errorf("render regional report %s: layout %s draws a recorded view, and the view model names no record", r.Period, RegionTemplateV2)
	}
	return renderRegionReport(r, attachment, RegionTemplateV2)
}

// regionV2 reports whether the document is a region_v2 report.
func (d *doc) regionV2() bool { return d.meta.template == RegionTemplateV2 }

// regionRecordCover is the cover's account of a region_v2 report: which
// entry recorded its figures and how to check them.
func regionRecordCover(d *doc, r *RegionReport) {
	rec := r.Record
	d.subheading("How to verify this document", 10)
	d.para(fmt.Sprintf("The figures of this report are those the ledger recorded in entry %d (region.recorded): the regional view of its first %d entries, "+
		"whose tree hash begins %s. They are not computed again from returns attached to this file; the record is attached instead, with its inclusion proof, as %s.",
		rec.Entry.Seq, rec.At, rootStart(rec.Root), AttachmentName), 8)
	d.para(fmt.Sprintf("Run \u201cictledger verify disclosure FILE.pdf --key KEY\u201d with the ledger's public key, or send the file to POST /v1/verify. "+
		"It proves that the signed log holds the record and that this document is exactly its rendering. It does not prove that the recorded figures "+
		"are right: anyone who holds the ledger's entries computes the view of the first %d entries again and compares, with "+
		"\u201cictledger verify region-records\u201d; a wrong record is then signed evidence against the ledger.", rec.At), 8)
	d.subheading("Signed checkpoint", 10)
	checkpointBlock(d, r.Checkpoint)
}

// rootStart is the first 16 characters of a tree hash, as the footer
// shows a root.
func rootStart(root string) string { return root[:min(len(root), 16)] }

// recordAppendix lists the one entry a report drawn from a recorded view
// attaches (region_v2, sector_v4), with its inclusion proof in the
// checkpoint's tree of size entries and the point its view is of; a
// sector view also when it counted lateness.
func recordAppendix(d *doc, rec *RecordRef, size uint64) {
	d.heading("Verification appendix", 30)
	d.para(fmt.Sprintf("The entry this document draws, its inclusion proof in the checkpoint's tree of %d entries and the point of the ledger its view is of. "+
		"The same data is attached to this file as %s.", size, AttachmentName), 8)
	d.subheading("Entry", 10)
	entryTable(d, []EntryRef{rec.Entry})
	rows := [][2]string{
		{"View of", fmt.Sprintf("the first %d entries of the log", rec.At)},
		{"Their tree hash", rec.Root},
	}
	if !rec.AsOf.IsZero() {
		rows = append(rows, [2]string{"Lateness counted at", formatTime(rec.AsOf)})
	}
	d.kvTable(rows, 38)
	d.subheading("Inclusion proof", 10)
	proofBlock(d, []InclusionProof{rec.Proof}, 0)
}
