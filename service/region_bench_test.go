package service_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/store"
	"github.com/ictledger/ictledger/loadtest"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// regionLedger is a copy of the benchmarks' regional ledger
// (loadtest.CachedRegion, sized by ICTLEDGER_BENCH_REGION) in a
// directory of the benchmark's own, since serving records documents in
// it, with its tokens.
type regionLedger struct {
	dir    string
	tokens map[string]string
}

func benchRegion(b *testing.B) regionLedger {
	b.Helper()
	cfg, err := loadtest.RegionFromEnv()
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	src, err := loadtest.CachedRegion(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	rl := regionLedger{dir: b.TempDir()}
	if err := loadtest.CopyDir(src, rl.dir); err != nil {
		b.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(rl.dir, loadtest.TokensFile))
	if err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(raw, &rl.tokens); err != nil {
		b.Fatal(err)
	}
	b.Logf("region %s copied in %v", src, time.Since(start))
	return rl
}

// regionServer is an open region whose service can be replaced by a new
// one on the same state (Restart): a new service has an empty result
// cache, so its first answer is a cold one, without replaying the
// journal again.
type regionServer struct {
	*servicetest.Dir
	tokens  map[string]string
	derived string // the services' derived directory, as a server's DATA/derived
}

// openRegion opens the region in dir as the server does: the store
// replays the journal into a new state, and a service starts on it.
func openRegion(b *testing.B, dir string) *regionServer {
	b.Helper()
	derived := filepath.Join(dir, "derived")
	return &regionServer{Dir: openGenerated(b, dir, derived), derived: derived}
}

// openRegionServer opens a copy of the benchmarks' regional ledger, with
// its tokens, closed when the benchmark ends.
func openRegionServer(b *testing.B) *regionServer {
	b.Helper()
	rl := benchRegion(b)
	rs := openRegion(b, rl.dir)
	rs.tokens = rl.tokens
	return rs
}

// cold runs op on a new service each time, as the first request it
// answers, with the actor of the token named who ("" for none): the
// service is started and the actor authenticated before the clock
// starts. It reports op's CPU time beside its wall time.
func (rs *regionServer) cold(b *testing.B, who string, op func(svc *service.Service, a ledger.Actor)) {
	clock := &cpuClock{b: b}
	defer clock.report()
	for b.Loop() {
		b.StopTimer()
		svc := rs.Restart(b)
		var a ledger.Actor
		if who != "" {
			a = actorOf(b, svc, rs.tokens, who)
		}
		b.StartTimer()
		clock.startOp()
		op(svc, a)
		clock.stopOp()
	}
}

// cpuClock reports the process's CPU time per operation beside the wall
// time: on this project's shared machine the wall time of one
// operation swings with the load of other builds, its CPU time much
// less. The figure counts every goroutine, the collector's included.
type cpuClock struct {
	b     *testing.B
	spent time.Duration
	start time.Duration
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (c *cpuClock) startOp() { c.start = processCPU() }
func (c *cpuClock) stopOp()  { c.spent += processCPU() - c.start }
func (c *cpuClock) report() {
	if c.b.N > 0 {
		c.b.ReportMetric(float64(c.spent)/1e6/float64(c.b.N), "cpu-ms/op")
	}
}

func actorOf(b *testing.B, svc *service.Service, tokens map[string]string, name string) ledger.Actor {
	b.Helper()
	a, err := svc.Authenticate(tokens[name])
	if err != nil {
		b.Fatalf("token %s: %v", name, err)
	}
	return a
}

// BenchmarkRegionRestart opens the regional ledger as a restarted server
// does without a state snapshot (the first start of a new build, or
// after the snapshot was lost): the journal read, checked and replayed
// into a new state, the tree rebuilt, the checkpoint checked, the
// service started. Target: under 10 s for 40 jurisdictions x 50
// operators x 10 years.
func BenchmarkRegionRestart(b *testing.B) {
	benchRestart(b, false)
}

// BenchmarkRegionRestartSnapshot is BenchmarkRegionRestart from the
// state snapshot the previous Close wrote: the journal read and checked,
// the tree rebuilt, the state loaded from the snapshot.
func BenchmarkRegionRestartSnapshot(b *testing.B) {
	benchRestart(b, true)
}

func benchRestart(b *testing.B, snapshot bool) {
	rl := benchRegion(b)
	if snapshot {
		// The first open replays; its Close writes the snapshot.
		if err := openRegion(b, rl.dir).Close(); err != nil {
			b.Fatal(err)
		}
	}
	clock := &cpuClock{b: b}
	defer clock.report()
	for b.Loop() {
		b.StopTimer()
		_, err := os.Stat(filepath.Join(rl.dir, store.SnapshotFile))
		if !snapshot {
			if err := os.Remove(filepath.Join(rl.dir, store.SnapshotFile)); err != nil && !os.IsNotExist(err) {
				b.Fatal(err)
			}
		} else if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		b.StartTimer()
		clock.startOp()
		rs := openRegion(b, rl.dir)
		clock.stopOp()
		svc := rs.Service()
		b.StopTimer()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
		b.ReportMetric(float64(svc.Size()), "entries")
		if err := rs.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkRegionViewCold is the first GET /v1/region?period=2025 of a
// new service on a data directory where an earlier service (as before a
// restart) computed the view of the year and kept its operators' terms:
// every jurisdiction's accepted returns of the year. Target: under
// 300 ms. store-bytes is the size of the year's file of terms.
func BenchmarkRegionViewCold(b *testing.B) {
	span := ledger.Span{Year: 2025}
	rs := openRegionServer(b)
	earlier := rs.Restart(b)
	if _, err := earlier.Region(span); err != nil {
		b.Fatal(err)
	}
	service.WaitRegionTerms(earlier)
	fi, err := os.Stat(filepath.Join(rs.derived, "region", "2025.gob"))
	if err != nil {
		b.Fatal(err)
	}
	rs.cold(b, "", func(svc *service.Service, _ ledger.Actor) {
		r, err := svc.Region(span)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Countries) == 0 {
			b.Fatal("no country in the regional view")
		}
		if n := service.RegionTermsComputed(svc); n != 0 {
			b.Fatalf("a cold view computed %d operators' terms; the kept ones were not used", n)
		}
	})
	b.ReportMetric(float64(fi.Size()), "store-bytes")
}

// BenchmarkRegionViewFirst is the first GET /v1/region?period=2025 ever
// asked of a data directory (no terms kept): every operator's accepted
// quarters of the year are computed with their history, once.
func BenchmarkRegionViewFirst(b *testing.B) {
	span := ledger.Span{Year: 2025}
	rs := openRegionServer(b)
	clock := &cpuClock{b: b}
	defer clock.report()
	for b.Loop() {
		b.StopTimer()
		if err := os.RemoveAll(rs.derived); err != nil {
			b.Fatal(err)
		}
		svc := rs.Restart(b)
		b.StartTimer()
		clock.startOp()
		r, err := svc.Region(span)
		clock.stopOp()
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Countries) == 0 {
			b.Fatal("no country in the regional view")
		}
		b.StopTimer()
		service.WaitRegionTerms(svc)
		b.StartTimer()
	}
}

// BenchmarkRegionViewNobodyFiled is GET /v1/region for a year nobody
// filed for, which anyone may ask for (any year from 1990): each
// iteration asks for another year, so that none is answered from the
// result cache, while the view holds the region gate.
func BenchmarkRegionViewNobodyFiled(b *testing.B) {
	rs := openRegionServer(b)
	svc := rs.Restart(b)
	clock := &cpuClock{b: b}
	defer clock.report()
	year := 2100
	for b.Loop() {
		clock.startOp()
		r, err := svc.Region(ledger.Span{Year: year})
		clock.stopOp()
		if err != nil {
			b.Fatal(err)
		}
		if r.Coverage.Due == 0 || r.Coverage.Filed != 0 {
			b.Fatalf("%d: coverage %+v", year, r.Coverage)
		}
		if year++; year > 9999 {
			year = 2100
		}
	}
}

// BenchmarkRegionViewAfterReview is GET /v1/region?period=2025 asked
// again after one more entry: a regulator accepts one operator's
// submitted 2025-Q4 return, which changes that operator's figures of
// the year and no other's. The view is computed again (the ledger
// changed) from the other operators' terms kept by the view before.
// The year's terms are then written to the derived directory in the
// background; write-ms is the time left of that write when the view
// has answered, waited for outside the clock.
func BenchmarkRegionViewAfterReview(b *testing.B) {
	rs := openRegionServer(b)
	svc := rs.Restart(b)
	span := ledger.Span{Year: 2025}
	if _, err := svc.Region(span); err != nil {
		b.Fatal(err)
	}
	reg := actorOf(b, svc, rs.tokens, "regulator:*")
	var submitted []string
	for _, op := range svc.State().Operators() {
		if rv := svc.State().Latest(op.ID, ledger.Period{Year: 2025, Quarter: 4}); rv != nil && rv.Status() == ledger.StatusSubmitted {
			submitted = append(submitted, rv.ID)
		}
	}
	service.WaitRegionTerms(svc)
	clock := &cpuClock{b: b}
	defer clock.report()
	var writing time.Duration
	defer func() { b.ReportMetric(float64(writing.Milliseconds())/float64(b.N), "write-ms/op") }()
	for b.Loop() {
		b.StopTimer()
		if len(submitted) == 0 {
			b.Fatal("no submitted 2025-Q4 return left to accept")
		}
		if _, err := svc.Review(context.Background(), reg, submitted[0], ledger.Review{Decision: ledger.DecisionAccept}); err != nil {
			b.Fatal(err)
		}
		submitted = submitted[1:]
		b.StartTimer()
		clock.startOp()
		r, err := svc.Region(span)
		clock.stopOp()
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Countries) == 0 {
			b.Fatal("no country in the regional view")
		}
		b.StopTimer()
		w := time.Now()
		service.WaitRegionTerms(svc)
		writing += time.Since(w)
		b.StartTimer()
	}
}

// BenchmarkRegionViewAfterFiling is GET /v1/region?period=2025 asked
// again after one more entry: an operator files its first return of
// 2026, which changes no figure of 2025. The view reads that operator's
// versions again and, before that entry kind was read right, every
// operator's.
func BenchmarkRegionViewAfterFiling(b *testing.B) {
	rs := openRegionServer(b)
	svc := rs.Restart(b)
	span := ledger.Span{Year: 2025}
	want, err := svc.Region(span)
	if err != nil {
		b.Fatal(err)
	}
	ops := svc.State().Operators()
	service.WaitRegionTerms(svc)
	clock := &cpuClock{b: b}
	defer clock.report()
	for b.Loop() {
		b.StopTimer()
		if len(ops) == 0 {
			b.Fatal("no operator left to file 2026-Q1")
		}
		op := ops[0].ID
		ops = ops[1:]
		tok, err := svc.IssueToken(context.Background(), ledger.SystemActor, ledger.RoleOperator, op, "bench")
		if err != nil {
			b.Fatal(err)
		}
		a := actorOf(b, svc, map[string]string{op: tok.Token}, op)
		body := servicetest.ReturnWith(b, op, "2026-Q1", func(m map[string]any) { delete(m, "renewable_claims") })
		if _, err := svc.FileReturn(context.Background(), a, op, servicetest.JSONDecoder(body), ""); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		clock.startOp()
		r, err := svc.Region(span)
		clock.stopOp()
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Countries) != len(want.Countries) {
			b.Fatal("a filing for 2026 changed the countries of 2025")
		}
		b.StopTimer()
		service.WaitRegionTerms(svc)
		b.StartTimer()
	}
}

// BenchmarkJurisdictionSectorCold is the first sector view of a quarter
// for a regulator of one jurisdiction (50 operators). Target: under 300 ms.
func BenchmarkJurisdictionSectorCold(b *testing.B) {
	benchSectorViewCold(b, ledger.Span{Year: 2025, Quarter: 3})
}

// BenchmarkJurisdictionSectorYearCold is the first sector view of a
// year for a regulator of one jurisdiction: four quarters of each of
// its 50 operators, which share their history.
func BenchmarkJurisdictionSectorYearCold(b *testing.B) {
	benchSectorViewCold(b, ledger.Span{Year: 2025})
}

// benchSectorViewCold times Thailand's regulator's first sector view of
// span on a new service.
func benchSectorViewCold(b *testing.B, span ledger.Span) {
	openRegionServer(b).cold(b, "regulator:TH", func(svc *service.Service, a ledger.Actor) {
		m, err := svc.SectorMetrics(a, span, "")
		if err != nil {
			b.Fatal(err)
		}
		if m.Country != "TH" || m.Filed == 0 {
			b.Fatalf("view of %q with %d filed", m.Country, m.Filed)
		}
	})
}

// BenchmarkJurisdictionStatusCold is the first filing status of a
// quarter for a regulator of one jurisdiction. Target: under 300 ms.
func BenchmarkJurisdictionStatusCold(b *testing.B) {
	p := ledger.Period{Year: 2025, Quarter: 3}
	openRegionServer(b).cold(b, "regulator:TH", func(svc *service.Service, a ledger.Actor) {
		st, err := svc.SectorStatus(a, p)
		if err != nil {
			b.Fatal(err)
		}
		if st.Country != "TH" || len(st.Operators) == 0 {
			b.Fatalf("status of %q with %d operators", st.Country, len(st.Operators))
		}
	})
}

// BenchmarkJurisdictionSectorPDFCold is a sector PDF of a quarter for a
// regulator of one jurisdiction on a new service, rendered in this
// process: the jurisdiction's record found still the view's (the first
// run, before the clock starts, appends it) and its report drawn.
// Target: under 300 ms.
func BenchmarkJurisdictionSectorPDFCold(b *testing.B) {
	span := ledger.Span{Year: 2025, Quarter: 3}
	rs := openRegionServer(b)
	first := rs.Restart(b)
	if _, err := first.SectorDisclosure(context.Background(), actorOf(b, first, rs.tokens, "regulator:TH"), span, ""); err != nil {
		b.Fatal(err)
	}
	rs.cold(b, "regulator:TH", func(svc *service.Service, a ledger.Actor) {
		pdf, err := svc.SectorDisclosure(context.Background(), a, span, "")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(pdf)), "pdf-bytes")
	})
}

// BenchmarkJurisdictionSectorPDFVerify is POST /v1/verify of the
// document of BenchmarkJurisdictionSectorPDFCold, rendered before the
// clock starts, on a new service each time (the result cache holds no
// rendering of it).
func BenchmarkJurisdictionSectorPDFVerify(b *testing.B) {
	rs := openRegionServer(b)
	span := ledger.Span{Year: 2025, Quarter: 3}
	svc := rs.Restart(b)
	pdf, err := svc.SectorDisclosure(context.Background(), actorOf(b, svc, rs.tokens, "regulator:TH"), span, "")
	if err != nil {
		b.Fatal(err)
	}
	rs.cold(b, "", func(svc *service.Service, _ ledger.Actor) {
		res, err := svc.VerifyDisclosure(context.Background(), pdf)
		if err != nil {
			b.Fatal(err)
		}
		if !res.Valid {
			b.Fatalf("not valid: %v", res.Problems)
		}
	})
}

// BenchmarkRegionPDFCold is GET /v1/region/disclosures/2025-Q3.pdf on a
// new service, rendered by disclosure.Render: the regional view
// computed, the span's record found still the view's (the first run,
// before the clock starts, appends it) and its report rendered.
func BenchmarkRegionPDFCold(b *testing.B) {
	span := ledger.Span{Year: 2025, Quarter: 3}
	rs := openRegionServer(b)
	regionPDF(b, rs.Restart(b), span)
	rs.cold(b, "", func(svc *service.Service, _ ledger.Actor) {
		regionPDF(b, svc, span)
	})
}

// BenchmarkRegionPDFAgain is the same request again on the service that
// answered it once.
func BenchmarkRegionPDFAgain(b *testing.B) {
	span := ledger.Span{Year: 2025, Quarter: 3}
	svc := openRegionServer(b).Restart(b)
	regionPDF(b, svc, span)
	clock := &cpuClock{b: b}
	defer clock.report()
	for b.Loop() {
		clock.startOp()
		regionPDF(b, svc, span)
		clock.stopOp()
	}
}

// regionPDF asks svc for the regional document of span and reports its
// size.
func regionPDF(b *testing.B, svc *service.Service, span ledger.Span) []byte {
	pdf, err := svc.RegionDisclosure(context.Background(), service.Public, span)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(pdf)), "pdf-bytes")
	return pdf
}

// BenchmarkRegionReport is a download of the regional report of
// 2025-Q3 and of 2025 with the document drawn by bundlePDF (the bundle's
// encoding): all the server does for it but the drawing. Each
// sub-benchmark is on a copy of the regional ledger. first-ms is the
// first download, which appends the span's record (timed once; the
// views' terms are computed, none being kept yet); record-bytes that
// entry's length. cold is a download on a new service each time (the
// view computed from the kept terms, the record found unchanged and
// reused, the bundle rendered); again is one the service answered
// before.
func BenchmarkRegionReport(b *testing.B) {
	for _, span := range []ledger.Span{{Year: 2025, Quarter: 3}, {Year: 2025}} {
		b.Run(span.String(), func(b *testing.B) {
			rl := benchRegion(b)
			r := &bundlePDF{}
			derived := filepath.Join(rl.dir, "derived")
			d := servicetest.OpenDir(b, rl.dir, service.Config{Render: r.render, DerivedDir: derived,
				Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }})
			start := time.Now()
			pdf := regionPDF(b, d.Service(), span)
			first := time.Since(start)
			_, canonical, _ := recordOf(b, bundleOf(b, pdf), span)
			size := d.Service().Size()
			b.Run("cold", func(b *testing.B) {
				clock := &cpuClock{b: b}
				defer clock.report()
				for b.Loop() {
					b.StopTimer()
					svc := d.Restart(b)
					b.StartTimer()
					clock.startOp()
					regionPDF(b, svc, span)
					clock.stopOp()
				}
				b.ReportMetric(float64(first.Milliseconds()), "first-ms")
				b.ReportMetric(float64(len(canonical)), "record-bytes")
			})
			b.Run("again", func(b *testing.B) {
				svc := d.Service()
				regionPDF(b, svc, span)
				clock := &cpuClock{b: b}
				defer clock.report()
				for b.Loop() {
					clock.startOp()
					regionPDF(b, svc, span)
					clock.stopOp()
				}
			})
			if d.Service().Size() != size {
				b.Fatalf("downloads after the first appended %d entries", d.Service().Size()-size)
			}
		})
	}
}
