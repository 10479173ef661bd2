package disclosure

import (
	"strings"
	"testing"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

// The names of every unavailable figure of a 2026.1 document are words,
// not keys.
func TestNamedUnavailableHasNoKeys(t *testing.T) {
	b := bundle20261(t)
	v := view20261(t, b)
	if len(v.Unavailable) == 0 {
		t.Skip("the fixture has no unavailable figure")
	}
	for _, u := range namedUnavailable(v.Unavailable) {
		if strings.Contains(u.Name, "_") || strings.HasPrefix(u.Name, "e1.") || strings.HasPrefix(u.Name, "e2.") || strings.HasPrefix(u.Name, "e3.") {
			t.Errorf("%s is named %q", u.Key, u.Name)
		}
	}
}

// A comment recorded with an acceptance is the acceptance note in
// disclosure_v4, and a finding in the layouts issued before it.
func TestAcceptanceCommentApart(t *testing.T) {
	in := &inputs{reviews: map[string][]review{
		"op-2026-Q1-v1": {{Review: ledger.Review{Decision: ledger.DecisionAccept, Comment: "Gap noted: the batteries waited for the next container."}}},
		"op-2026-Q2-v1": {{Review: ledger.Review{Decision: ledger.DecisionReturn, Comment: "Please restate the fuels."}}},
	}}
	qs := []*calculators.Metrics{{Return: "op-2026-Q1-v1", Period: "2026-Q1"}, {Return: "op-2026-Q2-v1", Period: "2026-Q2"}}
	m := method(in, qs, true)
	if len(m.Acceptance) != 1 || !strings.HasPrefix(m.Acceptance[0].Text, "Gap noted") {
		t.Errorf("acceptance notes %+v", m.Acceptance)
	}
	if len(m.Findings) != 1 || m.Findings[0].Text != "Please restate the fuels." {
		t.Errorf("findings %+v", m.Findings)
	}
	if old := method(in, qs, false); len(old.Acceptance) != 0 || len(old.Findings) != 2 {
		t.Errorf("earlier layouts: acceptance %+v, findings %+v", old.Acceptance, old.Findings)
	}
}
