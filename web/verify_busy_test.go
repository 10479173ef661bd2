package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/web"
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
// with Retry-After before its upload is read, and the verifier is not
// called.
func TestVerifyPageBusy(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf(s.opA)
	for {
		_, release, err := s.svc.AdmitVerify(context.Background())
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
	if body.n != 0 || s.verifier.got != nil {
		t.Fatalf("the busy page read %d bytes and verified %q", body.n, s.verifier.got)
	}
}

// The API's busy answer reaches the page as a busy error with its detail,
// not as a failed verifier.
func TestAPIVerifierBusy(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"code":"busy","status":503,"detail":"no renderer was free in time; try again in a few seconds"}`)
	})
	_, err := web.APIVerifier(api).Verify(context.Background(), []byte("%PDF"))
	if ledger.ErrorCode(err) != ledger.EBusy || !strings.Contains(ledger.ErrorMessage(err), "no renderer was free") {
		t.Fatalf("busy API: %v, want the busy error with its detail", err)
	}
}
