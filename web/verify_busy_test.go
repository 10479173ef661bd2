package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// countingBody counts the bytes read from it.
type countingBody struct {
	r io.Reader
	n int
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// With every verification ticket taken, the verify form is answered 503
// with Retry-After before its upload is read.
func TestVerifyPageBusy(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf(s.opA)
	for {
		release, err := s.svc.AdmitVerify()
		if ledger.ErrorCode(err) == ledger.EBusy {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(release)
	}
	form, ct := multipartForm(t, map[string]string{"csrf": csrf}, map[string][]byte{"file": []byte("%PDF-1.7 test")})
	body := &countingBody{r: form}
	resp := s.request("POST", "/verify", s.opA, body, ct)
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(page), "try again") {
		t.Fatalf("busy verify page: %d, Retry-After %q:\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), page)
	}
	if body.n != 0 {
		t.Fatalf("the busy page read %d bytes of the upload", body.n)
	}
}
