package service_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// regionMarker is written into every return of regionFixture that is
// not accepted; no public regional answer may carry it.
const regionMarker = "ZZREGIONMARKER"

// regionFixture files 2025-Q3 for six operators: in JP, op-a and op-b
// accepted (the spec's example return), op-zzregionmarker-d submitted and
// op-f accepted then restated (the restatement awaits review); in FJ,
// op-c accepted with three times the example's traffic; in KR,
// op-zzregionmarker-e returned. Every unaccepted version carries
// regionMarker in a supplier's name, its reason or its operator's id.
func regionFixture(t *testing.T) *servicetest.Env {
	t.Helper()
	return regionFixtureWith(t, service.Config{})
}

// regionFixtureWith is regionFixture on a service configured by cfg.
func regionFixtureWith(t *testing.T, cfg service.Config) *servicetest.Env {
	t.Helper()
	env := servicetest.NewConfigured(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC), cfg)
	reg := env.Token(ledger.RoleRegulator)
	accept := ledger.Review{Decision: ledger.DecisionAccept}
	marked := func(op string) []byte {
		return servicetest.ReturnWith(t, op, "2025-Q3", func(m map[string]any) {
			m["electricity"].([]any)[3].(map[string]any)["supplier"] = regionMarker + " Power"
			m["electricity"].([]any)[0].(map[string]any)["kwh"] = "999999999"
		})
	}
	for _, op := range []string{"op-a", "op-b"} {
		s := env.Operator(op, "Operator "+op, "JP")
		env.Review(reg, env.File(s, servicetest.ExampleReturn(t, op, "2025-Q3")).ID, accept)
	}
	c := env.Operator("op-c", "Operator C", "FJ")
	env.Review(reg, env.File(c, servicetest.ReturnWith(t, "op-c", "2025-Q3", func(m map[string]any) {
		m["activity"].(map[string]any)["data_traffic_tb"] = "5550000"
	})).ID, accept)

	d := env.Operator("op-zzregionmarker-d", regionMarker+" D", "JP")
	env.File(d, marked("op-zzregionmarker-d"))
	e := env.Operator("op-zzregionmarker-e", regionMarker+" E", "KR")
	env.Review(reg, env.File(e, marked("op-zzregionmarker-e")).ID,
		ledger.Review{Decision: ledger.DecisionReturn, Findings: []ledger.FieldError{{Path: "fuels[0]", Message: regionMarker}}})
	f := env.Operator("op-f", "Operator F", "JP")
	first := env.File(f, servicetest.ExampleReturn(t, "op-f", "2025-Q3"))
	env.Review(reg, first.ID, accept)
	restated := servicetest.ReturnWith(t, "op-f", "2025-Q3", func(m map[string]any) {
		m["restates"], m["reason"] = first.ID, regionMarker+" late meter reading"
		m["electricity"].([]any)[3].(map[string]any)["supplier"] = regionMarker + " Power"
	})
	env.File(f, restated)
	return env
}

// TestRegion checks the regional view of regionFixture against figures
// worked out from one example return: JP sums two of them, FJ one with
// three times the traffic, and KR, with nothing accepted, is not shown.
func TestRegion(t *testing.T) {
	env := regionFixture(t)
	admin := env.Actor(env.Token(ledger.RoleAdmin))
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	one, err := env.Service.OperatorMetrics(admin, "op-a", q3, "")
	if err != nil {
		t.Fatal(err)
	}
	energy, network := one.E1.EnergyTotalMWh.D, one.E1.NetworkEnergyMWh.D
	subs, tb := decimal.NewFromInt(21400000), decimal.NewFromInt(1850000)
	thousand, two, three := decimal.NewFromInt(1000), decimal.NewFromInt(2), decimal.NewFromInt(3)
	perTB := network.Mul(thousand).Div(tb) // one example return's kWh per TB

	r, err := env.Service.Region(q3)
	if err != nil {
		t.Fatal(err)
	}
	if r.Period != "2025-Q3" || r.Basis != "accepted" || len(r.Countries) != 2 {
		t.Fatalf("region %+v", r)
	}
	fj, jp := r.Countries[0], r.Countries[1]
	if fj.Country != "FJ" || jp.Country != "JP" || jp.Name != "JP" {
		t.Fatalf("countries %s %q, %s %q", fj.Country, fj.Name, jp.Country, jp.Name)
	}
	wantCoverage := func(name string, got calculators.RegionViewCoverage, due, filed, accepted int, counted string) {
		t.Helper()
		if got.Due != due || got.Filed != filed || got.Accepted != accepted || strings.Join(got.Counted, ",") != counted {
			t.Errorf("%s coverage %+v, want due %d filed %d accepted %d counted %s", name, got, due, filed, accepted, counted)
		}
	}
	wantCoverage("JP", jp.Coverage, 4, 4, 2, "op-a,op-b")
	wantCoverage("FJ", fj.Coverage, 1, 1, 1, "op-c")
	wantCoverage("region", r.Coverage, 6, 6, 3, "op-a,op-b,op-c")

	wantValue := func(name string, got calculators.Value, want decimal.Decimal) {
		t.Helper()
		if !got.OK || !got.D.Round(6).Equal(want.Round(6)) {
			t.Errorf("%s = %v, want %s", name, got, want.Round(6))
		}
	}
	wantValue("JP energy", jp.Figures["e1.energy_total_mwh"], energy.Mul(two))
	wantValue("FJ energy", fj.Figures["e1.energy_total_mwh"], energy)
	// JP: twice the energy over twice the traffic; FJ: once over three times.
	wantValue("JP per TB", jp.Figures["e1.network_energy_per_tb_kwh"], perTB)
	wantValue("FJ per TB", fj.Figures["e1.network_energy_per_tb_kwh"], perTB.Div(three))
	wantValue("JP per subscription", jp.Figures["e1.energy_per_subscription_kwh"], energy.Mul(thousand).Div(subs))
	for _, m := range r.Metrics {
		switch m.Key {
		case "e1.energy_total_mwh":
			wantValue("region energy", m.Region, energy.Mul(three))
			if m.Median != nil {
				t.Errorf("a total has a median %v", *m.Median)
			}
		case "e1.network_energy_per_tb_kwh":
			// three returns' network energy over five times the traffic;
			// the median of two countries is the mean of 1 and 1/3 of perTB.
			wantValue("region per TB", m.Region, network.Mul(three).Mul(thousand).Div(tb.Mul(decimal.NewFromInt(5))))
			wantValue("median per TB", *m.Median, perTB.Mul(two).Div(three))
			if m.Reporting != 2 || !m.Intensity {
				t.Errorf("per TB %+v", m)
			}
		}
	}
	body, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToUpper(string(body)), regionMarker) {
		t.Fatalf("an unaccepted return reached the regional view: %s", body)
	}
}

// TestRegionYear counts a year from its accepted quarters and names the
// quarters it leaves out.
func TestRegionYear(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	reg := env.Token(ledger.RoleRegulator)
	a := env.Operator("op-a", "Operator A", "JP")
	if _, err := env.Service.SetJurisdiction(t.Context(), ledger.SystemActor, ledger.Jurisdiction{Country: "JP", Name: "Japan"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"2025-Q1", "2025-Q2", "2025-Q3"} {
		f := env.File(a, servicetest.ExampleReturn(t, "op-a", p))
		if p != "2025-Q3" {
			env.Review(reg, f.ID, ledger.Review{Decision: ledger.DecisionAccept})
		}
	}
	r, err := env.Service.Region(ledger.Span{Year: 2025})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Countries) != 1 || r.Countries[0].Name != "Japan" {
		t.Fatalf("countries %+v", r.Countries)
	}
	p := r.Countries[0].Coverage.Partial
	if len(p) != 1 || strings.Join(p[0].Quarters, ",") != "2025-Q1,2025-Q2" || strings.Join(p[0].Missing, ",") != "2025-Q3,2025-Q4" {
		t.Fatalf("partial %+v", p)
	}
	if empty, err := env.Service.Region(ledger.Span{Year: 2024}); err != nil || len(empty.Countries) != 0 || empty.Coverage.Due != 1 {
		t.Fatalf("2024: %+v, %v", empty, err)
	}
}
