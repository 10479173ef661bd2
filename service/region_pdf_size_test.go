package service_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/loadtest"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// smallRegion serves a generated ledger of two jurisdictions of 60
// operators over ten years, rendering with render; the clock is in
// mid-2026, past every deadline of it.
func smallRegion(t *testing.T, render func(*disclosure.Bundle) ([]byte, error)) *service.Service {
	t.Helper()
	if testing.Short() {
		t.Skip("generates a ledger of ten years")
	}
	dir := t.TempDir()
	if _, err := loadtest.GenerateRegion(context.Background(), dir, loadtest.RegionConfig{Jurisdictions: 2, Operators: 60, Years: 10, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	return servicetest.OpenDir(t, dir, service.Config{Render: render,
		Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }}).Service()
}

// On a ledger of 120 operators over ten years, whose regional report of
// 2025 would have attached about 8,900 entries in layout region_v1 (over
// what a verifier reads), the reports of 2025 and 2025-Q3 are issued,
// each attaching its one record: a bundle far under the limit.
func TestRegionDisclosureOfALongLedger(t *testing.T) {
	r := &bundlePDF{}
	svc := smallRegion(t, r.render)
	for _, span := range []ledger.Span{{Year: 2025}, {Year: 2025, Quarter: 3}} {
		pdf, err := svc.RegionDisclosure(context.Background(), service.Public, span)
		if err != nil {
			t.Fatalf("%s: %v", span, err)
		}
		_, canonical, rec := recordOf(t, bundleOf(t, pdf), span)
		if len(rec.Operators) == 0 || len(pdf) > disclosure.MaxBundleSize/16 {
			t.Fatalf("%s: the record counts %d operators, its bundle is %d bytes", span, len(rec.Operators), len(pdf))
		}
		if sum := sha256.Sum256(pdf); svc.State().Disclosure(hex.EncodeToString(sum[:])) == nil {
			t.Fatalf("the report of %s was not recorded as issued", span)
		}
		t.Logf("%s: record entry %d bytes, bundle %d bytes, %d operators counted", span, len(canonical), len(pdf), len(rec.Operators))
	}
}
