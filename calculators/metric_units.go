package calculators

import "strings"

// MetricUnit is the unit of the figure a metric key names, as metrics.md
// and methodology 2026.1 give it: the unit the headline and figure lists
// (Headlines, Figures20261) show for their keys, else the unit the last
// part of the key names ("_mwh", "_pct", "mci", "pue"), else, for a part
// of a map such as "e1.energy_by_carrier_mwh.diesel", the unit of the
// map. It is "" only for a key that names no quantity: a target judged
// met or not ("met", "recovery_met"), or the object of WEEE targets.
//
// The web pages and the metrics workbook both take a figure's unit from
// here, so that a reader sees the same unit, and the same decimal places,
// in both.
func MetricUnit(key string) string {
	for _, h := range Headlines() {
		if h.Key == key {
			return h.Unit
		}
	}
	for _, f := range Figures20261() {
		if f.Key == key {
			return f.Unit
		}
	}
	parts := strings.Split(key, ".")
	leaf := parts[len(parts)-1]
	if judgement(leaf) {
		return ""
	}
	if u := partUnit(leaf); u != "" {
		return u
	}
	if len(parts) >= 2 {
		return partUnit(parts[len(parts)-2])
	}
	return ""
}

// judgement reports whether a key's last part names a yes-or-no verdict
// (or an object of them) rather than a quantity.
func judgement(leaf string) bool {
	return leaf == "met" || strings.HasSuffix(leaf, "_met") || leaf == "weee_targets"
}

// partUnit is the unit one part of a metric key names: by the whole part
// for the figures whose names carry no unit, else by its suffix, the
// longest first so that "_per_tb_kwh" wins over "_kwh".
func partUnit(part string) string {
	switch part {
	case "mci":
		return "0-1" // Material Circularity Indicator, 0 to 1
	case "pue", "ref", "erf":
		return "ratio" // metrics.md: the data-centre ratios are plain ratios
	case "cue", "cue_location", "cue_market":
		return "kgCO2e/kWh"
	case "wue":
		return "L/kWh"
	case "alerts_disseminated", "offgrid_renewable_sites":
		return "number"
	case "mean_hours_to_restore":
		return "h"
	}
	for _, s := range unitSuffixes() {
		if strings.HasSuffix(part, s.suffix) {
			return s.unit
		}
	}
	return ""
}

// unitSuffixes are the endings metrics.md gives metric keys, each with
// the unit it stands for, longest first within each family. A function,
// not a package variable, so that nothing can change it.
func unitSuffixes() []struct{ suffix, unit string } {
	return []struct{ suffix, unit string }{
		{"_pct", "%"},
		{"_per_tb_kwh", "kWh/TB"},
		{"_per_tb_kgco2e", "kgCO2e/TB"},
		{"_per_tb_kgco2e_location", "kgCO2e/TB"},
		{"_tco2e_per_musd", "tCO2e/MUSD"},
		{"_tco2e_per_musd_location", "tCO2e/MUSD"},
		{"_bit_per_j", "bit/J"},
		{"_mwh", "MWh"},
		{"_kwh", "kWh"},
		{"_tco2e", "tCO2e"},
		{"_kg_cfc11e", "kgCFC-11e"},
		{"_kg", "kg"},
		{"_t", "t"},
		{"_musd", "MUSD"},
		{"_site_hours", "site-h"},
		{"_hours_to_restore", "h"},
		{"_events", "number"},
	}
}
