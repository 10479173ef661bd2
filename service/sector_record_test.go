package service_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/loadtest"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
	"github.com/ictledger/ictledger/templates"
)

// sectorRecordOf checks that pdf is a sector_v4 report of country made of
// exactly one sector.recorded entry by the server, and returns that
// entry's sequence number, its payload and the view it records.
func sectorRecordOf(t testing.TB, pdf []byte, country string) (uint64, *ledger.SectorRecorded, *disclosure.SectorView) {
	t.Helper()
	raw, err := templates.ExtractAttachment(pdf, templates.AttachmentName)
	if err != nil {
		t.Fatal(err)
	}
	b, err := disclosure.DecodeBundle(raw)
	if err != nil {
		t.Fatal(err)
	}
	if b.Document != disclosure.DocSector || b.Template != templates.SectorTemplateV4 || b.Country != country || len(b.Entries) != 1 {
		t.Fatalf("bundle %s %s of country %q with %d entries; want a sector_v4 report of %q with its one record",
			b.Document, b.Template, b.Country, len(b.Entries), country)
	}
	be := b.Entries[0]
	canonical, err := base64.StdEncoding.DecodeString(be.Canonical)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ledger.DecodeEntry(canonical)
	if err != nil || e.Kind != ledger.KindSectorRecorded || e.Seq != be.Seq || e.Actor != ledger.SystemActor {
		t.Fatalf("the bundle's entry is %s %d by %+v (%v), want the server's sector.recorded", e.Kind, e.Seq, e.Actor, err)
	}
	var rec ledger.SectorRecorded
	if err := json.Unmarshal(e.Payload, &rec); err != nil {
		t.Fatal(err)
	}
	var v disclosure.SectorView
	if err := json.Unmarshal(rec.View, &v); err != nil {
		t.Fatal(err)
	}
	return be.Seq, &rec, &v
}

// A sector report is drawn from the scope's latest record while nothing
// it shows has changed, and from a new record once something has: a
// filing or review of one of its operators, a deadline passing with an
// operator not filed, an administration's record. A filing in another
// country changes nothing. Each record is, figure for figure, the view
// computed afresh at its time.
func TestSectorRecordFollowsTheView(t *testing.T) {
	ctx := context.Background()
	env := servicetest.New(t, time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC))
	a := env.Operator("jp-a", "JP A", "JP")
	env.Operator("jp-b", "JP B", "JP") // files nothing
	th := env.Operator("th-op", "TH op", "TH")
	tok, err := env.Service.IssueTokenFor(ctx, ledger.SystemActor, service.TokenRequest{Role: ledger.RoleRegulator, Jurisdictions: []string{"JP"}})
	if err != nil {
		t.Fatal(err)
	}
	reg := env.Actor(tok.Token)
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	fa := env.File(a, servicetest.ExampleReturn(t, "jp-a", "2025-Q3"))

	var pdf []byte
	download := func(what string) (uint64, *disclosure.SectorView) {
		t.Helper()
		var err error
		pdf, err = env.Service.SectorDisclosure(ctx, reg, q3, "")
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		seq, rec, v := sectorRecordOf(t, pdf, "JP")
		fresh, err := env.Service.SectorRecordOf([]string{"JP"}, q3, env.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(rec.View, fresh.View) {
			t.Fatalf("%s: the report's record %d is not the view as it stands:\n%s\n%s", what, seq, rec.View, fresh.View)
		}
		return seq, v
	}
	first, v := download("first")
	if len(v.Operators) != 2 || v.Operators[1].State != "missing" || v.Operators[1].Late {
		t.Fatalf("operators %+v; want jp-a filed and jp-b missing, not late yet", v.Operators)
	}
	size := env.Service.Size()
	if again, _ := download("again"); again != first || env.Service.Size() != size {
		t.Errorf("a second download: record %d (was %d), %d entries (were %d)", again, first, env.Service.Size(), size)
	}
	env.File(th, servicetest.ExampleReturn(t, "th-op", "2025-Q3"))
	if again, _ := download("after a filing in Thailand"); again != first {
		t.Errorf("a filing in another country: record %d, want %d still", again, first)
	}
	env.Review(env.Token(ledger.RoleRegulator), fa.ID, ledger.Review{Decision: ledger.DecisionAccept})
	accepted, v := download("after an acceptance")
	if accepted == first || v.Operators[0].State != "accepted" {
		t.Errorf("after an acceptance: record %d (was %d), state %s", accepted, first, v.Operators[0].State)
	}
	verdict := func(doc []byte) *disclosure.Result {
		t.Helper()
		res, err := env.Service.VerifyDisclosure(ctx, doc)
		if err != nil || !res.Valid {
			t.Fatalf("verify: %v %+v", err, res)
		}
		return res
	}
	before := pdf
	if res := verdict(before); res.Verdict != disclosure.VerdictCurrent {
		t.Fatalf("the report of the acceptance, at once: %s", res.Verdict)
	}
	env.Clock.Set(time.Date(2025, 11, 15, 0, 0, 1, 0, time.UTC)) // JP: 45 days in UTC
	if res := verdict(before); res.Verdict != disclosure.VerdictSuperseded || res.FiguresChanged == nil || res.FiguresChanged.Record != accepted || res.FiguresChanged.Latest != 0 {
		t.Fatalf("the report of the acceptance, after the deadline: %s, %+v", res.Verdict, res.FiguresChanged)
	}
	late, v := download("after the deadline")
	if res := verdict(before); res.FiguresChanged == nil || res.FiguresChanged.Latest != late {
		t.Fatalf("the report of the acceptance, once the view is recorded again: %+v, want the latest record %d", res.FiguresChanged, late)
	}
	if late == accepted || !v.Operators[1].Late {
		t.Errorf("after the deadline: record %d (was %d), jp-b late %v", late, accepted, v.Operators[1].Late)
	}
	if _, err := env.Service.SetJurisdiction(ctx, ledger.SystemActor, ledger.Jurisdiction{Country: "JP", Name: "MIC"}); err != nil {
		t.Fatal(err)
	}
	named, v := download("after the administration's record")
	if named == late || v.Administration != "MIC" {
		t.Errorf("after the administration's record: record %d (was %d), administration %q", named, late, v.Administration)
	}
}

// A record another build made is not reused blindly: the first download
// computes the view, finds the record still holds and draws it; the
// next draws it without computing, from the point it was found to hold
// at; after a review a new record is made by this build, and reused.
func TestSectorRecordOfAnotherBuild(t *testing.T) {
	ctx := context.Background()
	env := servicetest.New(t, time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC))
	a := env.Operator("jp-a", "JP A", "JP")
	fa := env.File(a, servicetest.ExampleReturn(t, "jp-a", "2025-Q3"))
	tok, err := env.Service.IssueTokenFor(ctx, ledger.SystemActor, service.TokenRequest{Role: ledger.RoleRegulator, Jurisdictions: []string{"JP"}})
	if err != nil {
		t.Fatal(err)
	}
	reg := env.Actor(tok.Token)
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	other, err := service.AppendSectorRecordOfBuild(ctx, env.Service, []string{"JP"}, q3, strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	download := func() uint64 {
		t.Helper()
		pdf, err := env.Service.SectorDisclosure(ctx, reg, q3, "")
		if err != nil {
			t.Fatal(err)
		}
		seq, _, _ := sectorRecordOf(t, pdf, "JP")
		return seq
	}
	views := func() int64 { return service.SectorViewsComputed(env.Service) }
	before := views()
	if seq := download(); seq != other || views() != before+1 {
		t.Fatalf("first download: record %d (want %d), %d views computed (want 1)", seq, other, views()-before)
	}
	if seq := download(); seq != other || views() != before+1 {
		t.Fatalf("second download: record %d (want %d), %d views computed (want still 1)", seq, other, views()-before)
	}
	env.Review(env.Token(ledger.RoleRegulator), fa.ID, ledger.Review{Decision: ledger.DecisionAccept})
	ours := download()
	if ours == other || views() != before+2 {
		t.Fatalf("after a review: record %d (was %d), %d views computed (want 2)", ours, other, views()-before)
	}
	if seq := download(); seq != ours || views() != before+2 {
		t.Fatalf("again: record %d (want %d), %d views computed (want still 2)", seq, ours, views()-before)
	}
}

// Where a record was last found to hold is kept in the derived
// directory: a restarted service of the same build draws the report
// without computing the view; with the file damaged it computes the view
// once again, and answers the same.
func TestSectorChecksKeptAcrossRestart(t *testing.T) {
	ctx := context.Background()
	dir, derived := t.TempDir(), filepath.Join(t.TempDir(), "derived")
	if _, err := loadtest.GenerateRegion(ctx, dir, loadtest.RegionConfig{Jurisdictions: 2, Operators: 3, Years: 2, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	d := openGenerated(t, dir, derived)
	svc := d.Service()
	cc := svc.State().Operators()[0].Country
	span := ledger.Span{Year: 2025, Quarter: 3}
	other, err := service.AppendSectorRecordOfBuild(ctx, svc, []string{cc}, span, strings.Repeat("cd", 32))
	if err != nil {
		t.Fatal(err)
	}
	download := func(svc *service.Service) uint64 {
		t.Helper()
		pdf, err := svc.SectorDisclosure(ctx, ledger.SystemActor, span, cc)
		if err != nil {
			t.Fatal(err)
		}
		seq, _, _ := sectorRecordOf(t, pdf, cc)
		return seq
	}
	before := service.SectorViewsComputed(svc)
	if seq := download(svc); seq != other || service.SectorViewsComputed(svc) != before+1 {
		t.Fatalf("first download: record %d (want %d), %d views computed", seq, other, service.SectorViewsComputed(svc)-before)
	}
	if _, err := os.Stat(filepath.Join(derived, "sector-checks.gob")); err != nil {
		t.Fatalf("the check was not kept: %v", err)
	}
	restarted := d.Restart(t)
	if seq := download(restarted); seq != other || service.SectorViewsComputed(restarted) != 0 {
		t.Fatalf("after a restart: record %d (want %d), %d views computed (want none)", seq, other, service.SectorViewsComputed(restarted))
	}
	if err := os.WriteFile(filepath.Join(derived, "sector-checks.gob"), []byte("not gob"), 0o600); err != nil {
		t.Fatal(err)
	}
	damaged := d.Restart(t)
	if seq := download(damaged); seq != other || service.SectorViewsComputed(damaged) != 1 {
		t.Fatalf("with the file damaged: record %d (want %d), %d views computed (want 1)", seq, other, service.SectorViewsComputed(damaged))
	}
}

// A sector report of a quarter nobody has filed for yet, the common case
// at a quarter's start, is issued and verifies: every operator missing,
// no figures, no factor set or GWP named.
func TestSectorReportBeforeAnyFiling(t *testing.T) {
	ctx := context.Background()
	env := servicetest.New(t, time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC))
	env.Operator("jp-a", "JP A", "JP")
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	pdf, err := env.Service.SectorDisclosure(ctx, reg, ledger.Span{Year: 2025, Quarter: 3}, "JP")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := env.Service.VerifyDisclosure(ctx, pdf); err != nil || res.Verdict != disclosure.VerdictCurrent {
		t.Fatalf("verify: %v %+v", err, res)
	}
	_, _, v := sectorRecordOf(t, pdf, "JP")
	if len(v.Operators) != 1 || v.Operators[0].State != "missing" || len(v.Metrics) != 0 || v.GWP != "" || len(v.FactorSets) != 0 {
		t.Fatalf("the view: operators %+v, %d metrics, GWP %q, factor sets %v; want one missing operator and nothing filed",
			v.Operators, len(v.Metrics), v.GWP, v.FactorSets)
	}
}
