package web

import (
	"strings"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/ledger"
)

// fileGuide is what the upload page says a return may contain: the
// factor sets it may name, with their methodologies, and the optional
// fields of return v1.1, from the same list the OpenAPI document reads.
type fileGuide struct {
	FactorSets []factorSetChoice
	Newest     string // the set a return without factor_set is computed with
	V11        []ledger.V11Field
	SiteCols   []string // the v1.1 columns of the sites CSV part
	DeviceCols []string // the v1.1 columns of the devices CSV part
}

// factorSetChoice is one published factor set as the upload page lists it.
type factorSetChoice struct {
	Version, Methodology string
}

// fileGuide gathers the upload page's guide from the published factor
// sets and ledger.ReturnV11Fields.
func (h *Handler) fileGuide() fileGuide {
	var g fileGuide
	for _, fs := range h.svc.FactorSets() { // in publication order
		g.FactorSets = append(g.FactorSets, factorSetChoice{Version: fs.Version, Methodology: fs.Set.MethodologyOf()})
		g.Newest = fs.Version
	}
	g.V11 = ledger.ReturnV11Fields()
	for _, f := range g.V11 {
		col := f.Path[strings.LastIndex(f.Path, ".")+1:]
		switch f.CSVPart {
		case filing.PartSites:
			g.SiteCols = append(g.SiteCols, col)
		case filing.PartDevices:
			g.DeviceCols = append(g.DeviceCols, col)
		}
	}
	return g
}
