package web

import (
	"html/template"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/numfmt"
)

// templateFuncs are the functions every page template may use.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"num":           numfmt.Figure,
		"unitOf":        unitOf,
		"exact":         numfmt.ExactText,
		"date":          formatTime,
		"day":           func(t time.Time) string { return t.UTC().Format("2 Jan 2006") },
		"add":           func(a, b int) int { return a + b },
		"disclosureURL": disclosureURL,
		"sectorPDFURL":  func(period string) string { return "/v1/sector/disclosures/" + url.PathEscape(period) + ".pdf" },
		"exportURL":     func(period string) string { return "/v1/sector/export.csv?period=" + url.QueryEscape(period) },
		"exportXLSXURL": func(period string) string { return "/v1/sector/export.xlsx?period=" + url.QueryEscape(period) },
		"metricsXLSX":   func(rid string) string { return "/v1/returns/" + url.PathEscape(rid) + "/metrics.xlsx" },
		"sentence":      sentence,
		"deriv":         withGridNotes,
		"count":         ledger.CountNoun[int],
	}
}

// sentence starts a message from the service with a capital letter.
func sentence(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// disclosureURL is the API path of an operator's disclosure PDF.
func disclosureURL(operator, period string) string {
	return "/v1/operators/" + url.PathEscape(operator) + "/disclosures/" + url.PathEscape(period) + ".pdf"
}

// unitOf is the unit of a metric named only by its key, as the
// derivations are, read from the suffix metrics.md gives every key
// ("_pct", "_mwh", "_tco2e", "_kg", "mci"); a key without a known suffix
// gets no unit, which numfmt shows with two places.
func unitOf(metric string) string {
	for _, s := range []struct{ suffix, unit string }{
		{"_pct", "%"}, {"_mwh", "MWh"}, {"_tco2e", "tCO2e"}, {"_kg", "kg"}, {".mci", "0-1"},
		{"_per_tb_kwh", "kWh/TB"}, {"_bit_per_j", "bit/J"}, {"_site_hours", "site-h"}, {"_events", "number"},
	} {
		if strings.HasSuffix(metric, s.suffix) {
			return s.unit
		}
	}
	return ""
}

// formatTime shows an instant in UTC to the minute.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}
