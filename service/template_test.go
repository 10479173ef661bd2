package service

import (
	"testing"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/templates"
)

// New operator disclosures of every methodology are drawn in
// disclosure_v4; sector reports keep the layout the caller chose.
func TestTemplateFor(t *testing.T) {
	for _, c := range []struct{ doc, m, chosen, want string }{
		{disclosure.DocOperator, "", templates.OperatorTemplateV2, templates.OperatorTemplateV4},
		{disclosure.DocOperator, "2026.1", templates.OperatorTemplateV2, templates.OperatorTemplateV4},
		{disclosure.DocSector, "2026.1", templates.SectorTemplateV2, templates.SectorTemplateV2},
	} {
		if got := templateFor(c.doc, c.m, c.chosen); got != c.want {
			t.Errorf("templateFor(%s, %q, %s) = %s, want %s", c.doc, c.m, c.chosen, got, c.want)
		}
	}
}
