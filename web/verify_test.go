package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// The verify page checks a PDF with the service alone: no API is built
// here, so a page that still went through it could not answer. A genuine
// disclosure is valid with its entries, checkpoint and issued record; an
// altered or foreign one is not, with its problems; an empty upload and
// one over the limit are refused.
func TestVerifyPageWithTheServiceAlone(t *testing.T) {
	s := newSite(t)
	s.env.Review(s.reg, s.ridA, ledger.Review{Decision: ledger.DecisionAccept})
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
		{"genuine", pdf, http.StatusOK, []string{"Valid: this disclosure matches the ledger", `id="v-operator">op-a<`,
			`id="v-period">2025-Q3<`, "<dt>leaf_hash</dt>", "<dt>included</dt><dd><code>true</code>",
			"<dt>return</dt><dd><code>" + s.ridA + "</code>", `id="v-issued"`, "<dt>signed</dt><dd><code>true</code>"}},
		{"altered", altered, http.StatusOK, []string{`id="verdict">Not valid<`, `<ul class="problems"><li>`}},
		{"not a disclosure", []byte("%PDF-1.7 test"), http.StatusOK, []string{`id="verdict">Not valid<`,
			"no ictledger proof attachment could be read"}},
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
		})
	}
}
