package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// Two operators file the example return for 2025-Q3, both with a data
// centre called tokyo-dc-1 (9,600,000 kWh for 6,400,000 kWh of IT: PUE
// 1.5); A leaves out its backup figures. The sector view lists two
// facilities (R1), computes backup coverage over B alone and names A as
// left out (R2), and a new sector document records the corrected roll-up.
func TestSectorViewUsesTheCorrectedRollup(t *testing.T) {
	env := servicetest.New(t, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC))
	a := env.Operator("op-a", "Operator A", "JP")
	b := env.Operator("op-b", "Operator B", "JP")
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	env.File(a, servicetest.ReturnWith(t, "op-a", "2025-Q3", func(m map[string]any) {
		res := m["resilience"].(map[string]any)
		delete(res, "sites_with_backup")
		delete(res, "backup_autonomy")
	}))
	env.File(b, servicetest.ExampleReturn(t, "op-b", "2025-Q3"))

	q3 := ledger.Span{Year: 2025, Quarter: 3}
	sec, err := env.Service.SectorMetrics(reg, q3, "")
	if err != nil {
		t.Fatal(err)
	}
	dcs := sec.Totals.E1.DataCentres
	if len(dcs) != 2 || dcs[0].Operator != "op-a" || dcs[1].Operator != "op-b" || dcs[0].ID != "tokyo-dc-1" {
		t.Fatalf("facilities %+v, want op-a's and op-b's tokyo-dc-1", dcs)
	}
	for _, dc := range dcs {
		if !dc.PUE.OK || !dc.PUE.D.Equal(decimal.RequireFromString("1.5")) {
			t.Errorf("%s/%s PUE %s, want 1.5", dc.Operator, dc.ID, dc.PUE.D)
		}
	}
	var bCoverage calculators.Value
	for _, row := range sec.Rows {
		if row.Operator == "op-b" {
			bCoverage = row.Metrics["e3.backup_power_coverage_pct"]
		}
	}
	if got := sec.Totals.E3.BackupPowerCoveragePct; !bCoverage.OK || !got.D.Equal(bCoverage.D) {
		t.Errorf("sector backup coverage %v, want B's own %v", got, bCoverage)
	}
	if lo := sec.Totals.Coverage.LeftOut["e3.backup_power_coverage_pct"]; strings.Join(lo, ",") != "op-a" {
		t.Errorf("left out %v, want op-a", lo)
	}
	for _, h := range sec.Headlines {
		if h.Direction == "" {
			t.Errorf("%s has no direction", h.Key)
		}
	}

	pdf, err := env.Service.SectorDisclosure(context.Background(), reg, q3, "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Service.VerifyDisclosure(context.Background(), pdf)
	if err != nil || !res.Valid || len(res.Notices) != 0 {
		t.Fatalf("verify: %v %+v", err, res)
	}
	// The report records the corrected roll-up: backup coverage over B
	// alone, A named as left out.
	_, _, v := sectorRecordOf(t, pdf, "")
	for _, m := range v.Metrics {
		if m.Key == "e3.backup_power_coverage_pct" && (!m.Total.OK || !m.Total.D.Equal(bCoverage.D)) {
			t.Errorf("recorded backup coverage %v, want B's own %v", m.Total, bCoverage)
		}
	}
	if v.Coverage == nil || strings.Join(v.Coverage.LeftOut["e3.backup_power_coverage_pct"], ",") != "op-a" {
		t.Errorf("recorded coverage %+v, want op-a left out of backup coverage", v.Coverage)
	}
}
