package web_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// TestRegionPage shows the public regional page to a visitor: a table
// and a chart per intensity for the two countries with accepted returns,
// FJ flagged as one operator, and nothing of the returns that are not
// accepted (a submitted one and a pending restatement, both carrying a
// marker in a supplier's name, the reason and an operator id).
func TestRegionPage(t *testing.T) {
	const marker = "ZZREGIONPAGEMARKER"
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	reg := env.Token(ledger.RoleRegulator)
	accept := ledger.Review{Decision: ledger.DecisionAccept}
	markSupplier := func(m map[string]any) {
		m["electricity"].([]any)[3].(map[string]any)["supplier"] = marker + " Power"
	}
	acceptExample(t, env, reg, "op-a", "Alpha Telecom", "JP")
	acceptExample(t, env, reg, "op-c", "Coral Telecom", "FJ")
	b := env.Operator("op-zzregionpagemarker-b", marker+" B", "JP")
	env.Review(reg, env.File(b, servicetest.ExampleReturn(t, "op-zzregionpagemarker-b", "2025-Q2")).ID, accept)
	env.File(b, servicetest.ReturnWith(t, "op-zzregionpagemarker-b", "2025-Q3", markSupplier))
	d := env.Operator("op-d", "Delta Telecom", "JP")
	dq := env.File(d, servicetest.ExampleReturn(t, "op-d", "2025-Q3"))
	env.Review(reg, dq.ID, accept)
	env.File(d, servicetest.ReturnWith(t, "op-d", "2025-Q3", func(m map[string]any) {
		markSupplier(m)
		m["restates"], m["reason"] = dq.ID, marker+" restated"
	}))

	h := pagesOf(t, env)
	get := func(path string) (int, string) { return visit(h, path) }
	code, page := get("/region?period=2025-Q3")
	if code != 200 {
		t.Fatalf("status %d:\n%s", code, page)
	}
	for _, want := range []string{"Asia-Pacific region, 2025-Q3", ">FJ<", ">JP<", "one operator", "<svg", "Network energy per TB", "median of the countries", ") by country, median", "4 operators due", "2 accepted and counted"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(strings.ToUpper(page), marker) {
		t.Fatalf("an unaccepted return reached the regional page:\n%s", page)
	}
	if code, page = get("/region?period=2025"); code != 200 || !strings.Contains(page, "2025-Q1, 2025-Q2, 2025-Q4") {
		t.Errorf("the year: %d, the quarters not counted are not named:\n%s", code, page)
	}
	if code, _ = get("/region?period=2025-Q9"); code != 422 {
		t.Errorf("a bad period: status %d", code)
	}
	if _, home := get("/"); !strings.Contains(home, `href="/region"`) {
		t.Errorf("the home page does not link the regional view")
	}
}

// The regional page links the regional PDF of its period when a return
// of it is accepted, saying what it proves and how its figures are
// checked, and the verify page finds that PDF valid and an altered copy
// not valid.
func TestRegionPDFLinkedAndVerified(t *testing.T) {
	s := newSite(t)
	s.env.Review(s.reg, s.ridA, ledger.Review{Decision: ledger.DecisionAccept})
	_, page := s.get("/region?period=2025-Q3", "")
	if !strings.Contains(page, `href="/v1/region/disclosures/2025-Q3.pdf"`) || !strings.Contains(page, `id="pdf-proof"`) ||
		!strings.Contains(page, "ictledger verify region-records") {
		t.Fatalf("the regional page does not link its PDF and say what it proves:\n%s", page)
	}
	if _, page := s.get("/region?period=2025-Q2", ""); strings.Contains(page, "/v1/region/disclosures/") || strings.Contains(page, `id="pdf-proof"`) {
		t.Fatal("a period without accepted returns links a PDF")
	}
	pdf, err := s.svc.RegionDisclosure(context.Background(), service.Public, ledger.Span{Year: 2025, Quarter: 3})
	if err != nil {
		t.Fatal(err)
	}
	altered := bytes.Clone(pdf)
	altered[len(altered)/3] ^= 1
	for name, tc := range map[string]struct {
		file  []byte
		valid bool
	}{"genuine": {pdf, true}, "altered": {altered, false}} {
		body, ct := multipartForm(t, map[string]string{"csrf": s.csrf(s.opA)}, map[string][]byte{"file": tc.file})
		resp := s.request("POST", "/verify", s.opA, body, ct)
		page, _ := io.ReadAll(resp.Body)
		if notValid := strings.Contains(string(page), `data-verdict="not_authentic"`); resp.StatusCode != 200 || notValid == tc.valid {
			t.Errorf("%s: status %d, valid %v, want %v", name, resp.StatusCode, !notValid, tc.valid)
		}
	}
}

// The regional charts name each country by its code, like the table's
// columns and the regional PDF, and not by its administration's long
// name cut short beside the bar.
func TestRegionChartsNameCountriesByCode(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	const long = "Ministry of Internal Affairs and Communications"
	if _, err := env.Service.SetJurisdiction(t.Context(), ledger.SystemActor, ledger.Jurisdiction{Country: "JP", Name: long}); err != nil {
		t.Fatal(err)
	}
	acceptExample(t, env, env.Token(ledger.RoleRegulator), "op-a", "Alpha Telecom", "JP")
	code, page := visit(pagesOf(t, env), "/region?period=2025-Q3")
	if code != 200 || !strings.Contains(page, `<text class="lbl" x="0" y="38">JP <tspan`) {
		t.Fatalf("status %d, the chart does not name JP by its code:\n%s", code, page)
	}
	if strings.Contains(page, "Ministry of Internal Affairs and C") && strings.Contains(page, "…") {
		t.Errorf("a chart cuts the administration's name")
	}
}

// A country whose administration recorded no name is named once by its
// code in the coverage table, not "FJ FJ".
func TestRegionCoverageNamesACountryOnce(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	acceptExample(t, env, env.Token(ledger.RoleRegulator), "op-c", "Coral Telecom", "FJ")
	code, page := visit(pagesOf(t, env), "/region?period=2025-Q3")
	if code != 200 || !strings.Contains(page, `data-label="Country">FJ</th>`) {
		t.Errorf("status %d, the coverage row of FJ is not named once by its code:\n%s", code, page)
	}
}
