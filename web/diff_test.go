package web_test

import (
	"strings"
	"testing"

	"github.com/ictledger/ictledger/service/servicetest"
)

// TestDiffIsReadable: the changes between two versions name each field in
// words with its path breakable only between parts, show a missing value
// as "not given" and no JSON (no null, no quotes), and give a percentage's
// change in points.
func TestDiffIsReadable(t *testing.T) {
	s := newSite(t)
	v2 := s.env.File(s.opA, servicetest.ReturnWith(t, "op-a", "2025-Q3", func(m map[string]any) {
		m["restates"], m["reason"] = s.ridA, "the wind PPA was under-reported"
		m["fuels"].([]any)[0].(map[string]any)["quantity"] = "92500"
		m["renewable_claims"].([]any)[1].(map[string]any)["kwh"] = "16500000"
		delete(m["electricity"].([]any)[3].(map[string]any), "supplier")
	}))
	_, page := s.get("/returns/"+v2.ID+"?against="+s.ridA, s.reg)
	i := strings.Index(page, `id="diff"`)
	if i < 0 {
		t.Fatalf("no diff on the page:\n%s", page)
	}
	diff := page[i:]
	for _, want := range []string{
		"Fuels · diesel, stationary, RAN · quantity",
		`fuels<wbr>[0].<wbr>quantity`,
		">185000<", ">92500<",
		"Electricity · data centre, JP · supplier",
		">Kanto Green Power<", ">not given<",
		"Renewable electricity share",
		" pts<",
		"Scope 1 emissions",
	} {
		if !strings.Contains(diff, want) {
			t.Errorf("the diff lacks %q", want)
		}
	}
	for _, bad := range []string{"null", "&#34;", `"92500"`, "_pct"} {
		if strings.Contains(diff, bad) {
			t.Errorf("the diff shows %q", bad)
		}
	}
}
