package calculators

import (
	"strconv"
	"strings"

	"github.com/ictledger/ictledger/ledger"
)

// labelInputs gives every input of ds that names a row of a return (this
// quarter's, or an earlier one's under its "PERIOD:" prefix) a label
// saying what the row is, e.g. "diesel, stationary, RAN" for
// fuels[0].quantity, so that a reader need not count rows. The path stays
// as it was, for machines. Inputs that are figures (e1..., e2...) get the
// figure's name; an input this does not know keeps an empty label.
func labelInputs(req Request, ds []Derivation) {
	returns := map[string]*ledger.Return{"": req.Return}
	for _, e := range req.Earlier {
		if e != nil {
			returns[e.Period.String()+":"] = e
		}
	}
	for i := range ds {
		for j := range ds[i].Inputs {
			in := &ds[i].Inputs[j]
			if in.Label == "" {
				in.Label = inputLabel(returns, in.Path)
			}
		}
	}
}

// inputLabel is the label of one input path, "" when it is not known.
func inputLabel(returns map[string]*ledger.Return, path string) string {
	prefix := ""
	if i := strings.Index(path, ":"); i > 0 && !strings.Contains(path[:i], "[") {
		prefix, path = path[:i+1], path[i+1:]
	}
	r := returns[prefix]
	if strings.HasPrefix(path, "e1.") || strings.HasPrefix(path, "e2.") || strings.HasPrefix(path, "e3.") {
		return MetricName(path)
	}
	if strings.HasPrefix(path, "activity.") {
		return fieldWords(strings.TrimPrefix(path, "activity."))
	}
	if strings.HasPrefix(path, "sites[?(") {
		return sitesLabel(path)
	}
	if strings.Contains(path, " ") {
		return path // already words, e.g. "hours in 2025-Q3"
	}
	if rest, ok := strings.CutPrefix(path, "resilience."); ok {
		return resilienceLabel(r, rest)
	}
	if rest, ok := strings.CutPrefix(path, "parts."); ok {
		// An intermediate sum of the calculators, by its own name.
		return fieldWords(strings.TrimPrefix(rest, "since_2026_1."))
	}
	list, n, field, ok := rowPath(path)
	if !ok || r == nil {
		return ""
	}
	row, main := rowLabel(r, list, n)
	if row == "" {
		return ""
	}
	if field != "" && field != main {
		row += ": " + words(strings.TrimSuffix(field, ".kg"))
	}
	if prefix != "" {
		row += " (" + strings.TrimSuffix(prefix, ":") + ")"
	}
	return row
}

// rowPath splits "fuels[3].quantity" into "fuels", 3 and "quantity".
func rowPath(path string) (list string, n int, field string, ok bool) {
	open := strings.IndexByte(path, '[')
	end := strings.IndexByte(path, ']')
	if open <= 0 || end < open {
		return "", 0, "", false
	}
	n, err := strconv.Atoi(path[open+1 : end])
	if err != nil || n < 0 {
		return "", 0, "", false
	}
	return path[:open], n, strings.TrimPrefix(path[end+1:], "."), true
}

// rowLabel says what row n of a return's list is, and which of its fields
// is the row's own quantity (named by the label alone).
func rowLabel(r *ledger.Return, list string, n int) (label, main string) {
	switch list {
	case "fuels":
		if n < len(r.Fuels) {
			f := r.Fuels[n]
			return words(f.Fuel) + ", " + words(f.Use) + ", " + words(f.Domain), "quantity"
		}
	case "electricity":
		if n < len(r.Electricity) {
			e := r.Electricity[n]
			return "purchased electricity, " + words(e.Domain) + ", grid " + e.Grid, "kwh"
		}
	case "onsite_renewables":
		if n < len(r.OnsiteRenewables) {
			o := r.OnsiteRenewables[n]
			return "on-site " + words(o.Source) + ", " + words(o.Domain), "kwh"
		}
	case "renewable_claims":
		if n < len(r.RenewableClaims) {
			c := r.RenewableClaims[n]
			return words(c.Instrument) + ", " + words(c.Technology) + ", grid " + c.Grid + ", vintage " + strconv.Itoa(c.Vintage), "kwh"
		}
	case "refrigerants":
		if n < len(r.Refrigerants) {
			return "refrigerant " + strings.ToUpper(r.Refrigerants[n].Gas), "kg_lost"
		}
	case "data_centres":
		if n < len(r.DataCentres) {
			return "data centre " + r.DataCentres[n].ID, ""
		}
	case "devices":
		if n < len(r.Devices) {
			d := r.Devices[n]
			return words(d.Category) + ", " + d.Stream, ""
		}
	case "historic_inflow":
		if n < len(r.HistoricInflow) {
			h := r.HistoricInflow[n]
			return words(h.Category) + ", " + h.Stream + ", inflow in " + strconv.Itoa(h.Year), "kg"
		}
	}
	return "", ""
}

// resilienceLabel names a resilience field: an outage by its hazard and
// start, a backup-autonomy band by its hours, any other by its words.
func resilienceLabel(r *ledger.Return, rest string) string {
	if list, n, field, ok := rowPath(rest); ok && list == "outages" {
		if r == nil || n >= len(r.Resilience.Outages) {
			return ""
		}
		o := r.Resilience.Outages[n]
		return words(o.Hazard) + " outage from " + o.Started.UTC().Format("2006-01-02") + ": " + words(field)
	}
	if band, ok := strings.CutPrefix(rest, "backup_autonomy."); ok {
		name := map[string]string{"lt_4h": "under 4 h", "h4_to_8": "4 to 8 h", "h8_to_24": "8 to 24 h",
			"h24_to_72": "24 to 72 h", "ge_72h": "72 h or more"}[band]
		if name != "" {
			return "sites with backup power for " + name
		}
	}
	return fieldWords(rest)
}

// fieldWords spells a dotted field path, each part without its unit
// (the input's unit says it): "gas_kg.ch4" is "gas: CH4".
func fieldWords(path string) string {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		parts[i] = words(withoutUnit(p))
	}
	return strings.Join(parts, ": ")
}

// withoutUnit drops a unit at the end of a field name: "revenue_musd" is
// "revenue"; a name that is only a unit stays.
func withoutUnit(field string) string {
	i := strings.LastIndexByte(field, '_')
	if i <= 0 {
		return field
	}
	switch field[i+1:] {
	case "kg", "l", "kwh", "mwh", "gj", "tb", "kgco2e", "tco2e", "musd", "m3", "t", "h", "pct":
		return field[:i]
	}
	return field
}

// sitesLabel names a sum over site rows:
// sites[?(@.domain=='ran' && @.grid=='JP')].grid_kwh is "sites of RAN on
// grid JP: grid kWh".
func sitesLabel(path string) string {
	end := strings.Index(path, ")]")
	if end < 0 {
		return ""
	}
	var domain, grid string
	for _, cond := range strings.Split(path[len("sites[?("):end], "&&") {
		k, v, ok := strings.Cut(strings.TrimSpace(cond), "==")
		if !ok {
			continue
		}
		v = strings.Trim(v, "'")
		switch k {
		case "@.domain":
			domain = v
		case "@.grid":
			grid = v
		}
	}
	label := "sites"
	if domain != "" {
		label += " of " + words(domain)
	}
	if grid != "" {
		label += " on grid " + grid
	}
	if field := strings.TrimPrefix(path[end+2:], "."); field != "" {
		label += ": " + words(field)
	}
	return label
}

// words spells an enumeration value or field name for people:
// "biodiesel_blend" is "biodiesel blend", "ran" is "RAN", "grid_kwh" is
// "grid kWh".
func words(s string) string {
	parts := strings.Split(s, "_")
	for i, p := range parts {
		switch p {
		case "ran", "lpg", "eac", "ppa", "cpe", "it", "ods", "tb", "co2", "ch4", "n2o", "sf6", "nf3":
			parts[i] = strings.ToUpper(p)
		case "hfcs", "pfcs":
			parts[i] = strings.ToUpper(p[:3]) + "s"
		case "kwh":
			parts[i] = "kWh"
		default:
			if len(p) > 1 && p[0] == 'r' && p[1] >= '0' && p[1] <= '9' {
				parts[i] = strings.ToUpper(p) // a refrigerant, R410A
			}
		}
	}
	return strings.Join(parts, " ")
}

// numberSources lists the distinct sources of each derivation's factors
// once, in Sources, and gives each factor the number of its source, so
// that a reader sees a source once however many factors it gives.
func numberSources(ds []Derivation) {
	for i := range ds {
		d := &ds[i]
		d.Sources = nil
		seen := map[string]int{}
		for j := range d.Factors {
			f := &d.Factors[j]
			if f.Source == "" {
				continue
			}
			if seen[f.Source] == 0 {
				d.Sources = append(d.Sources, f.Source)
				seen[f.Source] = len(d.Sources)
			}
			f.SourceRef = seen[f.Source]
		}
	}
}
