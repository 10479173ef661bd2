package calculators

import "strings"

// leafNames are the readable names of the last part of metric keys that
// the headline and figure lists (calculators.Headlines, Figures20261) do
// not name on their own: the per-category, per-stream and per-WEEE-
// category figures of metrics.md. A function, not a package variable, so
// that nothing can change it.
func leafNames() map[string]string {
	return map[string]string{
		"collection_rate_generated_pct":             "Collection rate against e-waste generated",
		"ewaste_generated_kg":                       "E-waste generated",
		"mci":                                       "Material Circularity Indicator",
		"recovery_met":                              "WEEE recovery target met",
		"reuse_and_recycling_met":                   "WEEE reuse and recycling target met",
		"recovery_rate_pct":                         "Recovery rate",
		"reuse_and_recycling_rate_pct":              "Reuse and recycling rate",
		"recycling_rate_pct":                        "Recycling rate",
		"reuse_rate_pct":                            "Reuse rate",
		"disposal_rate_pct":                         "Disposal rate",
		"year_collected_kg":                         "Collected in the year",
		"year_recovery_rate_pct":                    "Recovery rate over the year",
		"year_reuse_and_recycling_rate_pct":         "Reuse and recycling rate over the year",
		"material_recovery_pct":                     "Material recovery",
		"recycling_efficiency_pct":                  "Recycling efficiency",
		"offgrid_renewable_sites":                   "Off-grid sites with on-site renewable power",
		"emergency_free_service_events":             "Events with free emergency service",
		"resilience_capex_musd":                     "Resilience capital expenditure",
		"early_warning_reach_pct":                   "Early-warning reach",
		"mean_hours_to_restore":                     "Mean time to restore",
		"scope3_cat3_electricity_tco2e":             "Scope 3 category 3: upstream of purchased electricity",
		"network_energy_per_tb_kwh":                 "Network energy per TB",
		"takeback_units_pct":                        "Devices taken back",
		"ods_imported_kg_cfc11e":                    "Ozone-depleting substances imported",
		"ods_leaked_kg_cfc11e":                      "Ozone-depleting substances leaked",
		"recovery_target_pct":                       "WEEE recovery target",
		"reuse_and_recycling_target_pct":            "WEEE reuse and recycling target",
		"met":                                       "Battery recycling efficiency target met",
		"weee_targets":                              "WEEE targets",
		"pue":                                       "Power usage effectiveness (PUE)",
		"ref":                                       "Renewable energy factor (REF)",
		"erf":                                       "Energy reuse factor (ERF)",
		"cue":                                       "Carbon usage effectiveness (CUE)",
		"wue":                                       "Water usage effectiveness (WUE)",
		"weee_targets.recovery_met":                 "WEEE recovery target met",
		"weee_targets.reuse_and_recycling_met":      "WEEE reuse and recycling target met",
		"weee_targets.recovery_rate_pct":            "Recovery rate against the WEEE target",
		"weee_targets.reuse_and_recycling_pct":      "Reuse and recycling rate against the WEEE target",
		"weee_targets.reuse_and_recycling_rate_pct": "Reuse and recycling rate against the WEEE target",
	}
}

// MetricName is a metric key in words: the name the headline and figure
// lists give it, or the name of its last part followed by what the key
// qualifies it by (a device category, a stream, a WEEE category, the
// batteries), e.g. "Material Circularity Indicator, Tablet". A key it
// does not know is shown as its last part in words, never as the key.
func MetricName(key string) string {
	for _, h := range Headlines() {
		if h.Key == key {
			return h.Label
		}
	}
	for _, f := range Figures20261() {
		if f.Key == key {
			return f.Label
		}
	}
	switch key {
	case "summary.previous":
		return "Comparison with the previous period"
	case "summary.year_ago":
		return "Comparison with the same period a year before"
	}
	if p, ok := strings.CutPrefix(key, "comparison."); ok {
		return "Comparison with " + p
	}
	parts := strings.Split(key, ".")
	if len(parts) > 0 && (parts[0] == "e1" || parts[0] == "e2" || parts[0] == "e3") {
		parts = parts[1:]
	}
	var quals []string
	var leaf []string
	for i := 0; i < len(parts); i++ {
		switch {
		case parts[i] == "batteries":
			// The battery category that follows says it.
		case parts[i] == "by_category" && i+1 < len(parts):
			quals = append(quals, KeyWords(parts[i+1]))
			i++
		case parts[i] == "by_stream" && i+1 < len(parts):
			quals = append(quals, parts[i+1]+" stream")
			i++
		case parts[i] == "weee_categories" && i+1 < len(parts):
			quals = append(quals, "WEEE category "+parts[i+1])
			i++
		case parts[i] == "data_centres" && i+1 < len(parts):
			quals = append(quals, "data centre "+parts[i+1])
			i++
		case parts[i] == "total":
		default:
			leaf = append(leaf, parts[i])
		}
	}
	name := leafName(strings.Join(leaf, "."))
	if len(quals) > 0 {
		name += ", " + strings.Join(quals, ", ")
	}
	return name
}

// leafName names the last part of a key: as the headline or figure whose
// key ends in it is named, so that a figure per category reads like its
// total, else from leafNames, else its words.
func leafName(leaf string) string {
	names := leafNames()
	for _, l := range Headlines() {
		if strings.HasSuffix(l.Key, "."+leaf) {
			return l.Label
		}
	}
	for _, f := range Figures20261() {
		if strings.HasSuffix(f.Key, "."+leaf) {
			return f.Label
		}
	}
	if n, ok := names[leaf]; ok {
		return n
	}
	if i := strings.LastIndexByte(leaf, '.'); i >= 0 {
		if n, ok := names[leaf[i+1:]]; ok {
			return n
		}
		leaf = leaf[i+1:]
	}
	if leaf == "" {
		return "Figure"
	}
	return KeyWords(withoutUnit(leaf))
}

// KeyWords is an enumeration value or key part in words, as the
// documents print it: "cpe" is "CPE (customer premises equipment)",
// "battery_lead_acid" is "Battery lead acid".
func KeyWords(k string) string {
	switch k {
	case "":
		return ""
	case "eac":
		return "Energy attribute certificates"
	case "ppa":
		return "Power purchase agreements"
	case "ran":
		return "RAN"
	case "lpg":
		return "LPG"
	case "cpe":
		return "CPE (customer premises equipment)"
	case "set_top_box":
		return "Set-top box"
	}
	s := strings.ReplaceAll(k, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}
