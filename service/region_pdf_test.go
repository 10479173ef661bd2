package service_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
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

// The regional PDF of regionFixture, and of a version superseded by an
// accepted restatement, is made from accepted returns only: the marker
// of the submitted, returned, restated and superseded returns, of their
// findings, reasons and review comments, and the names of the operators
// without an accepted return reach neither its pages (read by pdftotext
// and in its streams) nor its attached proof. It verifies, is recorded as issued
// once, renders to the same bytes again and shows the coverage the
// regional view gives.
func TestRegionDisclosureCarriesAcceptedReturnsOnly(t *testing.T) {
	env := regionFixture(t)
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	// A version superseded by an accepted restatement: only the
	// restatement counts. The first carries the marker in a supplier's
	// name and its acceptance's comment.
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
	if strings.Contains(upper(pdfPlainText(pdf)), regionMarker) {
		t.Error("the regional PDF's pages carry an unaccepted return's text")
	}
	b, texts := publicBundle(t, pdf)
	for _, s := range texts {
		if strings.Contains(upper(s), regionMarker) {
			t.Fatalf("the regional PDF's proof carries the marker: %.200s", s)
		}
	}
	if b.Document != disclosure.DocRegion || b.Basis != disclosure.BasisAccepted {
		t.Fatalf("bundle %s, basis %q", b.Document, b.Basis)
	}
	if got := b.Coverage["JP"]; got != (disclosure.RegionCounts{Due: 4, Filed: 4}) {
		t.Errorf("JP coverage %+v, want 4 due, 4 filed", got)
	}
	res, err := env.Service.VerifyDisclosure(context.Background(), pdf)
	if err != nil || !res.Valid || res.Issued == nil {
		t.Fatalf("verify: %+v, %v", res, err)
	}
	size := env.Service.Size()
	again, err := env.Service.RegionDisclosure(context.Background(), service.Public, q3)
	if err != nil || !bytes.Equal(again, pdf) || env.Service.Size() != size {
		t.Fatalf("a second download differs or was recorded again (%v)", err)
	}
	if again, err := disclosure.Render(b); err != nil || !bytes.Equal(again, pdf) {
		t.Fatalf("the bundle renders to other bytes (%v)", err)
	}
	text := allPagesText(t, pdf)
	if strings.Contains(upper(text), regionMarker) {
		t.Error("pdftotext reads the marker in the regional PDF")
	}
	// The figures are those of the regional view.
	view, err := env.Service.Region(q3)
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]templates.Unit{"e1.energy_total_mwh": templates.UnitMWh, "e1.network_energy_per_tb_kwh": templates.UnitKWhPerTB}
	for _, c := range view.Countries {
		for key, u := range units {
			if f := u.Format(c.Figures[key]); !strings.Contains(text, f) {
				t.Errorf("%s %s: the PDF does not show the view's %s", c.Country, key, f)
			}
		}
	}
	for _, m := range view.Metrics {
		if u, ok := units[m.Key]; ok && !strings.Contains(text, u.Format(m.Region)) {
			t.Errorf("region %s: the PDF does not show the view's %s", m.Key, u.Format(m.Region))
		}
	}
	for _, want := range []string{"Regional report", "Operator op-a, Operator op-b", "Operator C", "Operator G", "Methodology", "7 due, 7 filed, 4 accepted"} {
		if !strings.Contains(text, want) {
			t.Errorf("the regional PDF does not say %q", want)
		}
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

// A regional PDF whose stated counts of operators due and filed were
// changed, and the document rendered again from the changed bundle,
// passes the offline checks (the counts are the ledger's statement, not
// attached entries), but the ledger's verification counts again and
// finds it not valid. An edited byte is not valid anywhere.
func TestRegionDisclosureForgedCounts(t *testing.T) {
	env := regionFixture(t)
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	pdf, err := env.Service.RegionDisclosure(context.Background(), service.Public, q3)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := publicBundle(t, pdf)
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
	if res, err := env.Service.VerifyDisclosure(context.Background(), pdf); err != nil || !res.Valid {
		t.Fatalf("the authentic document: %+v, %v", res, err)
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

// A regional document whose proof would be over what a verifier reads
// (here one accepted return of 75,000 sites, about 14 MB, 19 MB in the
// bundle) is refused with a 503 that says why and that trying again will
// not help, without rendering it and without recording it as issued,
// again on a second request; the view's figures stay available. The
// operator's own disclosure of that return is refused alike.
func TestRegionDisclosureTooLargeToVerify(t *testing.T) {
	if testing.Short() {
		t.Skip("large filing")
	}
	renders := 0
	env := servicetest.NewConfigured(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC), service.Config{
		Render: func(b *disclosure.Bundle) ([]byte, error) { renders++; return disclosure.Render(b) }})
	reg := env.Token(ledger.RoleRegulator)
	s := env.Operator("op-big", "Operator Big", "JP")
	env.Review(reg, env.File(s, returnWithSites(t, "op-big", 75_000)).ID, ledger.Review{Decision: ledger.DecisionAccept})
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	size := env.Service.Size()
	for i := range 2 {
		_, err := env.Service.RegionDisclosure(context.Background(), service.Public, q3)
		var le *ledger.Error
		if !errors.As(err, &le) || le.Code != ledger.EUnavailable || !errors.Is(err, disclosure.ErrBundleTooLarge) ||
			!strings.Contains(le.Message, "16 MiB a verifier reads") || !strings.Contains(le.Message, "will not help") {
			t.Fatalf("request %d: %v, want EUnavailable naming the verifier's limit", i+1, err)
		}
	}
	// The operator's own disclosure attaches the same return.
	_, err := env.Service.OperatorDisclosure(context.Background(), service.Public, "op-big", q3)
	if !errors.Is(err, disclosure.ErrBundleTooLarge) {
		t.Fatalf("the operator's disclosure: %v, want it refused too", err)
	}
	if renders != 0 || env.Service.Size() != size {
		t.Fatalf("%d renders, size %d -> %d: the document was rendered or recorded", renders, size, env.Service.Size())
	}
	if _, err := env.Service.Region(q3); err != nil {
		t.Fatalf("the regional view: %v", err)
	}
}
