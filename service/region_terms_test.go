package service_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/loadtest"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// demoEnv files the demo ledger (fixtures.Build up to 2026-Q2) through
// the service, each filing at its demo time and each review right after
// it, with both built-in factor sets published.
func demoEnv(t *testing.T, cfg service.Config) *servicetest.Env {
	t.Helper()
	ctx := context.Background()
	demo := fixtures.Build(ledger.Period{Year: 2026, Quarter: 2})
	env := servicetest.NewConfigured(t, time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), cfg)
	svc, sys := env.Service, ledger.SystemActor
	if _, err := svc.PublishFactorSet(ctx, sys, fixtures.FactorSet20261()); err != nil {
		t.Fatal(err)
	}
	for _, j := range fixtures.DemoJurisdictions() {
		if _, err := svc.SetJurisdiction(ctx, sys, j); err != nil {
			t.Fatal(err)
		}
	}
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	actors := map[string]ledger.Actor{}
	for _, d := range demo.Operators {
		if len(d.Filings) > 0 && d.Operator.ReportingFrom.IsZero() {
			d.Operator.ReportingFrom = d.Filings[0].Return.Period
		}
		if _, err := svc.RegisterOperator(ctx, sys, d.Operator); err != nil {
			t.Fatal(err)
		}
		tok, err := svc.IssueToken(ctx, sys, ledger.RoleOperator, d.Operator.ID, "demo")
		if err != nil {
			t.Fatal(err)
		}
		actors[d.Operator.ID] = env.Actor(tok.Token)
	}
	for _, s := range demo.InTimeOrder() {
		env.Clock.Set(s.Filing.FiledAt)
		r := s.Filing.Return
		if s.Filing.Restatement {
			r.Restates = svc.State().Latest(s.Operator, r.Period).ID
		}
		decode := func(resolve func(*ledger.Return) filing.Context) (*ledger.Return, []ledger.Warning, error) {
			problems, warnings := filing.Validate(&r, resolve(&r))
			if len(problems) > 0 {
				t.Fatalf("demo return %s %s: %v", s.Operator, r.Period, problems)
			}
			return &r, warnings, nil
		}
		f, err := svc.FileReturn(ctx, actors[s.Operator], s.Operator, decode, "")
		if err != nil {
			t.Fatalf("file %s %s: %v", s.Operator, r.Period, err)
		}
		if rv := s.Filing.Review; rv != nil {
			if _, err := svc.Review(ctx, reg, f.ID, ledger.Review{Decision: rv.Decision, Comment: rv.Comment, Findings: rv.Findings}); err != nil {
				t.Fatal(err)
			}
		}
	}
	env.Clock.Set(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
	return env
}

// allSpans lists every year from first to last and each of its quarters.
func allSpans(first, last int) []ledger.Span {
	var out []ledger.Span
	for y := first; y <= last; y++ {
		out = append(out, ledger.Span{Year: y})
		for q := 1; q <= 4; q++ {
			out = append(out, ledger.Span{Year: y, Quarter: q})
		}
	}
	return out
}

// sameAsSector holds the regional view of each span to the view made
// by adding roll-ups with calculators.Sector, byte for byte, and says
// how many spans had counted operators.
func sameAsSector(t *testing.T, svc *service.Service, spans []ledger.Span) int {
	t.Helper()
	counted := 0
	for _, sp := range spans {
		ref := sameAsSectorNow(t, svc, sp, "terms")
		if len(ref.Coverage.Counted) > 0 {
			counted++
		}
	}
	return counted
}

// TestRegionTermsMatchSectorDemo: on the demo ledger (2025.1 and 2026.1
// returns, restatements, returned versions, a missing quarter), every
// year and quarter of the regional view is what adding the roll-ups
// gives.
func TestRegionTermsMatchSectorDemo(t *testing.T) {
	env := demoEnv(t, service.Config{})
	if n := sameAsSector(t, env.Service, allSpans(2023, 2026)); n < 10 {
		t.Errorf("only %d spans had counted operators", n)
	}
}

// TestRegionTermsMatchSectorGenerated: the same on a small generated
// regional ledger (partial years, returns awaiting review).
func TestRegionTermsMatchSectorGenerated(t *testing.T) {
	svc := generatedRegion(t, loadtest.RegionConfig{Jurisdictions: 4, Operators: 5, Years: 3, Seed: 1}, "")
	if n := sameAsSector(t, svc, allSpans(2023, 2025)); n < 15 {
		t.Errorf("only %d spans had counted operators", n)
	}
}

// TestRegionTermsMatchSectorRegional is the same on the benchmarks'
// cached regional ledger (ICTLEDGER_BENCH_REGION, 10x50x10 advised), for
// every span of its ten years. It takes minutes: only with
// ICTLEDGER_REGION_EQUIV=1.
func TestRegionTermsMatchSectorRegional(t *testing.T) {
	if os.Getenv("ICTLEDGER_REGION_EQUIV") == "" {
		t.Skip("set ICTLEDGER_REGION_EQUIV=1 to compare every span of the cached regional ledger")
	}
	cfg, err := loadtest.RegionFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	src, err := loadtest.CachedRegion(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := loadtest.CopyDir(src, dir); err != nil {
		t.Fatal(err)
	}
	svc := openGenerated(t, dir, "").Service()
	if n := sameAsSector(t, svc, allSpans(cfg.LastYear-cfg.Years+1, cfg.LastYear)); n < 5*cfg.Years {
		t.Errorf("only %d spans had counted operators", n)
	}
}

// generatedRegion generates a regional ledger into a new directory and
// opens a service on it, keeping terms in derived ("" for none).
func generatedRegion(t *testing.T, cfg loadtest.RegionConfig, derived string) *service.Service {
	t.Helper()
	dir := t.TempDir()
	if _, err := loadtest.GenerateRegion(context.Background(), dir, cfg); err != nil {
		t.Fatal(err)
	}
	return openGenerated(t, dir, derived).Service()
}

// openGenerated serves the generated ledger in dir with a clock in
// mid-2026, past every deadline of it, keeping terms in derived ("" for
// none).
func openGenerated(t testing.TB, dir, derived string) *servicetest.Dir {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
	return servicetest.OpenDir(t, dir, service.Config{Now: now, DerivedDir: derived})
}

// TestRegionTermsKeptAcrossRestart: terms written by one service are
// read by a new service of the same build on the same directory, which
// then computes no operator again and answers the same bytes; a file
// that is damaged, or that another build wrote, is not used but
// computed again, with the same answer and no error.
func TestRegionTermsKeptAcrossRestart(t *testing.T) {
	dir, derived := t.TempDir(), filepath.Join(t.TempDir(), "derived")
	if _, err := loadtest.GenerateRegion(context.Background(), dir, loadtest.RegionConfig{Jurisdictions: 3, Operators: 4, Years: 2, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	d := openGenerated(t, dir, derived)
	spans := []ledger.Span{{Year: 2025}, {Year: 2025, Quarter: 2}}
	first := d.Service()
	want := map[ledger.Span]string{}
	for _, sp := range spans {
		want[sp] = regionJSON(t, first, sp)
	}
	if service.RegionTermsComputed(first) == 0 {
		t.Fatal("the first service computed no terms")
	}
	service.WaitRegionTerms(first)
	file := filepath.Join(derived, "region", "2025.gob")
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}

	again := d.Restart(t)
	for _, sp := range spans {
		if got := regionJSON(t, again, sp); got != want[sp] {
			t.Errorf("%s after a restart:\n%s\nwant\n%s", sp, got, want[sp])
		}
	}
	if n := service.RegionTermsComputed(again); n != 0 {
		t.Errorf("a restarted service computed %d operators' terms, want 0", n)
	}

	for _, damage := range []string{"truncated", "not gob", "build", "span", "root", "at"} {
		var err error
		switch damage {
		case "truncated":
			err = os.WriteFile(file, raw[:len(raw)/2], 0o600)
		case "not gob":
			err = os.WriteFile(file, []byte("\x00\x01{}"), 0o600)
		default:
			if err = os.WriteFile(file, raw, 0o600); err == nil {
				err = service.AlterRegionTerms(file, damage)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		svc := d.Restart(t)
		if got := regionJSON(t, svc, ledger.Span{Year: 2025}); got != want[ledger.Span{Year: 2025}] {
			t.Errorf("file with %s: the view differs:\n%s\nwant\n%s", damage, got, want[ledger.Span{Year: 2025}])
		}
		if service.RegionTermsComputed(svc) == 0 {
			t.Errorf("file with %s: its terms were used", damage)
		}
		service.WaitRegionTerms(svc)
	}
	// A span nobody filed for is answered but not kept.
	empty := d.Restart(t)
	if got := regionJSON(t, empty, ledger.Span{Year: 2031}); !strings.Contains(got, `"countries":[]`) {
		t.Errorf("2031: %s", got)
	}
	service.WaitRegionTerms(empty)
	if _, err := os.Stat(filepath.Join(derived, "region", "2031.gob")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file for a span nobody filed for: %v", err)
	}
	// An unaltered copy is used: the damage above is what was refused.
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if svc := d.Restart(t); regionJSON(t, svc, ledger.Span{Year: 2025}) != want[ledger.Span{Year: 2025}] || service.RegionTermsComputed(svc) != 0 {
		t.Errorf("the unaltered file was not used")
	}
	// The last service wrote the file again: a new one uses it.
	svc := d.Restart(t)
	regionJSON(t, svc, ledger.Span{Year: 2025})
	if n := service.RegionTermsComputed(svc); n != 0 {
		t.Errorf("after the file was written again, %d operators' terms computed, want 0", n)
	}
}

// TestRegionTermsAfterRestartAndChange: a service started on a directory
// whose terms were written before entries were added reads the entries
// since and computes again only the operators they touch (here one
// accepted return), with the answer a view from the roll-ups gives.
func TestRegionTermsAfterRestartAndChange(t *testing.T) {
	dir, derived := t.TempDir(), filepath.Join(t.TempDir(), "derived")
	if _, err := loadtest.GenerateRegion(context.Background(), dir, loadtest.RegionConfig{Jurisdictions: 3, Operators: 4, Years: 2, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	d := openGenerated(t, dir, derived)
	year := ledger.Span{Year: 2025}
	cur := d.Service()
	regionJSON(t, cur, year)
	service.WaitRegionTerms(cur)

	// A regulator accepts a submitted 2025 return, and a token is issued
	// (an entry that touches no operator).
	submitted := firstSubmitted(t, cur, 2025)
	acceptAsRegulator(t, cur, submitted)

	cur = d.Restart(t)
	got := regionJSON(t, cur, year)
	if n := service.RegionTermsComputed(cur); n != 1 {
		t.Errorf("after a restart and one acceptance, %d operators' terms computed, want 1", n)
	}
	sameAsSectorNow(t, cur, year, "after a restart and one acceptance")
	if !strings.Contains(got, submitted.Operator) {
		t.Errorf("the accepted operator %s is not in the view", submitted.Operator)
	}
}

// TestRegionTermsHugeFileNotRead: a span file far larger than a ledger
// of its operators can need (here a valid file with a gigabyte of zeros
// after it, which costs no disk) is not read into memory: the view is
// computed again, the same, without allocating the file's size.
func TestRegionTermsHugeFileNotRead(t *testing.T) {
	dir, derived := t.TempDir(), filepath.Join(t.TempDir(), "derived")
	if _, err := loadtest.GenerateRegion(context.Background(), dir, loadtest.RegionConfig{Jurisdictions: 2, Operators: 3, Years: 1, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	d := openGenerated(t, dir, derived)
	year := ledger.Span{Year: 2025}
	want := regionJSON(t, d.Service(), year)
	service.WaitRegionTerms(d.Service())
	file := filepath.Join(derived, "region", "2025.gob")
	if err := os.Truncate(file, 1<<30); err != nil {
		t.Fatal(err)
	}
	svc := d.Restart(t)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got := regionJSON(t, svc, year)
	runtime.ReadMemStats(&after)
	if got != want {
		t.Errorf("with a huge file the view differs:\n%s\nwant\n%s", got, want)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 256<<20 {
		t.Errorf("the view allocated %d MB with a 1 GB file in derived/", n>>20)
	}
	if service.RegionTermsComputed(svc) == 0 {
		t.Errorf("the huge file's terms were used")
	}
}

// TestRegionTermsAfterRestore: terms written after an acceptance are not
// used on a ledger restored from a backup taken before it, neither while
// the restored ledger is shorter than the point they were written at nor
// once other entries bring it to the same size: each view is what the
// roll-ups of the restored ledger give.
func TestRegionTermsAfterRestore(t *testing.T) {
	dir, backup, derived := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "derived")
	if _, err := loadtest.GenerateRegion(context.Background(), dir, loadtest.RegionConfig{Jurisdictions: 3, Operators: 4, Years: 2, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if err := loadtest.CopyDir(dir, backup); err != nil {
		t.Fatal(err)
	}
	year := ledger.Span{Year: 2025}
	ctx := context.Background()
	d := openGenerated(t, dir, derived)
	cur := d.Service()
	submitted := firstSubmitted(t, cur, 2025)
	acceptAsRegulator(t, cur, submitted) // two entries: a regulator's token and its acceptance
	accepted := regionJSON(t, cur, year)
	if !strings.Contains(accepted, submitted.Operator) {
		t.Fatalf("the accepted operator %s is not in the view", submitted.Operator)
	}
	service.WaitRegionTerms(cur)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(derived, "region", "2025.gob")
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}

	check := func(svc *service.Service, step string) {
		t.Helper()
		sameAsSectorNow(t, svc, year, step)
		if got := regionJSON(t, svc, year); got == accepted {
			t.Errorf("%s: the view is the one after the acceptance the backup does not have", step)
		}
		service.WaitRegionTerms(svc)
	}
	// The backup as it is, shorter than the file's point.
	r := openGenerated(t, backup, derived)
	check(r.Service(), "restored")
	// The backup with two other entries, as long as the ledger the file
	// was written on; the file is put back as it was.
	for _, label := range []string{"one", "two"} {
		if _, err := r.Service().IssueToken(ctx, ledger.SystemActor, ledger.RoleRegulator, "", label); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	check(r.Restart(t), "restored, then two other entries")
}

// TestRegionTermsNotAheadOfTheirPoint: entries applied while a view reads
// the operators are in what it reads but past the ledger size it names;
// such facts are not written as of that size, so that a ledger restored
// to exactly that size (a backup taken then) does not show an acceptance
// it does not have.
func TestRegionTermsNotAheadOfTheirPoint(t *testing.T) {
	dir, backup, derived := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "derived")
	if _, err := loadtest.GenerateRegion(context.Background(), dir, loadtest.RegionConfig{Jurisdictions: 3, Operators: 4, Years: 2, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	year := ledger.Span{Year: 2025}
	ctx := context.Background()
	d := openGenerated(t, dir, derived)
	cur := d.Service()
	submitted := firstSubmitted(t, cur, 2025)
	reg, err := cur.IssueToken(ctx, ledger.SystemActor, ledger.RoleRegulator, "", "test")
	if err != nil {
		t.Fatal(err)
	}
	// While the view reads the operators, a backup is taken and then the
	// return is accepted.
	service.SetRegionAfterSize(cur, func() {
		service.SetRegionAfterSize(cur, nil)
		if err := loadtest.CopyDir(dir, backup); err != nil {
			t.Error(err)
		}
		if _, err := cur.Review(ctx, ledger.Actor{TokenID: reg.ID, Role: ledger.RoleRegulator}, submitted.ID, ledger.Review{Decision: ledger.DecisionAccept}); err != nil {
			t.Error(err)
		}
	})
	regionJSON(t, cur, year)
	service.WaitRegionTerms(cur)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	r := openGenerated(t, backup, derived)
	sameAsSectorNow(t, r.Service(), year, "on the backup")
}

// firstSubmitted is a return of year whose latest version is still
// submitted, the first found.
func firstSubmitted(t *testing.T, svc *service.Service, year int) *state.ReturnVersion {
	t.Helper()
	for _, op := range svc.State().Operators() {
		for _, rv := range svc.State().LatestOf(op.ID) {
			if rv.Period.Year == year && rv.Status() == ledger.StatusSubmitted {
				return rv
			}
		}
	}
	t.Fatalf("no submitted %d return", year)
	return nil
}

// acceptAsRegulator issues a regulator's token and accepts rv with it:
// two entries.
func acceptAsRegulator(t *testing.T, svc *service.Service, rv *state.ReturnVersion) {
	t.Helper()
	ctx := context.Background()
	reg, err := svc.IssueToken(ctx, ledger.SystemActor, ledger.RoleRegulator, "", "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Review(ctx, ledger.Actor{TokenID: reg.ID, Role: ledger.RoleRegulator}, rv.ID, ledger.Review{Decision: ledger.DecisionAccept}); err != nil {
		t.Fatal(err)
	}
}
