package web_test

import (
	"regexp"
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

// A metric's change in the diff is shown with the places of its unit, as
// on the rest of the page: energy and emissions to one place.
func TestDiffFiguresByTheirUnit(t *testing.T) {
	s := newSite(t)
	v2 := s.env.File(s.opA, servicetest.ReturnWith(t, "op-a", "2025-Q3", func(m map[string]any) {
		m["restates"], m["reason"] = s.ridA, "the diesel was under-reported"
		m["fuels"].([]any)[0].(map[string]any)["quantity"] = "192500"
	}))
	_, page := s.get("/returns/"+v2.ID+"?against="+s.ridA, s.reg)
	i := strings.Index(page, `id="diff"`)
	if i < 0 {
		t.Fatalf("no diff on the page:\n%s", page)
	}
	diff := page[i:]
	j := strings.Index(diff, ">Scope 1 emissions<")
	if j < 0 {
		t.Fatalf("the diff has no change of scope 1:\n%s", diff)
	}
	row := diff[j:]
	row = row[:strings.Index(row, "</tr>")]
	if !regexp.MustCompile(`class="num">[0-9,]+\.[0-9]<`).MatchString(row) {
		t.Errorf("scope 1 (t CO2e) is not shown to one place in the diff: %s", row)
	}
}
