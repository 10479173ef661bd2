package web

import (
	"encoding/json"
	"html/template"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
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

// metricTable is one table of metric changes: the headlines, or the rest.
type metricTable struct {
	Caption string
	Rows    []service.MetricChange
}

func filterChanges(ms []service.MetricChange, headline bool) []service.MetricChange {
	var out []service.MetricChange
	for _, m := range ms {
		if m.Headline == headline {
			out = append(out, m)
		}
	}
	return out
}
