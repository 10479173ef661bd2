package web

import (
	"strings"

	"github.com/ictledger/ictledger/calculators"
)

// figureGroup is the figures a later methodology adds to one section of
// the metrics (E1, E2, E3), each with its derivation.
type figureGroup struct {
	Section string
	Title   string
	Rows    []metricRow
}

// sectionTitles names the sections of the metrics.
var sectionTitles = map[string]string{
	"E1": "E1 Energy and emissions",
	"E2": "E2 E-waste and circularity",
	"E3": "E3 Climate resilience",
}

// addedFigures lists, by section, the figures of
// calculators.Figures20261 that m has (none under methodology 2025.1),
// with the derivation (or the reason it is unavailable) of each; a figure
// of a map, such as scope1_by_gas_tco2e.co2, takes the map's derivation.
// It marks in shown the derivations it shows.
func addedFigures(m *calculators.Metrics, byMetric map[string]*calculators.Derivation, why map[string]string, shown map[string]bool) []figureGroup {
	var out []figureGroup
	for _, f := range calculators.Figures20261() {
		v := f.Get(m.E1, m.E2, m.E3)
		if v == nil {
			continue
		}
		row := metricRow{Headline: calculators.Headline{Key: f.Key, Label: f.Label, Unit: f.Unit}, Value: *v,
			Derivation: byMetric[f.Key], Reason: why[f.Key]}
		shown[f.Key] = true
		if row.Derivation == nil && strings.Count(f.Key, ".") > 1 {
			if i := strings.LastIndexByte(f.Key, '.'); i > 0 {
				row.Derivation = byMetric[f.Key[:i]]
				shown[f.Key[:i]] = true
			}
		}
		if n := len(out); n == 0 || out[n-1].Section != f.Section {
			out = append(out, figureGroup{Section: f.Section, Title: sectionTitles[f.Section]})
		}
		out[len(out)-1].Rows = append(out[len(out)-1].Rows, row)
	}
	return out
}

// qualityGroup is the data-quality flags of one kind, with what the kind
// means in plain words.
type qualityGroup struct {
	Code    string
	Meaning string
	Flags   []calculators.DataQuality
}

// qualityGroups groups flags by code, in the order each code first
// appears.
func qualityGroups(flags []calculators.DataQuality) []qualityGroup {
	var out []qualityGroup
	at := map[string]int{}
	for _, f := range flags {
		i, ok := at[f.Code]
		if !ok {
			i = len(out)
			at[f.Code] = i
			out = append(out, qualityGroup{Code: f.Code, Meaning: calculators.DataQualityMeaning(f.Code)})
		}
		out[i].Flags = append(out[i].Flags, f)
	}
	return out
}
