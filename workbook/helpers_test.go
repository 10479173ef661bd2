package workbook

import (
	"bytes"
	"errors"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

// factors20261 is the factor set apt-2026.1.
func factors20261(t testing.TB) *ledger.FactorSet {
	t.Helper()
	fs, err := ledger.ParseFactorSet(fixtures.FactorSet20261())
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// exampleContext is the context of the example return.
func exampleContext(t testing.TB) filing.Context {
	return filing.Context{Operator: "sakura-mobile", Now: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), Factors: factors20261(t)}
}

// exampleReturn is fixtures/example-return.json, read.
func exampleReturn(t testing.TB) *ledger.Return {
	t.Helper()
	r, err := filing.DecodeJSON(bytes.NewReader(fixtures.ExampleReturn()), filing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// exampleV11 is the v1.1 example parts (fixtures/example-parts-v1.1) read
// as the multipart upload reads them.
func exampleV11(t testing.TB) *ledger.Return { return decodeParts(t, "example-parts-v1.1") }

// decodePartsV1 is the v1 example parts (fixtures/example-parts).
func decodePartsV1(t testing.TB) *ledger.Return { return decodeParts(t, "example-parts") }

// decodeParts reads the parts in fixtures/<name> as the multipart upload
// reads them.
func decodeParts(t testing.TB, name string) *ledger.Return {
	t.Helper()
	dir := filepath.Join("..", "fixtures", name)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range []string{"return.json", "sites.csv", "devices.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := mw.CreateFormFile(strings.TrimSuffix(strings.TrimSuffix(p, ".json"), ".csv"), p)
		w.Write(b)
	}
	mw.Close()
	r, err := filing.DecodeMultipart(multipart.NewReader(&body, mw.Boundary()), filing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// readBook reads and checks a workbook as the HTTP layer does.
func readBook(t testing.TB, b []byte, c filing.Context) (*ledger.Return, []ledger.Warning, error) {
	t.Helper()
	d, err := Read(bytes.NewReader(b), filing.Options{}, Limits{})
	if err != nil {
		return nil, nil, err
	}
	w, err := d.Check(c)
	return d.Return, w, err
}

// problems returns the Fields of a *ledger.Error with the code wanted.
func problemsOf(t *testing.T, err error, code string) []ledger.FieldError {
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

func hasProblem(ps []ledger.FieldError, path, msg string) bool {
	for _, p := range ps {
		if p.Path == path && strings.Contains(p.Message, msg) {
			return true
		}
	}
	return false
}
