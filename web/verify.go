package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/ictledger/ictledger/ledger"
)

// Verifier checks that a PDF is a disclosure this service produced and
// that the ledger entries it names are in the log.
type Verifier interface {
	// Verify checks pdf. An error is for a verification that could not
	// run at all; a PDF that does not verify is a Verification with
	// Valid false and its problems.
	Verify(ctx context.Context, pdf []byte) (*Verification, error)
}

// Verification is the answer of POST /v1/verify as docs/spec/api.md documents it.
// Entries, checkpoint and problems are kept as JSON and shown field by
// field, so the page does not depend on more than the documented names.
type Verification struct {
	Valid      bool              `json:"valid"`
	Operator   string            `json:"operator"`
	Period     string            `json:"period"`
	Entries    []json.RawMessage `json:"entries"`
	Checkpoint json.RawMessage   `json:"checkpoint"`
	Problems   []json.RawMessage `json:"problems"`
	Issued     json.RawMessage   `json:"issued"` // the ledger's record of these bytes, when it has one
}

// ErrVerifyUnavailable means this server cannot verify disclosures.
var ErrVerifyUnavailable = errors.New("verification is not available on this server")

// APIVerifier verifies through the API's POST /v1/verify, called in
// process on api (no network). It needs nothing but the endpoint: until
// the API has it, the verify page says verification is not available.
func APIVerifier(api http.Handler) Verifier { return apiVerifier{api} }

type apiVerifier struct{ api http.Handler }

func (v apiVerifier) Verify(ctx context.Context, pdf []byte) (*Verification, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "/v1/verify", bytes.NewReader(pdf))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/pdf")
	rec := &recorder{header: http.Header{}}
	v.api.ServeHTTP(rec, req)
	switch {
	case rec.Code == http.StatusNotFound || rec.Code == http.StatusMethodNotAllowed:
		return nil, ErrVerifyUnavailable
	case rec.Code == http.StatusServiceUnavailable && rec.header.Get("Retry-After") != "":
		return nil, busyProblem(rec.body.Bytes())
	case rec.Code >= 500:
		return nil, fmt.Errorf("POST /v1/verify: status %d", rec.Code)
	}
	body := rec.body.Bytes()
	var out Verification
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("POST /v1/verify: status %d: %w", rec.Code, err)
	}
	if rec.Code >= 400 && len(out.Problems) == 0 {
		// A problem document rather than a verification: show its detail.
		var p struct {
			Detail string `json:"detail"`
		}
		_ = json.Unmarshal(body, &p)
		msg, _ := json.Marshal(p.Detail)
		out.Problems = []json.RawMessage{msg}
	}
	return &out, nil
}

// busyProblem is the API's busy problem as a ledger error, so the page
// answers it as the API does (503, Retry-After) with its detail.
func busyProblem(body []byte) error {
	var p struct {
		Detail string `json:"detail"`
	}
	if json.Unmarshal(body, &p) != nil || p.Detail == "" {
		p.Detail = "the server is busy; try again in a few seconds"
	}
	return &ledger.Error{Code: ledger.EBusy, Message: p.Detail}
}

// recorder keeps an in-process response of the API.
type recorder struct {
	header http.Header
	Code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.Code == 0 {
		r.Code = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.Code == 0 {
		r.Code = http.StatusOK
	}
	return r.body.Write(b)
}

// field is one name and value shown in a verification's details.
type field struct {
	Name, Value string
}

// fieldsOf flattens a JSON object into sorted name/value pairs; nested
// values are shown as compact JSON. A value that is not an object is one
// field without a name.
func fieldsOf(raw json.RawMessage) []field {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return []field{{Value: textOf(raw)}}
	}
	out := make([]field, 0, len(m))
	for k, v := range m {
		out = append(out, field{Name: k, Value: textOf(v)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// textOf shows a JSON value: a string without its quotes, anything else
// as compact JSON.
func textOf(raw json.RawMessage) string {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return buf.String()
}

// problemText shows one problem: a string as is, an object with a path and
// a message as "path: message", anything else as JSON.
func problemText(raw json.RawMessage) string {
	var p struct {
		Path    string `json:"path"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(raw, &p); err == nil && p.Message != "" {
		if p.Path != "" {
			return p.Path + ": " + p.Message
		}
		return p.Message
	}
	return strings.TrimSpace(textOf(raw))
}

type verifyPage struct {
	Unavailable bool
	Error       string
	Result      *Verification
	Entries     [][]field
	Checkpoint  []field
	Issued      []field
	Problems    []string
}

// handleVerifyForm serves GET /verify.
func (h *Handler) handleVerifyForm(w http.ResponseWriter, r *http.Request) {
	s := h.ensureBasis(w, r, h.session(r))
	h.render(w, r, s, http.StatusOK, "verify", verifyPage{Unavailable: h.cfg.Verifier == nil})
}

// handleVerify serves POST /verify: a multipart form with the PDF in its
// "file" part, checked by the Verifier and shown as a page. Like the API
// it takes a verification ticket before it reads the form (the API called
// in process takes no second one), and a busy server says so at once.
func (h *Handler) handleVerify(w http.ResponseWriter, r *http.Request) {
	ctx, release, err := h.svc.AdmitVerify(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer release()
	r = r.WithContext(ctx)
	// The ticket is held while the upload arrives: a client trickling it
	// may not keep it for the server's five-minute read timeout.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(verifyUploadTimeout))
	s := h.session(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxPDFBytes+maxFormBytes)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.fail(w, r, ledger.Errorf(ledger.ETooLarge, "the file is larger than %d MiB", maxPDFBytes>>20))
			return
		}
		h.fail(w, r, ledger.Errorf(ledger.EBadRequest, "the form could not be read; choose a PDF file and send it again"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	if !h.checkCSRF(r, s) {
		h.fail(w, r, errCSRF)
		return
	}
	var page verifyPage
	status := http.StatusOK
	f, _, err := r.FormFile("file")
	var pdf []byte
	if err == nil {
		pdf, err = io.ReadAll(f)
		f.Close()
	}
	switch {
	case err != nil || len(pdf) == 0:
		page.Error, status = "Choose the PDF file to verify.", http.StatusUnprocessableEntity
	case h.cfg.Verifier == nil:
		page.Unavailable, status = true, http.StatusServiceUnavailable
	default:
		res, err := h.cfg.Verifier.Verify(r.Context(), pdf)
		switch {
		case errors.Is(err, ErrVerifyUnavailable):
			page.Unavailable, status = true, http.StatusServiceUnavailable
		case ledger.ErrorCode(err) == ledger.EBusy:
			h.fail(w, r, err)
			return
		case err != nil:
			h.log.ErrorContext(r.Context(), "verify", "err", err)
			page.Error, status = "The file could not be verified: the verifier failed. Try again later.", http.StatusInternalServerError
		default:
			page.Result = res
			for _, e := range res.Entries {
				page.Entries = append(page.Entries, fieldsOf(e))
			}
			page.Checkpoint = fieldsOf(res.Checkpoint)
			page.Issued = fieldsOf(res.Issued)
			for _, p := range res.Problems {
				page.Problems = append(page.Problems, problemText(p))
			}
		}
	}
	s = h.ensureBasis(w, r, s)
	h.render(w, r, s, status, "verify", page)
}

// verifyUploadTimeout is how long the upload of a PDF to verify may take
// once admitted, as for the API's POST /v1/verify.
const verifyUploadTimeout = 30 * time.Second
