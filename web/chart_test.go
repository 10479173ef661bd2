package web_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The sector page's charts take their card's width, have a value axis
// with labelled ticks, and draw the median only across each bar's band,
// below the row's name and value: never through the text.
func TestSectorChartAxisAndMedian(t *testing.T) {
	s := newSite(t)
	_, body := s.get("/sector?period=2025-Q3", s.reg)
	chart, _, _ := strings.Cut(body[strings.Index(body, `<figure class="chart">`):], "</figure>")
	if !strings.Contains(chart, `<svg width="100%"`) || strings.Contains(chart, "viewBox") {
		t.Errorf("the chart does not take its card's width:\n%.300s", chart)
	}
	if n := strings.Count(chart, `<text class="tick"`); n < 3 {
		t.Errorf("%d tick labels, want 3 or more", n)
	}
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	names := regexp.MustCompile(`<text class="lbl[^"]*" x="0" y="(\d+)">`).FindAllStringSubmatch(chart, -1)
	medians := regexp.MustCompile(`<line class="median" x1="[^"]+" x2="[^"]+" y1="(\d+)" y2="(\d+)">`).FindAllStringSubmatch(chart, -1)
	if len(medians) == 0 || len(names) < len(medians) {
		t.Fatalf("%d names, %d median segments", len(names), len(medians))
	}
	for _, m := range medians {
		top, bottom := num(m[1]), num(m[2])
		for _, n := range names {
			// A name's glyphs reach about 12 px above its baseline and 4
			// below it.
			if y := num(n[1]); top < y+4 && bottom > y-12 {
				t.Errorf("the median segment %d-%d crosses the name at %d", top, bottom, y)
			}
		}
	}
}
