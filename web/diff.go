package web

import (
	"encoding/json"
	"html/template"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// notGiven stands for a field or metric that one version lacks.
const notGiven = "not given"

// diffFuncs are the template functions of the diff of two versions.
func diffFuncs() template.FuncMap {
	return template.FuncMap{
		"fieldValue":  fieldValue,
		"metricValue": metricValue,
		"pathBreaks":  pathBreaks,
		"fieldRows":   fieldRows,
		"metricTable": func(caption string, headline bool, ms []service.MetricChange) metricTable {
			return metricTable{Caption: caption, Rows: filterChanges(ms, headline)}
		},
	}
}

// fieldValue shows a filed value as the operator wrote it: a string
// without its JSON quotes, a number as filed, "yes"/"no", and "not given"
// for a field the version lacks (JSON null).
func fieldValue(raw json.RawMessage) string {
	var v any
	d := json.NewDecoder(strings.NewReader(string(raw)))
	d.UseNumber()
	if len(raw) == 0 || d.Decode(&v) != nil {
		return notGiven
	}
	switch t := v.(type) {
	case nil:
		return notGiven
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		if t {
			return "yes"
		}
		return "no"
	}
	return string(raw)
}

// metricValue reads a metric of the diff (a decimal string, or null when
// unavailable) as a value the page formats like every other figure.
func metricValue(raw json.RawMessage) calculators.Value {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return calculators.None
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return calculators.None
	}
	return calculators.Some(d)
}

// pathBreaks writes a field path with a line-break opportunity after each
// "." and before each "[", so a long path wraps between its parts and
// never inside a word.
func pathBreaks(path string) template.HTML {
	esc := template.HTMLEscapeString(path)
	esc = strings.ReplaceAll(esc, ".", ".<wbr>")
	esc = strings.ReplaceAll(esc, "[", "<wbr>[")
	return template.HTML(esc)
}

// fieldRow is one row of the table of changed fields: one field, or a
// whole list element (a site row, a fuel) that one version lacks.
type fieldRow struct {
	Label, Path   string
	Before, After string
}

// fieldRows lays out the changed fields for reading: a list element that
// only one version has is one row ("added, 16 fields") rather than a row
// for each of its fields; every other change is a row of its own.
func fieldRows(changes []service.Change) []fieldRow {
	var out []fieldRow
	for i := 0; i < len(changes); {
		prefix := elementOf(changes[i].Path)
		j := i + 1
		for prefix != "" && j < len(changes) && elementOf(changes[j].Path) == prefix {
			j++
		}
		if added, removed := wholeElement(changes[i:j]); j-i > 1 && (added || removed) {
			row := fieldRow{Label: elementLabel(changes[i].Label, prefix), Path: prefix, Before: notGiven, After: notGiven}
			fields := ledger.CountNoun(j-i, "field", "fields")
			if added {
				row.After = "added, " + fields
			} else {
				row.Before = "removed, " + fields
			}
			out = append(out, row)
			i = j
			continue
		}
		for _, c := range changes[i:j] {
			out = append(out, fieldRow{Label: c.Label, Path: c.Path, Before: fieldValue(c.Before), After: fieldValue(c.After)})
		}
		i = j
	}
	return out
}

// elementOf is the list element a path is in: "sites[3]" of
// "sites[3].grid_kwh", or "" for a field outside any list.
func elementOf(path string) string {
	if i := strings.Index(path, "]"); i >= 0 && i+1 < len(path) {
		return path[:i+1]
	}
	return ""
}

// wholeElement reports whether every change adds a field to an element
// the earlier version lacks, or removes one the later version lacks.
func wholeElement(cs []service.Change) (added, removed bool) {
	added, removed = true, true
	for _, c := range cs {
		added = added && fieldValue(c.Before) == notGiven
		removed = removed && fieldValue(c.After) == notGiven
	}
	return added, removed
}

// elementLabel cuts a field's label down to its element's: as many parts
// as the element's path has ("Sites · TKI-JAW-1283" of "sites[282]").
func elementLabel(label, prefix string) string {
	n := len(strings.FieldsFunc(prefix, func(r rune) bool { return r == '.' || r == '[' }))
	parts := strings.Split(label, " · ")
	if n < len(parts) {
		parts = parts[:n]
	}
	return strings.Join(parts, " · ")
}

// metricTable is one table of metric changes: the headlines, or the rest.
type metricTable struct {
	Caption string
	Rows    []service.MetricChange
}

// filterChanges keeps the headline changes, or the others, each with
// the unit its figures are shown in: the service names only "%", and a
// change of total energy without its unit was shown with two places
// (4,521.00) beside the page's 4,521.0 MWh.
func filterChanges(ms []service.MetricChange, headline bool) []service.MetricChange {
	var out []service.MetricChange
	for _, m := range ms {
		if m.Headline == headline {
			if m.Unit == "" {
				m.Unit = calculators.MetricUnit(m.Metric)
			}
			out = append(out, m)
		}
	}
	return out
}
