package filing

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// part is one part of a test multipart body.
type part struct{ name, body string }

// multipartBody builds a multipart/form-data body and returns a reader
// over it, as the HTTP layer would make from a request.
func multipartBody(t testing.TB, parts ...part) *multipart.Reader {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		fw, err := w.CreateFormFile(p.name, p.name+".data")
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, p.body)
	}
	w.Close()
	return multipart.NewReader(&buf, w.Boundary())
}

// siteLevelJSON is the example as a site-level return without ran
// electricity and without the derived resilience fields.
func siteLevelJSON(t testing.TB) string {
	var doc map[string]any
	if err := json.Unmarshal(exampleJSON(t), &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc["activity"].(map[string]any), "sites_total")
	doc["electricity"] = doc["electricity"].([]any)[1:]
	res := doc["resilience"].(map[string]any)
	for _, k := range []string{"sites_with_backup", "backup_autonomy", "sites_hazard_assessed", "sites_high_hazard", "sites_high_hazard_hardened"} {
		delete(res, k)
	}
	for _, o := range res["outages"].([]any) {
		o.(map[string]any)["sites_affected"] = 1
		o.(map[string]any)["site_hours_lost"] = "24" // within one site's hours left (R3)
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

const sitesCSV = "site_id,domain,grid,grid_kwh,diesel_l,backup_hours,hazard_level,hazard_assessed,hardened,offgrid\r\n" +
	"s-1,ran,JP,48250000,100,6,high,true,true,false\r\n" +
	"\"s,2\",ran,JP,48250000,,0,,,,\r\n"

func TestMultipartSites(t *testing.T) {
	mr := multipartBody(t, part{"return", siteLevelJSON(t)}, part{"sites", sitesCSV})
	r, warnings, err := checkMultipart(mr, Options{}, exampleContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings %+v", warnings)
	}
	if len(r.Sites) != 2 || r.Sites[1].SiteID != "s,2" || r.Sites[1].HazardLevel != "none" || !r.Sites[0].Hardened {
		t.Errorf("sites %+v", r.Sites)
	}
	if r.Sites[0].DieselL.String() != "100" || !r.Sites[1].DieselL.IsZero() {
		t.Errorf("diesel %s %s", r.Sites[0].DieselL, r.Sites[1].DieselL)
	}
}

const devicesCSV = "category,stream,flow,units,kg\n" +
	"smartphone,customer,inflow,410000,77900\n" +
	"smartphone,customer,collected,61000,10980\n" +
	"smartphone,customer,reused,24000,4320\n" +
	"smartphone,customer,recycled,35500,6390\n" +
	"smartphone,customer,disposed,500,90\n" +
	"smartphone,customer,stock_change,1000,180\n" +
	"smartphone,customer,recycled_content,,3900\n" +
	"cable,network,collected,,1200\n" +
	"cable,network,recycled,,1200\n"

func TestMultipartDevices(t *testing.T) {
	var doc map[string]any
	json.Unmarshal(exampleJSON(t), &doc)
	delete(doc, "devices")
	b, _ := json.Marshal(doc)
	r, _, err := checkMultipart(multipartBody(t, part{"devices", devicesCSV}, part{"return", string(b)}), Options{}, exampleContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Devices) != 2 {
		t.Fatalf("devices %+v", r.Devices)
	}
	d := r.Devices[0]
	if d.Category != "smartphone" || d.Collected.Units != 61000 || d.RecycledContentKg.String() != "3900" || d.ReusedContentKg != nil {
		t.Errorf("devices[0] %+v", d)
	}
	if r.Devices[1].Collected.Units != 0 || r.Devices[1].Recycled.Kg.String() != "1200" {
		t.Errorf("devices[1] %+v", r.Devices[1])
	}

	// A warning keeps its JSON path: it is stored with the return.
	gap := strings.Replace(devicesCSV, "cable,network,recycled,,1200", "cable,network,recycled,,1000", 1)
	_, warnings, err := checkMultipart(multipartBody(t, part{"devices", gap}, part{"return", string(b)}), Options{}, exampleContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || warnings[0].Rule != "mass_balance_gap" || warnings[0].Path != "devices[1]" {
		t.Errorf("warnings %+v", warnings)
	}
}

// TestCSVProblems: each problem names the part, line and column.
func TestCSVProblems(t *testing.T) {
	tests := []struct {
		name        string
		part, body  string
		path, msg   string
		extraReturn bool // the JSON part also has the array
	}{
		{name: "unknown column", part: "sites", body: "site_id,domain,grid,gridkwh\ns,ran,JP,1\n",
			path: "sites.csv:line 1:column gridkwh", msg: "unknown column"},
		{name: "duplicate column", part: "sites", body: "site_id,domain,grid,grid\ns,ran,JP,JP\n",
			path: "sites.csv:line 1:column grid", msg: "duplicate column"},
		{name: "missing column", part: "sites", body: "site_id,domain\ns,ran\n",
			path: "sites.csv:line 1:column grid", msg: "missing column"},
		{name: "empty part", part: "sites", body: "",
			path: "sites.csv:line 1", msg: "is empty"},
		{name: "bad value", part: "sites", body: "site_id,domain,grid,grid_kwh\ns1,ran,JP,1\ns2,ran,JP,1e3\n",
			path: "sites.csv:line 3:column grid_kwh", msg: "exponent"},
		{name: "bad enum", part: "sites", body: "site_id,grid,domain\ns1,JP,RAN\n",
			path: "sites.csv:line 2:column domain", msg: "must be one of ran"},
		{name: "bad flag", part: "sites", body: "site_id,grid,domain,offgrid\ns1,JP,ran,yes\n",
			path: "sites.csv:line 2:column offgrid", msg: "must be true or false"},
		{name: "wrong field count", part: "sites", body: "site_id,domain,grid\ns1,ran\n",
			path: "sites.csv:line 2", msg: "has 2 fields, the header has 3"},
		{name: "line counts quoted newlines", part: "sites", body: "site_id,domain,grid,grid_kwh\n\"a\nb\",ran,JP,1\ns2,ran,JP,x\n",
			path: "sites.csv:line 4:column grid_kwh", msg: "decimal"},
		{name: "validation maps to the line", part: "sites", body: "site_id,domain,grid,grid_kwh\ns1,ran,JP,1\ns2,ran,XX,1\n",
			path: "sites.csv:line 3:column grid", msg: `unknown grid "XX"`},
		{name: "duplicate site maps to the line", part: "sites", body: "site_id,domain,grid\ns1,ran,JP\ns1,ran,JP\n",
			path: "sites.csv:line 3:column site_id", msg: "duplicate site_id"},
		{name: "negative maps to the line", part: "sites", body: "site_id,domain,grid,solar_kwh\ns1,ran,JP,-4\n",
			path: "sites.csv:line 2:column solar_kwh", msg: "must be >= 0"},
		{name: "sites in both parts", part: "sites", body: "site_id,domain,grid\ns1,ran,JP\n", extraReturn: true,
			path: "sites", msg: "must not be in the return part"},
		{name: "devices header", part: "devices", body: "category,stream,flow,kg\n",
			path: "devices.csv:line 1:column units", msg: "missing column"},
		{name: "devices bad flow", part: "devices", body: devicesCSV + "cpe,customer,lost,1,1\n",
			path: "devices.csv:line 11:column flow", msg: "must be one of inflow"},
		{name: "devices units on content", part: "devices", body: devicesCSV + "cpe,customer,reused_content,1,1\n",
			path: "devices.csv:line 11:column units", msg: "must be empty for reused_content"},
		{name: "devices kg missing", part: "devices", body: devicesCSV + "cpe,customer,inflow,1,\n",
			path: "devices.csv:line 11:column kg", msg: "is required"},
		{name: "devices duplicate flow", part: "devices", body: devicesCSV + "smartphone,customer,reused,1,1\n",
			path: "devices.csv:line 11:column flow", msg: "duplicate reused for smartphone/customer (also line 4)"},
		{name: "devices rule maps to the flow's line", part: "devices", body: devicesCSV + "cpe,customer,inflow,5,0\n",
			path: "devices.csv:line 11:column kg", msg: "must be > 0 when units > 0"},
		{name: "devices content maps to its line", part: "devices", body: devicesCSV + "cpe,customer,inflow,5,1\ncpe,customer,reused_content,,2\n",
			path: "devices.csv:line 12:column kg", msg: "must be <= inflow.kg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ret := siteLevelJSON(t)
			if tt.part == "devices" {
				var doc map[string]any
				json.Unmarshal(exampleJSON(t), &doc)
				delete(doc, "devices")
				b, _ := json.Marshal(doc)
				ret = string(b)
			}
			if tt.extraReturn {
				ret = strings.TrimSuffix(ret, "}") + `,"sites":[{"site_id":"x","domain":"ran","grid":"JP"}]}`
			}
			_, _, err := checkMultipart(multipartBody(t, part{"return", ret}, part{tt.part, tt.body}), Options{}, exampleContext(t))
			ps := fieldErrors(t, err, ledger.EInvalid)
			if !hasProblem(ps, tt.path, tt.msg) {
				t.Errorf("no problem at %q with %q in %+v", tt.path, tt.msg, ps)
			}
		})
	}
}

func TestMultipartBadRequest(t *testing.T) {
	ret := part{"return", siteLevelJSON(t)}
	tests := []struct {
		name  string
		parts []part
		opts  Options
		code  string
		msg   string
	}{
		{"bad quoting", []part{ret, {"sites", "site_id,domain,grid\n\"s1,ran,JP\n"}}, Options{}, ledger.EBadRequest, "not valid CSV: sites.csv line 2"},
		{"bare quote", []part{ret, {"sites", "site_id,domain,grid\ns\"1,ran,JP\n"}}, Options{}, ledger.EBadRequest, "line 2, column 2"},
		{"bad JSON", []part{{"return", `{"operator":`}}, Options{}, ledger.EBadRequest, `part "return": not valid JSON`},
		{"no return part", []part{{"sites", sitesCSV}}, Options{}, ledger.EBadRequest, `missing the "return" part`},
		{"unknown part", []part{ret, {"photo", "x"}}, Options{}, ledger.EBadRequest, `unexpected part "photo"`},
		{"repeated part", []part{ret, {"sites", sitesCSV}, {"sites", sitesCSV}}, Options{}, ledger.EBadRequest, `part "sites" appears twice`},
		{"too many parts", []part{ret, {"sites", sitesCSV}}, Options{MaxParts: 1}, ledger.EBadRequest, "too many parts"},
		{"part too large", []part{ret, {"sites", sitesCSV}}, Options{MaxPartBytes: 100}, ledger.ETooLarge, "larger than the limit of 100 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := checkMultipart(multipartBody(t, tt.parts...), tt.opts, exampleContext(t))
			var e *ledger.Error
			if ledger.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want %s", err, tt.code)
			}
			if e = err.(*ledger.Error); !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", e.Message, tt.msg)
			}
		})
	}
}

// TestMultipartBodyTooLarge: the HTTP layer's MaxBytesReader surfaces as
// ETooLarge whichever part it cuts.
func TestMultipartBodyTooLarge(t *testing.T) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("return", "r.json")
	io.WriteString(fw, siteLevelJSON(t))
	fw, _ = w.CreateFormFile("sites", "s.csv")
	io.WriteString(fw, sitesCSV+strings.Repeat("s9,ran,JP,1,,,,,,\n", 1000))
	w.Close()
	for _, limit := range []int64{100, 3000, int64(buf.Len()) - 100} {
		body := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(bytes.NewReader(buf.Bytes())), limit)
		_, err := DecodeMultipart(multipart.NewReader(body, w.Boundary()), Options{})
		if code := ledger.ErrorCode(err); code != ledger.ETooLarge {
			t.Errorf("limit %d: code %s (%v), want %s", limit, code, err, ledger.ETooLarge)
		}
	}
}
