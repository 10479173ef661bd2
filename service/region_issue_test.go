package service_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/loadtest"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
	"github.com/ictledger/ictledger/templates"
)

// bundlePDF renders a region_v2 bundle as its own encoding after a
// "%PDF-bundle" line, and every other bundle with disclosure.Render: the
// same bundle gives the same bytes, and a test reads back exactly the
// bundle the service built (bundleOf). It counts the region_v2 bundles
// it was given.
type bundlePDF struct {
	mu      sync.Mutex
	regions int
}

const bundlePrefix = "%PDF-bundle\n"

func (r *bundlePDF) render(b *disclosure.Bundle) ([]byte, error) {
	if b.Template != templates.RegionTemplateV2 {
		return disclosure.Render(b)
	}
	r.mu.Lock()
	r.regions++
	r.mu.Unlock()
	enc, err := b.Encode()
	if err != nil {
		return nil, err
	}
	return append([]byte(bundlePrefix), enc...), nil
}

func (r *bundlePDF) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.regions
}

// bundleOf is the bundle a document of bundlePDF was rendered from.
func bundleOf(t testing.TB, pdf []byte) *disclosure.Bundle {
	t.Helper()
	raw, ok := bytes.CutPrefix(pdf, []byte(bundlePrefix))
	if !ok {
		t.Fatalf("not a document of bundlePDF: %.40q", pdf)
	}
	b, err := disclosure.DecodeBundle(raw)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// recordOf checks that b is a region_v2 bundle of span made of exactly
// one region.recorded entry, proved in the tree of its checkpoint, and
// returns that entry's sequence number, canonical bytes and payload.
func recordOf(t testing.TB, b *disclosure.Bundle, span ledger.Span) (uint64, []byte, *ledger.RegionRecorded) {
	t.Helper()
	if b.Document != disclosure.DocRegion || b.Template != templates.RegionTemplateV2 || b.Basis != disclosure.BasisAccepted ||
		b.Period != span.String() || b.Coverage != nil || b.CountedAt != 0 {
		t.Fatalf("bundle %s %s basis %q period %s coverage %v counted at %d", b.Document, b.Template, b.Basis, b.Period, b.Coverage, b.CountedAt)
	}
	if len(b.Entries) != 1 {
		t.Fatalf("the bundle attaches %d entries, want the one record", len(b.Entries))
	}
	be := b.Entries[0]
	canonical, err := base64.StdEncoding.DecodeString(be.Canonical)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ledger.DecodeEntry(canonical)
	if err != nil || e.Kind != ledger.KindRegionRecorded || e.Seq != be.Seq || e.Actor != ledger.SystemActor {
		t.Fatalf("the bundle's entry is %s %d by %+v (%v), want the server's region.recorded", e.Kind, e.Seq, e.Actor, err)
	}
	var rec ledger.RegionRecorded
	if err := json.Unmarshal(e.Payload, &rec); err != nil {
		t.Fatal(err)
	}
	// The checkpoint's tree holds the entry, as its proof says.
	lines := strings.SplitN(b.Checkpoint, "\n", 4)
	if len(lines) < 3 {
		t.Fatalf("checkpoint %q", b.Checkpoint)
	}
	size, err1 := strconv.ParseUint(lines[1], 10, 64)
	root, err2 := tlog.ParseHash(lines[2])
	if err1 != nil || err2 != nil || size <= be.Seq {
		t.Fatalf("checkpoint of size %d (%v, %v) for entry %d", size, err1, err2, be.Seq)
	}
	proof := make(tlog.RecordProof, len(be.Proof))
	for i, p := range be.Proof {
		if proof[i], err = tlog.ParseHash(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := tlog.CheckRecord(proof, int64(size), root, int64(be.Seq), tlog.RecordHash(canonical)); err != nil {
		t.Fatalf("the entry's proof does not hold in the checkpoint's tree: %v", err)
	}
	return be.Seq, canonical, &rec
}

// regionRecords counts the region.recorded entries of the log.
func regionRecords(t testing.TB, env *servicetest.Env) int {
	t.Helper()
	n := 0
	for seq := range env.Journal.Size() {
		raw, err := env.Journal.Read(seq)
		if err != nil {
			t.Fatal(err)
		}
		e, err := ledger.DecodeEntry(raw)
		if err != nil {
			t.Fatal(err)
		}
		if e.Kind == ledger.KindRegionRecorded {
			n++
		}
	}
	return n
}

// sameFigures holds a record to another apart from the point it was
// taken at.
func sameFigures(t testing.TB, got, want *ledger.RegionRecorded) {
	t.Helper()
	g, w := *got, *want
	g.At, g.Root, w.At, w.Root = 0, "", 0, ""
	a, err := ledger.Canonical(&g)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ledger.Canonical(&w)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("recorded\n%s\nwant\n%s", a, b)
	}
}

// The regional report of regionFixture's 2025-Q3 is drawn from one
// region.recorded entry, appended by the server at the ledger's size
// when the report was asked for: the record RegionRecordOf makes, of
// the view at that size with its tree hash, proved under the document's
// checkpoint. It is recorded as issued. Nothing of a return that is not
// accepted (the fixture's marker) is in the record or anywhere in the
// bundle.
func TestRegionReportIsItsRecord(t *testing.T) {
	r := &bundlePDF{}
	env := regionFixtureWith(t, service.Config{Render: r.render})
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	want, err := env.Service.RegionRecordOf(q3)
	if err != nil {
		t.Fatal(err)
	}
	size := env.Service.Size()
	pdf, err := env.Service.RegionDisclosure(context.Background(), service.Public, q3)
	if err != nil {
		t.Fatal(err)
	}
	seq, canonical, rec := recordOf(t, bundleOf(t, pdf), q3)
	if seq != size || rec.At != size || rec.Root != want.Root || rec.Period != "2025-Q3" {
		t.Fatalf("record %d of %s at %d (root %s); want entry %d at %d (root %s)", seq, rec.Period, rec.At, rec.Root, size, size, want.Root)
	}
	sameFigures(t, rec, want)
	if latest := env.Service.State().RegionRecord("2025-Q3"); latest == nil || latest.Seq != seq || latest.At != size {
		t.Fatalf("the state's record of 2025-Q3: %+v", latest)
	}
	if strings.Contains(strings.ToUpper(string(canonical)), regionMarker) || strings.Contains(strings.ToUpper(string(pdf)), regionMarker) {
		t.Fatal("the record, or the bundle, carries a return that is not accepted")
	}
	sum := sha256.Sum256(pdf)
	d := env.Service.State().Disclosure(hex.EncodeToString(sum[:]))
	if d == nil || d.Template != templates.RegionTemplateV2 || d.Entries != 1 || d.Seq != seq+1 {
		t.Fatalf("issued: %+v", d)
	}
}

// A record is appended at most once per span and change of its view:
// a second download appends nothing and gives the same bytes; a filing
// that leaves the accepted view as it was (a return of another quarter,
// not reviewed) is a new entry but not a new record; a new acceptance
// is a new record on the next download, not before.
func TestRegionRecordAppendedOncePerView(t *testing.T) {
	r := &bundlePDF{}
	env := regionFixtureWith(t, service.Config{Render: r.render})
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	ctx := context.Background()
	download := func() []byte {
		t.Helper()
		pdf, err := env.Service.RegionDisclosure(ctx, service.Public, q3)
		if err != nil {
			t.Fatal(err)
		}
		return pdf
	}
	first := download()
	size := env.Service.Size()
	if again := download(); !bytes.Equal(again, first) || env.Service.Size() != size || regionRecords(t, env) != 1 {
		t.Fatalf("a second download: same bytes %v, size %d -> %d, %d records", bytes.Equal(again, first), size, env.Service.Size(), regionRecords(t, env))
	}
	seq, _, _ := recordOf(t, bundleOf(t, first), q3)

	// op-a files 2025-Q2: not accepted, not of the span.
	a := env.Service.State().Operator("op-a")
	tok, err := env.Service.IssueToken(ctx, ledger.SystemActor, ledger.RoleOperator, a.ID, "another")
	if err != nil {
		t.Fatal(err)
	}
	env.File(tok.Token, servicetest.ExampleReturn(t, "op-a", "2025-Q2"))
	size = env.Service.Size()
	if again := download(); !bytes.Equal(again, first) || env.Service.Size() != size || regionRecords(t, env) != 1 {
		t.Fatalf("after a filing that leaves the view: same bytes %v, size %d -> %d, %d records", bytes.Equal(again, first), size, env.Service.Size(), regionRecords(t, env))
	}

	// A new operator of FJ is accepted: the view changes.
	h := env.Operator("op-h", "Operator H", "FJ")
	env.Review(env.Token(ledger.RoleRegulator), env.File(h, servicetest.ExampleReturn(t, "op-h", "2025-Q3")).ID, ledger.Review{Decision: ledger.DecisionAccept})
	if n := regionRecords(t, env); n != 1 {
		t.Fatalf("%d records before the next download", n)
	}
	size = env.Service.Size()
	next := download()
	nseq, _, rec := recordOf(t, bundleOf(t, next), q3)
	if nseq == seq || nseq != size || rec.At != size || regionRecords(t, env) != 2 {
		t.Fatalf("after an acceptance: record %d at %d (was %d), %d records", nseq, rec.At, seq, regionRecords(t, env))
	}
	if _, ok := rec.Operators["op-h"]; !ok {
		t.Fatalf("the new record does not count op-h: %v", rec.Operators)
	}
	if again := download(); !bytes.Equal(again, next) || regionRecords(t, env) != 2 {
		t.Fatal("the new record was not reused")
	}
}

// Concurrent downloads of a span whose view has no record yet append
// one record between them, and all get the same document.
func TestRegionRecordConcurrentDownloads(t *testing.T) {
	r := &bundlePDF{}
	env := regionFixtureWith(t, service.Config{Render: r.render})
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	const n = 8
	pdfs, errs := make([][]byte, n), make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			pdfs[i], errs[i] = env.Service.RegionDisclosure(context.Background(), service.Public, q3)
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("download %d: %v", i, errs[i])
		}
		if !bytes.Equal(pdfs[i], pdfs[0]) {
			t.Fatalf("download %d differs", i)
		}
	}
	if got := regionRecords(t, env); got != 1 {
		t.Fatalf("%d concurrent downloads appended %d records", n, got)
	}
}

// A span without an accepted return, or not begun, has no report and
// appends nothing.
func TestRegionDisclosureAppendsNothingWithoutReport(t *testing.T) {
	r := &bundlePDF{}
	env := regionFixtureWith(t, service.Config{Render: r.render})
	size := env.Service.Size()
	for _, span := range []ledger.Span{{Year: 2025, Quarter: 2}, {Year: 2024}, {Year: 2026, Quarter: 3}, {Year: 2031}} {
		for range 2 {
			_, err := env.Service.RegionDisclosure(context.Background(), service.Public, span)
			var le *ledger.Error
			if !errors.As(err, &le) || le.Code != ledger.ENotFound {
				t.Fatalf("%s: %v, want not found", span, err)
			}
		}
	}
	if env.Service.Size() != size || r.count() != 0 {
		t.Fatalf("size %d -> %d, %d renders", size, env.Service.Size(), r.count())
	}
}

// A read-only ledger cannot append the record a report needs: the
// download is refused as unavailable, saying why, and nothing is
// rendered. A report whose record the ledger holds is still served.
func TestRegionDisclosureReadOnly(t *testing.T) {
	r := &bundlePDF{}
	env := regionFixtureWith(t, service.Config{Render: r.render})
	q3, year := ledger.Span{Year: 2025, Quarter: 3}, ledger.Span{Year: 2025}
	pdf, err := env.Service.RegionDisclosure(context.Background(), service.Public, q3)
	if err != nil {
		t.Fatal(err)
	}
	service.RefuseWrites(env.Service, errors.New("disk full"))
	renders := r.count()
	_, err = env.Service.RegionDisclosure(context.Background(), service.Public, year)
	var le *ledger.Error
	if !errors.As(err, &le) || le.Code != ledger.EUnavailable || !strings.Contains(le.Message, "read-only") || r.count() != renders {
		t.Fatalf("2025 on a read-only ledger: %v, %d renders", err, r.count()-renders)
	}
	if again, err := env.Service.RegionDisclosure(context.Background(), service.Public, q3); err != nil || !bytes.Equal(again, pdf) {
		t.Fatalf("2025-Q3, recorded before: %v", err)
	}
}

// After a restart the span's record is known again, from the state a
// new service is started on and from the state the store reads back
// (snapshot or replay), and reused: no new entry, the same document.
func TestRegionRecordReusedAfterRestart(t *testing.T) {
	dir := t.TempDir()
	if _, err := loadtest.GenerateRegion(context.Background(), dir, loadtest.RegionConfig{Jurisdictions: 2, Operators: 3, Years: 2, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	r := &bundlePDF{}
	cfg := service.Config{Render: r.render, Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }}
	year := ledger.Span{Year: 2025}
	d := servicetest.OpenDir(t, dir, cfg)
	pdf, err := d.Service().RegionDisclosure(context.Background(), service.Public, year)
	if err != nil {
		t.Fatal(err)
	}
	seq, _, _ := recordOf(t, bundleOf(t, pdf), year)
	size := d.Service().Size()
	check := func(what string, svc *service.Service) {
		t.Helper()
		if rr := svc.State().RegionRecord("2025"); rr == nil || rr.Seq != seq {
			t.Fatalf("%s: the state's record of 2025 is %+v, want entry %d", what, rr, seq)
		}
		again, err := svc.RegionDisclosure(context.Background(), service.Public, year)
		if err != nil || !bytes.Equal(again, pdf) || svc.Size() != size {
			t.Fatalf("%s: %v, same document %v, size %d -> %d", what, err, bytes.Equal(again, pdf), size, svc.Size())
		}
	}
	check("a new service on the same state", d.Restart(t))
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	check("a service on the state read back", servicetest.OpenDir(t, dir, cfg).Service())
}

// A regional report is current while the view of its period is what
// its record holds. After an acceptance it is superseded (the view
// changed, not yet recorded: no latest record named); after the next
// download, which records the new view, the change names that record;
// the new report is current. Nothing is appended by a verification.
func TestRegionReportSupersededWhenTheViewChanges(t *testing.T) {
	env := regionFixture(t)
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	ctx := context.Background()
	verify := func(pdf []byte) *disclosure.Result {
		t.Helper()
		res, err := env.Service.VerifyDisclosure(ctx, pdf)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	old, err := env.Service.RegionDisclosure(ctx, service.Public, q3)
	if err != nil {
		t.Fatal(err)
	}
	ob, _ := publicBundle(t, old)
	seq, _, _ := recordOf(t, ob, q3)
	if res := verify(old); res.Verdict != disclosure.VerdictCurrent || res.FiguresChanged != nil || res.CurrentDocument != "" ||
		!strings.Contains(res.Summary, "still the regional view of its period") {
		t.Fatalf("a report of the view as it stands: %+v", res)
	}

	h := env.Operator("op-h", "Operator H", "FJ")
	env.Review(env.Token(ledger.RoleRegulator), env.File(h, servicetest.ExampleReturn(t, "op-h", "2025-Q3")).ID, ledger.Review{Decision: ledger.DecisionAccept})
	size := env.Service.Size()
	res := verify(old)
	if res.Verdict != disclosure.VerdictSuperseded || !res.Valid || res.FiguresChanged == nil ||
		*res.FiguresChanged != (disclosure.FiguresChange{Record: seq}) || res.CurrentDocument != "/v1/region/disclosures/2025-Q3.pdf" ||
		!strings.Contains(res.Summary, "accepted or corrected since") {
		t.Fatalf("after an acceptance: %+v (change %+v)", res, res.FiguresChanged)
	}
	if env.Service.Size() != size {
		t.Fatalf("the verification appended %d entries", env.Service.Size()-size)
	}

	current, err := env.Service.RegionDisclosure(ctx, service.Public, q3)
	if err != nil {
		t.Fatal(err)
	}
	cb, _ := publicBundle(t, current)
	nseq, _, _ := recordOf(t, cb, q3)
	if res := verify(old); res.Verdict != disclosure.VerdictSuperseded || res.FiguresChanged == nil || *res.FiguresChanged != (disclosure.FiguresChange{Record: seq, Latest: nseq}) {
		t.Fatalf("after the new record %d: %+v (change %+v)", nseq, res, res.FiguresChanged)
	}
	if res := verify(current); res.Verdict != disclosure.VerdictCurrent || res.FiguresChanged != nil {
		t.Fatalf("the new report: %+v", res)
	}
}
