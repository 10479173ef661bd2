package ledger

import "strconv"

// CountNoun writes a count with its noun in the number that agrees with
// it: "1 problem", "0 problems", "2 problems". Messages use it wherever a
// count comes from data, so that no one reads "(1 problems)".
func CountNoun[N ~int | ~int64 | ~uint64](n N, one, many string) string {
	noun := many
	if n == 1 {
		noun = one
	}
	return strconv.FormatInt(int64(n), 10) + " " + noun
}
