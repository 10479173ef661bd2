package workbook

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// benchSites is the number of site rows of the benchmark, as in the CSV
// one (filing's BenchmarkCheckMultipartSites): a large operator's whole
// network.
const benchSites = 100_000

// sitesBook is the v1 example parts' return with n site rows of the
// CSV benchmark's values, as a workbook.
func sitesBook(b *testing.B, n int) []byte {
	ret := decodePartsV1(b)
	ret.Sites = make([]ledger.Site, n)
	grids := []string{"JP", "JP", "JP", "KR", "AU"}
	levels := []string{"none", "low", "medium", "high"}
	for i := range ret.Sites {
		ret.Sites[i] = ledger.Site{SiteID: fmt.Sprintf("site-%06d", i), Domain: "ran", Grid: grids[i%len(grids)],
			GridKWh: decimal.RequireFromString(fmt.Sprintf("%d.25", 900+i%400)), DieselL: decimal.NewFromInt(int64(i % 7 * 10)),
			SolarKWh: decimal.RequireFromString(fmt.Sprintf("%d.5", i%13)), BackupHours: decimal.NewFromInt(int64(i % 100)),
			HazardLevel: levels[i%4], HazardAssessed: i%3 != 0, Hardened: i%8 == 3}
	}
	ret.Resilience.SitesWithBackup, ret.Resilience.BackupAutonomy = nil, nil
	ret.Resilience.SitesHazardAssessed, ret.Resilience.SitesHighHazard, ret.Resilience.SitesHighHazardHardened = nil, nil, nil
	ret.Activity.SitesTotal = nil
	book, err := Write(ret, nil)
	if err != nil {
		b.Fatal(err)
	}
	return book
}

// BenchmarkCheckWorkbookSites reads and checks a return whose 100,000
// site rows come on the Sites sheet of a workbook; the sheet is streamed
// a row at a time.
//
//	go test ./workbook -run '^$' -bench CheckWorkbookSites -benchmem -count 6
func BenchmarkCheckWorkbookSites(b *testing.B) {
	body := sitesBook(b, benchSites)
	c := exampleContext(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	runtime.GC()
	peak := heapPeak()
	defer func() { b.ReportMetric(float64(peak())/1e6, "peak-heap-MB") }()
	for b.Loop() {
		r, _, err := readBook(b, body, c)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Sites) != benchSites {
			b.Fatalf("%d sites", len(r.Sites))
		}
	}
}

// heapPeak samples the heap in use every 5 ms until the returned
// function is called, which stops the sampling and returns the greatest
// sample: the peak of memory a filing holds at once, which B/op (bytes
// allocated over its life) does not tell.
func heapPeak() func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return peak.Load()
	}
}

// BenchmarkTemplate writes the template of apt-2026.1, as the public
// GET /v1/templates/quarterly-return.xlsx does.
func BenchmarkTemplate(b *testing.B) {
	fs := factors20261(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Template(fs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteSites writes a return of 100,000 site rows as a
// workbook, as GET /v1/returns/{rid}.xlsx does.
func BenchmarkWriteSites(b *testing.B) {
	b.ReportAllocs()
	runtime.GC()
	peak := heapPeak()
	defer func() { b.ReportMetric(float64(peak())/1e6, "peak-heap-MB") }()
	for b.Loop() {
		sitesBook(b, benchSites)
	}
}
