package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/httpstatus"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// acceptedRegion files and accepts the example 2025-Q3 return of two
// operators of JP.
func acceptedRegion(a *testAPI) {
	reg := a.regulator()
	for _, id := range []string{"op-a", "op-b"} {
		a.mustJSON("POST", "/v1/operators", a.admin, map[string]any{"id": id, "name": "Operator " + id, "country": "JP",
			"kinds": []string{"mobile"}, "reporting_from": "2020-Q1"}, 201, nil)
		var tok struct{ Token string }
		a.mustJSON("POST", "/v1/tokens", a.admin, map[string]any{"role": "operator", "operator": id}, 201, &tok)
		f := a.file(tok.Token, returnFor(a.t, id, "2025-Q3", nil))
		a.mustJSON("POST", "/v1/returns/"+f.ID+"/reviews", reg, map[string]any{"decision": "accept"}, 201, nil)
	}
}

// GET /v1/region/disclosures/{P}.pdf is public: a quarter with accepted
// returns is a PDF that POST /v1/verify finds valid; a quarter without
// is 404 and a malformed period 422, neither appending an entry.
func TestRegionDisclosurePublic(t *testing.T) {
	a := newAPI(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	acceptedRegion(a)
	size := a.env.Service.Size()
	if got := a.do("GET", "/v1/region/disclosures/2025-Q2.pdf", "", "", nil).Code; got != 404 {
		t.Errorf("a quarter without accepted returns: %d, want 404", got)
	}
	if got := a.do("GET", "/v1/region/disclosures/2025-Q9.pdf", "", "", nil).Code; got != 422 {
		t.Errorf("a malformed period: %d, want 422", got)
	}
	if a.env.Service.Size() != size {
		t.Errorf("answers without a document appended %d entries", a.env.Service.Size()-size)
	}
	rec := a.do("GET", "/v1/region/disclosures/2025-Q3.pdf", "", "", nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF-")) {
		t.Fatalf("download: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	v := a.do("POST", "/v1/verify", "", "application/pdf", rec.Body.Bytes())
	var res disclosure.Result
	if err := json.Unmarshal(v.Body.Bytes(), &res); err != nil || !res.Valid || res.Document != disclosure.DocRegion {
		t.Fatalf("verify: %d %s", v.Code, v.Body)
	}
}

// A regional PDF waits for a render slot like every download: with the
// one slot rendering and no wait allowed, another is 503 with
// Retry-After at once. (What is rendered does not matter here.)
func TestRegionDisclosureBusy(t *testing.T) {
	started, finish := make(chan struct{}, 1), make(chan struct{})
	render := func(b *disclosure.Bundle) ([]byte, error) {
		started <- struct{}{}
		<-finish
		return []byte("%PDF- the region_v2 report of " + b.Period), nil
	}
	env := servicetest.NewConfigured(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC),
		service.Config{Render: render, RenderSlots: 1, RenderQueue: 1, RenderWait: time.Nanosecond})
	a := &testAPI{t: t, env: env, api: New(Config{Service: env.Service}), admin: env.Token(ledger.RoleAdmin)}
	acceptedRegion(a)
	first := make(chan int)
	go func() {
		rec := httptest.NewRecorder()
		a.api.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/region/disclosures/2025-Q3.pdf", nil))
		first <- rec.Code
	}()
	<-started
	rec := a.do("GET", "/v1/region/disclosures/2025.pdf", "", "", nil)
	close(finish)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != httpstatus.BusyRetryAfter {
		t.Fatalf("with the render slot taken: %d Retry-After %q: %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	if code := <-first; code != 200 {
		t.Fatalf("the download that had the slot: %d", code)
	}
}
