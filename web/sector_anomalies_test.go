package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// The regulator's sector page lists the sector view's anomalies: with
// four operators on the example return and one of them carrying 1/100 of
// the traffic, that one's energy per TB is 100 times the median of the
// others, and the page names it, the check and the message.
func TestSectorPageShowsAnomalies(t *testing.T) {
	s := newSite(t)
	_, body := s.get("/sector?period=2025-Q3", s.reg)
	if !strings.Contains(body, "<h2>Anomalies</h2>") || !strings.Contains(body, "None: no operator") {
		t.Fatalf("sector page without anomalies has no empty Anomalies section:\n%s", body)
	}
	c := s.env.Operator("op-c", "Charlie Mobile", "JP")
	s.env.File(c, servicetest.ExampleReturn(t, "op-c", "2025-Q3"))
	d := s.env.Operator("op-d", "Delta Outlier Telecom", "JP")
	s.env.File(d, servicetest.ReturnWith(t, "op-d", "2025-Q3", func(m map[string]any) {
		m["activity"].(map[string]any)["data_traffic_tb"] = "18500"
	}))
	_, body = s.get("/sector?period=2025-Q3", s.reg)
	i := strings.Index(body, "<h2>Anomalies</h2>")
	if i < 0 {
		t.Fatalf("no Anomalies section:\n%s", body)
	}
	sec := body[i:]
	sec = sec[:strings.Index(sec, "</section>")]
	for _, want := range []string{"Delta Outlier Telecom", "op-d", "Energy per TB far from the median of the others", "energy_per_tb_vs_sector_median",
		"e1.network_energy_per_tb_kwh", "times the median of the other"} {
		if !strings.Contains(sec, want) {
			t.Errorf("Anomalies section lacks %q:\n%s", want, sec)
		}
	}
	if strings.Contains(sec, "Charlie Mobile") {
		t.Errorf("Anomalies section lists an operator at the median:\n%s", sec)
	}
}

// The headline table says which way each metric is better, and that the
// absolute totals are not ranked under methodology 2026.1 (R6); under
// 2025.1 (this site's returns) every headline is ranked one way.
func TestSectorPageSaysHowEachHeadlineRanks(t *testing.T) {
	s := newSite(t)
	_, body := s.get("/sector?period=2025-Q3", s.reg)
	for _, want := range []string{`<td data-label="Better">lower</td>`, `<td data-label="Better">higher</td>`} {
		if !strings.Contains(body, want) {
			t.Errorf("sector page lacks %s", want)
		}
	}
	for _, want := range []string{") by operator, median", "the dashed line is the sector median"} {
		if !strings.Contains(body, want) {
			t.Errorf("sector chart lacks %q", want)
		}
	}
	if strings.Contains(body, `<td data-label="Better"></td>`) || strings.Contains(body, "not ranked") {
		t.Error("a 2025.1 headline with no direction")
	}
	if _, err := s.svc.PublishFactorSet(context.Background(), ledger.SystemActor, fixtures.FactorSet20261()); err != nil {
		t.Fatal(err)
	}
	for _, op := range []struct{ secret, id string }{{s.opA, "op-a"}, {s.opB, "op-b"}} {
		s.env.File(op.secret, servicetest.ReturnWith(t, op.id, "2025-Q2", func(m map[string]any) {
			m["factor_set"] = "apt-2026.1"
			delete(m, "renewable_claims") // a certificate counts once in the ledger
		}))
	}
	_, body = s.get("/sector?period=2025-Q2", s.reg)
	if !strings.Contains(body, `<td data-label="Better">not ranked</td>`) {
		t.Error("under 2026.1 the sector page does not say that the totals are not ranked")
	}
}
