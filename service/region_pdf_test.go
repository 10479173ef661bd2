package service_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
	"github.com/ictledger/ictledger/templates"
)

// allPagesText is what poppler's pdftotext reads from every page of pdf;
// the test is skipped without it, except in CI (CI set).
func allPagesText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftotext not installed (apt-get install poppler-utils)")
		}
		t.Fatal("CI is set but pdftotext is missing")
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// The regional report is made from accepted returns only: with a
// version superseded by an accepted restatement (its marker in a
// supplier's name and its acceptance's comment) beside regionFixture's
// unaccepted returns, the record it is drawn from, and so the whole
// bundle, carries no marker, and counts the restatement's operator.
func TestRegionDisclosureCarriesAcceptedReturnsOnly(t *testing.T) {
	r := &bundlePDF{}
	env := regionFixtureWith(t, service.Config{Render: r.render})
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	reg := env.Token(ledger.RoleRegulator)
	g := env.Operator("op-g", "Operator G", "NZ")
	old := env.File(g, servicetest.ReturnWith(t, "op-g", "2025-Q3", func(m map[string]any) {
		m["electricity"].([]any)[3].(map[string]any)["supplier"] = regionMarker + " Power"
	}))
	env.Review(reg, old.ID, ledger.Review{Decision: ledger.DecisionAccept, Comment: regionMarker + " fine"})
	restated := servicetest.ReturnWith(t, "op-g", "2025-Q3", func(m map[string]any) {
		m["restates"], m["reason"] = old.ID, "supplier renamed"
	})
	env.Review(reg, env.File(g, restated).ID, ledger.Review{Decision: ledger.DecisionAccept})
	pdf, err := env.Service.RegionDisclosure(context.Background(), service.Public, q3)
	if err != nil {
		t.Fatal(err)
	}
	upper := strings.ToUpper
	_, canonical, rec := recordOf(t, bundleOf(t, pdf), q3)
	if strings.Contains(upper(string(canonical)), regionMarker) || strings.Contains(upper(string(pdf)), regionMarker) {
		t.Fatal("the regional report's record carries an unaccepted return")
	}
	if strings.Join(slices.Sorted(maps.Keys(rec.Operators)), ",") != "op-a,op-b,op-c,op-g" || rec.Operators["op-g"] != "Operator G" {
		t.Fatalf("the record counts %v", rec.Operators)
	}
}

// A span with no accepted return has no regional document.
func TestRegionDisclosureWithoutAcceptedReturns(t *testing.T) {
	env := regionFixture(t)
	_, err := env.Service.RegionDisclosure(context.Background(), service.Public, ledger.Span{Year: 2025, Quarter: 2})
	var le *ledger.Error
	if !errors.As(err, &le) || le.Code != ledger.ENotFound {
		t.Fatalf("2025-Q2: %v, want not found", err)
	}
}

// A regional PDF of the released layout region_v1 (no longer issued,
// still verified) whose stated counts of operators due and filed were
// changed, and the document rendered again from the changed bundle,
// passes the offline checks (the counts are the ledger's statement, not
// attached entries), but the ledger's verification counts again and
// finds it not valid. An edited byte is not valid anywhere; the
// authentic document is valid, and still is after the span's region_v2
// report is issued.
func TestRegionDisclosureForgedCounts(t *testing.T) {
	r := &bundlePDF{}
	env := regionFixtureWith(t, service.Config{Render: r.render})
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	pdf, err := service.RegionV1Disclosure(context.Background(), env.Service, q3)
	if err != nil {
		t.Fatal(err)
	}
	b, texts := publicBundle(t, pdf)
	if b.Template != templates.RegionTemplateVersion || b.Coverage["JP"] != (disclosure.RegionCounts{Due: 4, Filed: 4}) {
		t.Fatalf("the region_v1 bundle: %s, JP %+v", b.Template, b.Coverage["JP"])
	}
	for _, s := range texts {
		if strings.Contains(strings.ToUpper(s), regionMarker) {
			t.Fatalf("the region_v1 proof carries the marker: %.200s", s)
		}
	}
	b.Coverage["JP"] = disclosure.RegionCounts{Due: 2, Filed: 2}
	forged, err := disclosure.Render(b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(allPagesText(t, forged), "4 due, 4 filed, 3 accepted") {
		t.Fatal("the forged counts are not drawn")
	}
	res, err := env.Service.VerifyDisclosure(context.Background(), forged)
	if err != nil || res.Valid || !strings.Contains(strings.Join(res.Problems, " "), "counts of operators due and filed") {
		t.Fatalf("forged counts: %+v, %v", res, err)
	}
	bad := append([]byte(nil), pdf...)
	bad[len(bad)/2] ^= 1
	if res := disclosure.Verify(bad, env.Service.VerifierKey()); res.Valid {
		t.Fatal("a flipped byte verifies offline")
	}
	if res, err := env.Service.VerifyDisclosure(context.Background(), pdf); err != nil || !res.Valid || res.Issued == nil {
		t.Fatalf("the authentic document: %+v, %v", res, err)
	}
	if _, err := env.Service.RegionDisclosure(context.Background(), service.Public, q3); err != nil {
		t.Fatal(err)
	}
	if res, err := env.Service.VerifyDisclosure(context.Background(), pdf); err != nil || !res.Valid {
		t.Fatalf("the authentic document after a region_v2 report: %+v, %v", res, err)
	}
}

// returnWithSites is the example return for operator in 2025-Q3 at site
// level, with n site rows: about 190 bytes of JSON each.
func returnWithSites(t *testing.T, operator string, n int) []byte {
	return servicetest.ReturnWith(t, operator, "2025-Q3", func(m map[string]any) {
		delete(m["activity"].(map[string]any), "sites_total")
		m["electricity"] = m["electricity"].([]any)[1:]
		res := m["resilience"].(map[string]any)
		for _, k := range []string{"sites_with_backup", "backup_autonomy", "sites_hazard_assessed", "sites_high_hazard", "sites_high_hazard_hardened"} {
			delete(res, k)
		}
		for _, o := range res["outages"].([]any) {
			o.(map[string]any)["sites_affected"] = 1
			o.(map[string]any)["site_hours_lost"] = "24"
		}
		sites := make([]any, n)
		for i := range sites {
			sites[i] = map[string]any{"site_id": fmt.Sprintf("site-%06d", i), "domain": "ran", "grid": "JP",
				"grid_kwh": fmt.Sprintf("%d.25", 900+i%400), "diesel_l": "10", "backup_hours": "8",
				"hazard_level": "low", "hazard_assessed": true, "hardened": false, "offgrid": false}
		}
		m["sites"] = sites
	})
}

// An accepted return of 75,000 sites (about 14 MB, 19 MB in a bundle)
// is over what a verifier reads in any document that attaches it: the
// operator's own disclosure is refused with a 503 that says why and
// that trying again will not help, without rendering it or recording
// it as issued. The regional report attaches the record of the view
// instead, and is issued.
func TestRegionDisclosureTooLargeToVerify(t *testing.T) {
	if testing.Short() {
		t.Skip("large filing")
	}
	renders := 0
	r := &bundlePDF{}
	env := servicetest.NewConfigured(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC), service.Config{
		Render: func(b *disclosure.Bundle) ([]byte, error) { renders++; return r.render(b) }})
	reg := env.Token(ledger.RoleRegulator)
	s := env.Operator("op-big", "Operator Big", "JP")
	env.Review(reg, env.File(s, returnWithSites(t, "op-big", 75_000)).ID, ledger.Review{Decision: ledger.DecisionAccept})
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	size := env.Service.Size()
	for i := range 2 {
		_, err := env.Service.OperatorDisclosure(context.Background(), service.Public, "op-big", q3)
		var le *ledger.Error
		if !errors.As(err, &le) || le.Code != ledger.EUnavailable || !errors.Is(err, disclosure.ErrBundleTooLarge) ||
			!strings.Contains(le.Message, "16 MiB a verifier reads") || !strings.Contains(le.Message, "will not help") {
			t.Fatalf("request %d: %v, want EUnavailable naming the verifier's limit", i+1, err)
		}
	}
	if renders != 0 || env.Service.Size() != size {
		t.Fatalf("%d renders, size %d -> %d: the document was rendered or recorded", renders, size, env.Service.Size())
	}
	pdf, err := env.Service.RegionDisclosure(context.Background(), service.Public, q3)
	if err != nil {
		t.Fatalf("the regional report: %v", err)
	}
	_, canonical, _ := recordOf(t, bundleOf(t, pdf), q3)
	if len(pdf) > 64<<10 {
		t.Fatalf("the regional report's bundle is %d bytes (record %d bytes)", len(pdf), len(canonical))
	}
}
