package httpapi

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// maxVerifyBytes limits an uploaded PDF to verify, as for the verify page.
const maxVerifyBytes = service.MaxVerifyBytes

// defaultVerifyBodyTimeout is how long an upload to verify may take once
// admitted, as for the verify page (see service.VerifyUploadTimeout).
const defaultVerifyBodyTimeout = service.VerifyUploadTimeout

// handleOperatorDisclosure serves GET /v1/operators/{id}/disclosures/{P}.pdf:
// public when every covered return is accepted, otherwise the operator
// itself, regulators and admins.
func (s *Server) handleOperatorDisclosure(w http.ResponseWriter, r *http.Request) {
	v := mux.Vars(r)
	span, err := parseSpan(v["period"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	pdf, err := s.svc.OperatorDisclosure(r.Context(), actor(r), v["id"], span)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writePDF(w, r, pdf, v["id"]+"-"+span.String()+".pdf")
}

// handleSectorDisclosure serves GET /v1/sector/disclosures/{P}.pdf[?country=JP] (regulator).
func (s *Server) handleSectorDisclosure(w http.ResponseWriter, r *http.Request) {
	span, err := parseSpan(mux.Vars(r)["period"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	country := r.URL.Query().Get("country")
	pdf, err := s.svc.SectorDisclosure(r.Context(), actor(r), span, country)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	name := "sector-" + span.String()
	if country != "" {
		name += "-" + country
	}
	s.writePDF(w, r, pdf, name+".pdf")
}

// writePDF sends a PDF to be shown inline, as writeDocument does.
func (s *Server) writePDF(w http.ResponseWriter, r *http.Request, pdf []byte, name string) {
	writeDocument(w, r, pdf, "application/pdf", `inline; filename="`+name+`"`, "no-cache")
}

// writeDocument sends a document with ETag = SHA-256 of its bytes and
// the given Cache-Control, answering a matching If-None-Match with 304.
func writeDocument(w http.ResponseWriter, r *http.Request, b []byte, contentType, disposition, cache string) {
	sum := sha256.Sum256(b)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", cache)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", disposition)
	_, _ = w.Write(b)
}

// handleVerify serves POST /v1/verify (public): the bytes of a PDF as
// application/pdf, or a multipart form with a "file" part. It takes a
// verification ticket before it reads a byte of the body, so that a busy
// server answers 503 at once and holds no more uploads than it has
// tickets; a body declared larger than the limit is refused before that.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > maxVerifyBytes {
		// Said at once: reading it would only end in the same answer.
		s.writeError(w, r, ledger.Errorf(ledger.ETooLarge, "the body is larger than %d bytes", maxVerifyBytes))
		return
	}
	release, err := s.svc.AdmitVerify()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer release()
	timeout := cmp.Or(s.verifyBodyTimeout, defaultVerifyBodyTimeout)
	// Without a connection to set it on (a test's recorder) there is
	// nothing to bound.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(timeout))
	r.Body = http.MaxBytesReader(w, r.Body, maxVerifyBytes)
	pdf, err := readPDF(r)
	if ne := net.Error(nil); errors.As(err, &ne) && ne.Timeout() {
		err = &ledger.Error{Code: ledger.EBadRequest, Message: fmt.Sprintf("the upload took longer than %v; send it again", timeout), Err: err}
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.svc.VerifyDisclosure(r.Context(), pdf)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, res)
}

func readPDF(r *http.Request) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, ledger.Errorf(ledger.EBadRequest, "Content-Type must be application/pdf or multipart/form-data")
	}
	var src io.Reader
	switch mt {
	case "application/pdf":
		src = r.Body
	case "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, ledger.Errorf(ledger.EBadRequest, "bad multipart body: %v", err)
		}
		for {
			p, err := mr.NextPart()
			if err != nil {
				if errors.Is(err, io.EOF) {
					return nil, ledger.Errorf(ledger.EBadRequest, "the form has no \"file\" part")
				}
				return nil, bodyError(err)
			}
			if p.FormName() == "file" {
				src = p
				break
			}
		}
	default:
		return nil, ledger.Errorf(ledger.EBadRequest, "Content-Type must be application/pdf or multipart/form-data, not %s", mt)
	}
	pdf, err := readAllSized(src, r.ContentLength)
	if err != nil {
		return nil, bodyError(err)
	}
	if len(pdf) == 0 {
		return nil, ledger.Errorf(ledger.EBadRequest, "the PDF is empty")
	}
	return pdf, nil
}

// readAllSized reads src whole into a buffer made once at size, the
// request's Content-Length when it is known, rather than grown step by
// step: a 32 MiB upload then takes 32 MiB, not the larger buffers growing
// leaves behind. Without a length it grows as io.ReadAll does.
func readAllSized(src io.Reader, size int64) ([]byte, error) {
	n := 512
	if size > 0 {
		n = int(min(size, maxVerifyBytes)) + 1 // one more to see the end
	}
	b := make([]byte, 0, n)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		k, err := src.Read(b[len(b):cap(b)])
		b = b[:len(b)+k]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}
