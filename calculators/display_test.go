package calculators

import (
	"math/big"
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
		{Some(decimal.RequireFromString("-2.2740525")), "-2.274052"},
		{Some(decimal.RequireFromString("-0.0000004999999999999999999999")), "0"},
		{Some(decimal.RequireFromString("0.0000005000000000000000000001")), "0.000001"},
		{Some(decimal.RequireFromString("123456789012345678901234.9999995")), "123456789012345678901235"},
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
	f.Add(int64(0), int64(185000), int32(0))
	f.Add(int64(0), int64(-38500), int32(-3))
	f.Add(int64(0), int64(12345675), int32(-7))
	f.Add(int64(0), int64(7), int32(5))
	f.Add(int64(-3), int64(5000000000000000000), int32(-25))
	f.Fuzz(func(t *testing.T, coef, low int64, exp int32) {
		if exp < -80 || exp > 20 {
			t.Skip()
		}
		// coef x 10^18 + low: coefficients beyond 64 bits, as divisions
		// at DivPrecision give, take Display's big-integer path.
		c := new(big.Int).Mul(big.NewInt(coef), big.NewInt(1e18))
		c.Add(c, big.NewInt(low))
		d := decimal.NewFromBigInt(c, exp)
		if got, want := Some(d).Display(), d.RoundBank(DisplayPlaces).String(); got != want {
			t.Fatalf("%v: Display %q, RoundBank then String %q", d, got, want)
		}
		for _, places := range []int{0, 1, 3, 12} { // the other places derivations print
			if got, want := halfEven(d, places), d.RoundBank(int32(places)).String(); got != want {
				t.Fatalf("%v to %d places: halfEven %q, RoundBank then String %q", d, places, got, want)
			}
		}
	})
}

// FuzzDiv: Div gives what decimal's DivRound at DivPrecision gives, value
// and exponent, for coefficients of any size and either sign.
func FuzzDiv(f *testing.F) {
	f.Add(int64(0), int64(1), int32(0), int64(0), int64(3), int32(0))
	f.Add(int64(0), int64(-2), int32(0), int64(0), int64(3), int32(0))
	f.Add(int64(0), int64(5), int32(-25), int64(0), int64(1), int32(0))  // exactly half: away from zero
	f.Add(int64(0), int64(-5), int32(-25), int64(0), int64(1), int32(0)) // and for a negative quotient
	f.Add(int64(7), int64(123), int32(-30), int64(-3), int64(99), int32(12))
	f.Fuzz(func(t *testing.T, ahi, alo int64, aexp int32, bhi, blo int64, bexp int32) {
		if aexp < -60 || aexp > 30 || bexp < -60 || bexp > 30 {
			t.Skip()
		}
		dec := func(hi, lo int64, exp int32) decimal.Decimal {
			c := new(big.Int).Mul(big.NewInt(hi), big.NewInt(1e18))
			return decimal.NewFromBigInt(c.Add(c, big.NewInt(lo)), exp)
		}
		a, b := dec(ahi, alo, aexp), dec(bhi, blo, bexp)
		if b.IsZero() {
			t.Skip()
		}
		got, want := Div(a, b), a.DivRound(b, DivPrecision)
		if got.Cmp(want) != 0 || got.Exponent() != want.Exponent() {
			t.Fatalf("%v / %v: Div %v (exp %d), DivRound %v (exp %d)", a, b, got, got.Exponent(), want, want.Exponent())
		}
	})
}
