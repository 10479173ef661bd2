package disclosure

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A renderer that cannot render at all makes verification an error, not
// a verdict on the document; a bundle the renderer refuses is a problem
// of the document.
func TestVerifyWithRenderer(t *testing.T) {
	vkey := fixtureKey(t)
	pdf, err := Render(fixtureBundle(t, "operator-bundle.json"))
	if err != nil {
		t.Fatal(err)
	}

	down := func(*Bundle) ([]byte, error) { return nil, fmt.Errorf("worker crashed: %w", ErrRenderUnavailable) }
	if res, err := VerifyWith(pdf, vkey, down); res != nil || !errors.Is(err, ErrRenderUnavailable) {
		t.Fatalf("unavailable renderer: %+v, %v", res, err)
	}

	refuses := func(*Bundle) ([]byte, error) { return nil, errors.New("no such template") }
	res, err := VerifyWith(pdf, vkey, refuses)
	if err != nil || res.Valid || len(res.Problems) != 1 || !strings.Contains(res.Problems[0], "no such template") {
		t.Fatalf("refusing renderer: %+v, %v", res, err)
	}

	if res, err := VerifyWith(pdf, vkey, Render); err != nil || !res.Valid {
		t.Fatalf("in-process renderer: %+v, %v", res, err)
	}
}
