package service_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/loadtest"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
	"github.com/ictledger/ictledger/templates"
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

// On a ledger of 120 operators over ten years, the regional report of
// 2025 would attach about 8,900 entries, over what a verifier reads: the
// returns the state keeps already say so (19 MB of base64), and it is
// refused without a render or a read of the journal, as the regional
// page is told. The report of 2025-Q3 (a 12 MB bundle) is issued; the
// bound reckoned for it is under its bundle's real length.
func TestRegionDisclosureRefusedFromState(t *testing.T) {
	renders := 0
	svc := smallRegion(t, func(b *disclosure.Bundle) ([]byte, error) { renders++; return disclosure.Render(b) })
	year, q3 := ledger.Span{Year: 2025}, ledger.Span{Year: 2025, Quarter: 3}
	n, big := svc.RegionDisclosureTooLarge(year)
	if !big || n < 5000 {
		t.Fatalf("2025: %d entries, too large %v; want thousands, too large", n, big)
	}
	misses := service.ResultCacheMisses(svc)
	_, err := svc.RegionDisclosure(context.Background(), service.Public, year)
	var le *ledger.Error
	if !errors.As(err, &le) || le.Code != ledger.EUnavailable || !errors.Is(err, disclosure.ErrBundleTooLarge) {
		t.Fatalf("2025: %v, want it refused for its size", err)
	}
	if renders != 0 || service.ResultCacheMisses(svc) != misses {
		t.Fatalf("2025: %d renders, %d result cache misses: it went past the bound kept with its inputs", renders, service.ResultCacheMisses(svc)-misses)
	}
	if _, big := svc.RegionDisclosureTooLarge(q3); big {
		t.Fatal("2025-Q3 is reckoned too large")
	}
	pdf, err := svc.RegionDisclosure(context.Background(), service.Public, q3)
	if err != nil {
		t.Fatalf("2025-Q3: %v", err)
	}
	bundle, err := templates.ExtractAttachment(pdf, "ictledger-proof.json")
	if err != nil {
		t.Fatal(err)
	}
	least := service.RegionBundleLeast(svc, q3)
	if least <= 0 || least > len(bundle) {
		t.Fatalf("2025-Q3: bound %d bytes, bundle %d bytes", least, len(bundle))
	}
	t.Logf("2025: %d entries; 2025-Q3: bound %d bytes, bundle %d bytes, document %d bytes", n, least, len(bundle), len(pdf))

	// After a new entry (the report of 2025-Q3 was recorded as issued)
	// the page's question is answered from what was found before, with
	// no look-up of the inputs at the new size; a download gathers them.
	if sum := sha256.Sum256(pdf); svc.State().Disclosure(hex.EncodeToString(sum[:])) == nil {
		t.Fatal("the report of 2025-Q3 was not recorded")
	}
	misses = service.ResultCacheMisses(svc)
	if again, big := svc.RegionDisclosureTooLarge(year); again != n || !big || service.ResultCacheMisses(svc) != misses {
		t.Fatalf("2025 after an entry: %d entries, too large %v, %d misses", again, big, service.ResultCacheMisses(svc)-misses)
	}
	if _, err := svc.RegionDisclosure(context.Background(), service.Public, year); !errors.Is(err, disclosure.ErrBundleTooLarge) || service.ResultCacheMisses(svc) == misses {
		t.Fatalf("2025 downloaded after an entry: %v, its inputs not gathered again", err)
	}
}
