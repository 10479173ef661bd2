package filing

import (
	"strconv"
	"strings"

	"github.com/ictledger/ictledger/ledger"
)

// problems collects the problems found in one return, in the order found.
type problems []ledger.FieldError

func (p *problems) add(path, msg string) {
	*p = append(*p, ledger.FieldError{Path: path, Message: msg})
}

// covers reports whether a problem was already recorded at path or at one
// of its ancestors. Validation problems at such paths are
// consequences of a value that could not be decoded and are dropped.
func covers(decoded map[string]bool, path string) bool {
	for p := path; ; {
		if decoded[p] {
			return true
		}
		if strings.HasSuffix(p, ".csv") { // the top of a CSV path
			return false
		}
		i := strings.LastIndexAny(p, ".[:")
		if i <= 0 {
			return false
		}
		p = p[:i]
	}
}

// merge appends the validation problems that are not at or under a path
// that already has a decoding problem.
func merge(decodeProbs, validProbs []ledger.FieldError) []ledger.FieldError {
	if len(decodeProbs) == 0 {
		return validProbs
	}
	decoded := make(map[string]bool, len(decodeProbs))
	for _, p := range decodeProbs {
		decoded[p.Path] = true
	}
	out := decodeProbs
	for _, p := range validProbs {
		if !covers(decoded, p.Path) {
			out = append(out, p)
		}
	}
	return out
}

// truncate keeps at most max problems and says how many were left out.
func truncate(ps []ledger.FieldError, max int) []ledger.FieldError {
	if max <= 0 || len(ps) <= max {
		return ps
	}
	rest := len(ps) - max
	out := append(ps[:max:max], ledger.FieldError{Path: "", Message: strconv.Itoa(rest) + " more problems not shown"})
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
