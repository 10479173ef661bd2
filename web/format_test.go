package web

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

func TestBarChart(t *testing.T) {
	c := newBarChart("Energy", "MWh", []string{"A", "an operator with a name far longer than a chart row can hold"},
		[]calculators.Value{calculators.Some(decimal.NewFromInt(50)), calculators.None},
		calculators.Some(decimal.NewFromInt(100)))
	if len(c.Bars) != 2 || !c.Bars[1].Missing || c.Bars[1].Value != "n/a" {
		t.Fatalf("bars %+v", c.Bars)
	}
	// The median is the largest value, so it ends the axis (0 to 100 by
	// 25); the bar is half as long, and widths are shares of the chart's.
	if c.Bars[0].W != "50.00%" || c.MedianX != "100.00%" || c.MedianAnchor != "end" {
		t.Fatalf("bar width %s, median at %s anchored %s", c.Bars[0].W, c.MedianX, c.MedianAnchor)
	}
	var ticks []string
	for _, tk := range c.Ticks {
		ticks = append(ticks, tk.Label+"@"+tk.X)
	}
	if got := strings.Join(ticks, " "); got != "0@0.00% 25@25.00% 50@50.00% 75@75.00% 100@100.00%" {
		t.Fatalf("ticks %s", got)
	}
	if c.Ticks[0].Anchor != "start" || c.Ticks[4].Anchor != "end" {
		t.Fatalf("the end ticks are anchored %s and %s", c.Ticks[0].Anchor, c.Ticks[4].Anchor)
	}
	if l := c.Bars[1].Label; textWidth(l)+1+textWidth(c.Bars[1].Value) > chartLabelW || !strings.HasSuffix(l, "…") {
		t.Fatalf("long label %q", l)
	}
	// The median crosses each bar's band only, below the row's name.
	for _, b := range c.Bars {
		if b.BandY <= b.LabelY || b.BandY > b.Y {
			t.Fatalf("median band from %d, name at %d, bar at %d", b.BandY, b.LabelY, b.Y)
		}
	}
}

func TestBarChartTicksAndWidths(t *testing.T) {
	for _, tc := range []struct {
		hi    string
		ticks string
	}{
		{"142453.6", "0 50,000 100,000 150,000"},
		{"0.61", "0.0 0.2 0.4 0.6 0.8"},
		{"98.5", "0 25 50 75 100"},
		{"0", "0.00 0.25 0.50 0.75 1.00"},
	} {
		c := newBarChart("m", "u", []string{"x"}, []calculators.Value{calculators.Some(decimal.RequireFromString(tc.hi))}, calculators.None)
		var got []string
		for _, tk := range c.Ticks {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != tc.ticks {
			t.Errorf("%s: ticks %q, want %q", tc.hi, got, tc.ticks)
		}
	}
	if w := textWidth("星空モバイル (Hoshizora)"); w != 24 {
		t.Errorf("width of a CJK name: %d", w)
	}
	if s := shorten("星空モバイル株式会社", 9); s != "星空モバ…" {
		t.Errorf("shortened CJK %q", s)
	}
}

// A name cut to fit a phone keeps its whole form for a wide chart.
func TestBarChartKeepsTheWholeName(t *testing.T) {
	long := "星空モバイル株式会社 (Hoshizora Mobile K.K.)"
	c := newBarChart("m", "u", []string{long, "Short"}, []calculators.Value{calculators.Some(decimal.NewFromInt(1)), calculators.None}, calculators.None)
	if c.Bars[0].Full != long || !strings.HasSuffix(c.Bars[0].Label, "…") {
		t.Errorf("long name: label %q, full %q", c.Bars[0].Label, c.Bars[0].Full)
	}
	if c.Bars[1].Full != "" || c.Bars[1].Label != "Short" {
		t.Errorf("short name: label %q, full %q", c.Bars[1].Label, c.Bars[1].Full)
	}
}
