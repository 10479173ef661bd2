package filing

import (
	"strconv"
	"strings"

	"github.com/ictledger/ictledger/ledger"
)

// maxCollected bounds the problems (and warnings) one stage keeps. Past it
// they are only counted, so that a hostile body cannot make the decoder
// keep a problem for every few bytes it sends.
const maxCollected = 10_000

// problems collects the problems found in one return, in the order found.
type problems struct {
	list []ledger.FieldError
	more int // problems found past maxCollected, counted only
}

func (p *problems) add(path, msg string) {
	if p.full() {
		p.more++
		return
	}
	p.list = append(p.list, ledger.FieldError{Path: path, Message: msg})
}

// full reports whether further problems are only counted; callers check it
// to skip formatting a path nobody will read.
func (p *problems) full() bool { return len(p.list) >= maxCollected }

// addAll appends the problems of q.
func (p *problems) addAll(q problems) {
	for _, e := range q.list {
		p.add(e.Path, e.Message)
	}
	p.more += q.more
}

func (p *problems) count() int { return len(p.list) + p.more }

// fields returns at most max problems, and, when some were left out, one
// last entry with an empty path that says how many.
func (p *problems) fields(max int) []ledger.FieldError {
	out := p.list
	rest := p.more
	if max > 0 && len(out) > max {
		rest += len(out) - max
		out = out[:max:max]
	}
	if rest > 0 {
		out = append(out, ledger.FieldError{Path: "", Message: strconv.Itoa(rest) + " more problems not shown"})
	}
	return out
}

// covers reports whether a problem was already recorded at path or at one
// of its ancestors.
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

// merge appends to the decoding problems the validation problems that are
// not at or under a path that already has a decoding problem: those are
// consequences of a value that could not be read.
func merge(decoded, valid problems) problems {
	if decoded.count() == 0 {
		return valid
	}
	paths := make(map[string]bool, len(decoded.list))
	for _, p := range decoded.list {
		paths[p.Path] = true
	}
	out := decoded
	for _, p := range valid.list {
		if !covers(paths, p.Path) {
			out.add(p.Path, p.Message)
		}
	}
	out.more += valid.more
	return out
}
