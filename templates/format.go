package templates

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// Unit is the unit a number is shown in. It fixes the places the number is
// rounded to for display (half-even); the value itself stays exact.
type Unit string

// The units of the documents.
const (
	UnitMWh          Unit = "MWh"
	UnitTCO2e        Unit = "t CO₂e"
	UnitTCO2         Unit = "t CO₂"
	UnitKg           Unit = "kg"
	UnitPct          Unit = "%"
	UnitRatio        Unit = "ratio"
	UnitIndex        Unit = "index" // 0..1 indices such as the MCI
	UnitKWhPerTB     Unit = "kWh/TB"
	UnitBitPerJ      Unit = "bit/J"
	UnitKgCO2ePerTB  Unit = "kg CO₂e/TB"
	UnitKWh          Unit = "kWh"
	UnitKgCO2ePerKWh Unit = "kg CO₂e/kWh"
	UnitLPerKWh      Unit = "L/kWh"
	UnitCount        Unit = "number"
	UnitHours        Unit = "h"
	UnitSiteHours    Unit = "site-h"
)

// Places is the number of decimal places a value of the unit is shown
// with: energy and emissions 1, masses and counts 0, percentages 2 (so
// that an availability of 99.98 % does not show as 100), ratios 2,
// indices and emission factors per kWh 3. An unknown unit gets 2.
func (u Unit) Places() int32 {
	switch u {
	case UnitKg, UnitBitPerJ, UnitCount, UnitSiteHours:
		return 0
	case UnitMWh, UnitTCO2e, UnitTCO2, UnitKWhPerTB, UnitHours:
		return 1
	case UnitIndex, UnitKgCO2ePerKWh:
		return 3
	}
	return 2
}

// NA is what an unavailable value is shown as.
const NA = "n/a"

// Format shows v rounded for the unit, with thousands separators, or NA.
func (u Unit) Format(v calculators.Value) string {
	if !v.OK {
		return NA
	}
	return formatFixed(v.D, u.Places())
}

// formatFixed rounds d half-even to places and groups the integer digits
// by thousands. A value that rounds to zero is shown without a sign.
func formatFixed(d decimal.Decimal, places int32) string {
	r := d.RoundBank(places)
	neg := r.Sign() < 0
	return group(r.Abs().StringFixed(places), neg)
}

// formatExact shows d exactly as published (a factor), with the places it
// was written with ("43.0" stays 43.0), grouped.
func formatExact(d decimal.Decimal) string {
	return group(d.Abs().StringFixed(max(-d.Exponent(), 0)), d.Sign() < 0)
}

// formatChange shows a change in % with its sign and one place.
func formatChange(v calculators.Value) string {
	if !v.OK {
		return NA
	}
	s := formatFixed(v.D, 1)
	if v.D.RoundBank(1).Sign() > 0 {
		s = "+" + s
	}
	return s
}

// formatInt shows a count grouped by thousands.
func formatInt(n int64) string {
	if n < 0 {
		return group(strconv.FormatUint(uint64(-n), 10), true)
	}
	return group(strconv.FormatInt(n, 10), false)
}

// group inserts thousands separators into an unsigned decimal string and
// prefixes a minus sign (U+2212) when neg.
func group(s string, neg bool) string {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteString("−")
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// formatTime shows a ledger time to the second, in UTC.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// unitHeader is a column title with its unit: "Scope 1 (t CO₂e)".
func unitHeader(title string, u Unit) string {
	if u == "" || u == UnitCount || u == UnitRatio || u == UnitIndex {
		return title
	}
	return title + " (" + string(u) + ")"
}

// unitLabel is the unit as shown in a unit column.
func unitLabel(u Unit) string {
	if u == UnitCount {
		return ""
	}
	return string(u)
}

// methodologyNote is what the factor-set line adds for a methodology other
// than 2025.1 ("; Methodology 2026.1"); nothing for 2025.1 (empty), so
// that every document made before methodology versions draws as before.
func methodologyNote(m string) string {
	if m == "" {
		return ""
	}
	return "; Methodology " + m
}
