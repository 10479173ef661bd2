package web

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/disclosure"
)

// A valid document whose figures were corrected since it was issued (the
// roll-up fixes R1 and R2) stays authentic and current on the verify page, and the page
// lists the notices of the answer under the verdict; without notices
// there is no such section.
func TestVerifyPageShowsNotices(t *testing.T) {
	rd, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	notice := `corrected since: the sector total "Sites with backup power" was 91.15 % and is 98.40 % (R2)`
	for _, tc := range []struct {
		notices []string
		want    bool
	}{{[]string{notice}, true}, {nil, false}} {
		var buf bytes.Buffer
		res := &disclosure.Result{Verdict: disclosure.VerdictCurrent, Valid: true, Operator: "sector", Period: "2026-Q3", Notices: tc.notices}
		if err := rd.pages["verify"].Execute(&buf, view{Page: "verify", Data: newVerifyPage(res)}); err != nil {
			t.Fatal(err)
		}
		page := buf.String()
		if !strings.Contains(page, "Authentic and current") {
			t.Errorf("notices %v: the verdict is not authentic and current:\n%s", tc.notices, page)
		}
		escaped := strings.ReplaceAll(notice, `"`, "&#34;")
		if got := strings.Contains(page, "Corrected since") && strings.Contains(page, escaped); got != tc.want {
			t.Errorf("notices %v: page shows them %v, want %v:\n%s", tc.notices, got, tc.want, page)
		}
	}
}
