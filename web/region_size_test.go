package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/loadtest"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
	"github.com/ictledger/ictledger/web"
)

// On a generated ledger of 120 operators over ten years, the regional
// pages of 2025 and 2025-Q3 link their reports (a record of the view
// each, however long the history behind it), with no word of a report
// too large to issue.
func TestRegionPageOfALongLedger(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a ledger of ten years")
	}
	dir := t.TempDir()
	if _, err := loadtest.GenerateRegion(context.Background(), dir, loadtest.RegionConfig{Jurisdictions: 2, Operators: 60, Years: 10, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
	svc := servicetest.OpenDir(t, dir, service.Config{Now: now}).Service()
	h, err := web.New(web.Config{Service: svc, Now: now, Secret: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	code, page := visit(h, "/region?period=2025")
	if code != 200 || !strings.Contains(page, `href="/v1/region/disclosures/2025.pdf"`) || !strings.Contains(page, `id="pdf-proof"`) ||
		strings.Contains(page, "no-pdf") || strings.Contains(page, "verifier reads") {
		t.Fatalf("2025: status %d; want its report linked:\n%s", code, page)
	}
	// Most of the 60 operators of a country have a quarter of 2025 not
	// accepted yet: the row folds their list under a count.
	if !regexp.MustCompile(`<details><summary>\d+ quarters of \d+ operators</summary>[a-z0-9-]+: 2025-Q`).MatchString(page) {
		t.Errorf("2025: the operators with quarters not counted are not folded under a count:\n%s", page)
	}
	if code, page := visit(h, "/region?period=2025-Q3"); code != 200 || !strings.Contains(page, `href="/v1/region/disclosures/2025-Q3.pdf"`) {
		t.Fatalf("2025-Q3: status %d, no link to its report", code)
	}
}
