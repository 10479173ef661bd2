package templates

import (
	"math"
	"testing"
)

// An axis is finite and has a handful of ticks whatever the largest value
// is: near the top of float64 rounding up to a whole step overflowed to
// +Inf, and the tick loop never ended.
func TestNiceAxisIsBounded(t *testing.T) {
	for _, hi := range []float64{0, -3, 1, 47905.4, 1e-300, 5e-324, 1e300, 1.7e308, math.MaxFloat64, math.Inf(1), math.NaN()} {
		ax := niceAxis(hi)
		if math.IsInf(ax.max, 0) || math.IsNaN(ax.max) || ax.max <= 0 || !(ax.step > 0) {
			t.Errorf("niceAxis(%g) = %+v: not a finite axis", hi, ax)
			continue
		}
		ticks := ax.ticks()
		if len(ticks) < 2 || len(ticks) > maxTicks {
			t.Errorf("niceAxis(%g): %d ticks %v", hi, len(ticks), ticks)
		}
	}
}

// Values beyond float64 (a decimal of 400 digits) or at its edge do not
// stop a document from rendering: they are drawn as unavailable or on a
// capped axis, and no share of them is NaN.
func TestChartsOfHugeValues(t *testing.T) {
	v := fixtureDisclosure()
	v.E1.EnergyByCarrier[0].Value = dv("1e400")
	v.E1.Quarters[0].Scope1 = dv("1.7e308")
	v.E1.Quarters[1].Scope2Market = dv("-1e400")
	if _, err := RenderOperatorDisclosure(v, fixtureAttachment()); err != nil {
		t.Fatal(err)
	}
}
