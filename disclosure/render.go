package disclosure

import (
	"fmt"
	"slices"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

// bundleInputs decodes the bundle's entries into what its document is
// computed from, keeping only the returns its basis counts.
func bundleInputs(b *Bundle) (*inputs, error) {
	es, _, err := b.rawEntries()
	if err != nil {
		return nil, err
	}
	if err := checkRecordPlace(b, es); err != nil {
		return nil, err
	}
	in, err := decodeInputsFor(es, wholeReturns(b))
	if err != nil {
		return nil, err
	}
	if err := in.applyBasis(b); err != nil {
		return nil, err
	}
	return in, nil
}

// wholeReturns says which quarters' returns a bundle's document reads
// whole: for a sector report, those of its span, each operator's other
// quarters being only its history (the earlier quarters the e-waste
// figures look back on); for every other document (nil), all of them.
func wholeReturns(b *Bundle) func(ledger.Period) bool {
	if b.Document != DocSector {
		return nil
	}
	span, err := ledger.ParseSpan(b.Period)
	if err != nil {
		return nil
	}
	return func(p ledger.Period) bool { return slices.Contains(span.Quarters(), p) }
}

// Render makes the PDF of a bundle. It is deterministic: the same bundle
// always gives the same bytes, which is what lets Verify detect any change
// to a document by rendering its attached bundle again.
func Render(b *Bundle) ([]byte, error) {
	if b.Format != Format {
		return nil, fmt.Errorf("bundle format %q: this build renders %q", b.Format, Format)
	}
	// The attachment first: a bundle too large to attach is refused
	// before its entries are decoded.
	attachment, err := b.Encode()
	if err != nil {
		return nil, err
	}
	if err := CheckBundleSize(len(attachment), len(b.Entries)); err != nil {
		return nil, err
	}
	in, err := bundleInputs(b)
	if err != nil {
		return nil, err
	}
	switch b.Document {
	case DocOperator:
		render, ok := map[string]func(*templates.OperatorDisclosure, []byte) ([]byte, error){
			templates.OperatorTemplateVersion: templates.RenderOperatorDisclosure,
			templates.OperatorTemplateV2:      templates.RenderOperatorDisclosureV2,
			templates.OperatorTemplateV3:      templates.RenderOperatorDisclosureV3,
			templates.OperatorTemplateV4:      templates.RenderOperatorDisclosureV4,
		}[b.Template]
		if !ok {
			return nil, fmt.Errorf("template %q: this build renders %s, %s, %s and %s", b.Template,
				templates.OperatorTemplateVersion, templates.OperatorTemplateV2, templates.OperatorTemplateV3, templates.OperatorTemplateV4)
		}
		v, err := operatorDisclosure(b, in)
		if err != nil {
			return nil, err
		}
		return render(v, attachment)
	case DocSector:
		if b.Template == templates.SectorTemplateV4 {
			v, err := sectorReportV4(b, in)
			if err != nil {
				return nil, err
			}
			return templates.RenderSectorReportV4(v, attachment)
		}
		render, ok := map[string]func(*templates.SectorReport, []byte) ([]byte, error){
			templates.SectorTemplateVersion: templates.RenderSectorReport,
			templates.SectorTemplateV2:      templates.RenderSectorReportV2,
			templates.SectorTemplateV3:      templates.RenderSectorReportV3,
		}[b.Template]
		if !ok {
			return nil, fmt.Errorf("template %q: this build renders %s, %s, %s and %s", b.Template,
				templates.SectorTemplateVersion, templates.SectorTemplateV2, templates.SectorTemplateV3, templates.SectorTemplateV4)
		}
		v, err := sectorReport(b, in)
		if err != nil {
			return nil, err
		}
		return render(v, attachment)
	case DocRegion:
		switch b.Template {
		case templates.RegionTemplateVersion:
			v, err := regionReport(b, in)
			if err != nil {
				return nil, err
			}
			return templates.RenderRegionReport(v, attachment)
		case templates.RegionTemplateV2:
			v, err := regionReportV2(b, in)
			if err != nil {
				return nil, err
			}
			return templates.RenderRegionReportV2(v, attachment)
		}
		return nil, fmt.Errorf("template %q: this build renders %s and %s", b.Template, templates.RegionTemplateVersion, templates.RegionTemplateV2)
	default:
		return nil, fmt.Errorf("unknown document kind %q", b.Document)
	}
}
