package filing

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// FuzzCheckJSON: decoding and validating any body never panics, every
// error is a *ledger.Error, and a return that decodes encodes canonically
// into bytes that decode to the same canonical bytes.
//
//	go test ./filing -run '^$' -fuzz FuzzCheckJSON -fuzztime 1m
func FuzzCheckJSON(f *testing.F) {
	f.Add(exampleJSON(f))
	f.Add([]byte(minimal + `}`))
	f.Add([]byte(minimal + `,"sites":[{"site_id":"a","domain":"ran","grid":"JP","grid_kwh":"1.5","offgrid":true}]}`))
	f.Add([]byte(minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":1e3}],"x":{"y":[1,{}]}}`))
	f.Add([]byte(`{"operator":"op","operator":1,"period":null}`))
	f.Add([]byte(`[{"a":"\ud800"}] 1`))
	c := exampleContext(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		r, _, err := checkJSON(bytes.NewReader(body), Options{}, c)
		var e *ledger.Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("error %T is not a *ledger.Error: %v", err, err)
		}
		if r == nil {
			r, err = DecodeJSON(bytes.NewReader(body), Options{})
			if err != nil {
				return
			}
		}
		b1, err := ledger.Canonical(r)
		if err != nil {
			t.Fatalf("canonical: %v", err)
		}
		r2, err := DecodeJSON(bytes.NewReader(b1), Options{})
		if err != nil {
			t.Fatalf("canonical form does not decode: %v\n%s", err, b1)
		}
		b2, err := ledger.Canonical(r2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("round trip changed the return:\n%s\n%s", b1, b2)
		}
	})
}

// FuzzSitesCSV: reading and validating any sites part never panics.
//
//	go test ./filing -run '^$' -fuzz FuzzSitesCSV -fuzztime 1m
func FuzzSitesCSV(f *testing.F) {
	f.Add([]byte(sitesCSV))
	f.Add([]byte("\uFEFFsite_id,domain,grid\n\"a\"\"b\",ran,JP\n"))
	f.Add([]byte("site_id,domain,grid,grid_kwh\ns,ran,JP,-1.5\ns,core,XX,\n"))
	f.Add([]byte("site_id,domain,grid\n\"unterminated\n"))
	c := exampleContext(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		sites, lines, _, err := readSitesCSV(bytes.NewReader(body), "sites.csv")
		if err != nil {
			return
		}
		if len(lines) != len(sites) {
			t.Fatalf("%d lines for %d sites", len(lines), len(sites))
		}
		r := decodeExample(t)
		r.Sites = sites
		ps, _ := Validate(r, c)
		l := csvLines{hasSites: true, sites: lines}
		for _, p := range ps {
			l.translate(p.Path)
		}
	})
}

// FuzzDevicesCSV: reading and validating any devices part never panics.
//
//	go test ./filing -run '^$' -fuzz FuzzDevicesCSV -fuzztime 1m
func FuzzDevicesCSV(f *testing.F) {
	f.Add([]byte(devicesCSV))
	f.Add([]byte("kg,units,flow,stream,category\n1,,recycled_content,customer,cpe\n"))
	f.Add([]byte("category,stream,flow,units,kg\ncpe,customer,stock_change,-5,-1\ncpe,customer,stock_change,1,1\n"))
	c := exampleContext(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		devices, lines, _, err := readDevicesCSV(bytes.NewReader(body), "devices.csv")
		if err != nil {
			return
		}
		if len(lines) != len(devices) {
			t.Fatalf("%d lines for %d devices", len(lines), len(devices))
		}
		r := decodeExample(t)
		r.Devices = devices
		ps, ws := Validate(r, c)
		l := csvLines{hasDevices: true, devices: lines}
		for _, p := range ps {
			l.translate(p.Path)
		}
		for _, w := range ws {
			l.translate(w.Path)
		}
	})
}
