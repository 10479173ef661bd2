package web_test

import (
	"strings"
	"testing"

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
	for _, want := range []string{"Delta Outlier Telecom", "op-d", "Energy per TB far from the sector median", "energy_per_tb_vs_sector_median",
		"e1.network_energy_per_tb_kwh", "times the sector median"} {
		if !strings.Contains(sec, want) {
			t.Errorf("Anomalies section lacks %q:\n%s", want, sec)
		}
	}
	if strings.Contains(sec, "Charlie Mobile") {
		t.Errorf("Anomalies section lists an operator at the median:\n%s", sec)
	}
}
