package web

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

func TestFormatValue(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0", "0.000"},
		{"0.4845", "0.484"}, // half-even
		{"9.4849", "9.48"},
		{"65.25", "65.2"},
		{"1234567.5", "1,234,568"},
		{"-0.0001", "0.000"},
		{"-15781.2", "-15,781"},
	} {
		if got := formatValue(calculators.Some(decimal.RequireFromString(tc.in))); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := formatValue(calculators.None); got != "n/a" {
		t.Errorf("unavailable: %q", got)
	}
}

func TestBarChart(t *testing.T) {
	c := newBarChart("Energy", "MWh", []string{"A", "an operator with a name far longer than a chart row can hold"},
		[]calculators.Value{calculators.Some(decimal.NewFromInt(50)), calculators.None},
		calculators.Some(decimal.NewFromInt(100)))
	if len(c.Bars) != 2 || !c.Bars[1].Missing || c.Bars[1].Value != "n/a" {
		t.Fatalf("bars %+v", c.Bars)
	}
	// The median is the largest value, so it ends the plot; the bar is half as long.
	if c.Bars[0].W != "168.00" || c.MedianX != "338.00" || c.MedianAnchor != "end" {
		t.Fatalf("bar width %s, median at %s anchored %s", c.Bars[0].W, c.MedianX, c.MedianAnchor)
	}
	if r := []rune(c.Bars[1].Label); len(r) != chartLabelN || r[len(r)-1] != '…' {
		t.Fatalf("long label %q", c.Bars[1].Label)
	}
}
