package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// statusOf is the filing state of each operator in a's status of p.
func statusOf(t *testing.T, env *servicetest.Env, a ledger.Actor, p ledger.Period) map[string]service.OperatorStatus {
	t.Helper()
	st, err := env.Service.SectorStatus(a, p)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]service.OperatorStatus{}
	for _, row := range st.Operators {
		out[row.Operator] = row
	}
	return out
}

// A return filed at 23:30 Bangkok time on the due day is on time, one
// filed at 00:30 the next day late: deadlines count in the
// administration's time zone. (Under UTC, 00:30 in Bangkok is 17:30 of
// the due day, on time.)
func TestDeadlineInTheJurisdictionsTimeZone(t *testing.T) {
	ctx := context.Background()
	env := servicetest.New(t, time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC))
	if _, err := env.Service.SetJurisdiction(ctx, ledger.SystemActor, ledger.Jurisdiction{Country: "TH", Name: "NBTC",
		DeadlineDays: 45, TimeZone: "Asia/Bangkok"}); err != nil {
		t.Fatal(err)
	}
	onTime := env.Operator("th-early", "Early", "TH")
	late := env.Operator("th-late", "Late", "TH")
	q3 := ledger.Period{Year: 2025, Quarter: 3}
	bangkok, _ := time.LoadLocation("Asia/Bangkok")
	if d, overridden := env.Service.DeadlineIn("TH", q3); !d.Equal(time.Date(2025, 11, 15, 0, 0, 0, 0, bangkok)) || overridden {
		t.Fatalf("TH deadline of %s: %s (overridden %v), want midnight starting 15 November in Bangkok", q3, d, overridden)
	}
	env.Clock.Set(time.Date(2025, 11, 14, 23, 30, 0, 0, bangkok))
	env.File(onTime, servicetest.ExampleReturn(t, "th-early", "2025-Q3"))
	env.Clock.Set(time.Date(2025, 11, 15, 0, 30, 0, 0, bangkok))
	env.File(late, servicetest.ExampleReturn(t, "th-late", "2025-Q3"))

	got := statusOf(t, env, ledger.SystemActor, q3)
	if got["th-early"].Late || !got["th-late"].Late {
		t.Fatalf("late: 23:30 local %v, 00:30 next day %v; want false, true", got["th-early"].Late, got["th-late"].Late)
	}
	// A country without a record keeps the default: 45 days, in UTC.
	if d, _ := env.Service.DeadlineIn("JP", q3); !d.Equal(time.Date(2025, 11, 15, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("JP deadline %s, want the default", d)
	}
	// The admin's override of the period wins over every rule.
	override := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	if err := env.Service.SetDeadline(ctx, ledger.SystemActor, q3, override, "ledger outage"); err != nil {
		t.Fatal(err)
	}
	if d, overridden := env.Service.DeadlineIn("TH", q3); !d.Equal(override) || !overridden {
		t.Fatalf("TH deadline after the override: %s (overridden %v)", d, overridden)
	}
}

// An operator is due from the quarter it was registered for, by default
// the quarter of its registration: not missing (nor late) before it.
func TestStatusCountsFromReportingFrom(t *testing.T) {
	ctx := context.Background()
	env := servicetest.New(t, time.Date(2025, 12, 20, 9, 0, 0, 0, time.UTC))
	for _, op := range []ledger.Operator{
		{ID: "new-op", Name: "New", Country: "TH", Kinds: []string{"mobile"}},
		{ID: "old-op", Name: "Old", Country: "TH", Kinds: []string{"mobile"}, ReportingFrom: ledger.Period{Year: 2025, Quarter: 2}},
	} {
		if _, err := env.Service.RegisterOperator(ctx, ledger.SystemActor, op); err != nil {
			t.Fatal(err)
		}
	}
	q3 := statusOf(t, env, ledger.SystemActor, ledger.Period{Year: 2025, Quarter: 3})
	if _, listed := q3["new-op"]; listed {
		t.Errorf("2025-Q3 lists new-op, registered in 2025-Q4: %+v", q3["new-op"])
	}
	if q3["old-op"].State != service.StateMissing || !q3["old-op"].Late {
		t.Errorf("2025-Q3 of old-op, due from 2025-Q2: %+v, want missing and late", q3["old-op"])
	}
	q4 := statusOf(t, env, ledger.SystemActor, ledger.Period{Year: 2025, Quarter: 4})
	if q4["new-op"].State != service.StateMissing {
		t.Errorf("2025-Q4 of new-op: %+v, want missing", q4["new-op"])
	}
	_, err := env.Service.RegisterOperator(ctx, ledger.SystemActor, ledger.Operator{ID: "bad-op", Name: "Bad", Country: "TH",
		Kinds: []string{"mobile"}, ReportingFrom: ledger.Period{Year: 1999, Quarter: 4}})
	if ledger.ErrorCode(err) != ledger.EInvalid {
		t.Errorf("reporting_from 1999-Q4: %v", err)
	}
}

// A return that names no factor set files under its jurisdiction's
// factor set when the administration chose one, else under the latest.
func TestJurisdictionFactorSetIsTheDefault(t *testing.T) {
	ctx := context.Background()
	env := servicetest.New(t, time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC))
	if _, err := env.Service.PublishFactorSet(ctx, ledger.SystemActor, fixtures.FactorSet20261()); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Service.SetJurisdiction(ctx, ledger.SystemActor, ledger.Jurisdiction{Country: "TH", Name: "NBTC",
		FactorSet: "apt-2025.1"}); err != nil {
		t.Fatal(err)
	}
	th := env.Operator("th-op", "TH op", "TH")
	jp := env.Operator("jp-op", "JP op", "JP")
	for _, c := range []struct{ secret, op, want string }{{th, "th-op", "apt-2025.1"}, {jp, "jp-op", "apt-2026.1"}} {
		// Each operator claims certificates of its own: one counts once.
		f := env.File(c.secret, servicetest.ReturnWith(t, c.op, "2025-Q3", func(m map[string]any) { delete(m, "renewable_claims") }))
		if got := env.Service.State().Return(f.ID).FactorSet; got != c.want {
			t.Errorf("%s filed under %s, want %s", c.op, got, c.want)
		}
	}
	_, err := env.Service.SetJurisdiction(ctx, ledger.SystemActor, ledger.Jurisdiction{Country: "VN", Name: "",
		DeadlineDays: 400, TimeZone: "Mars/Olympus", FactorSet: "nope"})
	le, _ := err.(*ledger.Error)
	if le == nil || len(le.Fields) != 4 {
		t.Fatalf("a bad jurisdiction: %v, want four field errors (name, deadline_days, time_zone, factor_set)", err)
	}
}

// A regulator token names its jurisdictions; a regulator of TH reading a
// JP operator gets ENotFound, as for an operator that does not exist.
func TestRegulatorJurisdictions(t *testing.T) {
	ctx := context.Background()
	env := servicetest.New(t, time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC))
	env.Operator("th-op", "TH op", "TH")
	env.Operator("jp-op", "JP op", "JP")
	if _, err := env.Service.IssueTokenFor(ctx, ledger.SystemActor, service.TokenRequest{Role: ledger.RoleRegulator}); ledger.ErrorCode(err) != ledger.EInvalid {
		t.Fatalf("a regulator token without jurisdictions: %v", err)
	}
	for _, bad := range [][]string{{"*", "TH"}, {"th"}, {"TH", "TH"}} {
		if _, err := env.Service.IssueTokenFor(ctx, ledger.SystemActor, service.TokenRequest{Role: ledger.RoleRegulator, Jurisdictions: bad}); ledger.ErrorCode(err) != ledger.EInvalid {
			t.Errorf("jurisdictions %q: %v", bad, err)
		}
	}
	tok, err := env.Service.IssueTokenFor(ctx, ledger.SystemActor, service.TokenRequest{Role: ledger.RoleRegulator, Jurisdictions: []string{"TH"}})
	if err != nil {
		t.Fatal(err)
	}
	reg := env.Actor(tok.Token)
	if _, err := env.Service.Operator(reg, "jp-op"); ledger.ErrorCode(err) != ledger.ENotFound {
		t.Errorf("TH regulator reading jp-op: %v, want not found", err)
	}
	if _, err := env.Service.Operator(reg, "th-op"); err != nil {
		t.Errorf("TH regulator reading th-op: %v", err)
	}
	views, err := env.Service.Tokens(ledger.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range views {
		if v.Unrestricted {
			t.Errorf("token %s issued with jurisdictions is listed unrestricted", v.ID)
		}
	}
}

// A TH regulator's sector report is of Thailand by default, holds the
// administration's record (whose name it prints) and verifies.
func TestSectorReportOfOneAdministration(t *testing.T) {
	ctx := context.Background()
	env := servicetest.New(t, time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC))
	if _, err := env.Service.SetJurisdiction(ctx, ledger.SystemActor, ledger.Jurisdiction{Country: "TH", Name: "NBTC",
		NameLocal: "สำนักงาน กสทช.", TimeZone: "Asia/Bangkok"}); err != nil {
		t.Fatal(err)
	}
	th := env.Operator("th-op", "TH op", "TH")
	jp := env.Operator("jp-op", "JP op", "JP")
	env.File(th, servicetest.ExampleReturn(t, "th-op", "2025-Q3"))
	env.File(jp, servicetest.ExampleReturn(t, "jp-op", "2025-Q3"))
	tok, err := env.Service.IssueTokenFor(ctx, ledger.SystemActor, service.TokenRequest{Role: ledger.RoleRegulator, Jurisdictions: []string{"TH"}})
	if err != nil {
		t.Fatal(err)
	}
	reg := env.Actor(tok.Token)
	pdf, err := env.Service.SectorDisclosure(ctx, reg, ledger.Span{Year: 2025, Quarter: 3}, "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Service.VerifyDisclosure(ctx, pdf)
	if err != nil || !res.Valid {
		t.Fatalf("the report does not verify: %v %+v", err, res)
	}
	_, rec, v := sectorRecordOf(t, pdf, "TH")
	if len(rec.Jurisdictions) != 1 || rec.Jurisdictions[0] != "TH" || v.Administration != "NBTC (สำนักงาน กสทช.)" ||
		len(v.Operators) != 1 || v.Operators[0].ID != "th-op" || len(v.Administrations) != 1 || v.Administrations[0].Name != v.Administration {
		t.Errorf("the record is of %v, administration %q, operators %+v, administrations %+v; want Thailand's alone, by its record",
			rec.Jurisdictions, v.Administration, v.Operators, v.Administrations)
	}
	if _, err := env.Service.SectorDisclosure(ctx, reg, ledger.Span{Year: 2025, Quarter: 3}, "JP"); ledger.ErrorCode(err) != ledger.ENotFound {
		t.Errorf("the TH regulator's report of JP: %v, want not found", err)
	}
}

// A regulator of every country gets one sector report that records each
// country's deadline under its own administration's rule, and the names
// of the administrations, and verifies.
func TestSectorReportOfEveryAdministration(t *testing.T) {
	ctx := context.Background()
	env := servicetest.New(t, time.Date(2025, 11, 5, 9, 0, 0, 0, time.UTC))
	if _, err := env.Service.SetJurisdiction(ctx, ledger.SystemActor, ledger.Jurisdiction{Country: "TH", Name: "NBTC",
		DeadlineDays: 30, TimeZone: "Asia/Bangkok"}); err != nil {
		t.Fatal(err)
	}
	th := env.Operator("th-op", "TH op", "TH")
	jp := env.Operator("jp-op", "JP op", "JP")
	env.File(th, servicetest.ExampleReturn(t, "th-op", "2025-Q3"))
	env.File(jp, servicetest.ExampleReturn(t, "jp-op", "2025-Q3"))
	tok, err := env.Service.IssueTokenFor(ctx, ledger.SystemActor, service.TokenRequest{Role: ledger.RoleRegulator, Jurisdictions: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := env.Service.SectorDisclosure(ctx, env.Actor(tok.Token), ledger.Span{Year: 2025, Quarter: 3}, "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Service.VerifyDisclosure(ctx, pdf)
	if err != nil || !res.Valid {
		t.Fatalf("the report does not verify: %v %+v", err, res)
	}
	_, rec, v := sectorRecordOf(t, pdf, "")
	if len(rec.Jurisdictions) != 1 || rec.Jurisdictions[0] != ledger.AllJurisdictions || len(v.Operators) != 2 {
		t.Errorf("the record is of %v with %d operators; want every country's two", rec.Jurisdictions, len(v.Operators))
	}
	// TH: 30 days, counted in Bangkok; JP has no record: 45 days in UTC.
	want := map[string]string{"TH": "2025-10-30T17:00:00Z 30 days after the quarter, Asia/Bangkok NBTC",
		"JP": "2025-11-15T00:00:00Z the service's default "}
	if len(v.Administrations) != len(want) {
		t.Fatalf("administrations %+v, want %v", v.Administrations, want)
	}
	for _, a := range v.Administrations {
		if got := a.Deadline.Format(time.RFC3339) + " " + a.Rule + " " + a.Name; got != want[a.Country] {
			t.Errorf("%s: %q, want %q", a.Country, got, want[a.Country])
		}
	}
}
