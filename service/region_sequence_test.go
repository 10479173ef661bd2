package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/loadtest"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// sameAsSectorNow holds the kept regional view of span to the view made
// from the roll-ups of the state as it is now, byte for byte, and
// returns the view.
func sameAsSectorNow(t *testing.T, svc *service.Service, span ledger.Span, step string) *calculators.RegionView {
	t.Helper()
	got := regionJSON(t, svc, span)
	ref, err := service.RegionBySector(svc, span)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(ref)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s, %s: the kept view differs from the view from roll-ups:\n%s\n%s", step, span, got, want)
	}
	return ref
}

// TestRegionFollowsEachKindOfEntry: a regional view asked for after each
// kind of entry that changes what it shows (an acceptance, a
// restatement still under review, a review that returns it, a new
// operator due for the span, a jurisdiction named and renamed, a factor
// set published) is at once what the roll-ups of the state give; in
// particular a restated quarter stops counting as soon as the
// restatement is filed.
func TestRegionFollowsEachKindOfEntry(t *testing.T) {
	t.Run("in memory", func(t *testing.T) { regionFollowsEntries(t, service.Config{}) })
	t.Run("derived directory", func(t *testing.T) { regionFollowsEntries(t, service.Config{DerivedDir: t.TempDir()}) })
}

func regionFollowsEntries(t *testing.T, cfg service.Config) {
	ctx := context.Background()
	env := servicetest.NewConfigured(t, time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC), cfg)
	svc := env.Service
	reg := env.Token(ledger.RoleRegulator)
	a := env.Operator("op-a", "Operator A", "TH")
	b := env.Operator("op-b", "Operator B", "VN")
	spans := []ledger.Span{{Year: 2025}, {Year: 2025, Quarter: 3}, {Year: 2025, Quarter: 4}}
	check := func(step string) map[ledger.Span]*calculators.RegionView {
		t.Helper()
		out := map[ledger.Span]*calculators.RegionView{}
		for _, sp := range spans {
			out[sp] = sameAsSectorNow(t, svc, sp, step)
		}
		return out
	}
	file := func(secret, op, period, restates string) string {
		t.Helper()
		return env.File(secret, servicetest.ReturnWith(t, op, period, func(m map[string]any) {
			delete(m, "renewable_claims")
			if restates != "" {
				m["restates"], m["reason"] = restates, "a corrected meter reading"
			}
		})).ID
	}
	counted := func(r *calculators.RegionView, op string) bool {
		for _, c := range r.Coverage.Counted {
			if c == op {
				return true
			}
		}
		return false
	}
	q3 := ledger.Span{Year: 2025, Quarter: 3}

	a3 := file(a, "op-a", "2025-Q3", "")
	check("op-a filed 2025-Q3")
	env.Review(reg, a3, ledger.Review{Decision: ledger.DecisionAccept})
	b3 := file(b, "op-b", "2025-Q3", "")
	env.Review(reg, b3, ledger.Review{Decision: ledger.DecisionAccept})
	a4 := file(a, "op-a", "2025-Q4", "")
	env.Review(reg, a4, ledger.Review{Decision: ledger.DecisionAccept})
	if v := check("both accepted"); !counted(v[q3], "op-a") || !counted(v[q3], "op-b") {
		t.Fatalf("2025-Q3 counts %v, want op-a and op-b", v[q3].Coverage.Counted)
	}

	// A restatement of op-a's accepted 2025-Q3, not yet reviewed: the
	// accepted version is superseded, and the quarter leaves the view.
	a3v2 := file(a, "op-a", "2025-Q3", a3)
	if v := check("op-a's 2025-Q3 restated"); counted(v[q3], "op-a") {
		t.Errorf("2025-Q3 still counts op-a after its accepted version was restated: %v", v[q3].Coverage.Counted)
	}
	env.Review(reg, a3v2, ledger.Review{Decision: ledger.DecisionReturn, Findings: []ledger.FieldError{{Path: "fuels[0]", Message: "check the meter"}}})
	check("the restatement returned")
	a3v3 := file(a, "op-a", "2025-Q3", a3v2)
	env.Review(reg, a3v3, ledger.Review{Decision: ledger.DecisionAccept})
	if v := check("the second restatement accepted"); !counted(v[q3], "op-a") {
		t.Errorf("2025-Q3 does not count op-a after its restatement was accepted")
	}

	// An operator cannot be registered twice, so its country and first
	// quarter due never change; a new operator due from 2025-Q1 that
	// filed nothing is due in every span.
	if _, err := svc.RegisterOperator(ctx, ledger.SystemActor, ledger.Operator{ID: "op-b", Name: "Operator B", Country: "TH",
		Kinds: []string{"mobile"}, ReportingFrom: ledger.Period{Year: 2025, Quarter: 1}}); err == nil {
		t.Fatal("op-b was registered a second time")
	}
	if _, err := svc.RegisterOperator(ctx, ledger.SystemActor, ledger.Operator{ID: "op-c", Name: "Operator C", Country: "TH",
		Kinds: []string{"fixed"}, ReportingFrom: ledger.Period{Year: 2025, Quarter: 1}}); err != nil {
		t.Fatal(err)
	}
	if v := check("op-c registered"); v[q3].Coverage.Due != 3 {
		t.Errorf("2025-Q3 has %d operators due, want 3", v[q3].Coverage.Due)
	}

	// The administration names itself, then changes its name.
	for _, name := range []string{"National Telecommunications Office", "Digital Economy Commission"} {
		j := fixtures.DemoJurisdictions()[0]
		if j.Country != "TH" {
			t.Fatalf("the first demo jurisdiction is %s", j.Country)
		}
		j.Name = name
		if _, err := svc.SetJurisdiction(ctx, ledger.SystemActor, j); err != nil {
			t.Fatal(err)
		}
		if v := check("TH named " + name); !strings.Contains(mustJSON(t, v[q3]), `"name":"`+name+`"`) {
			t.Errorf("2025-Q3 does not show TH as %q", name)
		}
	}

	// A factor set published later changes no version's figures.
	if _, err := svc.PublishFactorSet(ctx, ledger.SystemActor, fixtures.FactorSet20261()); err != nil {
		t.Fatal(err)
	}
	check("a factor set published")
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRegionTouchedByFiling: a filed return, a restatement and a review
// touch the one operator they are of, so that the regional view after
// them reads that operator again and no other.
func TestRegionTouchedByFiling(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC))
	svc := env.Service
	reg := env.Token(ledger.RoleRegulator)
	a := env.Operator("op-a", "Operator A", "TH")
	env.Operator("op-b", "Operator B", "VN")
	body := func(restates string) []byte {
		return servicetest.ReturnWith(t, "op-a", "2025-Q3", func(m map[string]any) {
			delete(m, "renewable_claims")
			if restates != "" {
				m["restates"], m["reason"] = restates, "a corrected meter reading"
			}
		})
	}
	steps := []struct {
		name string
		do   func()
	}{}
	var first string
	steps = append(steps,
		struct {
			name string
			do   func()
		}{"filed", func() { first = env.File(a, body("")).ID }},
		struct {
			name string
			do   func()
		}{"accepted", func() { env.Review(reg, first, ledger.Review{Decision: ledger.DecisionAccept}) }},
		struct {
			name string
			do   func()
		}{"restated", func() { env.File(a, body(first)) }},
	)
	for _, step := range steps {
		from := svc.State().Size()
		step.do()
		touched, all := service.RegionTouched(svc, from, svc.State().Size())
		if all || len(touched) != 1 || touched[0] != "op-a" {
			t.Errorf("%s: touched %v (all %v), want op-a only", step.name, touched, all)
		}
	}
}

// TestRegionWhileFiling: regional views of several spans asked for from
// four goroutines while returns are filed and accepted, with a derived
// directory, answer or say busy, never fail otherwise; once the filings
// stop, each span is what the roll-ups give, and so it is for a service
// started afresh on the files written meanwhile. Run with -race, it
// checks the view, its gate and the writer of the files together.
func TestRegionWhileFiling(t *testing.T) {
	dir, derived := t.TempDir(), filepath.Join(t.TempDir(), "derived")
	if _, err := loadtest.GenerateRegion(context.Background(), dir, loadtest.RegionConfig{Jurisdictions: 3, Operators: 3, Years: 2, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	d := openGenerated(t, dir, derived)
	svc := d.Service()
	env := &servicetest.Env{T: t, Service: svc}
	reg := env.Token(ledger.RoleRegulator)
	spans := []ledger.Span{{Year: 2025}, {Year: 2025, Quarter: 4}, {Year: 2026}, {Year: 2026, Quarter: 1}}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := svc.Region(spans[i%len(spans)]); err != nil && ledger.ErrorCode(err) != ledger.EBusy {
					errs <- err
					return
				}
			}
		}(g)
	}
	for i, p := range []string{"2025-Q4", "2026-Q1"} {
		for j := 0; j < 3; j++ {
			op := fmt.Sprintf("op-race-%d-%d", i, j)
			secret := env.Operator(op, "Operator "+op, []string{"TH", "VN", "MY"}[j])
			f := env.File(secret, servicetest.ReturnWith(t, op, p, func(m map[string]any) { delete(m, "renewable_claims") }))
			if j != 1 {
				env.Review(reg, f.ID, ledger.Review{Decision: ledger.DecisionAccept})
			}
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, sp := range spans {
		sameAsSectorNow(t, svc, sp, "after the filings")
	}
	service.WaitRegionTerms(svc)
	fresh := d.Restart(t)
	for _, sp := range spans {
		sameAsSectorNow(t, fresh, sp, "a new service on the files written")
	}
}

// TestRegionSpanNobodyFiledFor: anyone may ask for any year from 1990
// on; a span nobody filed for is answered from the operators' records
// alone (every operator due is due, none filed), reading no operator's
// returns, and asking for many such spans does not push the spans
// operators filed for out of memory.
func TestRegionSpanNobodyFiledFor(t *testing.T) {
	dir := t.TempDir()
	if _, err := loadtest.GenerateRegion(context.Background(), dir, loadtest.RegionConfig{Jurisdictions: 3, Operators: 3, Years: 2, Seed: 6}); err != nil {
		t.Fatal(err)
	}
	svc := openGenerated(t, dir, "").Service()
	filed := ledger.Span{Year: 2025}
	sameAsSectorNow(t, svc, filed, "first view")
	read := service.RegionOperatorsRead(svc)
	for y := 2030; y < 2040; y++ {
		for _, sp := range []ledger.Span{{Year: y}, {Year: y, Quarter: 2}} {
			if r := sameAsSectorNow(t, svc, sp, "nobody filed"); r.Coverage.Due != 9 || r.Coverage.Filed != 0 {
				t.Errorf("%s: coverage %+v, want 9 due and none filed", sp, r.Coverage)
			}
		}
	}
	if n := service.RegionOperatorsRead(svc) - read; n != 0 {
		t.Errorf("spans nobody filed for read %d operators' returns, want none", n)
	}
	// An entry that touches no operator: the year is still in memory.
	if _, err := svc.IssueToken(context.Background(), ledger.SystemActor, ledger.RoleRegulator, "", "later"); err != nil {
		t.Fatal(err)
	}
	sameAsSectorNow(t, svc, filed, "after a token")
	if n := service.RegionOperatorsRead(svc) - read; n != 0 {
		t.Errorf("the year, asked again after a token, read %d operators' returns, want none", n)
	}
}
