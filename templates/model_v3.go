package templates

import (
	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// Since20261 is what disclosure_v3 shows beyond disclosure_v2, for a
// document whose figures follow methodology 2026.1. Earlier layouts
// ignore it.
type Since20261 struct {
	// ComparisonFactorSet is the factor set the periods before the one
	// shown were recomputed under, with the document's methodology, so
	// that the summary's comparisons and the charts compare like with like
	// (GHG Protocol Corporate Standard ch. 5); "" when there is none.
	ComparisonFactorSet string
	// Recomputed lists the earlier quarters that were recomputed so, and
	// Kept those that could not be (each keeps its own factor set, and
	// the reason is in the document's Unavailable list).
	Recomputed, Kept []string
	// E1, E2 and E3 are the figures methodology 2026.1 adds to each
	// section (calculators.Figures20261), in order.
	E1, E2, E3 []AddedFigure
	// DataCentres are the facilities' CUE from their own sources (G11).
	DataCentres []DataCentreCUE
	// Boundary is the reporting boundary in words; "" when not stated.
	Boundary string
	// GridFactors are the location-based grid factors the figures used,
	// with the basis and the evidence level of each.
	GridFactors []GridFactorUse
	// DataQuality are the data-quality flags of the figures, grouped by
	// kind.
	DataQuality []DataQualityGroup
}

// AddedFigure is a figure methodology 2026.1 adds, with why it is not
// available when it is not.
type AddedFigure struct {
	Metric
	Note string
}

// DataCentreCUE is one facility's location- and market-based CUE, in kg
// CO2e per IT kWh.
type DataCentreCUE struct {
	ID               string
	Location, Market calculators.Value
}

// GridFactorUse is one grid factor a document's figures used.
type GridFactorUse struct {
	Grid      string // key as the factor set has it, e.g. "AU-VIC"
	Name      string // e.g. "Victoria (NEM)"
	FactorSet string
	Value     decimal.Decimal
	Unit      string // e.g. "kg CO₂e/kWh"
	Basis     string // in words: "direct", "lifecycle (fallback: no direct factor)"
	DataYear  string // "" when not stated
	Evidence  string // the set's evidence level, e.g. "primary", "secondary"
	Source    string // publisher, the publisher's name of the factor, edition
}

// DataQualityGroup is the flags of one kind: what the kind means, and
// each flag.
type DataQualityGroup struct {
	Code    string
	Meaning string // plain words (calculators.DataQualityMeaning)
	Flags   []DataQualityFlag
}

// DataQualityFlag is one flag of a period's figures.
type DataQualityFlag struct {
	Period  string // "2026-Q1"
	About   string // the metric, and the grid or row where there is one
	Message string
}
