package calculators

import (
	"testing"

	"github.com/shopspring/decimal"
)

// Display rounds half-even to six places and drops trailing zeros,
// whatever the value's own scale, including values it does not need to
// round at all.
func TestDisplay(t *testing.T) {
	for _, tc := range []struct {
		v    Value
		want string
	}{
		{Value{}, ""},
		{Some(decimal.New(185000, 0)), "185000"},
		{Some(decimal.New(1, 3)), "1000"},
		{Some(decimal.New(38500, -3)), "38.5"},
		{Some(decimal.New(-12, -6)), "-0.000012"},
		{Some(decimal.New(0, -2)), "0"},
		{Some(decimal.New(12345665, -7)), "1.234566"}, // half to even: down
		{Some(decimal.New(12345675, -7)), "1.234568"}, // half to even: up
		{Some(decimal.New(-12345675, -7)), "-1.234568"},
		{Some(decimal.New(5, -7)), "0"},
		{Some(decimal.RequireFromString("2.274052287581699346405228758")), "2.274052"},
	} {
		if got := tc.v.Display(); got != tc.want {
			t.Errorf("%v: Display %q, want %q", tc.v.D, got, tc.want)
		}
	}
}

// FuzzDisplay: Display always equals rounding half-even to six places
// and printing, the definition it shortcuts for values already within
// six places.
func FuzzDisplay(f *testing.F) {
	f.Add(int64(185000), int32(0))
	f.Add(int64(-38500), int32(-3))
	f.Add(int64(12345675), int32(-7))
	f.Add(int64(7), int32(5))
	f.Fuzz(func(t *testing.T, coef int64, exp int32) {
		if exp < -40 || exp > 20 {
			t.Skip()
		}
		d := decimal.New(coef, exp)
		if got, want := Some(d).Display(), d.RoundBank(DisplayPlaces).String(); got != want {
			t.Fatalf("%v: Display %q, RoundBank then String %q", d, got, want)
		}
	})
}
