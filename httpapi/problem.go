package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/ictledger/ictledger/httpstatus"
	"github.com/ictledger/ictledger/ledger"
)

// problem is an RFC 9457 problem details object, with the list of field
// errors every validation failure carries.
type problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail"`
	Instance  string              `json:"instance,omitempty"`
	Code      string              `json:"code"`
	RequestID string              `json:"request_id,omitempty"`
	Errors    []ledger.FieldError `json:"errors,omitempty"`
}

// writeError writes err as application/problem+json. Internal errors are
// logged with their cause and shown to the client without it. A request
// whose client went away (ledger.ECanceled) gets only the status 499 for
// the access log and the metrics: nobody reads an answer, and a hang-up
// is not a server error.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := ledger.ErrorCode(err)
	status := httpstatus.Of(code)
	if code == ledger.ECanceled {
		s.log.DebugContext(r.Context(), "client closed request", "request_id", requestID(r.Context()), "path", r.URL.Path, "err", err)
		w.WriteHeader(status)
		return
	}
	p := problem{
		Type:      "urn:ictledger:problem:" + code,
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    ledger.ErrorMessage(err),
		Instance:  r.URL.Path,
		Code:      code,
		RequestID: requestID(r.Context()),
	}
	var le *ledger.Error
	if errors.As(err, &le) {
		p.Errors = le.Fields
	}
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "request_id", p.RequestID, "path", r.URL.Path, "code", code, "err", err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ictledger"`)
	}
	if code == ledger.EBusy {
		w.Header().Set("Retry-After", httpstatus.BusyRetryAfter)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(p); err != nil {
		s.log.DebugContext(r.Context(), "write problem", "err", err)
	}
}

// writeJSON writes v as JSON with the given status.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.writeError(w, r, &ledger.Error{Code: ledger.EInternal, Message: "could not encode the response", Err: err})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if _, err := w.Write(append(b, '\n')); err != nil {
		s.log.DebugContext(r.Context(), "write response", "err", err)
	}
}

// decodeBody reads a small JSON request body strictly (unknown fields are
// an error) into v.
func decodeBody(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return bodyError(err)
	}
	// encoding/json would turn invalid UTF-8 into U+FFFD without a word;
	// what reaches the ledger must be what the client sent.
	if !utf8.Valid(body) {
		return ledger.Errorf(ledger.EBadRequest, "the body is not valid UTF-8")
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		if tooLarge := tooLargeError(err); tooLarge != nil {
			return tooLarge
		}
		return &ledger.Error{Code: ledger.EBadRequest, Message: "the body is not valid JSON for this request: " + err.Error()}
	}
	if d.More() {
		return ledger.Errorf(ledger.EBadRequest, "the body has data after the JSON value")
	}
	return nil
}

// tooLargeError is the 413 problem for a body cut off by
// http.MaxBytesReader, however deep the error that carries it is wrapped
// (multipart wraps it), or nil for any other error.
func tooLargeError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return ledger.Errorf(ledger.ETooLarge, "the body is larger than %d bytes", mbe.Limit)
	}
	return nil
}

// bodyError is the problem for a body that could not be read.
func bodyError(err error) error {
	if tooLarge := tooLargeError(err); tooLarge != nil {
		return tooLarge
	}
	return &ledger.Error{Code: ledger.EBadRequest, Message: "could not read the body", Err: err}
}
