package calculators

import (
	"fmt"
	"sync"

	"github.com/shopspring/decimal"
)

// The Weibull lifetime density needs logarithms and exponentials of
// non-integer arguments. They are computed here in decimal arithmetic, not
// through float64, so that e-waste estimates are exact to far more places
// than are ever shown: every intermediate is kept to mathPlaces decimal
// places and the series run until their next term vanishes at that scale.

// mathPlaces is the number of decimal places the ln/exp series carry.
const mathPlaces = 60

// WeibullPlaces is the number of decimal places a Weibull density value is
// rounded to (half-even). The series behind it are accurate to well beyond
// this, so every digit kept is right.
const WeibullPlaces = 40

// expUnderflow is where exp(-x) is taken as 0: e^-150 < 1e-65, below the
// working scale.
var expUnderflow = decimal.NewFromInt(150)

// densityVanishes bounds a ln(x/b) in WeibullDensity: beyond it
// (x/b)^a is far past expUnderflow and the density is 0.
var densityVanishes = decimal.NewFromInt(10)

var (
	decOne  = decimal.NewFromInt(1)
	decTwo  = decimal.NewFromInt(2)
	decHalf = decimal.New(5, -1)
)

// atanhSeries is atanh(z) = z + z^3/3 + z^5/5 + ... for |z| well below 1.
func atanhSeries(z decimal.Decimal) decimal.Decimal {
	z2 := z.Mul(z).Round(mathPlaces + 5)
	term := z
	sum := z
	for n := int64(3); ; n += 2 {
		term = term.Mul(z2).Round(mathPlaces + 5)
		if term.IsZero() {
			break
		}
		sum = sum.Add(term.DivRound(decimal.NewFromInt(n), mathPlaces+5))
	}
	return sum
}

// logConsts holds ln 2 and ln 10: ln 2 = 2 atanh(1/3), ln 1.25 = 2 atanh(1/9),
// ln 10 = 3 ln 2 + ln 1.25.
var logConsts = sync.OnceValues(func() (decimal.Decimal, decimal.Decimal) {
	third := decOne.DivRound(decimal.NewFromInt(3), mathPlaces+5)
	ninth := decOne.DivRound(decimal.NewFromInt(9), mathPlaces+5)
	ln2 := decTwo.Mul(atanhSeries(third))
	ln10 := ln2.Mul(decimal.NewFromInt(3)).Add(decTwo.Mul(atanhSeries(ninth)))
	return ln2, ln10
})

// LnDec is the natural logarithm of x > 0, accurate to about mathPlaces
// decimal places. It writes x = y * 2^k * 10^e with y in [0.75, 1.5) and
// sums ln y = 2 atanh((y-1)/(y+1)), whose argument is below 0.2.
func LnDec(x decimal.Decimal) (decimal.Decimal, error) {
	if x.Sign() <= 0 {
		return decimal.Zero, fmt.Errorf("ln of %s: argument must be > 0", x)
	}
	ln2, ln10 := logConsts()
	// x = m * 10^e with m in [1, 10).
	e := int32(x.NumDigits()) - 1 + x.Exponent()
	m := x.Shift(-e)
	// m = y * 2^k with y in [0.75, 1.5).
	k := int64(0)
	threeHalves := decimal.New(15, -1)
	for m.Cmp(threeHalves) >= 0 {
		m = m.Mul(decHalf) // exact
		k++
	}
	z := m.Sub(decOne).DivRound(m.Add(decOne), mathPlaces+5)
	ln := decTwo.Mul(atanhSeries(z))
	ln = ln.Add(ln2.Mul(decimal.NewFromInt(k))).Add(ln10.Mul(decimal.NewFromInt(int64(e))))
	return ln.Round(mathPlaces), nil
}

// ExpDec is e^x, accurate to about mathPlaces significant places for
// x >= 0 and mathPlaces decimal places for x < 0 (where exp(-x) = 1/e^x
// and values below e^-150 are 0). It writes x = n + f with n an integer
// and f in [0, 1): e^f by its Taylor series, e^n by repeated squaring.
func ExpDec(x decimal.Decimal) decimal.Decimal {
	if x.Sign() < 0 {
		if x.Neg().Cmp(expUnderflow) > 0 {
			return decimal.Zero
		}
		return decOne.DivRound(ExpDec(x.Neg()), mathPlaces)
	}
	n := x.Floor()
	f := x.Sub(n)
	ef := expTaylor(f)
	if n.IsZero() {
		return ef
	}
	en := powInt(expTaylor(decOne), n.IntPart())
	return en.Mul(ef).Round(mathPlaces)
}

// expTaylor is e^f = sum f^i/i! for 0 <= f <= 1.
func expTaylor(f decimal.Decimal) decimal.Decimal {
	sum := decOne
	term := decOne
	for i := int64(1); ; i++ {
		term = term.Mul(f).DivRound(decimal.NewFromInt(i), mathPlaces+10)
		if term.IsZero() {
			break
		}
		sum = sum.Add(term)
	}
	return sum
}

// powInt is b^n for n >= 0 by repeated squaring, each product kept to
// mathPlaces+10 places (b >= 1 here, so this is a relative bound).
func powInt(b decimal.Decimal, n int64) decimal.Decimal {
	r := decOne
	for n > 0 {
		if n&1 == 1 {
			r = r.Mul(b).Round(mathPlaces + 10)
		}
		b = b.Mul(b).Round(mathPlaces + 10)
		n >>= 1
	}
	return r
}

// WeibullDensity is f(x) = (a/b)(x/b)^(a-1) exp(-(x/b)^a), the Weibull
// lifetime density with shape a and scale b (both > 0) at age x > 0 years,
// rounded half-even to WeibullPlaces decimal places.
func WeibullDensity(a, b, x decimal.Decimal) (decimal.Decimal, error) {
	if a.Sign() <= 0 || b.Sign() <= 0 {
		return decimal.Zero, fmt.Errorf("weibull shape %s and scale %s must be > 0", a, b)
	}
	if x.Sign() <= 0 {
		return decimal.Zero, fmt.Errorf("weibull density at age %s: age must be > 0", x)
	}
	for _, v := range []decimal.Decimal{a, b, x} {
		if !withinMathRange(v) {
			return decimal.Zero, fmt.Errorf("weibull shape %s, scale %s, age %s: each must be between 10^-%d and 10^%d", a, b, x, mathPlaces, mathPlaces)
		}
	}
	t := x.DivRound(b, mathPlaces+5)
	lnT, err := LnDec(t)
	if err != nil {
		return decimal.Zero, err
	}
	if a.Mul(lnT).Cmp(densityVanishes) > 0 {
		// (x/b)^a > e^10, so exp(-(x/b)^a) is below e^-22026 and the
		// density rounds to 0, exactly what the formula below gives. It
		// is answered here because (x/b)^(a-1) may be a number of
		// millions of digits (a shape of 10^9, say), whose repeated
		// squaring in ExpDec would take minutes and gigabytes.
		return decimal.Zero.RoundBank(WeibullPlaces), nil
	}
	p := ExpDec(a.Sub(decOne).Mul(lnT)) // (x/b)^(a-1)
	ta := t.Mul(p)                      // (x/b)^a
	d := a.DivRound(b, mathPlaces+5).Mul(p).Mul(ExpDec(ta.Neg()))
	return d.RoundBank(WeibullPlaces), nil
}

// withinMathRange reports whether d is written with at most mathPlaces
// digits before and after the point, the scale the series here work at.
// Rescaling a decimal far outside it (1e-2000000000 minus 1, say)
// allocates a power of ten with as many digits as its exponent.
func withinMathRange(d decimal.Decimal) bool {
	exp := int64(d.Exponent())
	return exp >= -mathPlaces && int64(d.NumDigits())+exp <= mathPlaces
}
