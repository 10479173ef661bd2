package service

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

// rowIDs are the fields that name a row of a return's list on their own
// (a site's or a data centre's id).
var rowIDs = []string{"site_id", "id"}

// rowKeys are the fields that together say which row of a return's list a
// value belongs to when it has no id, in the order a reader names a row:
// "diesel, stationary, RAN" rather than "fuels[0]".
var rowKeys = []string{"category", "stream", "fuel", "use", "gas", "source", "instrument", "technology", "domain", "grid", "hazard", "started", "year"}

// returnTree decodes a filed return into the generic tree its diff paths
// address.
func returnTree(v any) (any, error) {
	raw, err := ledger.Canonical(v)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var tree any
	return tree, d.Decode(&tree)
}

// fieldLabel names a diff path of a return for people: each list element
// by what identifies it, each field in words, the parts joined by " · ".
// "fuels[0].quantity" of a diesel row becomes "Fuels · diesel, stationary,
// ran · quantity". trees are looked up in order; the first that holds the
// element names it (the version after the change, then the one before).
func fieldLabel(path string, trees ...any) string {
	var parts []string
	nodes := append([]any(nil), trees...)
	for _, seg := range splitPath(path) {
		if isIndex(seg) {
			i, _ := strconv.Atoi(seg)
			name := ""
			for k, n := range nodes {
				list, _ := n.([]any)
				if i >= len(list) {
					nodes[k] = nil
					continue
				}
				nodes[k] = list[i]
				if name == "" {
					name = describeRow(list[i])
				}
			}
			if name == "" {
				name = "row " + strconv.Itoa(i+1)
			}
			parts = append(parts, name)
			continue
		}
		for k, n := range nodes {
			obj, _ := n.(map[string]any)
			nodes[k] = obj[seg]
		}
		parts = append(parts, words(seg))
	}
	if len(parts) > 0 {
		parts[0] = capitalise(parts[0])
	}
	return strings.Join(parts, " · ")
}

// splitPath cuts "a.b[2].c" into "a", "b", "2", "c"; an index is kept as
// its digits.
func splitPath(path string) []string {
	path = strings.ReplaceAll(path, "[", ".")
	path = strings.ReplaceAll(path, "]", "")
	return strings.Split(path, ".")
}

func isIndex(seg string) bool {
	for _, c := range seg {
		if c < '0' || c > '9' {
			return false
		}
	}
	return seg != ""
}

// describeRow names a list element by its identifying fields, or "" when
// it has none.
func describeRow(n any) string {
	obj, ok := n.(map[string]any)
	if !ok {
		return ""
	}
	for _, k := range rowIDs {
		if id, ok := obj[k].(string); ok && id != "" {
			return id
		}
	}
	var ids []string
	for _, k := range rowKeys {
		switch v := obj[k].(type) {
		case string:
			ids = append(ids, words(v))
		case json.Number:
			ids = append(ids, v.String())
		}
	}
	return strings.Join(ids, ", ")
}

// unitWords are metric key endings and what a reader calls them.
var unitWords = []struct{ suffix, unit string }{
	{"_pct", "%"}, {"_tco2e", "tCO2e"}, {"_kgco2e", "kgCO2e"}, {"_mwh", "MWh"}, {"_kwh", "kWh"}, {"_kg", "kg"}, {"_m3", "m³"},
}

// metricLabel names a metric key for people: the label the documents use
// for a headline or a figure of methodology 2026.1, else the key in words
// with its unit ("E2 · by category · battery lead acid · collection rate
// pom (%)").
func metricLabel(key string, labels map[string]string) string {
	if l, ok := labels[key]; ok {
		return l
	}
	segs := strings.Split(key, ".")
	unit := ""
	last := segs[len(segs)-1]
	for _, u := range unitWords {
		if strings.HasSuffix(last, u.suffix) {
			unit, segs[len(segs)-1] = u.unit, strings.TrimSuffix(last, u.suffix)
			break
		}
	}
	for i, s := range segs {
		segs[i] = words(s)
	}
	segs[0] = strings.ToUpper(segs[0])
	out := strings.Join(segs, " · ")
	if unit != "" {
		out += " (" + unit + ")"
	}
	return out
}

// metricLabels are the labels of the headlines and of the figures
// methodology 2026.1 adds, by key.
func metricLabels() map[string]string {
	out := map[string]string{}
	for _, h := range calculators.Headlines() {
		out[h.Key] = h.Label
	}
	for _, f := range calculators.Figures20261() {
		out[f.Key] = f.Label
	}
	return out
}

// isPercentage reports whether a metric is a percentage: its change is
// then in percentage points, and a change relative to it means nothing a
// reader expects (from 2 % to 3 % is +1 point, not +50 %).
func isPercentage(key string) bool {
	return calculators.MetricUnit(key) == "%"
}

// abbreviations are the words of keys and codes that readers write in
// capitals or with a capital letter inside.
var abbreviations = map[string]string{
	"ran": "RAN", "it": "IT", "cpe": "CPE", "eac": "EAC", "ppa": "PPA", "pue": "PUE", "cue": "CUE", "wue": "WUE", "mci": "MCI",
	"pom": "POM", "tb": "TB", "kwh": "kWh", "mwh": "MWh", "m3": "m³", "kg": "kg",
}

// words turns a key or a code into words: "battery_lead_acid" becomes
// "battery lead acid", "ran" becomes "RAN".
func words(s string) string {
	ws := strings.Split(s, "_")
	for i, w := range ws {
		if a, ok := abbreviations[w]; ok {
			ws[i] = a
		}
	}
	return strings.Join(ws, " ")
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
