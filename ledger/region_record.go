package ledger

import (
	"encoding/json"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// KindRegionRecorded records the public regional view of a span as the
// ledger stood at a given size: the figures a regional report prints.
//
// A regional report of a whole region cannot carry what its figures are
// computed from (every accepted return of two thousand operators, with
// ten years of history for the e-waste estimate: hundreds of megabytes),
// so it carries this one entry instead. Its offline check proves that the
// log recorded these figures, under the log's signature; that they are
// right is checked by anyone who holds the entries, who computes the view
// of the first At entries again and compares (ictledger verify
// records). A wrong record is then signed evidence against the
// server.
const KindRegionRecorded Kind = "region.recorded"

// RegionRecorded is the payload of a region.recorded entry.
type RegionRecorded struct {
	Period string `json:"period"` // the span: "2025-Q3" or "2025"
	// At is how many entries the view is of (the first At of the log),
	// and Root their tree hash (tlog.Hash's base64): the view's point,
	// which the record's own entry, at or after it, may follow.
	At   uint64 `json:"at"`
	Root string `json:"root"`
	// View is the regional view as GET /v1/region?period=Period answered
	// it at At (calculators.RegionView, canonical JSON): values rounded
	// for display, operators named by id.
	View json.RawMessage `json:"view"`
	// Operators names, by id, every operator the view counts, with the
	// name it registered under, as the report prints them.
	Operators map[string]string `json:"operators"`
	// FactorSets, GWP and Methodology are those the counted operators'
	// roll-ups were computed under (each operator's span under the factor
	// set of its latest counted quarter), sorted and each once, as the
	// report's cover states them.
	FactorSets  []string `json:"factor_sets"`
	GWP         []string `json:"gwp"`
	Methodology []string `json:"methodology"`
}

// Check holds the record to what every region.recorded entry must be:
// a span, a point with its tree hash, and a view that is a JSON object.
// It does not judge the figures (see KindRegionRecorded).
func (r *RegionRecorded) Check() error {
	if _, err := ParseSpan(r.Period); err != nil {
		return fmt.Errorf("region record: period: %w", err)
	}
	if r.At == 0 {
		return fmt.Errorf("region record: at must be a tree size above zero")
	}
	if _, err := tlog.ParseHash(r.Root); err != nil {
		return fmt.Errorf("region record: root: %w", err)
	}
	if len(r.View) == 0 || r.View[0] != '{' {
		return fmt.Errorf("region record: view must be a JSON object")
	}
	return nil
}
