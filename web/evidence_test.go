package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// The return page shows, beside each grid factor of a derivation, the
// basis and evidence level the factor set gives it: the example's JP
// factor in apt-2026.1 is Ember's lifecycle value, evidence "carried".
// apt-2025.1 states neither, and its page shows no such note.
func TestReturnPageShowsGridFactorEvidence(t *testing.T) {
	s := newSite(t)
	if _, err := s.svc.PublishFactorSet(context.Background(), ledger.SystemActor, fixtures.FactorSet20261()); err != nil {
		t.Fatal(err)
	}
	body := servicetest.ReturnWith(t, "op-a", "2025-Q2", func(m map[string]any) {
		m["factor_set"] = "apt-2026.1"
		for _, c := range m["renewable_claims"].([]any) { // a certificate counts once in the ledger
			if ids, ok := c.(map[string]any)["certificates"].([]any); ok {
				for i, id := range ids {
					ids[i] = id.(string) + "-Q2"
				}
			}
		}
	})
	rid := s.env.File(s.opA, body).ID
	_, page := s.get("/returns/"+rid, s.reg)
	want := `<code>grid.JP.value</code></td><td class="num">0.49359 kgCO2e/kWh</td><td>`
	i := strings.Index(page, want)
	if i < 0 {
		t.Fatalf("the 2026.1 return page lists no grid.JP.value factor:\n%s", page)
	}
	row := page[i : i+strings.Index(page[i:], "</tr>")]
	if !strings.Contains(row, `<span class="evidence">lifecycle (not direct) basis · evidence: <strong>carried</strong></span>`) {
		t.Errorf("grid.JP.value row lacks its basis and evidence: %s", row)
	}
	_, old := s.get("/returns/"+s.ridA, s.reg)
	if strings.Contains(old, `class="evidence"`) {
		t.Error("a 2025.1 return page shows an evidence level its factor set does not state")
	}
}

// A derivation's filed values say what each row is beside its path
// ("diesel, stationary, RAN" for fuels[0].quantity), and a source shared
// by its factors is listed once, the factors referring to it by number.
func TestReturnPageNamesInputRows(t *testing.T) {
	s := newSite(t)
	_, page := s.get("/returns/"+s.ridA, s.reg)
	if !strings.Contains(page, `<td>diesel, stationary, RAN</td>`) {
		t.Error("the return page does not say what fuels[0] is")
	}
	if !strings.Contains(page, `<code class="path">fuels[0].quantity</code>`) {
		t.Error("the return page lost the path of fuels[0].quantity")
	}
	i := strings.Index(page, `<ol class="sources small">`)
	if i < 0 {
		t.Fatal("no derivation lists its sources")
	}
	list := page[i : i+strings.Index(page[i:], "</ol>")]
	if strings.Count(list, "<li>") < 1 || !strings.Contains(page, `<td class="num">`) || !strings.Contains(page, `[1]`) {
		t.Errorf("sources listed as %s", list)
	}
}
