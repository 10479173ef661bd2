package templates

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// fixtureV4 is the fixture disclosure with what disclosure_v4 changes the
// drawing of: a long category label, named unavailable figures, a source
// shared by many factors, an acceptance note and nine energy domains.
func fixtureV4() *OperatorDisclosure {
	v := fixtureDisclosure()
	v.E2.Flows[1].Category = "CPE (customer premises equipment)"
	const ipcc = "2006 IPCC Guidelines for National Greenhouse Gas Inventories, Volume 2 Energy, Table 1.2 (net calorific values), Table 1.4 (CO2) and Table 2.4 (stationary combustion CH4 and N2O), as carried by the factor set"
	for i := range v.Method.Factors {
		if strings.HasPrefix(v.Method.Factors[i].Key, "fuel.") {
			v.Method.Factors[i].Source = ipcc
		}
	}
	v.Method.Acceptance = []Note{{"2025-Q3 (viet-2025-Q3-v2)", "Accepted: the restated battery flows match the recycler's certificates."}}
	v.NotAvailable = []NotAvailable{
		{Key: "e2.by_category.battery_lead_acid.collection_rate_pom_pct", Name: "Collection rate against devices placed on the market, Battery lead acid", Reason: "no devices of the category were placed on the market in the three years before"},
		{Key: "e3.offgrid_renewable_sites", Name: "Off-grid sites with on-site renewable power", Reason: "site-level rows were not filed"},
	}
	v.E1.EnergyByDomain = nil
	for i, d := range []string{"RAN", "Core", "Transport", "Fixed access", "Data centre", "Office", "Retail", "Fleet", "Other"} {
		v.E1.EnergyByDomain = append(v.E1.EnergyByDomain, Amount{d, dv(fmt.Sprint(900 - 90*i))})
	}
	return v
}

func renderV4(t *testing.T, v *OperatorDisclosure) (pdf []byte, text string) {
	t.Helper()
	pdf, err := RenderOperatorDisclosureV4(v, fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	text, err = pdfText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	return pdf, text
}

// TestV4GoldenText pins the text of every page of disclosure_v4.
func TestV4GoldenText(t *testing.T) {
	pdf, text := renderV4(t, fixtureV4())
	again, err := RenderOperatorDisclosureV4(fixtureV4(), fixtureAttachment())
	if err != nil || !bytes.Equal(pdf, again) {
		t.Fatalf("two renders differ (err %v)", err)
	}
	golden(t, "disclosure_v4.text.golden", text)
}

// A bar chart's category labels are drawn whole: the label column is as
// wide as its longest label (disclosure_v3 cut it with an ellipsis,
// earlier layouts drew it past the left margin).
func TestV4ChartLabelsFit(t *testing.T) {
	_, text := renderV4(t, fixtureV4())
	if !strings.Contains(text, "\nCPE (customer premises equipment) · customer\n") {
		t.Errorf("the chart's label is not drawn whole")
	}
	if strings.Contains(text, "· cust…") || strings.Contains(text, "equipment) · c…") {
		t.Errorf("the chart's label is cut")
	}
}

// The pointer to the unavailable figures of a section comes right under
// the section's heading, where it cannot be left alone on a page, and
// names the figures in words.
func TestV4SectionNoteUnderHeading(t *testing.T) {
	_, text := renderV4(t, fixtureV4())
	i := strings.LastIndex(text, "E3 Climate resilience\n") // the first is the summary's
	if i < 0 {
		t.Fatal("no E3 heading")
	}
	next := strings.SplitN(text[i:], "\n", 3)[1]
	if !strings.HasPrefix(next, "n/a: not available in this section: Off-grid sites with on-site renewable power") {
		t.Errorf("the line under the E3 heading is %q", next)
	}
	for _, page := range strings.Split(text, "--- page ")[1:] {
		lines := strings.Split(strings.TrimSpace(page), "\n")
		// number, header (3 text runs), footer (2): a page of a note only
		// has at most two more lines.
		if len(lines) <= 8 {
			t.Errorf("page %s holds only %q", lines[0], lines[4:])
		}
	}
}

// The "Not available" table names each figure as a reader knows it, not
// by its key.
func TestV4NotAvailableNamed(t *testing.T) {
	_, text := renderV4(t, fixtureV4())
	if !strings.Contains(text, "Collection rate against devices placed on the market, Battery lead acid") {
		t.Error("the unavailable figure is not named")
	}
	if strings.Contains(text, "e2.by_category.battery_lead_acid") || strings.Contains(text, "e3.offgrid_renewable_sites") {
		t.Error("a raw metric key is shown")
	}
}

// A source shared by factors is printed once, in a numbered list, and
// each factor refers to it by number.
func TestV4SourcesOnce(t *testing.T) {
	_, text := renderV4(t, fixtureV4())
	const start = "2006 IPCC Guidelines for National Greenhouse Gas Inventories"
	if n := strings.Count(text, start); n != 1 {
		t.Errorf("the shared source is printed %d times, want once", n)
	}
	if !strings.Contains(text, "\nSources\n") || strings.Count(text, "\n[1]\n") < 2 {
		t.Error("no numbered list of sources, or no factor refers to it")
	}
}

// The regulator's acceptance note is shown under its own title, not among
// the review findings.
func TestV4AcceptanceApart(t *testing.T) {
	_, text := renderV4(t, fixtureV4())
	a := strings.Index(text, "Regulator's acceptance note")
	f := strings.Index(text, "Review findings")
	c := strings.Index(text, "Accepted: the restated battery flows")
	if a < 0 || f < 0 || c < 0 || !(a < c && c < f) {
		t.Errorf("acceptance note at %d, comment at %d, findings at %d", a, c, f)
	}
}

// No colour repeats within a chart: the nine energy domains get nine
// fills, eight colours and the palette's grey.
func TestV4ChartColoursDistinct(t *testing.T) {
	d := newDoc(docMeta{title: "t", period: "2025-Q3", template: OperatorTemplateV4, ledgerTime: fixtureDisclosure().LedgerTime}, nil)
	d.pdf.AddPage()
	d.shareBar("Energy by domain", fixtureV4().E1.EnergyByDomain, UnitMWh)
	b, err := d.bytes()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fillColours(t, b)); n < 8 {
		t.Errorf("%d distinct colours besides grey for nine parts, want 8", n)
	}
	// Beyond the palette, the smallest parts are drawn as one.
	var parts []Amount
	for i := range 20 {
		parts = append(parts, Amount{fmt.Sprint("part ", i), dv(fmt.Sprint(100 - i))})
	}
	if got := mergeTail(parts, len(paletteV4)); len(got) != len(paletteV4) || got[len(got)-1].Label != "Others (9 parts)" {
		t.Errorf("mergeTail: %d parts, last %q", len(got), got[len(got)-1].Label)
	}
}

// fillColours lists the distinct colours ("r g b rg") set on the first
// page of a PDF written by this package. Greys ("v g": the text, the
// palette's one grey) are not counted.
func fillColours(t *testing.T, b []byte) map[string]bool {
	t.Helper()
	f := indexPDF(b)
	root, _, err := f.object(1)
	if err != nil {
		t.Fatal(err)
	}
	kids, _ := root.(pdfDict)["Kids"].([]any)
	page, _ := f.resolve(kids[0].(pdfRef)).(pdfDict)
	dict, raw, err := f.stream(page["Contents"].(pdfRef).num)
	if err != nil {
		t.Fatal(err)
	}
	content, err := decode(dict, raw, 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fields := strings.Fields(string(content))
	for i := 3; i < len(fields); i++ {
		if fields[i] == "rg" {
			out[strings.Join(fields[i-3:i], " ")] = true
		}
	}
	return out
}

// The attachment's file specification names the file in /F as well as
// /UF, and the file still reads back; the cross-reference offsets stay
// right (qpdf --check, where installed).
func TestV4AttachmentNamed(t *testing.T) {
	pdf, _ := renderV4(t, fixtureV4())
	if !bytes.Contains(pdf, []byte("/F ("+AttachmentName+") /UF ")) {
		t.Fatal("/F does not name the attachment")
	}
	got, err := ExtractAttachment(pdf, AttachmentName)
	if err != nil || !bytes.Equal(got, fixtureAttachment()) {
		t.Fatalf("attachment: %q, %v", got, err)
	}
	qpdfCheck(t, pdf)
}

// A document of methodology 2025.1 (no Since20261) has no methodology
// 2026.1 sections in disclosure_v4.
func TestV4Without20261(t *testing.T) {
	v := fixtureV4()
	v.Since20261 = nil
	_, text := renderV4(t, v)
	for _, s := range []string{"Methodology and factor set", "Comparing like with like", "figures added by methodology 2026.1"} {
		if strings.Contains(text, s) {
			t.Errorf("a 2025.1 document shows %q", s)
		}
	}
}

// A table never leaves one row alone at the top of a page, nor a group's
// title alone at the bottom of one.
func TestV4NoRowAlone(t *testing.T) {
	for _, c := range []struct {
		name     string
		rows     []row
		together []string // drawn on the same page
	}{
		{"last two rows", []row{cells("alpha", "1"), cells("bravo", "2"), cells("charlie", "3"), cells("delta", "4")}, []string{"charlie", "delta"}},
		{"group title", []row{cells("alpha", "1"), cells("bravo", "2"), total("Group title"), cells("echo", "5"), cells("foxtrot", "6"), cells("golf", "7")}, []string{"Group title", "echo"}},
		{"group title near the end", []row{cells("alpha", "1"), total("Group title"), cells("echo", "5"), cells("foxtrot", "6")}, []string{"Group title", "foxtrot"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := newDoc(docMeta{title: "t", period: "2025-Q3", template: OperatorTemplateV4, ledgerTime: fixtureDisclosure().LedgerTime}, nil)
			d.pdf.AddPage()
			cols := []col{{title: "Name", w: 100}, {title: "Value", w: 80, right: true}}
			rowH := tableLine + 2*tablePad
			// Room for the header and three rows.
			d.pdf.SetY(bottomY - d.headerHeight(cols) - 3*rowH - 0.1)
			d.table(cols, c.rows)
			b, err := d.bytes()
			if err != nil {
				t.Fatal(err)
			}
			text, err := pdfText(b)
			if err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(text, "--- page ")
			for _, p := range pages[1:] {
				if strings.Contains(p, "\n"+c.together[0]+"\n") != strings.Contains(p, "\n"+c.together[1]+"\n") {
					t.Errorf("%q and %q are on different pages", c.together[0], c.together[1])
				}
			}
		})
	}
}

// Every figure of disclosure_v4 follows the one number rule of the web
// pages, the blocks it shares with the released layouts included: an
// availability of 99.999239 % is not printed as a perfect 100.00, nor
// 0.0004 MWh as nothing, and one
// outage is "1 event".
func TestV4FiguresByTheNumberRule(t *testing.T) {
	v := fixtureV4()
	v.E3.Availability = dv("99.999239")
	v.E3.OutageEvents = dv("1")
	v.E3.Outages = v.E3.Outages[:1]
	v.E1.EnergyByCarrier[0].Value = dv("0.0004")
	_, text := renderV4(t, v)
	if !strings.Contains(text, "share of site-hours not lost to climate outages (%)\n99.999\n") {
		t.Errorf("the availability of 99.999239 %% is not shown as 99.999")
	}
	if !strings.Contains(text, "\n1 event\n") || strings.Contains(text, "1 events") {
		t.Errorf("one outage is not \"1 event\"")
	}
	if !strings.Contains(text, "\nGrid electricity\n0.0004\n") {
		t.Errorf("an amount of 0.0004 MWh is not shown as 0.0004")
	}
}

// A category the document does not judge against its WEEE targets (under
// methodology 2026.1 the targets apply per WEEE category and calendar
// year) is not shown as having missed them: its "Met" columns say n/a,
// with a note that says why.
func TestV4TargetsNotJudgedAreNotMissed(t *testing.T) {
	v := fixtureV4()
	for i := range v.E2.Targets {
		v.E2.Targets[i].RecoveryMet, v.E2.Targets[i].ReuseRecyclingMet = false, false
		v.E2.Targets[i].NotJudged = true
	}
	_, text := renderV4(t, v)
	if strings.Contains(text, "not met") {
		t.Errorf("a category not judged is shown as \"not met\"")
	}
	if !strings.Contains(text, "Met: n/a where the targets are judged per WEEE category") {
		t.Errorf("no note says why the targets are not judged")
	}
}

// A reason that refers to another figure names it in words, as the
// figures are named, not by its metric key.
func TestV4ReasonsNameFigures(t *testing.T) {
	v := fixtureV4()
	v.NotAvailable = append(v.NotAvailable, NotAvailable{
		Key: "e2.by_category.cpe.weee_targets.recovery_met", Name: "WEEE recovery target met, CPE",
		Reason: "Annex V targets are judged per WEEE category and calendar year: see e2.weee_categories.6",
	}, NotAvailable{
		Key: "e2.by_category.cpe.collection_rate_generated_pct", Name: "Collection rate against e-waste generated, CPE",
		Reason: "e2.by_category.cpe.ewaste_generated_kg is unavailable",
	})
	_, text := renderV4(t, v)
	text = strings.Join(strings.Fields(text), " ")
	if strings.Contains(text, "e2.weee_categories") || strings.Contains(text, "ewaste_generated_kg is") {
		t.Errorf("a reason names a figure by its key")
	}
	if !strings.Contains(text, "see the yearly figures of WEEE category 6") {
		t.Errorf("the reason does not point at WEEE category 6 in words")
	}
}

// The summary of disclosure_v4 gives the change of a percentage in
// percentage points and any other change relative, each with its unit:
// a renewable share from 15.3 to 21.31 % moved 6.0 points, not "+39.3".
func TestV4SummaryChangeInPoints(t *testing.T) {
	_, text := renderV4(t, fixtureV4())
	i := strings.Index(text, "\nRenewable electricity share\n")
	if i < 0 {
		t.Fatal("no renewable share in the summary")
	}
	row := strings.Fields(text[i : i+120])
	want := []string{"21.31", "19.80", "+1.5", "pt", "15.30", "+6.0", "pt"}
	if got := strings.Join(row[4:11], " "); got != strings.Join(want, " ") {
		t.Errorf("the renewable share's row reads %q, want %q", got, strings.Join(want, " "))
	}
	if !strings.Contains(text, "percentage points (pt)") {
		t.Errorf("the summary does not say what pt means")
	}
}

// A section that overflows onto a new page by a table does not leave the
// page to that table alone: the next section starts under it. With more
// and more rows in the table before it, the E2 section's last table (the
// figures added by methodology 2026.1) comes to stand at the top of a
// page at some point; E3 must then follow on that page.
func TestV4NoPageForALoneTable(t *testing.T) {
	const added = "E2: figures added by methodology 2026.1"
	lonely := 0
	for n := 30; n < 70; n++ {
		v := fixtureV4()
		v.Methodology = "2026.1"
		v.Since20261 = &Since20261{E2: []AddedFigure{{Metric: Metric{Label: "Treated at an authorised recycler", Unit: UnitPct, Value: dv("0")}}}}
		for i := 0; i < n; i++ {
			c := v.E2.Circularity[0]
			c.Category = fmt.Sprintf("extra category %d", i)
			v.E2.Circularity = append(v.E2.Circularity, c)
		}
		_, text := renderV4(t, v)
		for _, p := range strings.Split(text, "--- page ")[1:] {
			lines := strings.Split(p, "\n")
			// The page's number, its running title and "page n of m"
			// come first; a page whose body begins with the table is the
			// case.
			if len(lines) > 4 && strings.HasPrefix(lines[4], added) {
				lonely++
				if !strings.Contains(p, "\nE3 Climate resilience\n") {
					t.Errorf("with %d more rows before it the table %q stands alone on its page", n, added)
				}
			}
		}
	}
	if lonely == 0 {
		t.Fatal("no number of rows puts the table at the top of a page: the test sees nothing")
	}
}

// The note under the circularity table of a yearly document speaks of
// the year: disclosure_v4 first said "this quarter's" of a year too.
func TestV4CircularityNoteNamesTheSpan(t *testing.T) {
	for period, want := range map[string]string{"2025-Q3": "this quarter's collected mass", "2025": "this year's collected mass"} {
		v := fixtureV4()
		v.Period = period
		_, text := renderV4(t, v)
		text = strings.Join(strings.Fields(text), " ")
		if !strings.Contains(text, want) {
			t.Errorf("%s: the circularity note does not say %q", period, want)
		}
	}
}

// The signed checkpoint does not stand alone on the last page: with more
// and more inclusion proofs before it, it comes to start a page at some
// point, and the last proof must then be on that page with it.
func TestV4CheckpointKeepsWithTheProofs(t *testing.T) {
	alone, moved := 0, 0
	for n := 0; n < 30; n++ {
		v := fixtureV4()
		for i := 0; i < n; i++ {
			v.Proofs = append(v.Proofs, v.Proofs[0])
		}
		_, text := renderV4(t, v)
		pages := strings.Split(text, "--- page ")
		last := pages[len(pages)-1]
		if !strings.Contains(last, "\nSigned checkpoint\n") {
			t.Fatalf("with %d more proofs the signed checkpoint is not on the last page", n)
		}
		if !strings.Contains(last, "\nentry ") {
			alone++
			t.Errorf("with %d more proofs the signed checkpoint stands alone on the last page", n)
		}
		if lines := strings.Split(last, "\n"); len(lines) > 4 && strings.HasPrefix(lines[4], "entry ") {
			moved++
		}
	}
	if alone == 0 && moved == 0 {
		t.Fatal("no number of proofs brings the checkpoint to the top of a page: the test sees nothing")
	}
}

// A field's path in a reason breaks across lines only after a dot:
// "resilience.emergency_free_service_events" was cut as
// "resilience.emergency_free_service_eve" and "nts".
func TestV4FieldPathBreaksAtDots(t *testing.T) {
	v := fixtureV4()
	v.Methodology = "2026.1"
	const path = "resilience.emergency_free_service_events"
	v.Since20261 = &Since20261{E3: []AddedFigure{{
		Metric: Metric{Label: "Events with free emergency service", Unit: UnitCount, Value: na},
		Note:   path + " is not filed (optional, return v1.1)",
	}}}
	_, text := renderV4(t, v)
	lines := strings.Split(text, "\n")
	found := false
	for i, l := range lines {
		if strings.Contains(l, path) {
			found = true
		} else if strings.HasSuffix(l, "resilience.") && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "emergency_free_service_events") {
			found = true
		}
	}
	if !found {
		t.Errorf("the path %q is cut within a name:\n%s", path, text)
	}
}
