package web_test

import (
	"context"
	"html"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

// TestFilePageGuide: the upload page names each published factor set
// with its methodology and the one a return without factor_set gets,
// lists every optional field of return v1.1 with its item, and names
// the v1.1 columns the sites CSV takes.
func TestFilePageGuide(t *testing.T) {
	s := newSite(t)
	if _, err := s.svc.PublishFactorSet(context.Background(), ledger.SystemActor, fixtures.FactorSet20261()); err != nil {
		t.Fatal(err)
	}
	resp, page := s.get("/file", s.opA)
	if resp.StatusCode != 200 {
		t.Fatalf("GET /file: %d", resp.StatusCode)
	}
	page = html.UnescapeString(page)
	want := []string{
		"<li><code>apt-2025.1</code>, methodology 2025.1</li>",
		"<li><code>apt-2026.1</code>, methodology 2026.1</li>",
		"without one, the newest, <code>apt-2026.1</code>, is used",
		"docs/spec/quarterly-return.md",
		"Optional columns of return v1.1: <code>generator_kwh</code>, <code>quality</code>.",
	}
	for _, f := range ledger.ReturnV11Fields() {
		want = append(want, `<code class="path">`+f.Path+`</code></td><td data-label="Item">`+f.Item+`</td>`)
	}
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("the upload page lacks %q", w)
		}
	}
}
