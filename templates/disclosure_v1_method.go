package templates

import "fmt"

func discMethod(d *doc, v *OperatorDisclosure) {
	m := v.Method
	d.heading("Method and factors", 30)
	d.para(fmt.Sprintf("Metrics are computed with exact decimal arithmetic from the filed returns and factor set %s "+
		"(GWP-100 values from %s); they are rounded for display only.", v.FactorSet, v.GWP), 8)

	if d.sources != nil {
		methodV4(d, m, d.sources)
		return
	}
	d.subheading("Factors used", 15)
	if len(m.Factors) == 0 {
		d.noData("factors")
	} else {
		var rs []row
		for _, f := range m.Factors {
			rs = append(rs, cells(f.Key, formatExact(f.Value), f.Unit, f.Source))
		}
		d.table([]col{{title: "Factor", w: 62, mono: true}, {title: "Value", w: 24, right: true}, {title: "Unit", w: 28}, {title: "Source", w: 66}}, rs)
	}

	d.subheading("Formulas", 15)
	if len(m.Formulas) == 0 {
		d.noData("formulas")
	} else {
		var rs []row
		for _, f := range m.Formulas {
			rs = append(rs, cells(f.Metric, f.Text))
		}
		d.table([]col{{title: "Metric", w: 55, mono: true}, {title: "Formula", w: 125}}, rs)
	}

	d.subheading("Warnings raised at filing", 10)
	noteTable(d, m.Warnings, "Where", "Warning", "No warnings were raised at filing.")
	d.subheading("Review findings", 10)
	noteTable(d, m.Findings, "About", "Finding", "The review recorded no findings.")
}

func discAppendix(d *doc, v *OperatorDisclosure) {
	d.heading("Verification appendix", 30)
	d.para("The entries this document derives from, their inclusion proofs in the checkpoint's tree and the signed checkpoint. "+
		"The same data is attached to this file as "+AttachmentName+".", 8)
	d.subheading("Entries", 10)
	entryTable(d, v.Entries)
	d.subheading("Inclusion proofs", 10)
	tail := 0.0
	if d.v4() {
		// The signed checkpoint closes the document: the last proof goes
		// with it, so that it does not stand alone on a last page.
		tail = 6 + max(minBodyV4, d.monoHeight(checkpointLines(v.Checkpoint)))
	}
	proofBlock(d, v.Proofs, tail)
	d.subheading("Signed checkpoint", 10)
	checkpointBlock(d, v.Checkpoint)
}

// proofBlock prints inclusion proofs as monospace text. The last proof
// starts a new page unless tail mm more are left under it, for what
// follows to stay on its page.
func proofBlock(d *doc, ps []InclusionProof, tail float64) {
	if len(ps) == 0 {
		d.note("No inclusion proofs.")
		return
	}
	for k, p := range ps {
		lines := []string{
			fmt.Sprintf("entry %d in tree of size %d", p.Seq, p.Size),
			"  leaf " + p.LeafHash,
			"  root " + p.Root,
		}
		for i, h := range p.Hashes {
			lines = append(lines, fmt.Sprintf("  %2d   %s", i, h))
		}
		d.need(monoLine * float64(min(len(lines), 8)))
		if k == len(ps)-1 && tail > 0 {
			d.need(d.monoHeight(lines) + 1.5 + tail)
		}
		d.monoBlock(lines)
		d.pdf.Ln(1.5)
	}
}
