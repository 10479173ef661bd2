// Package numfmt is the one rule for showing a figure to people, used by
// the web pages and by the PDF templates from disclosure_v4, sector_v3 and
// region_v1 on: decimal places fixed per unit, rounded half-even for
// display only, thousands grouped by commas, a minus sign (U+2212) for
// negatives, and no rounded value ever shown as a perfect bound (0, or
// 100 for a percentage, or 1 for a 0–1 index) that it is not.
//
// The exact value stays in the API and the derivations; this package only
// decides what a reader sees. Templates released before this package
// existed keep their own bytes (see templates.Unit.Format).
package numfmt

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// NA is what an unavailable value is shown as.
const NA = "n/a"

// Minus is the sign a negative figure is shown with: U+2212, the
// typographic minus, which the documents' fonts hold and which does not
// break across lines the way a hyphen may.
const Minus = "−"

// maxExtraPlaces is how many places beyond its unit's a figure may take to
// stay off a bound it is not equal to; beyond that it is shown as "> x" or
// "< x".
const maxExtraPlaces = 3

// Places is the number of decimal places a figure of the unit is shown
// with. The unit may be written as the metrics spell it ("tCO2e",
// "kgCO2e/TB", "0-1") or as the documents do ("t CO₂e", "index"): energy,
// emissions, hours and energy per TB 1; masses, counts, site-hours and
// bit/J 0; indices and emission factors per kWh 3; everything else,
// percentages included, 2 (so that 99.98 % is not shown as 100).
func Places(unit string) int32 {
	switch canonical(unit) {
	case "kg", "bit/j", "number", "site-h":
		return 0
	case "mwh", "tco2e", "tco2", "kwh/tb", "h":
		return 1
	case "index", "0-1", "kgco2e/kwh":
		return 3
	}
	return 2
}

// canonical folds the spellings of a unit into one: lower case, no
// spaces, subscript digits as digits.
func canonical(unit string) string {
	r := strings.NewReplacer(" ", "", "₂", "2", "\u00a0", "")
	return strings.ToLower(r.Replace(unit))
}

// bounds are the values a figure of the unit may not seem to equal when
// it does not: zero for every unit, 100 for a percentage, 1 for an index.
func bounds(unit string) []decimal.Decimal {
	switch canonical(unit) {
	case "%":
		return []decimal.Decimal{decimal.Zero, decimal.NewFromInt(100)}
	case "index", "0-1":
		return []decimal.Decimal{decimal.Zero, decimal.NewFromInt(1)}
	}
	return []decimal.Decimal{decimal.Zero}
}

// Figure shows v as a figure of the unit (see Decimal), or NA when it is
// unavailable.
func Figure(v calculators.Value, unit string) string {
	if !v.OK {
		return NA
	}
	return Decimal(v.D, unit)
}

// Decimal shows d with the places of its unit (Places), rounded
// half-even and grouped (Fixed). When that rounding lands on a bound of
// the unit that d is not (99.9996 % on 100.00, 0.3 kg on 0), it takes up
// to three more places, as many as it needs to leave the bound; when even
// that is not enough it says on which side of the bound d lies: "> 99.99"
// or "< 0.001".
func Decimal(d decimal.Decimal, unit string) string {
	places := Places(unit)
	b, onBound := boundHit(d, places, bounds(unit))
	if !onBound {
		return Fixed(d, places)
	}
	for extra := int32(1); extra <= maxExtraPlaces; extra++ {
		if _, still := boundHit(d, places+extra, []decimal.Decimal{b}); !still {
			return Fixed(d, places+extra)
		}
	}
	return beside(d, b, places)
}

// beside says on which side of the bound b a figure d lies that shows as
// b even with maxExtraPlaces more places: next to zero by how little it
// differs ("< 0.001", "> −0.001"), next to another bound by the unit's own
// places ("> 99.99", "> 100.00").
func beside(d, b decimal.Decimal, places int32) string {
	p := places + maxExtraPlaces
	tiny := decimal.New(1, -p)
	switch {
	case b.IsZero() && d.Sign() > 0:
		return "< " + Fixed(tiny, p)
	case b.IsZero():
		return "> " + Fixed(tiny.Neg(), p)
	case d.Cmp(b) < 0:
		return "> " + Fixed(b.Sub(decimal.New(1, -places)), places)
	}
	return "> " + Fixed(b, places)
}

// boundHit reports the bound that d, rounded to places, shows as while d
// does not equal it.
func boundHit(d decimal.Decimal, places int32, bs []decimal.Decimal) (decimal.Decimal, bool) {
	r := d.RoundBank(places)
	for _, b := range bs {
		if r.Equal(b) && !d.Equal(b) {
			return b, true
		}
	}
	return decimal.Zero, false
}

// Fixed shows d rounded half-even to places, with its integer digits
// grouped by thousands and a minus sign (Minus) when it is negative. A
// value that rounds to zero is shown without a sign.
func Fixed(d decimal.Decimal, places int32) string {
	r := d.RoundBank(places)
	return Group(r.Abs().StringFixed(places), r.Sign() < 0)
}

// Count shows a whole number grouped by thousands.
func Count(n int64) string {
	if n < 0 {
		return Group(strconv.FormatUint(uint64(-n), 10), true)
	}
	return Group(strconv.FormatInt(n, 10), false)
}

// Group inserts thousands separators (commas) into the unsigned decimal
// string s and prefixes Minus when neg.
func Group(s string, neg bool) string {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteString(Minus)
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

// Exact shows d exactly, with the places it was written with ("43.0"
// stays 43.0), grouped by thousands: for filed values and published
// factors, which are shown as they are, never rounded.
func Exact(d decimal.Decimal) string {
	return Group(d.Abs().StringFixed(max(-d.Exponent(), 0)), d.Sign() < 0)
}

// ExactText is Exact for a value written as text, as derivations carry
// filed values and factors; text that is not a decimal is shown as it is.
func ExactText(s string) string {
	d, err := decimal.NewFromString(s)
	if err != nil || strings.ContainsAny(s, "eE") {
		return s
	}
	return Exact(d)
}
