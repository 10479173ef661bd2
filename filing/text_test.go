package filing

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ictledger/ictledger/ledger"
)

// withSite is a JSON return with one site row whose site_id is the JSON
// string literal id (escapes included, quotes not).
func withSite(id string) string {
	return minimal + `,"sites":[{"site_id":"` + id + `","domain":"ran","grid":"JP"}]}`
}

// TestJSONStringsRefused: the strings of a JSON return follow
// ledger.CheckText, each problem at its path. Before, invalid UTF-8 and
// lone surrogates became U+FFFD and the rest was stored as sent.
func TestJSONStringsRefused(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	tests := []struct {
		name, body, path, msg string
	}{
		{"invalid utf-8 in a site id", withSite("s\xff1"), "sites[0].site_id", "not valid UTF-8"},
		{"invalid utf-8 after an escape", withSite("s\\n\xc3"), "sites[0].site_id", "not valid UTF-8"},
		{"lone surrogate", withSite(`s\ud800`), "sites[0].site_id", "surrogate"},
		{"reversed surrogates", withSite(`\udc00\ud800`), "sites[0].site_id", "surrogate"},
		{"nul", withSite(`s\u00001`), "sites[0].site_id", "U+0000, a control character"},
		{"escape sequence", withSite(`\u001b[31ms1`), "sites[0].site_id", "U+001B"},
		{"newline in an id", withSite(`s\n1`), "sites[0].site_id", "line break"},
		{"bidi override in an id", withSite(`s\u202e1`), "sites[0].site_id", "U+202E, a bidirectional control"},
		{"zero-width space in an id", withSite(`s\u200b1`), "sites[0].site_id", "not allowed in an id"},
		{"long id", withSite(strings.Repeat("s", 101)), "sites[0].site_id", "at most 100 characters"},
		{"operator", `{"operator":"op\u2066","period":"2025-Q3","activity":{},"resilience":{}}`, "operator", "U+2066"},
		{"grid", minimal + `,"electricity":[{"domain":"ran","grid":"J\u0000P","kwh":"1"}]}`, "electricity[0].grid", "U+0000"},
		{"supplier", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":"1","supplier":"Kanto\u202eGreen"}]}`, "electricity[0].supplier", "U+202E"},
		{"certificate", minimal + `,"renewable_claims":[{"instrument":"eac","grid":"JP","kwh":"1","technology":"solar","vintage":2025,"certificates":["ok","c\u0007"]}]}`, "renewable_claims[0].certificates[1]", "U+0007"},
		{"data centre id", minimal + `,"data_centres":[{"id":"dc\u2069","grid":"JP","total_kwh":"1","it_kwh":"1"}]}`, "data_centres[0].id", "U+2069"},
		{"recycler", minimal + `,"devices":[{"category":"cpe","stream":"customer","recycler":"` + strings.Repeat("r", 201) + `"}]}`, "devices[0].recycler", "at most 200 characters"},
		{"basel notification", minimal + `,"devices":[{"category":"cpe","stream":"customer","basel_notification":["\ufeffJP-1"]}]}`, "devices[0].basel_notification[0]", "U+FEFF"},
		{"reason with nul", minimal + `,"restates":"op-2025-Q3-v1","reason":"typo\u0000"}`, "reason", "U+0000"},
		{"reason with a lone carriage return", minimal + `,"restates":"op-2025-Q3-v1","reason":"ok\rforged"}`, "reason", "carriage return"},
		{"megabyte reason", minimal + `,"restates":"op-2025-Q3-v1","reason":"` + long + `"}`, "reason", "at most 10000 characters"},
		{"megabyte enum is not repeated", minimal + `,"electricity":[{"domain":"` + long + `","grid":"JP","kwh":"1"}]}`, "electricity[0].domain", "(1048576 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeJSON(strings.NewReader(tt.body), Options{})
			ps := fieldErrors(t, err, ledger.EInvalid)
			if !hasProblem(ps, tt.path, tt.msg) {
				t.Fatalf("no problem at %q with %q in %.300q", tt.path, tt.msg, ps)
			}
			for _, p := range ps {
				if len(p.Message)+len(p.Path) > 1000 {
					t.Errorf("problem of %d bytes repeats the value", len(p.Message)+len(p.Path))
				}
			}
		})
	}
}

// TestJSONStringsAccepted: legitimate text in any script is stored as
// sent, and a reason may have paragraphs.
func TestJSONStringsAccepted(t *testing.T) {
	body := minimal + `,"restates":"op-2025-Q3-v1","reason":"燃料の行を訂正しました。\r\n\tแก้ไขข้อมูลเชื้อเพลิง\n한국어 설명",` +
		`"electricity":[{"domain":"ran","grid":"JP","kwh":"1","supplier":"ฟ้าใส\u200bพลังงาน 👩\u200d💻"}],` +
		`"sites":[{"site_id":"東京-0001","domain":"ran","grid":"JP"}]}`
	r, err := DecodeJSON(strings.NewReader(body), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Electricity[0].Supplier, "ฟ้าใส\u200bพลังงาน 👩\u200d💻"; got != want {
		t.Errorf("supplier %q, want %q", got, want)
	}
	if !strings.Contains(r.Reason, "\r\n\t") || r.Sites[0].SiteID != "東京-0001" {
		t.Errorf("reason %q, site %q", r.Reason, r.Sites[0].SiteID)
	}
}

// TestCSVAndJSONAgree: the same bad value gives the same message whether
// a site row comes as JSON or as a CSV part (one rule, ledger.CheckText).
func TestCSVAndJSONAgree(t *testing.T) {
	for _, tc := range []struct {
		name, id string // id as raw bytes
		msg      string
	}{
		{"invalid utf-8", "s\xff1", "is not valid UTF-8"},
		{"nul", "s\x001", "contains U+0000, a control character, at character 2"},
		{"bidi override", "s\u202e1", "contains U+202E, a bidirectional control, at character 2"},
		{"isolate", "s\u20671", "U+2067"},
		{"long id", strings.Repeat("s", 101), "must be at most 100 characters; got 101"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jsonID, _ := json.Marshal(tc.id)
			if !utf8.ValidString(tc.id) {
				jsonID = []byte(`"` + tc.id + `"`) // json.Marshal would repair it: send the raw bytes
			}
			body := minimal + `,"sites":[{"site_id":` + string(jsonID) + `,"domain":"ran","grid":"JP"}]}`
			_, err := DecodeJSON(strings.NewReader(body), Options{})
			jp := fieldErrors(t, err, ledger.EInvalid)
			if !hasProblem(jp, "sites[0].site_id", tc.msg) {
				t.Errorf("JSON: no %q at sites[0].site_id in %.300q", tc.msg, jp)
			}
			_, _, probs, err := readSitesCSV(strings.NewReader("site_id,domain,grid\n"+tc.id+",ran,JP\n"), "sites.csv")
			if err != nil {
				t.Fatal(err)
			}
			if !hasProblem(probs.list, "sites.csv:line 2:column site_id", tc.msg) {
				t.Errorf("CSV: no %q at sites.csv:line 2:column site_id in %.300q", tc.msg, probs.list)
			}
			_, _, probs, err = readSitesCSV(strings.NewReader("site_id,domain,grid\ns1,ran,"+tc.id+"\n"), "sites.csv")
			if err != nil {
				t.Fatal(err)
			}
			if !hasProblem(probs.list, "sites.csv:line 2:column grid", tc.msg) {
				t.Errorf("CSV grid: no %q in %.300q", tc.msg, probs.list)
			}
		})
	}
}

// TestCSVBounds: a record with too many fields or too many bytes is
// refused with its line, and what comes before it is read as usual.
func TestCSVBounds(t *testing.T) {
	for _, tc := range []struct {
		name, body, path, msg string
	}{
		{"wide header", "site_id,domain,grid" + strings.Repeat(",x", 40) + "\n", "sites.csv:line 1", "has more than 32 fields; the header names at most 16 columns"},
		{"wide row", "site_id,domain,grid\ns1,ran,JP\ns2,ran,JP" + strings.Repeat(",", 40) + "\n", "sites.csv:line 3", "has more than 32 fields"},
		{"long row", "site_id,domain,grid\ns1,ran,JP\n" + strings.Repeat("s", 20_000) + ",ran,JP\n", "sites.csv:line 3", "is longer than 16384 bytes"},
		{"long quoted record over lines", "site_id,domain,grid\n\"" + strings.Repeat("s\n", 10_000) + "\",ran,JP\n", "sites.csv:line 2", "is longer than 16384 bytes"},
		{"quoted commas are not fields", "site_id,domain,grid\n\"" + strings.Repeat(",", 100) + "\",ran,JP\ns2,ran,J\x00P\n", "sites.csv:line 3:column grid", "U+0000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, probs, err := readSitesCSV(strings.NewReader(tc.body), "sites.csv")
			if err != nil {
				t.Fatal(err)
			}
			if !hasProblem(probs.list, tc.path, tc.msg) {
				t.Errorf("no %q at %q in %.500q", tc.msg, tc.path, probs.list)
			}
		})
	}
	// A record may have exactly maxCSVRecordBytes bytes, its line break
	// included: "s1,ran,JP," is 10 bytes.
	for _, k := range []int{maxCSVRecordBytes - 11, maxCSVRecordBytes - 10} {
		body := "site_id,domain,grid,grid_kwh\ns1,ran,JP," + strings.Repeat("1", k) + "\ns2,ran,JP,1\n"
		_, _, probs, err := readSitesCSV(strings.NewReader(body), "sites.csv")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := hasProblem(probs.list, "sites.csv:line 2", "is longer than"), k > maxCSVRecordBytes-11; got != want {
			t.Errorf("a record of %d bytes: refused %v, want %v", k+11, got, want)
		}
	}
	_, _, probs, err := readDevicesCSV(strings.NewReader("category,stream,flow,units,kg"+strings.Repeat(",kg", 100)+"\n"), "devices.csv")
	if err != nil || !hasProblem(probs.list, "devices.csv:line 1", "has more than 21 fields") {
		t.Errorf("devices: %v %.300q", err, probs.list)
	}
}

// TestWideCSVHeaderMemory: a header of a million columns is refused
// before it costs memory per column. It cost some 180 MB before the
// bound; the limit here is generous, for a loaded machine.
func TestWideCSVHeaderMemory(t *testing.T) {
	body := "site_id,domain,grid" + strings.Repeat(",x", 1_000_000) + "\ns1,ran,JP\n"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, probs, err := readSitesCSV(strings.NewReader(body), "sites.csv")
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if probs.count() != 1 || !hasProblem(probs.list, "sites.csv:line 1", "more than 32 fields") {
		t.Errorf("problems %d: %.300q", probs.count(), probs.list)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("a 1M-column header allocated %d bytes", alloc)
	if alloc > 20<<20 {
		t.Errorf("a 1M-column header allocated %d bytes, want < 20 MB", alloc)
	}
}
