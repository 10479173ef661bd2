package httpapi

import (
	"mime"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/workbook"
)

// handleFileReturn serves POST /v1/operators/{id}/returns (that operator):
// a JSON return, or multipart/form-data with a "return" JSON part and
// optional "sites" and "devices" CSV parts, or an XLSX workbook (as the
// body, or as the only part, "return", of a multipart body).
func (s *Server) handleFileReturn(w http.ResponseWriter, r *http.Request) {
	op := mux.Vars(r)["id"]
	if err := requireRoleHTTP(r, ledger.RoleOperator); err != nil {
		s.writeError(w, r, err)
		return
	}
	if a := actor(r); a.Operator != op {
		s.writeError(w, r, ledger.Errorf(ledger.EForbidden, "this token may only file for operator %s", a.Operator))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxReturnBytes)
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		s.writeError(w, r, ledger.Errorf(ledger.EBadRequest, "Content-Type must be application/json, multipart/form-data or "+workbook.MediaType))
		return
	}
	opts := filing.Options{MaxPartBytes: s.cfg.MaxReturnBytes}
	opts.Workbook = readWorkbookPart(opts)
	var decode service.Decoder
	switch mt {
	case "application/json":
		decode = service.DraftDecoder(func() (*filing.Draft, error) { return filing.ReadJSON(r.Body, opts) })
	case workbook.MediaType:
		decode = workbookDecoder(r, opts)
	case "multipart/form-data":
		if params["boundary"] == "" {
			s.writeError(w, r, ledger.Errorf(ledger.EBadRequest, "multipart/form-data needs a boundary"))
			return
		}
		mr, err := r.MultipartReader()
		if err != nil {
			s.writeError(w, r, ledger.Errorf(ledger.EBadRequest, "bad multipart body: %v", err))
			return
		}
		decode = service.DraftDecoder(func() (*filing.Draft, error) { return filing.ReadMultipart(mr, opts) })
	default:
		s.writeError(w, r, ledger.Errorf(ledger.EBadRequest, "Content-Type must be application/json, multipart/form-data or %s, not %s", workbook.MediaType, mt))
		return
	}
	filed, err := s.svc.FileReturn(r.Context(), actor(r), op, decode, r.Header.Get("Idempotency-Key"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/returns/"+filed.ID)
	if filed.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	s.writeJSON(w, r, http.StatusCreated, filed)
}

// handleListReturns serves GET /v1/operators/{id}/returns[?period=P].
func (s *Server) handleListReturns(w http.ResponseWriter, r *http.Request) {
	var p *ledger.Period
	if v := r.URL.Query().Get("period"); v != "" {
		q, err := parseQuarter(v)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		p = &q
	}
	vs, err := s.svc.Versions(actor(r), mux.Vars(r)["id"], p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, vs)
}

// handleGetReturn serves GET /v1/returns/{rid}.
func (s *Server) handleGetReturn(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.Return(actor(r), mux.Vars(r)["rid"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, v)
}

// handleDiff serves GET /v1/returns/{rid}/diff?against={rid2}.
func (s *Server) handleDiff(w http.ResponseWriter, r *http.Request) {
	against := r.URL.Query().Get("against")
	if against == "" {
		s.writeError(w, r, &ledger.Error{Code: ledger.EInvalid, Message: "missing query parameter against",
			Fields: []ledger.FieldError{{Path: "against", Message: "is required: the id of the version to compare with"}}})
		return
	}
	d, err := s.svc.Diff(actor(r), mux.Vars(r)["rid"], against)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, d)
}

// handleReview serves POST /v1/returns/{rid}/reviews (regulator).
func (s *Server) handleReview(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Decision ledger.Decision     `json:"decision"`
		Comment  string              `json:"comment"`
		Findings []ledger.FieldError `json:"findings"`
	}
	if err := s.authorizedBody(w, r, &req, ledger.RoleRegulator); err != nil {
		s.writeError(w, r, err)
		return
	}
	v, err := s.svc.Review(r.Context(), actor(r), mux.Vars(r)["rid"],
		ledger.Review{Decision: req.Decision, Comment: req.Comment, Findings: req.Findings})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, v)
}
