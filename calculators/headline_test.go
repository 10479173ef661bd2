package calculators

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestMedian(t *testing.T) {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	tests := []struct {
		in   []decimal.Decimal
		want string
	}{
		{nil, "0"},
		{[]decimal.Decimal{d("5")}, "5"},
		{[]decimal.Decimal{d("9"), d("1"), d("5")}, "5"},
		{[]decimal.Decimal{d("4"), d("1"), d("3"), d("2")}, "2.5"},
	}
	for _, tt := range tests {
		if got := Median(tt.in); !got.Equal(d(tt.want)) {
			t.Errorf("Median(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestRanksSharesTiesAndSkipsUnavailable(t *testing.T) {
	v := func(s string) Value { return Some(decimal.RequireFromString(s)) }
	values := []Value{v("10"), None, v("30"), v("10"), v("20")}
	lower := Headline{LowerIsBetter: true}.Ranks(values)
	if want := []int{1, 0, 4, 1, 3}; !equalInts(lower, want) {
		t.Errorf("lower is better: %v, want %v", lower, want)
	}
	higher := Headline{}.Ranks(values)
	if want := []int{3, 0, 1, 3, 2}; !equalInts(higher, want) {
		t.Errorf("higher is better: %v, want %v", higher, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
