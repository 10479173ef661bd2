package calculators

import (
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// Reference values below were computed independently with 60-digit (mpmath)
// arbitrary-precision arithmetic.
func TestLnExpDec(t *testing.T) {
	for _, tc := range []struct{ x, ln string }{
		{"2", "0.693147180559945309417232121458176568075500134"},
		{"10", "2.30258509299404568401799145468436420760110149"},
		{"0.5", "-0.6931471805599453094172321214581765680755"},
		{"0.0798722044728434504792332268370607028754", "-2.52732736567195246747724664280483507452188856"}, // 0.5/6.26
		{"123456.789", "11.7236464871858809811399589839101115869103774"},
	} {
		got, err := LnDec(d(tc.x))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Round(40).Equal(d(tc.ln).Round(40)) {
			t.Errorf("ln %s = %s, want %s", tc.x, got, tc.ln)
		}
	}
	for _, tc := range []struct{ x, exp string }{
		{"1", "2.71828182845904523536028747135266249775724709"},
		{"-1", "0.367879441171442321595523770161460867445811131"},
		{"3.5", "33.1154519586923137506532493503886162924717282"},
		{"-20.25", "0.00000000160522805518561160865393430910953965717116816"},
		{"0", "1"},
	} {
		got := ExpDec(d(tc.x))
		if !got.Round(40).Equal(d(tc.exp).Round(40)) {
			t.Errorf("exp %s = %s, want %s", tc.x, got, tc.exp)
		}
	}
	if _, err := LnDec(decimal.Zero); err == nil {
		t.Error("ln 0 did not fail")
	}
}

func TestWeibullDensity(t *testing.T) {
	a, b := d("1.56"), d("6.26") // smartphone (UNU-KEY 0306)
	// f(x) = (a/b)(x/b)^(a-1) exp(-(x/b)^a); at x = 0.5:
	// a/b = 0.24920127795527, x/b = 0.07987220447284,
	// (x/b)^(a-1) = (x/b)^0.56 = 0.24285193926555,
	// (x/b)^a = 0.01939711974964, exp(-0.01939711974964) = 0.98078979389788,
	// f(0.5) = 0.24920127795527 x 0.24285193926555 x 0.98078979389788
	//        = 0.05935643089418 -> 0.059356 at 6 places.
	for _, tc := range []struct{ x, want string }{
		{"0.5", "0.0593564308941760919290374852883454971811248994"},
		{"1.5", "0.100536661096735940079947577557648115328277637"},
		{"2.5", "0.117376880299278872124829961096654728937296152"},
		{"3.5", "0.120173682150509971610204262821354869244457456"},
	} {
		got, err := WeibullDensity(a, b, d(tc.x))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Round(38).Equal(d(tc.want).Round(38)) {
			t.Errorf("f(%s) = %s, want %s", tc.x, got, tc.want)
		}
	}
	f05, _ := WeibullDensity(a, b, d("0.5"))
	if got := f05.RoundBank(6).String(); got != "0.059356" {
		t.Errorf("f(0.5) to 6 places = %s, want 0.059356", got)
	}
	// One cohort of 1,000 t in its first year: 1000 x f(0.5) = 59.3564 t.
	if got := f05.Mul(d("1000")).RoundBank(4).String(); got != "59.3564" {
		t.Errorf("first-year arising of 1,000 t = %s, want 59.3564", got)
	}
	if _, err := WeibullDensity(a, b, decimal.Zero); err == nil {
		t.Error("density at age 0 did not fail")
	}
}

func TestWeibullDensityShapes(t *testing.T) {
	// Reference values from 50-digit arbitrary-precision arithmetic.
	for _, tc := range []struct{ a, b, x, want string }{
		{"2.33", "7.39", "20.5", "0.0000255991623238030529217550137514485224931914"}, // monitor, far tail
		{"0.8", "3", "0.5", "0.300622849076261992016283149789073528878328"},          // shape < 1
		{"1.25", "5.91", "12.5", "0.0199027958253044890714660486070652875490554"},    // cpe
	} {
		got, err := WeibullDensity(d(tc.a), d(tc.b), d(tc.x))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Round(38).Equal(d(tc.want).Round(38)) {
			t.Errorf("f(%s; %s, %s) = %s, want %s", tc.x, tc.a, tc.b, got, tc.want)
		}
	}
}
