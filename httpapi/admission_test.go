package httpapi

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/httpstatus"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/service"
)

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// With every verification ticket taken, POST /v1/verify is answered 503
// with Retry-After and the busy problem at once, without reading the
// body; with a ticket free the same request is read whole (this service
// has no journal, so its verdict is not the point).
func TestVerifyBusyBeforeReadingTheBody(t *testing.T) {
	svc := service.New(service.Config{State: state.New(), VerifyQueue: 1})
	s := New(Config{Service: svc})
	release, err := svc.AdmitVerify()
	if err != nil {
		t.Fatal(err)
	}
	post := func() (*httptest.ResponseRecorder, *countingReader) {
		body := &countingReader{r: strings.NewReader(strings.Repeat("junk", 1<<18))}
		r := httptest.NewRequest(http.MethodPost, "/v1/verify", body)
		r.Header.Set("Content-Type", "application/pdf")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		return rec, body
	}
	rec, body := post()
	var p problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("%d %s: %v", rec.Code, rec.Body, err)
	}
	if rec.Code != http.StatusServiceUnavailable || p.Code != "busy" || rec.Header().Get("Retry-After") != httpstatus.BusyRetryAfter ||
		rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("busy verify: %d %v Retry-After %q", rec.Code, p, rec.Header().Get("Retry-After"))
	}
	if body.n != 0 {
		t.Fatalf("the busy answer read %d bytes of the body first", body.n)
	}

	release()
	rec, body = post()
	if rec.Code == http.StatusServiceUnavailable || body.n != 1<<20 {
		t.Fatalf("with a ticket free: %d after reading %d bytes: %s", rec.Code, body.n, rec.Body)
	}
	// The ticket of that request came back with its answer.
	if again, err := svc.AdmitVerify(); err != nil {
		t.Fatalf("the answered request kept its ticket: %v", err)
	} else {
		again()
	}
}

// A body declared larger than the limit is refused 413 before a byte of
// it is read, and takes no ticket.
func TestVerifyDeclaredTooLarge(t *testing.T) {
	svc := service.New(service.Config{State: state.New(), VerifyQueue: 1})
	s := New(Config{Service: svc})
	body := &countingReader{r: strings.NewReader("%PDF-1.7")}
	r := httptest.NewRequest(http.MethodPost, "/v1/verify", body)
	r.Header.Set("Content-Type", "application/pdf")
	r.ContentLength = maxVerifyBytes + 1
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	if rec.Code != http.StatusRequestEntityTooLarge || body.n != 0 {
		t.Fatalf("declared too large: %d after reading %d bytes", rec.Code, body.n)
	}
	if release, err := svc.AdmitVerify(); err != nil {
		t.Fatalf("the refused request kept a ticket: %v", err)
	} else {
		release()
	}
}

// An admitted upload that trickles past the verify body timeout is
// answered 400 saying so, and its ticket comes back: a slow client
// cannot keep one for the server's read timeout.
func TestVerifySlowUploadEnds(t *testing.T) {
	svc := service.New(service.Config{State: state.New(), VerifyQueue: 1})
	s := New(Config{Service: svc})
	s.verifyBodyTimeout = 200 * time.Millisecond
	srv := httptest.NewServer(s)
	defer srv.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\nContent-Length: 1000\r\n\r\n%%PDF-")
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled upload: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "the upload took longer than 200ms") {
		t.Fatalf("stalled upload: %d %s", resp.StatusCode, b)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Fatalf("answered after %v", d)
	}
	if release, err := svc.AdmitVerify(); err != nil {
		t.Fatalf("the stalled upload kept its ticket: %v", err)
	} else {
		release()
	}
}
