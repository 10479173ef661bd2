package web

import (
	"html/template"
	"net/url"
	"time"
	"unicode"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/numfmt"
)

// templateFuncs are the functions every page template may use.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"num":           numfmt.Figure,
		"unitOf":        calculators.MetricUnit,
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

// formatTime shows an instant in UTC to the minute.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}
