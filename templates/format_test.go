package templates

import (
	"testing"

	"github.com/ictledger/ictledger/calculators"
)

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		name string
		got  string
		want string
	}{
		{"MWh one place, grouped", UnitMWh.Format(dv("133525.94")), "133,525.9"},
		{"half-even down", UnitTCO2e.Format(dv("0.25")), "0.2"},
		{"half-even up", UnitTCO2e.Format(dv("0.35")), "0.4"},
		{"kg whole", UnitKg.Format(dv("1234567.5")), "1,234,568"},
		{"percent two places", UnitPct.Format(dv("99.981933")), "99.98"},
		{"ratio", UnitRatio.Format(dv("1.5")), "1.50"},
		{"index", UnitIndex.Format(dv("0.5205")), "0.520"},
		{"negative", UnitTCO2e.Format(dv("-1234.56")), "−1,234.6"},
		{"negative zero", UnitTCO2e.Format(dv("-0.01")), "0.0"},
		{"unavailable", UnitMWh.Format(calculators.None), "n/a"},
		{"change up", formatChange(dv("7.63")), "+7.6"},
		{"change down", formatChange(dv("-1.08")), "−1.1"},
		{"change zero", formatChange(dv("-0.01")), "0.0"},
		{"exact factor keeps its places", formatExact(dec("43.0")), "43.0"},
		{"exact factor grouped", formatExact(dec("74100")), "74,100"},
		{"exact small factor", formatExact(dec("0.49359")), "0.49359"},
		{"int", formatInt(121500000), "121,500,000"},
		{"negative int", formatInt(-1000), "−1,000"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestNiceAxis(t *testing.T) {
	for _, c := range []struct {
		hi        float64
		max, step float64
	}{
		{66120.9, 80000, 20000},
		{1012.4, 1500, 500},
		{21.31, 30, 10},
		{0.624, 0.8, 0.2},
		{0, 1, 0.25},
	} {
		a := niceAxis(c.hi)
		if a.max != c.max || a.step != c.step {
			t.Errorf("niceAxis(%v) = max %v step %v, want %v %v", c.hi, a.max, a.step, c.max, c.step)
		}
	}
}

// The released versions keep printing with Format, which may show a
// figure as the bound it is not; Figure, for new versions, never does and
// otherwise agrees with Format.
func TestFigureVersusFormat(t *testing.T) {
	for _, c := range []struct {
		u              Unit
		in             string
		format, figure string
	}{
		{UnitPct, "99.9996", "100.00", "99.9996"},
		{UnitKg, "0.3", "0", "0.3"},
		{UnitIndex, "0.99996", "1.000", "0.99996"},
		{UnitPct, "99.981934", "99.98", "99.98"},
		{UnitMWh, "133525.94", "133,525.9", "133,525.9"},
		{UnitTCO2e, "-0.01", "0.0", "−0.01"},
	} {
		if got := c.u.Format(dv(c.in)); got != c.format {
			t.Errorf("%s %s Format: %q, want %q", c.in, c.u, got, c.format)
		}
		if got := c.u.Figure(dv(c.in)); got != c.figure {
			t.Errorf("%s %s Figure: %q, want %q", c.in, c.u, got, c.figure)
		}
	}
}
