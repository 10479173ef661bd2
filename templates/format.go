package templates

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/numfmt"
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
// with, by the one rule of package numfmt (numfmt.Places): energy and
// emissions 1, masses and counts 0, percentages 2 (so that an availability
// of 99.98 % does not show as 100), ratios 2, indices and emission
// factors per kWh 3. An unknown unit gets 2.
func (u Unit) Places() int32 { return numfmt.Places(string(u)) }

// NA is what an unavailable value is shown as.
const NA = numfmt.NA

// Format shows v rounded for the unit, with thousands separators, or NA:
// the plain rounding the released templates (disclosure_v1 to v3,
// sector_v1 and v2) print with, which may show 99.9996 % as 100.00. It
// stays so that their bytes do not change; a new template version shows
// its figures with Figure.
func (u Unit) Format(v calculators.Value) string {
	if !v.OK {
		return NA
	}
	return formatFixed(v.D, u.Places())
}

// Figure shows v for the unit by the rule the web pages use too
// (numfmt.Figure): the unit's places, half-even, grouped, and never a
// bound such as 100 % or 0 that v is not. Template versions made after
// that rule (disclosure_v4, sector_v3, region_v1) call it instead of
// Format.
func (u Unit) Figure(v calculators.Value) string { return numfmt.Figure(v, string(u)) }

// formatFixed rounds d half-even to places and groups the integer digits
// by thousands. A value that rounds to zero is shown without a sign.
func formatFixed(d decimal.Decimal, places int32) string { return numfmt.Fixed(d, places) }

// formatExact shows d exactly as published (a factor), with the places it
// was written with ("43.0" stays 43.0), grouped.
func formatExact(d decimal.Decimal) string { return numfmt.Exact(d) }

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
func formatInt(n int64) string { return numfmt.Count(n) }

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

// fig shows v for the unit as the document's layout does: by the one
// number rule (Unit.Figure) in the layouts made after it, by the plain
// rounding (Unit.Format) in the released ones, whose bytes may not
// change. The blocks the layouts share call it, so that a figure of
// disclosure_v4 is never shown the old way because its row is drawn by
// a block of disclosure_v1.
func (d *doc) fig(u Unit, v calculators.Value) string {
	if d.numberRule() {
		return u.Figure(v)
	}
	return u.Format(v)
}

// numberRule reports whether the document's layout was made after the
// one number rule (disclosure_v4, sector_v3, sector_v4, region_v1, region_v2), and so may draw
// differently from the released layouts whose blocks it shares.
func (d *doc) numberRule() bool {
	switch d.meta.template {
	case OperatorTemplateV4, SectorTemplateV3, SectorTemplateV4, RegionTemplateVersion, RegionTemplateV2:
		return true
	}
	return false
}
