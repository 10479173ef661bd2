package disclosure

import (
	"fmt"

	"github.com/ictledger/ictledger/templates"
)

// Render makes the PDF of a bundle. It is deterministic: the same bundle
// always gives the same bytes, which is what lets Verify detect any change
// to a document by rendering its attached bundle again.
func Render(b *Bundle) ([]byte, error) {
	if b.Format != Format {
		return nil, fmt.Errorf("bundle format %q: this build renders %q", b.Format, Format)
	}
	es, _, err := b.rawEntries()
	if err != nil {
		return nil, err
	}
	in, err := decodeInputs(es)
	if err != nil {
		return nil, err
	}
	attachment, err := b.Encode()
	if err != nil {
		return nil, err
	}
	switch b.Document {
	case DocOperator:
		if b.Template != templates.OperatorTemplateVersion {
			return nil, fmt.Errorf("template %q: this build renders %q", b.Template, templates.OperatorTemplateVersion)
		}
		v, err := operatorDisclosure(b, in)
		if err != nil {
			return nil, err
		}
		return templates.RenderOperatorDisclosure(v, attachment)
	case DocSector:
		if b.Template != templates.SectorTemplateVersion {
			return nil, fmt.Errorf("template %q: this build renders %q", b.Template, templates.SectorTemplateVersion)
		}
		v, err := sectorReport(b, in)
		if err != nil {
			return nil, err
		}
		return templates.RenderSectorReport(v, attachment)
	default:
		return nil, fmt.Errorf("unknown document kind %q", b.Document)
	}
}
