package filing

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

var (
	factorsOnce sync.Once
	factors     *ledger.FactorSet
	factorsErr  error
)

// defaultFactors is the factor set of fixtures/, parsed once.
func defaultFactors(t testing.TB) *ledger.FactorSet {
	t.Helper()
	factorsOnce.Do(func() {
		factors, factorsErr = ledger.ParseFactorSet(fixtures.DefaultFactorSet())
	})
	if factorsErr != nil {
		t.Fatal(factorsErr)
	}
	return factors
}

func exampleJSON(t testing.TB) []byte { return fixtures.ExampleReturn() }

// exampleContext is the context the example return is clean in: the
// operator's first return, filed after the quarter.
func exampleContext(t testing.TB) Context {
	return Context{
		Operator: "sakura-mobile",
		Now:      time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC),
		Factors:  defaultFactors(t),
	}
}

// decodeExample decodes the example return.
func decodeExample(t testing.TB) *ledger.Return {
	t.Helper()
	r, err := DecodeJSON(bytes.NewReader(exampleJSON(t)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fieldErrors returns the Fields of a *ledger.Error with the code wanted.
func fieldErrors(t *testing.T, err error, code string) []ledger.FieldError {
	t.Helper()
	var e *ledger.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *ledger.Error", err, err)
	}
	if e.Code != code {
		t.Fatalf("code %s, want %s: %v", e.Code, code, e)
	}
	return e.Fields
}

// wantProblem is a problem a test expects: at path, with a message that
// contains msg.
type wantProblem struct{ path, msg string }

// checkProblems fails t unless problems are exactly those of want, each
// found by hasProblem, or, with want empty, unless there are none.
func checkProblems(t *testing.T, problems []ledger.FieldError, want []wantProblem) {
	t.Helper()
	if len(want) == 0 && len(problems) > 0 {
		t.Errorf("unexpected problems: %+v", problems)
	}
	for _, w := range want {
		if !hasProblem(problems, w.path, w.msg) {
			t.Errorf("no problem at %q with %q in %+v", w.path, w.msg, problems)
		}
	}
	if len(want) > 0 && len(problems) != len(want) {
		t.Errorf("got %d problems, want %d: %+v", len(problems), len(want), problems)
	}
}

// hasProblem reports whether a problem is at path with a message that
// contains msg.
func hasProblem(ps []ledger.FieldError, path, msg string) bool {
	for _, p := range ps {
		if p.Path == path && strings.Contains(p.Message, msg) {
			return true
		}
	}
	return false
}

// checkJSON reads and checks a JSON body as the HTTP layer does.
func checkJSON(r io.Reader, opts Options, c Context) (*ledger.Return, []ledger.Warning, error) {
	d, err := ReadJSON(r, opts)
	if err != nil {
		return nil, nil, err
	}
	w, err := d.Check(c)
	if err != nil {
		return nil, nil, err
	}
	return d.Return, w, nil
}

// checkMultipart reads and checks a multipart body as the HTTP layer does.
func checkMultipart(mr *multipart.Reader, opts Options, c Context) (*ledger.Return, []ledger.Warning, error) {
	d, err := ReadMultipart(mr, opts)
	if err != nil {
		return nil, nil, err
	}
	w, err := d.Check(c)
	if err != nil {
		return nil, nil, err
	}
	return d.Return, w, nil
}
