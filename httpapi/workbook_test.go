package httpapi

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/workbook"
)

// decodeParts reads the parts in fixtures/<dir> as the multipart upload
// reads them, without filing.
func decodeParts(t *testing.T, dir string) *ledger.Return {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range []string{"return.json", "sites.csv", "devices.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "fixtures", dir, p))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := mw.CreateFormFile(strings.Split(p, ".")[0], p)
		w.Write(b)
	}
	mw.Close()
	r, err := filing.DecodeMultipart(multipart.NewReader(&body, mw.Boundary()), filing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fileWorkbook files a workbook and returns the answer's status and body.
func (a *testAPI) fileWorkbook(tok string, b []byte, header ...string) (int, filedReturn, string) {
	a.t.Helper()
	rec := a.do("POST", "/v1/operators/sakura-mobile/returns", tok, workbook.MediaType, b, header...)
	var f filedReturn
	if rec.Code == 201 {
		if err := json.Unmarshal(rec.Body.Bytes(), &f); err != nil {
			a.t.Fatal(err)
		}
	}
	return rec.Code, f, rec.Body.String()
}

// metricsOf returns the metrics of a return as the API sends them.
func (a *testAPI) metricsOf(tok, id string) []byte {
	a.t.Helper()
	rec := a.do("GET", "/v1/returns/"+id+"/metrics", tok, "", nil)
	if rec.Code != 200 {
		a.t.Fatalf("metrics of %s: %d %s", id, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// TestWorkbookRoundTrip: the example return and the v1.1 example parts,
// written to a workbook by code and filed, have the metrics of the JSON
// (and CSV) filing, byte for byte.
func TestWorkbookRoundTrip(t *testing.T) {
	for _, c := range []struct{ name, dir string }{{"example", ""}, {"v1.1", "example-parts-v1.1"}} {
		t.Run(c.name, func(t *testing.T) {
			viaJSON, viaBook := newAPI(t, filingTime), newAPI(t, filingTime)
			var ret *ledger.Return
			tokJ := viaJSON.addOperator("sakura-mobile", "Sakura Mobile K.K.")
			tokB := viaBook.addOperator("sakura-mobile", "Sakura Mobile K.K.")
			var idJ string
			if c.dir == "" {
				var f filedReturn
				viaJSON.mustJSON("POST", "/v1/operators/sakura-mobile/returns", tokJ, json.RawMessage(fixtures.ExampleReturn()), 201, &f)
				idJ = f.ID
				var err error
				if ret, err = filing.DecodeJSON(bytes.NewReader(fixtures.ExampleReturn()), filing.Options{}); err != nil {
					t.Fatal(err)
				}
			} else {
				viaJSON.withFactorSet20261()
				viaBook.withFactorSet20261()
				idJ = viaJSON.fileParts(tokJ, c.dir)
				ret = decodeParts(t, c.dir)
			}
			b, err := workbook.Write(ret, nil)
			if err != nil {
				t.Fatal(err)
			}
			code, f, body := viaBook.fileWorkbook(tokB, b)
			if code != 201 {
				t.Fatalf("workbook filing: %d %s", code, body)
			}
			mj, mb := viaJSON.metricsOf(tokJ, idJ), viaBook.metricsOf(tokB, f.ID)
			if !bytes.Equal(mj, mb) {
				t.Fatalf("metrics differ:\nJSON     %s\nworkbook %s", mj, mb)
			}
			if !strings.Contains(string(mj), "electricity_total_mwh") {
				t.Fatalf("no figures in %s", mj)
			}
		})
	}
}

// setAbout sets a column of the About sheet's data row in a workbook.
func setAbout(t *testing.T, b []byte, values map[string]string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	header, err := f.GetRows("About")
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range header[0] {
		if v, ok := values[h]; ok {
			name, _ := excelize.CoordinatesToCellName(i+1, 2)
			f.SetCellStr("About", name, v)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReturnWorkbookRestates: the workbook of a filed return, filed again
// unchanged but for restates and reason, files an identical return; the
// same upload with the same Idempotency-Key is replayed.
func TestReturnWorkbookRestates(t *testing.T) {
	ts := newAPI(t, filingTime)
	tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	var v1 filedReturn
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", tok, json.RawMessage(fixtures.ExampleReturn()), 201, &v1)
	rec := ts.do("GET", "/v1/returns/"+v1.ID+".xlsx", tok, "", nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != workbook.MediaType {
		t.Fatalf("GET .xlsx: %d %s", rec.Code, rec.Header())
	}
	if other := ts.addOperator("tiang-telecom", "Tiang"); ts.do("GET", "/v1/returns/"+v1.ID+".xlsx", other, "", nil).Code != 403 {
		t.Errorf("another operator may read the workbook")
	}
	if code, _, _ := ts.fileWorkbook(tok, rec.Body.Bytes()); code != 409 {
		t.Errorf("the unchanged workbook without restates: %d, want 409", code)
	}
	b := setAbout(t, rec.Body.Bytes(), map[string]string{"restates": v1.ID, "reason": "same figures, from the workbook"})
	code, v2, body := ts.fileWorkbook(tok, b, "Idempotency-Key", "wb-1")
	if code != 201 || v2.Version != 2 {
		t.Fatalf("restatement: %d %s", code, body)
	}
	if code, again, _ := ts.fileWorkbook(tok, b, "Idempotency-Key", "wb-1"); code != 201 || again.ID != v2.ID {
		t.Errorf("replay: %d %s", code, again.ID)
	}
	get := func(id string) map[string]json.RawMessage {
		var rv map[string]json.RawMessage
		ts.mustJSON("GET", "/v1/returns/"+id, tok, nil, 200, &rv)
		for _, k := range []string{"id", "status", "version", "supersedes", "superseded_by", "reviews", "entry", "warnings", "filed_at", "restates", "reason"} {
			delete(rv, k)
		}
		return rv
	}
	r1, _ := json.Marshal(get(v1.ID))
	r2, _ := json.Marshal(get(v2.ID))
	if !bytes.Equal(r1, r2) {
		t.Fatalf("the restatement differs:\n%s\n%s", r1, r2)
	}
}

// TestWorkbookFilingProblems: a workbook's problems come back at once as
// a 422 named by sheet and cell; a workbook may also come as the
// "return" part of a multipart body, alone.
func TestWorkbookFilingProblems(t *testing.T) {
	ts := newAPI(t, filingTime)
	tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	ret, err := filing.DecodeJSON(bytes.NewReader(fixtures.ExampleReturn()), filing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ret.Electricity[4].KWh = ret.Electricity[4].KWh.Neg()
	b, err := workbook.Write(ret, nil)
	if err != nil {
		t.Fatal(err)
	}
	code, _, body := ts.fileWorkbook(tok, b)
	if code != 422 || !strings.Contains(body, `"path":"Electricity!C6"`) || !strings.Contains(body, "must be \\u003e= 0") && !strings.Contains(body, "must be >= 0") {
		t.Fatalf("%d %s", code, body)
	}
	multi := func(parts ...string) (string, []byte) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for _, p := range parts {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="`+p+`"; filename="`+p+`"`)
			w, _ := mw.CreatePart(h)
			if p == "return" {
				w.Write(b)
			} else {
				w.Write([]byte("site_id,domain,grid\n"))
			}
		}
		mw.Close()
		return mw.FormDataContentType(), buf.Bytes()
	}
	ct, mb := multi("return")
	if rec := ts.do("POST", "/v1/operators/sakura-mobile/returns", tok, ct, mb); rec.Code != 422 || !strings.Contains(rec.Body.String(), "Electricity!C6") {
		t.Errorf("multipart workbook: %d %s", rec.Code, rec.Body)
	}
	ct, mb = multi("return", "sites")
	if rec := ts.do("POST", "/v1/operators/sakura-mobile/returns", tok, ct, mb); rec.Code != 400 || !strings.Contains(rec.Body.String(), "only part") {
		t.Errorf("workbook with a sites part: %d %s", rec.Code, rec.Body)
	}
}

// TestTemplateEndpoint: the template is public, the same bytes each
// time, cacheable by its ETag, and an unknown factor_set is a 400 that
// names the parameter.
func TestTemplateEndpoint(t *testing.T) {
	ts := newAPI(t, filingTime)
	a := ts.do("GET", "/v1/templates/quarterly-return.xlsx", "", "", nil)
	b := ts.do("GET", "/v1/templates/quarterly-return.xlsx?factor_set=apt-2025.1", "", "", nil)
	if a.Code != 200 || b.Code != 200 || a.Header().Get("Content-Type") != workbook.MediaType {
		t.Fatalf("%d %d %s", a.Code, b.Code, a.Header())
	}
	if !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
		t.Errorf("the template of the latest set differs from the same set named")
	}
	if a.Header().Get("Cache-Control") != "public, no-cache" || b.Header().Get("Cache-Control") != "public, max-age=86400" {
		t.Errorf("Cache-Control %q (latest) and %q (named)", a.Header().Get("Cache-Control"), b.Header().Get("Cache-Control"))
	}
	etag := a.Header().Get("ETag")
	if c := ts.do("GET", "/v1/templates/quarterly-return.xlsx", "", "", nil, "If-None-Match", etag); c.Code != 304 {
		t.Errorf("If-None-Match: %d", c.Code)
	}
	bad := ts.do("GET", "/v1/templates/quarterly-return.xlsx?factor_set=nope", "", "", nil)
	if bad.Code != 400 || !strings.Contains(bad.Body.String(), "factor_set") {
		t.Errorf("unknown set: %d %s", bad.Code, bad.Body)
	}
}

// TestTemplateBusy: with every workbook slot taken, the template is
// answered 503 at once.
func TestTemplateBusy(t *testing.T) {
	ts := newAPI(t, filingTime)
	for range maxWorkbooksWritten {
		ts.api.workbooks <- struct{}{}
	}
	if rec := ts.do("GET", "/v1/templates/quarterly-return.xlsx", "", "", nil); rec.Code != 503 || rec.Header().Get("Retry-After") == "" {
		t.Errorf("busy: %d %s", rec.Code, rec.Header())
	}
	<-ts.api.workbooks
	if rec := ts.do("GET", "/v1/templates/quarterly-return.xlsx", "", "", nil); rec.Code != 200 {
		t.Errorf("a slot free: %d", rec.Code)
	}
}
