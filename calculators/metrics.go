// Package calculators turns quarterly returns and a factor set into the
// metrics of docs/spec/metrics.md. Everything here is pure: no I/O, no clock, exact
// decimals, and every division at an explicit precision. Values are kept
// exact; they are rounded (half-even, 6 places) only when encoded as JSON.
package calculators

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// DivPrecision is the number of decimal places every division keeps.
// Rounding to 6 places for display happens only at the boundary.
const DivPrecision = 24

// DisplayPlaces is the number of decimal places metrics are shown with.
const DisplayPlaces = 6

// Div divides a by b at DivPrecision places, a last digit of 5 or more
// rounding away from zero. b must not be zero: callers check the
// denominator and report the metric unavailable instead.
//
// The result is a.DivRound(b, DivPrecision), exponent included, computed
// with a table of powers of ten: DivRound raises 10 to the scale with
// big.Int's Exp on every call, which made it the largest single cost of
// computing a return's metrics (hundreds of divisions, 15 % of the CPU).
func Div(a, b decimal.Decimal) decimal.Decimal {
	// a = ca x 10^ea and b = cb x 10^eb, so the quotient's coefficient at
	// 10^-DivPrecision is ca x 10^(ea - eb + DivPrecision) / cb.
	num, den := a.Coefficient(), b.Coefficient() // copies, free to change
	if e := int(a.Exponent()) - int(b.Exponent()) + DivPrecision; e >= 0 {
		num.Mul(num, pow10(e))
	} else {
		den.Mul(den, pow10(-e))
	}
	q, r := num.QuoRem(num, den, new(big.Int)) // truncates toward zero
	if r.Sign() != 0 && r.Abs(r).Lsh(r, 1).CmpAbs(den) >= 0 {
		if (a.Sign() < 0) != (b.Sign() < 0) {
			q.Sub(q, bigOne)
		} else {
			q.Add(q, bigOne)
		}
	}
	return decimal.NewFromBigInt(q, -DivPrecision)
}

// Value is a computed quantity, or nothing when it is unavailable. It
// encodes as a JSON string rounded half-even to DisplayPlaces, or null.
type Value struct {
	D  decimal.Decimal
	OK bool
}

// Some wraps an available value.
func Some(d decimal.Decimal) Value { return Value{D: d, OK: true} }

// None is an unavailable value.
var None = Value{}

// MarshalJSON writes the value rounded for display, or null.
func (v Value) MarshalJSON() ([]byte, error) {
	if !v.OK {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 24)
	b = append(b, '"')
	b = appendHalfEven(b, v.D, DisplayPlaces)
	return append(b, '"'), nil
}

// UnmarshalJSON reads what MarshalJSON writes: null for an unavailable
// value, else a decimal in a string. A recorded view (a region.recorded
// entry) is read back this way to be drawn.
func (v *Value) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = None
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("a value is a decimal in a string or null, not %s", b)
	}
	text := string(b[1 : len(b)-1])
	if strings.ContainsAny(text, "eE") {
		// As a filing reads numbers: an exponent could ask for a decimal of millions of digits.
		return fmt.Errorf("value %s: a decimal without an exponent", b)
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return fmt.Errorf("value %s: %w", b, err)
	}
	*v = Some(d)
	return nil
}

// Exact is a Value that encodes without rounding: null, or its decimal
// exactly in a string. A sector.recorded entry holds its figures so, so
// that the report drawn from it rounds once, for display, as a report
// computed from the returns does.
type Exact Value

// MarshalJSON writes the decimal exactly, or null.
func (v Exact) MarshalJSON() ([]byte, error) {
	if !v.OK {
		return []byte("null"), nil
	}
	return []byte(`"` + v.D.String() + `"`), nil
}

// UnmarshalJSON reads what MarshalJSON writes, as Value reads it.
func (v *Exact) UnmarshalJSON(b []byte) error { return (*Value)(v).UnmarshalJSON(b) }

// Display is the value rounded half-even to DisplayPlaces, without
// trailing zeros; "" when unavailable.
func (v Value) Display() string {
	if !v.OK {
		return ""
	}
	return halfEven(v.D, DisplayPlaces)
}

// halfEven is d rounded half-even to places (>= 0) and printed as
// decimal.Decimal's String prints: d.RoundBank(places).String().
func halfEven(d decimal.Decimal, places int) string {
	return string(appendHalfEven(make([]byte, 0, 24), d, places))
}

// appendHalfEven appends halfEven(d, places). It gives the bytes of
// d.RoundBank(places).String() without that path's cost: RoundBank rounds
// away from zero, subtracts, compares and corrects, and each rescale
// computes its power of ten anew, about 20 allocations a value. Encoding
// one return's metrics shows a few thousand values; RoundBank was 40 %
// of that encoding's CPU.
func appendHalfEven(b []byte, d decimal.Decimal, places int) []byte {
	exp := int(d.Exponent())
	if exp >= -places {
		// Already within places: rounding would only append zeros, which
		// String drops again.
		return append(b, d.String()...)
	}
	// coef x 10^exp with more than places places: divide by 10^cut to
	// keep places, rounding the remainder half to even.
	coef := d.Coefficient() // a copy, free to change
	cut := -exp - places
	q, r := coef.QuoRem(coef, pow10(cut), new(big.Int))
	if r.Sign() != 0 {
		// Compare twice the remainder's magnitude with the divisor.
		c := r.Abs(r).Lsh(r, 1).Cmp(pow10(cut))
		if c > 0 || c == 0 && q.Bit(0) == 1 {
			if d.Sign() < 0 {
				q.Sub(q, bigOne)
			} else {
				q.Add(q, bigOne)
			}
		}
	}
	return appendScaled(b, q, places)
}

// appendScaled appends q x 10^-places without trailing zeros. q is
// changed.
func appendScaled(b []byte, q *big.Int, places int) []byte {
	if q.Sign() < 0 {
		b = append(b, '-')
	}
	var scratch [48]byte
	digits := q.Abs(q).Append(scratch[:0], 10)
	zeros := 0 // zeros between the point and digits: 0.000012
	if n := len(digits) - places; n > 0 {
		b = append(b, digits[:n]...)
		digits = digits[n:]
	} else {
		b = append(b, '0')
		zeros = -n
	}
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	if len(digits) == 0 {
		return b
	}
	b = append(b, '.')
	for range zeros {
		b = append(b, '0')
	}
	return append(b, digits...)
}

var bigOne = big.NewInt(1)

// pow10Table holds 10^0 .. 10^63, which covers every cut of a value
// computed at DivPrecision (24 places) and of filed figures; larger
// powers are computed on demand.
var pow10Table = func() []*big.Int {
	t := make([]*big.Int, 64)
	t[0] = big.NewInt(1)
	for i := 1; i < len(t); i++ {
		t[i] = new(big.Int).Mul(t[i-1], big.NewInt(10))
	}
	return t
}()

// pow10 is 10^n for n >= 0. The result is shared: never change it.
func pow10(n int) *big.Int {
	if n < len(pow10Table) {
		return pow10Table[n]
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// Request is everything one computation needs.
type Request struct {
	Return  *ledger.Return   // the return being computed (latest or a given version)
	ID      string           // its return id
	Version int              // its version
	Earlier []*ledger.Return // latest version of each earlier quarter of the same operator, any order; site rows may be stripped
	Factors *ledger.FactorSet
	GWP     string // "ar6" or "ar5"
	// Methodology is the methodology version to compute by ("2025.1",
	// "2026.1"); empty means the factor set's (see resolveMethodology).
	Methodology string
	// Densities, when set, shares Weibull densities across computations.
	Densities *Densities
	// FiguresOnly leaves the derivations out (Metrics.Derivations is
	// empty): a roll-up or a sector sum reads the figures and throws the
	// derivations away, and building them, with an input for every
	// device row of every quarter of the history, is a third of a
	// computation. Figures, Unavailable and DataQuality are the same
	// either way.
	FiguresOnly bool
}

// Derivation explains how one headline metric was computed, so that a
// regulator can redo the sum by hand.
type Derivation struct {
	Metric  string      `json:"metric"` // e.g. "e1.scope1_tco2e"
	Formula string      `json:"formula"`
	Inputs  []InputRef  `json:"inputs"`
	Factors []FactorRef `json:"factors"`
	// Sources are the distinct sources of Factors, each once, in the
	// order first used; a factor's SourceRef is its number in this list.
	Sources []string `json:"sources,omitempty"`
	Notes   []string `json:"notes,omitempty"`
	Value   Value    `json:"value"`
	// Methodology is the methodology the figure was computed by. Compute
	// sets it on every derivation it returns; the calculators leave it
	// empty.
	Methodology string `json:"methodology,omitempty"`
}

// InputRef is one filed value a derivation used.
type InputRef struct {
	Path string `json:"path"` // JSON path in the return, e.g. "fuels[0].quantity"
	// Label says what the row or figure is, for people, e.g. "diesel,
	// stationary, RAN" for fuels[0].quantity; empty when not known.
	Label string `json:"label,omitempty"`
	Value string `json:"value"`
	Unit  string `json:"unit,omitempty"`
}

// FactorRef is one factor a derivation used, with its source.
type FactorRef struct {
	Key    string `json:"key"` // e.g. "fuel.diesel.co2_kg_per_tj"
	Value  string `json:"value"`
	Unit   string `json:"unit,omitempty"`
	Source string `json:"source"`
	// SourceRef is the 1-based number of Source in the derivation's
	// Sources; 0 when the factor names no source.
	SourceRef int `json:"source_ref,omitempty"`
}

// Unavailable says why a metric is null.
type Unavailable struct {
	Metric string `json:"metric"`
	Reason string `json:"reason"`
}

// Trace collects the derivations, unavailable notes and data-quality
// flags of a computation.
type Trace struct {
	Derivations []Derivation
	Unavailable []Unavailable
	DataQuality []DataQuality
}

// Derive records a derivation.
func (t *Trace) Derive(d Derivation) { t.Derivations = append(t.Derivations, d) }

// Missing records that a metric is unavailable and why.
func (t *Trace) Missing(metric, reason string) {
	t.Unavailable = append(t.Unavailable, Unavailable{Metric: metric, Reason: reason})
}

// Merge appends another trace's records.
func (t *Trace) Merge(o *Trace) {
	if o == nil {
		return
	}
	t.Derivations = append(t.Derivations, o.Derivations...)
	t.Unavailable = append(t.Unavailable, o.Unavailable...)
	t.DataQuality = append(t.DataQuality, o.DataQuality...)
}

// Combine says how parts add up in a roll-up.
type Combine int

const (
	// AcrossTime adds the quarters of a year, given in order: flows add up,
	// stocks (subscriptions, site counts) take the last part.
	AcrossTime Combine = iota
	// AcrossOperators adds operators of one period: flows and stocks add up.
	AcrossOperators
)
