package numfmt

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// Figure: the places come from the unit, whatever the size of the value
// (no "9.48" beside "28.4"), rounding is half-even, and a figure that is
// not a bound is never shown as one.
func TestFigure(t *testing.T) {
	for _, tc := range []struct{ in, unit, want string }{
		// The case: 99.981934 % is 99.98, not 100.0.
		{"99.981934", "%", "99.98"},
		{"9.4849", "%", "9.48"},
		{"28.4", "%", "28.40"},
		{"122", "%", "122.00"},
		{"0.125", "%", "0.12"}, // half-even: down
		{"0.135", "%", "0.14"}, // half-even: up
		{"100", "%", "100.00"},
		{"0", "%", "0.00"},
		// Near a bound: more places, as few as will do.
		{"99.9996", "%", "99.9996"},
		{"99.995", "%", "99.995"},
		{"100.004", "%", "100.004"},
		{"0.004", "%", "0.004"},
		{"99.9999999", "%", "> 99.99"},
		{"100.0000001", "%", "> 100.00"},
		{"0.0000001", "%", "< 0.00001"},
		{"-0.0000001", "%", "> −0.00001"},
		{"0.3", "kg", "0.3"},
		{"0.0004", "kg", "< 0.001"},
		{"0.9996", "0-1", "0.9996"},
		{"0.9999999", "index", "> 0.999"},
		// Units in either spelling; thousands grouped; a minus sign.
		{"1234567.45", "MWh", "1,234,567.4"},
		{"1234567.45", "t CO₂e", "1,234,567.4"},
		{"-15781.25", "tCO2e", "−15,781.2"},
		{"-0.04", "tCO2e", "−0.04"},
		{"12.3456", "kgCO2e/kWh", "12.346"},
		{"12.3456", "kg CO₂e/kWh", "12.346"},
		{"4.5", "number", "4"},
		{"5.5", "number", "6"},
		{"2.345", "kgCO2e/TB", "2.34"},
		{"2.345", "something new", "2.34"},
	} {
		if got := Figure(calculators.Some(decimal.RequireFromString(tc.in)), tc.unit); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.in, tc.unit, got, tc.want)
		}
	}
	if got := Figure(calculators.None, "%"); got != NA {
		t.Errorf("unavailable: %q", got)
	}
}

// Fixed is the plain rounding, without the rule about bounds: the
// released documents print with it.
func TestFixed(t *testing.T) {
	for _, tc := range []struct {
		in     string
		places int32
		want   string
	}{
		{"99.9996", 2, "100.00"},
		{"-0.0001", 1, "0.0"},
		{"-1234.5", 0, "−1,234"},
		{"1000", 0, "1,000"},
		{"999.95", 1, "1,000.0"},
	} {
		if got := Fixed(decimal.RequireFromString(tc.in), tc.places); got != tc.want {
			t.Errorf("%s at %d: %q, want %q", tc.in, tc.places, got, tc.want)
		}
	}
	if got := Count(-1234567); got != "−1,234,567" {
		t.Errorf("Count: %q", got)
	}
}

// FuzzDecimal: whatever the value, the figure is never a bound the value
// is not, and it parses back (without its separators) to within half a
// unit of its last place of the value.
func FuzzDecimal(f *testing.F) {
	f.Add(int64(99981934), int32(-6), "%")
	f.Add(int64(999999999), int32(-7), "%")
	f.Add(int64(4), int32(-4), "kg")
	f.Add(int64(-15781), int32(0), "tCO2e")
	f.Fuzz(func(t *testing.T, coef int64, exp int32, unit string) {
		if exp < -30 || exp > 20 {
			t.Skip()
		}
		d := decimal.New(coef, exp)
		got := Decimal(d, unit)
		for _, b := range bounds(unit) {
			if !d.Equal(b) && (got == Fixed(b, Places(unit)) || got == b.String()) {
				t.Fatalf("%v %s: shown as the bound %q", d, unit, got)
			}
		}
		if len(got) > 2 && (got[0] == '<' || got[0] == '>') {
			return
		}
		plain := []rune{}
		for _, r := range got {
			switch {
			case r == ',':
			case string(r) == Minus:
				plain = append(plain, '-')
			default:
				plain = append(plain, r)
			}
		}
		back, err := decimal.NewFromString(string(plain))
		if err != nil {
			t.Fatalf("%v %s: %q does not parse: %v", d, unit, got, err)
		}
		if back.Sub(d).Abs().Cmp(decimal.New(5, back.Exponent()-1)) > 0 {
			t.Fatalf("%v %s: %q is too far from the value", d, unit, got)
		}
	})
}

// Exact keeps every digit and the places as written, grouped.
func TestExact(t *testing.T) {
	for in, want := range map[string]string{
		"1704000": "1,704,000", "43.0": "43.0", "0.49359": "0.49359", "-74100.25": "−74,100.25",
		"not a number": "not a number", "1e3": "1e3",
	} {
		if got := ExactText(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}
