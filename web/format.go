package web

import (
	"html/template"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// templateFuncs are the functions every page template may use.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"num":           formatValue,
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

// formatValue shows a metric for people: "n/a" when unavailable, else
// rounded half-even to a precision that suits its size, with thousands
// separated by commas. The exact value is in the API and the derivation.
func formatValue(v calculators.Value) string {
	if !v.OK {
		return "n/a"
	}
	return formatDecimal(v.D)
}

func formatDecimal(d decimal.Decimal) string {
	a := d.Abs()
	places := int32(3)
	switch {
	case a.Cmp(decimal.NewFromInt(1000)) >= 0:
		places = 0
	case a.Cmp(decimal.NewFromInt(10)) >= 0:
		places = 1
	case a.Cmp(decimal.NewFromInt(1)) >= 0:
		places = 2
	}
	s := d.RoundBank(places).StringFixedBank(places)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}

// formatTime shows an instant in UTC to the minute.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}
