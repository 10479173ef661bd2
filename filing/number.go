package filing

import (
	"strconv"

	"github.com/shopspring/decimal"
)

// Limits of a quantity: digits before and after the decimal point.
const (
	maxIntDigits  = 18
	maxFracDigits = 9
)

// parseQuantity reads a decimal quantity as written in JSON (string or
// number) or in a CSV cell. The grammar is the JSON number grammar without
// an exponent: an optional '-', an integer part without leading zeros, an
// optional fraction. It returns a message fit for a FieldError when s is
// not a quantity. The sign is not checked here: Validate knows which
// quantities may be negative.
func parseQuantity(s string) (decimal.Decimal, string) {
	if s == "0" {
		return decimal.Zero, ""
	}
	if msg := checkDecimalSyntax(s); msg != "" {
		return decimal.Decimal{}, msg
	}
	d, err := decimal.NewFromString(s)
	if err != nil { // unreachable after the syntax check, kept as a guard
		return decimal.Decimal{}, "must be a decimal number, e.g. \"1250.5\""
	}
	return d, ""
}

const msgDecimal = "must be a decimal number without exponent, e.g. \"1250.5\""

func checkDecimalSyntax(s string) string {
	i := 0
	if i < len(s) && s[i] == '+' {
		return "must not have a leading '+'"
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intDigits := i - start
	if intDigits == 0 {
		return msgDecimal
	}
	if intDigits > 1 && s[start] == '0' {
		return "must not have leading zeros"
	}
	if intDigits > maxIntDigits {
		return "must have at most 18 digits before the decimal point"
	}
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == fs {
			return msgDecimal
		}
		if i-fs > maxFracDigits {
			return "must have at most 9 digits after the decimal point"
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		return "must not have an exponent: write the digits out, e.g. 1500 not 1.5e3"
	}
	if i != len(s) {
		return msgDecimal
	}
	return ""
}

// parseCount reads an integer count (JSON number or CSV cell): an optional
// '-' and at most 18 digits, no fraction, no exponent. Signs are checked by
// Validate (a stock change may be negative).
func parseCount(s string) (int64, string) {
	const msg = "must be a whole number, e.g. 12"
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i == len(s) {
		return 0, msg
	}
	for j := i; j < len(s); j++ {
		if !isDigit(s[j]) {
			return 0, msg
		}
	}
	if len(s)-i > 1 && s[i] == '0' {
		return 0, "must not have leading zeros"
	}
	if len(s)-i > maxIntDigits {
		return 0, "must have at most 18 digits"
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, msg
	}
	return n, ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
