package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// The verify page checks a PDF with the service alone: no API is built
// here, so a page that still went through it could not answer. A genuine
// disclosure is authentic and current, its entries, checkpoint and issued
// record (to the second, in UTC) folded away as technical details; an
// altered or foreign one is not authentic, with what failed; an empty
// upload and one over the limit are refused.
func TestVerifyPageWithTheServiceAlone(t *testing.T) {
	s := newSite(t)
	s.env.Review(s.reg, s.ridA, ledger.Review{Decision: ledger.DecisionAccept})
	s.clock.Set(time.Date(2025, 11, 2, 8, 15, 30, 987654321, time.UTC))
	span, _ := ledger.ParseSpan("2025-Q3")
	pdf, err := s.svc.OperatorDisclosure(context.Background(), service.Public, "op-a", span)
	if err != nil {
		t.Fatal(err)
	}
	altered := bytes.Clone(pdf)
	altered[len(altered)/3] ^= 1

	for _, tc := range []struct {
		name   string
		file   []byte
		status int
		want   []string
	}{
		{"genuine", pdf, http.StatusOK, []string{`id="verdict">Authentic and current<`, `data-verdict="current"`, `id="v-operator">op-a<`,
			`id="v-period">2025-Q3<`, `id="v-issued-at">2025-11-02T08:15:30Z<`, `<details class="more" id="v-technical">`,
			"<dt>leaf_hash</dt>", "<dt>included</dt><dd><code>true</code>",
			"<dt>return</dt><dd><code>" + s.ridA + "</code>", `id="v-issued"`, "<dt>signed</dt><dd><code>true</code>"}},
		{"altered", altered, http.StatusOK, []string{`id="verdict">Not authentic<`, `data-verdict="not_authentic"`,
			"it was changed after the ledger issued it", `<h3>What failed</h3>`, `<ul class="problems"><li>`}},
		{"not a disclosure", []byte("%PDF-1.7 test"), http.StatusOK, []string{`id="verdict">Not authentic<`,
			"it carries no proof the ledger can read", "No ictledger proof attachment could be read"}},
		{"empty", nil, http.StatusUnprocessableEntity, []string{"Choose the PDF file to verify."}},
		{"over the limit", make([]byte, service.MaxVerifyBytes+1), http.StatusRequestEntityTooLarge, []string{"larger than 32 MiB"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, ct := multipartForm(t, map[string]string{"csrf": s.csrf(s.opA)}, map[string][]byte{"file": tc.file})
			resp := s.request("POST", "/verify", s.opA, body, ct)
			page, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d:\n%s", resp.StatusCode, tc.status, page)
			}
			for _, want := range tc.want {
				if !strings.Contains(string(page), want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			if i, j := strings.Index(string(page), `id="v-technical"`), strings.Index(string(page), "leaf_hash"); j >= 0 && j < i {
				t.Errorf("a leaf hash is shown before the technical details")
			}
			if regexp.MustCompile(`\d{2}:\d{2}:\d{2}\.\d+`).Match(page) {
				t.Errorf("the page shows a time with fractions of a second")
			}
		})
	}
}

// An authentic document of a return restated since is not a red "not
// valid" on the page (the command line called it valid): it is authentic
// but superseded, saying by which version, when and, once accepted, why,
// with a link to the current document.
func TestVerifyPageSuperseded(t *testing.T) {
	s := newSite(t)
	s.env.Review(s.reg, s.ridA, ledger.Review{Decision: ledger.DecisionAccept})
	span, _ := ledger.ParseSpan("2025-Q3")
	pdf, err := s.svc.OperatorDisclosure(context.Background(), service.Public, "op-a", span)
	if err != nil {
		t.Fatal(err)
	}
	s.clock.Set(time.Date(2025, 11, 20, 9, 30, 0, 5, time.UTC))
	var m map[string]any
	if err := json.Unmarshal(s.returnA, &m); err != nil {
		t.Fatal(err)
	}
	m["restates"], m["reason"] = s.ridA, "a meter was read twice"
	body, _ := json.Marshal(m)
	v2 := s.env.File(s.opA, body).ID
	verifyPage := func() string { return s.verifyPage(t, pdf) }
	page := verifyPage()
	for _, want := range []string{`id="verdict">Authentic, but superseded<`, `class="card result warn"`,
		"the operator has corrected its figures since", "<code>" + s.ridA + "</code>", "<code>" + v2 + "</code>, filed 2025-11-20T09:30:00Z",
		"Its reason is published once a regulator accepts it.", `id="v-current-pending"`} {
		if !strings.Contains(page, want) {
			t.Errorf("under review: the page lacks %q", want)
		}
	}
	if strings.Contains(page, "a meter was read twice") || strings.Contains(page, "What failed") {
		t.Errorf("under review: the page shows the unreviewed reason or a failure")
	}
	s.env.Review(s.reg, v2, ledger.Review{Decision: ledger.DecisionAccept})
	page = verifyPage()
	for _, want := range []string{`id="verdict">Authentic, but superseded<`, "The operator's reason: “a meter was read twice”",
		`<a class="pdf" id="v-current" href="/v1/operators/op-a/disclosures/2025-Q3.pdf">`} {
		if !strings.Contains(page, want) {
			t.Errorf("accepted: the page lacks %q", want)
		}
	}
}

// A regional report is named as one and, once a return of its period is
// accepted after it, shown as superseded: the view changed, with a link
// to the current report.
func TestVerifyPageRegionalReportSuperseded(t *testing.T) {
	s := newSite(t)
	s.env.Review(s.reg, s.ridA, ledger.Review{Decision: ledger.DecisionAccept})
	span, _ := ledger.ParseSpan("2025-Q3")
	pdf, err := s.svc.RegionDisclosure(context.Background(), service.Public, span)
	if err != nil {
		t.Fatal(err)
	}
	verifyPage := func() string { return s.verifyPage(t, pdf) }
	page := verifyPage()
	for _, want := range []string{`id="verdict">Authentic and current<`, `id="v-document">Regional report<`} {
		if !strings.Contains(page, want) {
			t.Errorf("current: the page lacks %q", want)
		}
	}
	s.env.Review(s.reg, s.ridB, ledger.Review{Decision: ledger.DecisionAccept})
	page = verifyPage()
	for _, want := range []string{`id="verdict">Authentic, but superseded<`, "returns of its period were accepted or corrected since",
		`id="v-figures-changed">The regional view of 2025-Q3 is no longer what entry`, "The next download of the report records the view as it stands.",
		`<a class="pdf" id="v-current-report" href="/v1/region/disclosures/2025-Q3.pdf">`} {
		if !strings.Contains(page, want) {
			t.Errorf("after an acceptance: the page lacks %q", want)
		}
	}
	if strings.Contains(page, "Corrected since it was issued") || strings.Contains(page, "What failed") {
		t.Error("the page shows returns restated or a failure")
	}
}

// A sector report is named as one and, once a return of its period is
// reviewed after it, shown as superseded: its view changed, with a link
// to the current report.
func TestVerifyPageSectorReportSuperseded(t *testing.T) {
	s := newSite(t)
	span, _ := ledger.ParseSpan("2025-Q3")
	pdf, err := s.svc.SectorDisclosure(context.Background(), s.env.Actor(s.reg), span, "")
	if err != nil {
		t.Fatal(err)
	}
	verifyPage := func() string { return s.verifyPage(t, pdf) }
	page := verifyPage()
	for _, want := range []string{`id="verdict">Authentic and current<`, `id="v-document">Sector report<`} {
		if !strings.Contains(page, want) {
			t.Errorf("current: the page lacks %q", want)
		}
	}
	s.env.Review(s.reg, s.ridA, ledger.Review{Decision: ledger.DecisionAccept})
	page = verifyPage()
	for _, want := range []string{`id="verdict">Authentic, but superseded<`,
		`id="v-figures-changed">The sector view of 2025-Q3 is no longer what entry`, "The next download of the report records the view as it stands.",
		`<a class="pdf" id="v-current-report" href="/v1/sector/disclosures/2025-Q3.pdf">`} {
		if !strings.Contains(page, want) {
			t.Errorf("after a review: the page lacks %q", want)
		}
	}
	if strings.Contains(page, "regional view") || strings.Contains(page, "What failed") {
		t.Error("the page speaks of the regional view, or of a failure")
	}
}

// verifyPage is the page answering an upload of pdf to /verify, sent as
// operator A.
func (s *site) verifyPage(t *testing.T, pdf []byte) string {
	t.Helper()
	form, ct := multipartForm(t, map[string]string{"csrf": s.csrf(s.opA)}, map[string][]byte{"file": pdf})
	page, _ := io.ReadAll(s.request("POST", "/verify", s.opA, form, ct).Body)
	return string(page)
}
