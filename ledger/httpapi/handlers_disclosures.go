package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/ictledger/ictledger/ledger"
)

// maxVerifyBytes limits an uploaded PDF to verify.
const maxVerifyBytes = 32 << 20

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

// writePDF sends a document with ETag = SHA-256 of its bytes, answering a
// matching If-None-Match with 304.
func (s *Server) writePDF(w http.ResponseWriter, r *http.Request, pdf []byte, name string) {
	sum := sha256.Sum256(pdf)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "no-cache")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	_, _ = w.Write(pdf)
}

// handleVerify serves POST /v1/verify (public): the bytes of a PDF as
// application/pdf, or a multipart form with a "file" part. It takes a
// verification ticket before it reads a byte of the body, so that a busy
// server answers 503 at once and holds no more uploads than it has
// tickets.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	ctx, release, err := s.svc.AdmitVerify(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer release()
	r = r.WithContext(ctx)
	r.Body = http.MaxBytesReader(w, r.Body, maxVerifyBytes)
	pdf, err := readPDF(r)
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
// request's Content-Length when it is within the limit, rather than grown
// by doubling: a 32 MiB upload then takes 32 MiB, not up to twice that.
func readAllSized(src io.Reader, size int64) ([]byte, error) {
	var buf bytes.Buffer
	if size > 0 && size <= maxVerifyBytes {
		buf.Grow(int(size) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(src)
	return buf.Bytes(), err
}
