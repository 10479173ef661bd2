package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var decisionInput = regexp.MustCompile(`<input type="radio" name="decision"[^>]*>`)

// TestReviewFormChoosesNothing: the regulator's return page shows the
// figures before the review form, the form has no decision chosen, a
// review sent without one is refused with a message that says what to
// do and records nothing, and the page links the PDF preview.
func TestReviewFormChoosesNothing(t *testing.T) {
	s := newSite(t)
	_, page := s.get("/returns/"+s.ridA, s.reg)
	inputs := decisionInput.FindAllString(page, -1)
	if len(inputs) != 2 {
		t.Fatalf("decision inputs: %q", inputs)
	}
	for _, in := range inputs {
		if strings.Contains(in, "checked") {
			t.Errorf("a decision is chosen before the regulator chose: %s", in)
		}
	}
	metrics, form := strings.Index(page, `id="metrics"`), strings.Index(page, `id="review"`)
	if metrics < 0 || form < metrics {
		t.Errorf("the review form (at %d) comes before the figures (at %d)", form, metrics)
	}
	preview := `href="/v1/operators/op-a/disclosures/2025-Q3.pdf"`
	if !strings.Contains(page, preview) || !strings.Contains(page, "Preview of the disclosure PDF") {
		t.Errorf("the return page does not link its PDF preview")
	}

	resp, page := s.postForm("/returns/"+s.ridA+"/review", s.reg, url.Values{"csrf": {s.csrf(s.reg)}, "comment": {"looks fine"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a review without a decision: status %d", resp.StatusCode)
	}
	if !strings.Contains(page, "No decision was chosen") || !strings.Contains(page, "looks fine") {
		t.Errorf("the refusal does not say what is missing or loses the comment:\n%s", page)
	}
	if _, page = s.get("/returns/"+s.ridA, s.reg); !strings.Contains(page, `id="status">submitted<`) {
		t.Errorf("a review without a decision changed the return's status")
	}
}
