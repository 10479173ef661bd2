package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// TestReturnPageShowsMethodology: the return page names the methodology
// its metrics were computed by, beside the factor set.
func TestReturnPageShowsMethodology(t *testing.T) {
	s := newSite(t)
	_, page := s.get("/returns/"+s.ridA, s.reg)
	if !strings.Contains(page, "<dt>Methodology</dt><dd>2025.1</dd>") {
		t.Error("the return page does not show the methodology 2025.1 of apt-2025.1")
	}
}

// TestReturnPageShows20261Figures: a return filed under apt-2026.1 shows
// the figures methodology 2026.1 adds in their sections, with units and
// derivations, and its data-quality flags explained in words; a 2025.1
// return shows neither.
func TestReturnPageShows20261Figures(t *testing.T) {
	s := newSite(t)
	if _, err := s.svc.PublishFactorSet(context.Background(), ledger.SystemActor, fixtures.FactorSet20261()); err != nil {
		t.Fatal(err)
	}
	body := servicetest.ReturnWith(t, "op-a", "2025-Q2", func(m map[string]any) {
		m["factor_set"] = "apt-2026.1"
		// A certificate counts once in the ledger: this quarter's own.
		for _, c := range m["renewable_claims"].([]any) {
			claim := c.(map[string]any)
			if ids, ok := claim["certificates"].([]any); ok {
				for i, id := range ids {
					ids[i] = id.(string) + "-Q2"
				}
			}
		}
	})
	rid := s.env.File(s.opA, body).ID
	_, page := s.get("/returns/"+rid, s.reg)
	for _, want := range []string{
		"<dt>Methodology</dt><dd>2026.1</dd>",
		`id="added-E1">E1 Energy and emissions: figures added by methodology 2026.1`,
		`<span class="mname">Ozone-depleting substances leaked</span> <span class="mval">0.22</span> <span class="unit">kgCFC-11e</span>`,
		`<span class="mname">Scope 1 by gas: CO₂</span>`,
		`id="added-E3">E3 Climate resilience`,
		"The grid has no official direct (combustion) factor in the factor set",
		"location-based, lifecycle basis (fallback: no direct factor for the grid), Ember",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the 2026.1 return page lacks %q", want)
		}
	}
	_, old := s.get("/returns/"+s.ridA, s.reg)
	if strings.Contains(old, "figures added by methodology") || strings.Contains(old, `id="data-quality"`) {
		t.Error("a 2025.1 return page shows 2026.1 figures or flags")
	}
}
