package ledger

import (
	"strings"
	"testing"
)

func TestCountNoun(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 problems"}, {1, "1 problem"}, {2, "2 problems"}, {-1, "-1 problems"}} {
		if got := CountNoun(tc.n, "problem", "problems"); got != tc.want {
			t.Errorf("CountNoun(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := CountNoun(uint64(1), "entry", "entries"); got != "1 entry" {
		t.Errorf("uint64: %q", got)
	}
}

// An error with one field problem says "1 problem", not "1 problems".
func TestErrorCountsItsProblems(t *testing.T) {
	one := &Error{Code: EInvalid, Message: "bad return", Fields: []FieldError{{Path: "period", Message: "is not a quarter"}}}
	if got := one.Error(); !strings.Contains(got, "(1 problem, first: period is not a quarter)") {
		t.Errorf("one problem: %q", got)
	}
	two := &Error{Code: EInvalid, Message: "bad return", Fields: []FieldError{{Path: "a", Message: "x"}, {Path: "b", Message: "y"}}}
	if got := two.Error(); !strings.Contains(got, "(2 problems, first: a x)") {
		t.Errorf("two problems: %q", got)
	}
}
