package web_test

import (
	"html"
	"regexp"
	"testing"

	"github.com/ictledger/ictledger/numfmt"
	"github.com/ictledger/ictledger/xlsxexport"
)

// A figure the return page shows by its key alone (the other
// derivations) is shown by the unit the metrics workbook gives it in its
// unit column: the page once read units from its own list of key
// endings, so that bit/J, say, had no decimals on the page and no unit in
// the workbook, and was shown with two places there.
func TestPageAndWorkbookAgreeOnUnits(t *testing.T) {
	s := newSite(t)
	m, err := s.svc.ReturnMetrics(s.env.Actor(s.reg), s.ridA, "", "")
	if err != nil {
		t.Fatal(err)
	}
	unit := map[string]string{}
	for row := range xlsxexport.Metrics(m).Tables[0].Rows {
		unit[row[0]] = row[3]
	}
	_, page := s.get("/returns/"+s.ridA, s.reg)
	shown := map[string]string{}
	for _, h := range regexp.MustCompile(`<h3><code>([^<]+)</code> = ([^<]*)</h3>`).FindAllStringSubmatch(page, -1) {
		shown[html.UnescapeString(h[1])] = html.UnescapeString(h[2])
	}
	if _, ok := shown["e1.data_volume_efficiency_bit_per_j"]; !ok || len(shown) < 10 {
		t.Fatalf("the page shows %d figures by their key, bit/J among them: %v", len(shown), ok)
	}
	for _, d := range m.Derivations {
		got, ok := shown[d.Metric]
		if !ok {
			continue // a headline or a figure, shown with its list's unit
		}
		u, ok := unit[d.Metric]
		if !ok {
			t.Errorf("%s is on the page but not in the workbook", d.Metric)
			continue
		}
		if want := numfmt.Figure(d.Value, u); got != want {
			t.Errorf("%s: the page shows %q, the workbook's unit %q gives %q", d.Metric, got, u, want)
		}
	}
}
