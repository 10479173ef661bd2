package filing

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"strings"
	"testing"
)

// benchSites is the number of site rows of the benchmarks: a large
// operator's whole network.
const benchSites = 100_000

// benchSitesCSV writes n site rows as a sites CSV part.
func benchSitesCSV(n int) string {
	var b strings.Builder
	b.WriteString("site_id,domain,grid,grid_kwh,diesel_l,petrol_l,lpg_kg,solar_kwh,wind_kwh,backup_hours,hazard_level,hazard_assessed,hardened,offgrid\n")
	grids := []string{"JP", "JP", "JP", "KR", "AU"}
	levels := []string{"none", "low", "medium", "high"}
	for i := range n {
		fmt.Fprintf(&b, "site-%06d,ran,%s,%d.25,%d,0,0,%d.5,0,%d,%s,%t,%t,false\n",
			i, grids[i%len(grids)], 900+i%400, i%7*10, i%13, i%100, levels[i%4], i%3 != 0, i%8 == 3)
	}
	return b.String()
}

// benchSitesJSON is the same rows inside a JSON return.
func benchSitesJSON(t testing.TB, n int) string {
	var b strings.Builder
	ret := siteLevelJSON(t)
	b.WriteString(strings.TrimSuffix(ret, "}"))
	b.WriteString(`,"sites":[`)
	levels := []string{"none", "low", "medium", "high"}
	grids := []string{"JP", "JP", "JP", "KR", "AU"}
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"site_id":"site-%06d","domain":"ran","grid":"%s","grid_kwh":"%d.25","diesel_l":"%d","petrol_l":"0","lpg_kg":"0","solar_kwh":"%d.5","wind_kwh":"0","backup_hours":"%d","hazard_level":"%s","hazard_assessed":%t,"hardened":%t,"offgrid":false}`,
			i, grids[i%len(grids)], 900+i%400, i%7*10, i%13, i%100, levels[i%4], i%3 != 0, i%8 == 3)
	}
	b.WriteString(`]}`)
	return b.String()
}

// BenchmarkCheckMultipartSites decodes and validates a return whose
// 100,000 site rows come as a CSV part.
//
//	go test ./filing -run '^$' -bench 'Check.*Sites' -benchmem -count 6
func BenchmarkCheckMultipartSites(b *testing.B) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("return", "return.json")
	io.WriteString(fw, siteLevelJSON(b))
	fw, _ = w.CreateFormFile("sites", "sites.csv")
	io.WriteString(fw, benchSitesCSV(benchSites))
	w.Close()
	body := buf.Bytes()
	c := exampleContext(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r, _, err := checkMultipart(multipart.NewReader(bytes.NewReader(body), w.Boundary()), Options{}, c)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Sites) != benchSites {
			b.Fatalf("%d sites", len(r.Sites))
		}
	}
}

// BenchmarkCheckJSONSites decodes and validates the same return as JSON.
func BenchmarkCheckJSONSites(b *testing.B) {
	body := []byte(benchSitesJSON(b, benchSites))
	c := exampleContext(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r, _, err := checkJSON(bytes.NewReader(body), Options{}, c)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Sites) != benchSites {
			b.Fatalf("%d sites", len(r.Sites))
		}
	}
}
