package disclosure

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

// Sector documents issued before the roll-up fixes have no rollup in
// their bundle. The fixtures are such documents; none of their figures
// moves under the fix (every operator in them files every stock), so they
// verify with no notice.
func TestOldSectorDocumentsVerifyWithoutNotice(t *testing.T) {
	key := fixtureKey(t)
	for _, name := range []string{"sector-bundle.json", "sector-bundle-v2.json"} {
		b := fixtureBundle(t, name)
		if b.Rollup != 0 {
			t.Fatalf("%s: fixture has rollup %d", name, b.Rollup)
		}
		pdf, err := Render(b)
		if err != nil {
			t.Fatal(err)
		}
		res := Verify(pdf, key)
		if !res.Valid || len(res.Notices) != 0 {
			t.Fatalf("%s: valid %v, problems %v, notices %v", name, res.Valid, res.Problems, res.Notices)
		}
	}
}

// withoutBackupFigures is the sector fixture with Wattle Fibre's 2026-Q3
// return (seq 108) stripped of its backup figures (sites_with_backup and
// backup_autonomy, both optional), in a re-signed log: Wattle reports
// 1,522 sites but no backup figure.
func withoutBackupFigures(t *testing.T) (*Bundle, string) {
	t.Helper()
	band := regexp.MustCompile(`"backup_autonomy":\{[^}]*\},`)
	edited := editEntry(t, fixtureBundle(t, "sector-bundle-v2.json"), 108, func(raw []byte) []byte {
		s := band.ReplaceAllString(string(raw), "")
		return []byte(strings.Replace(s, `,"sites_with_backup":1470`, "", 1))
	})
	return resign(t, edited)
}

// R2, by hand, for 2026-Q3 (Fahsai did not file it). Sites with backup:
// Hoshizora 18,222 of 18,500, Vanua 329 of 342, Tiang Kepulauan 286 of
// its 302 site rows; Wattle 1,522 sites, no figure.
//
//	before the fix: 18,837 / (19,144 + 1,522) = 91.15 %
//	corrected:      18,837 / 19,144           = 98.40 %
//
// Sites with 8 h or more: Hoshizora 5,011 + 1,603 + 767 = 7,381, Vanua
// 98 + 72 + 46 = 216, Tiang 166 rows: 7,763 / 20,666 = 37.56 % before,
// 7,763 / 19,144 = 40.55 % corrected.
func TestCorrectedSinceNotice(t *testing.T) {
	old, vkey := withoutBackupFigures(t)

	// The document as it was issued: rendered with the roll-up of its day,
	// it is authentic, and the answer says what was corrected since.
	pdf, err := Render(old)
	if err != nil {
		t.Fatal(err)
	}
	res := Verify(pdf, vkey)
	if !res.Valid {
		t.Fatalf("old document not valid: %v", res.Problems)
	}
	want := []string{
		`corrected since: the sector total "Sites with backup power" was 91.15 % and is 98.40 %`,
		`corrected since: the sector total "Sites with 8 h or more of backup" was 37.56 % and is 40.55 %`,
	}
	if len(res.Notices) != len(want) {
		t.Fatalf("notices %q, want %d", res.Notices, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(res.Notices[i], w) || !strings.Contains(res.Notices[i], "(R2") {
			t.Errorf("notice %d = %q, want it to begin %q and name R2", i, res.Notices[i], w)
		}
	}

	// The same entries in a new document: the corrected figures, Wattle
	// named as left out, and nothing to correct.
	fixed := *old
	fixed.Rollup = RollupCorrected
	view, err := sectorView(t, &fixed)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range view.Totals {
		got[m.Key] = m.Unit.Format(m.Value)
	}
	if got["e3.backup_power_coverage_pct"] != "98.40" || got["e3.backup_ge_8h_pct"] != "40.55" {
		t.Errorf("corrected totals: backup %s, 8 h %s", got["e3.backup_power_coverage_pct"], got["e3.backup_ge_8h_pct"])
	}
	lines := strings.Join(view.Coverage, "\n")
	for _, w := range []string{"Sites with backup power: over the operators that filed both its terms; left out: Wattle Fibre & Data Pty Ltd.",
		"Sites with 8 h or more of backup: over the operators that filed both its terms; left out: Wattle Fibre & Data Pty Ltd."} {
		if !strings.Contains(lines, w) {
			t.Errorf("coverage lines %q lack %q", lines, w)
		}
	}
	newPDF, err := Render(&fixed)
	if err != nil {
		t.Fatal(err)
	}
	if res := Verify(newPDF, vkey); !res.Valid || len(res.Notices) != 0 {
		t.Fatalf("new document: valid %v %v, notices %v", res.Valid, res.Problems, res.Notices)
	}
}

// R1 changes the data-centre list of the sector sum, which no sector
// layout shows: two operators' facilities of the same id make a document
// no figure of which moves, so it gets no notice.
func TestFacilityIDCollisionChangesNoSectorFigure(t *testing.T) {
	b := fixtureBundle(t, "sector-bundle-v2.json")
	edited := editEntry(t, b, 107, func(raw []byte) []byte {
		return []byte(strings.ReplaceAll(string(raw), `"hoshizora-tokyo-dc1"`, `"syd-dc1"`))
	})
	old, vkey := resign(t, edited)
	pdf, err := Render(old)
	if err != nil {
		t.Fatal(err)
	}
	if res := Verify(pdf, vkey); !res.Valid || len(res.Notices) != 0 {
		t.Fatalf("valid %v %v, notices %v", res.Valid, res.Problems, res.Notices)
	}
}

func TestRollupIsChecked(t *testing.T) {
	b := fixtureBundle(t, "sector-bundle.json")
	b.Rollup = 1
	if _, err := Render(b); err == nil || !strings.Contains(err.Error(), "rollup 1") {
		t.Fatalf("rollup 1 rendered: %v", err)
	}
}

// R5 on the document: under 2026.1 a corrected sector total says who
// filed fewer quarters than the span; under 2025.1 it does not, and a
// total made before the fixes says nothing at all.
func TestCoverageLines(t *testing.T) {
	name := func(id string) string { return map[string]string{"op-b": "Operator B"}[id] }
	c := &calculators.SectorCoverage{
		Partial: []calculators.PartialOperator{{Operator: "op-b", Quarters: []string{"2025-Q1", "2025-Q2"}, Missing: []string{"2025-Q3", "2025-Q4"}}},
		LeftOut: map[string][]string{},
	}
	got := coverageLines(c, nil, ledger.Methodology20261, name)
	want := "Operator B filed 2025-Q1, 2025-Q2 only (no return for 2025-Q3, 2025-Q4): its flows count those quarters, its stocks are those of the last."
	if len(got) != 1 || got[0] != want {
		t.Errorf("2026.1: %q, want %q", got, want)
	}
	if got := coverageLines(c, nil, ledger.Methodology20251, name); len(got) != 0 {
		t.Errorf("2025.1: %q", got)
	}
	if got := coverageLines(nil, nil, ledger.Methodology20261, name); got != nil {
		t.Errorf("before the fixes: %q", got)
	}
}
