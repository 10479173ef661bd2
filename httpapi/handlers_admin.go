package httpapi

import (
	"io"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// handleHealth serves GET /healthz: 200 {"status":"ok"} while writes are
// accepted; 503 {"status":"read_only"} once a storage failure stopped them
// (reads still work; restart after fixing the disk). The cause goes to the
// log, not to this public answer.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.ReadOnly(); err != nil {
		w.Header().Set("Cache-Control", "no-store")
		s.writeJSON(w, r, http.StatusServiceUnavailable, map[string]any{"status": "read_only", "entries": s.svc.Size(),
			"detail": "a journal write or fsync failed; writes are refused until the server is restarted; reads still work"})
		return
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"status": "ok", "entries": s.svc.Size()})
}

// tokenRequest is the body of POST /v1/tokens. A regulator token must
// carry jurisdictions: ISO 3166-1 codes, or ["*"] for every country.
type tokenRequest struct {
	Role          ledger.Role `json:"role"`
	Operator      string      `json:"operator,omitempty"`
	Label         string      `json:"label,omitempty"`
	Jurisdictions []string    `json:"jurisdictions,omitempty"`
}

// handleIssueToken serves POST /v1/tokens (admin).
func (s *Server) handleIssueToken(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if err := s.authorizedBody(w, r, &req, ledger.RoleAdmin); err != nil {
		s.writeError(w, r, err)
		return
	}
	t, err := s.svc.IssueTokenFor(r.Context(), actor(r), service.TokenRequest{Role: req.Role, Operator: req.Operator,
		Label: req.Label, Jurisdictions: req.Jurisdictions})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.writeJSON(w, r, http.StatusCreated, t)
}

// handleRevokeToken serves DELETE /v1/tokens/{id} (admin).
func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RevokeToken(r.Context(), actor(r), mux.Vars(r)["id"]); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleRegisterOperator serves POST /v1/operators (admin).
func (s *Server) handleRegisterOperator(w http.ResponseWriter, r *http.Request) {
	var op ledger.Operator
	if err := s.authorizedBody(w, r, &op, ledger.RoleAdmin); err != nil {
		s.writeError(w, r, err)
		return
	}
	rec, err := s.svc.RegisterOperator(r.Context(), actor(r), op)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, rec.Operator)
}

// handleListOperators serves GET /v1/operators (admin, regulator).
func (s *Server) handleListOperators(w http.ResponseWriter, r *http.Request) {
	ops, err := s.svc.Operators(actor(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]ledger.Operator, 0, len(ops))
	for _, op := range ops {
		out = append(out, op.Operator)
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// handleGetOperator serves GET /v1/operators/{id}.
func (s *Server) handleGetOperator(w http.ResponseWriter, r *http.Request) {
	op, err := s.svc.Operator(actor(r), mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, op.Operator)
}

// factorSetSummary is a factor set in a listing.
type factorSetSummary struct {
	Version     string `json:"version"`
	Published   string `json:"published"`
	PublishedAt string `json:"published_at"`
	Seq         uint64 `json:"seq"`
}

// handleListFactorSets serves GET /v1/factor-sets (any token).
func (s *Server) handleListFactorSets(w http.ResponseWriter, r *http.Request) {
	if err := s.requireToken(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	out := []factorSetSummary{}
	for _, fs := range s.svc.FactorSets() {
		out = append(out, factorSetSummary{Version: fs.Version, Published: fs.Set.Published,
			PublishedAt: fs.PublishedAt.Format(time.RFC3339), Seq: fs.Seq})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// handleGetFactorSet serves GET /v1/factor-sets/{version} (any token).
func (s *Server) handleGetFactorSet(w http.ResponseWriter, r *http.Request) {
	if err := s.requireToken(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	fs, err := s.svc.FactorSet(mux.Vars(r)["version"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, fs.Set)
}

// handlePublishFactorSet serves POST /v1/factor-sets (admin).
func (s *Server) handlePublishFactorSet(w http.ResponseWriter, r *http.Request) {
	if err := requireRoleHTTP(r, ledger.RoleAdmin); err != nil {
		s.writeError(w, r, err)
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 8<<20))
	if err != nil {
		s.writeError(w, r, bodyError(err))
		return
	}
	fs, err := s.svc.PublishFactorSet(r.Context(), actor(r), raw)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, fs.Set)
}

// authorizedBody checks the role before reading the body, so an
// unauthorized caller gets 401/403 rather than a complaint about its JSON.
func (s *Server) authorizedBody(w http.ResponseWriter, r *http.Request, v any, roles ...ledger.Role) error {
	if err := requireRoleHTTP(r, roles...); err != nil {
		return err
	}
	return decodeBody(w, r, smallBody, v)
}

// requireRoleHTTP is the early role check of handlers that read a body;
// the service checks again, with the operator binding.
func requireRoleHTTP(r *http.Request, roles ...ledger.Role) error {
	a := actor(r)
	if a.Role == "" {
		return ledger.Errorf(ledger.EUnauthorized, "a bearer token is required")
	}
	for _, role := range roles {
		if a.Role == role {
			return nil
		}
	}
	return ledger.Errorf(ledger.EForbidden, "this token's role may not do this")
}

// requireToken allows any authenticated caller.
func (s *Server) requireToken(r *http.Request) error {
	return requireRoleHTTP(r, ledger.RoleAdmin, ledger.RoleOperator, ledger.RoleRegulator)
}
