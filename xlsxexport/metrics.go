package xlsxexport

import (
	"iter"
	"strconv"

	"github.com/ictledger/ictledger/calculators"
)

// Metrics is the workbook of one return's metrics: sheet "Figures" has a
// row per figure (the headlines, then the figures of the methodology,
// then every other derived figure, then the figures that are
// unavailable, with the reason in "note"); sheet "Derivations" has each
// figure's formula and a row per input, factor (with its source) and
// note. Values are as the JSON answer rounds them.
func Metrics(m *calculators.Metrics) Workbook {
	return Workbook{
		Tables: []Table{
			{Sheet: "Figures", Header: []string{"key", "name", "value", "unit", "methodology", "note"}, Kinds: []Kind{Text, Text, Number, Text, Text, Text},
				Widths: []float64{58, 48, 20, 12, 13, 48}, Rows: figureRows(m)},
			{Sheet: "Derivations", Header: []string{"key", "formula", "value", "part", "reference", "part value", "part unit", "source"},
				Kinds:  []Kind{Text, Text, Number, Text, Text, Number, Text, Text},
				Widths: []float64{58, 56, 20, 8, 40, 20, 12, 56}, Rows: derivationRows(m)},
		},
		Notes: []string{
			"Metrics of return " + m.Return + " (version " + strconv.Itoa(m.Version) + ") of operator " + m.Operator + ", period " + m.Period + ".",
			"Methodology " + m.Methodology + ", factor set " + m.FactorSet + ", GWP set " + m.GWP + ".",
			"Values are rounded half-even to 6 decimal places, as GET /v1/returns/{rid}/metrics answers them.",
		},
	}
}

// figure is one row of the Figures sheet.
type figure struct {
	key, name, unit string
	value           calculators.Value
}

// figureRows lists the figures in display order, each key once.
func figureRows(m *calculators.Metrics) iter.Seq[[]string] {
	return func(yield func([]string) bool) {
		why := map[string]string{}
		for _, u := range m.Unavailable {
			why[u.Metric] = u.Reason
		}
		method := map[string]string{}
		for _, d := range m.Derivations {
			method[d.Metric] = d.Methodology
		}
		for _, f := range figures(m) {
			mt := method[f.key]
			if mt == "" {
				mt = m.Methodology
			}
			note := why[f.key]
			if !yield([]string{f.key, f.name, f.value.Display(), f.unit, mt, note}) {
				return
			}
		}
	}
}

// figures collects the rows of the Figures sheet: the labelled figures
// first, then any derivation or unavailable figure not yet listed.
func figures(m *calculators.Metrics) []figure {
	var out []figure
	seen := map[string]bool{}
	add := func(f figure) {
		if !seen[f.key] {
			seen[f.key] = true
			out = append(out, f)
		}
	}
	for _, h := range calculators.Headlines() {
		add(figure{key: h.Key, name: h.Label, unit: h.Unit, value: h.Get(m.E1, m.E2, m.E3)})
	}
	for _, f := range calculators.Figures20261() {
		if v := f.Get(m.E1, m.E2, m.E3); v != nil {
			add(figure{key: f.Key, name: f.Label, unit: f.Unit, value: *v})
		}
	}
	for _, d := range m.Derivations {
		add(figure{key: d.Metric, name: calculators.MetricName(d.Metric), unit: calculators.MetricUnit(d.Metric), value: d.Value})
	}
	for _, u := range m.Unavailable {
		add(figure{key: u.Metric, name: calculators.MetricName(u.Metric), unit: calculators.MetricUnit(u.Metric)})
	}
	return out
}

// derivationRows lists each derivation as a row per input, factor and
// note; the key, formula and value repeat on every row so that a filter
// on the key shows the whole derivation.
func derivationRows(m *calculators.Metrics) iter.Seq[[]string] {
	return func(yield func([]string) bool) {
		for _, d := range m.Derivations {
			for _, p := range derivationParts(d) {
				if !yield(append([]string{d.Metric, d.Formula, d.Value.Display()}, p...)) {
					return
				}
			}
		}
	}
}

// derivationParts are d's inputs, factors and notes as the last five
// cells of a row: part, reference, part value, part unit, source.
func derivationParts(d calculators.Derivation) [][]string {
	var parts [][]string
	for _, in := range d.Inputs {
		parts = append(parts, []string{"input", in.Path, in.Value, in.Unit, "the return"})
	}
	for _, f := range d.Factors {
		parts = append(parts, []string{"factor", f.Key, f.Value, f.Unit, f.Source})
	}
	for _, n := range d.Notes {
		parts = append(parts, []string{"note", n, "", "", ""})
	}
	if len(parts) == 0 {
		parts = append(parts, []string{"", "", "", "", ""})
	}
	return parts
}
