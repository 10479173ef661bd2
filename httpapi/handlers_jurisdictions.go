package httpapi

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/ictledger/ictledger/ledger"
)

// jurisdictionRequest is the body of PUT /v1/jurisdictions/{cc}; the
// country is the path's.
type jurisdictionRequest struct {
	Name         string `json:"name"`
	NameLocal    string `json:"name_local,omitempty"`
	DeadlineDays int    `json:"deadline_days,omitempty"`
	TimeZone     string `json:"time_zone,omitempty"`
	FactorSet    string `json:"factor_set,omitempty"`
}

// handleSetJurisdiction serves PUT /v1/jurisdictions/{cc} (admin):
// records an administration's name, deadline rule, time zone and default
// factor set.
func (s *Server) handleSetJurisdiction(w http.ResponseWriter, r *http.Request) {
	var req jurisdictionRequest
	if err := s.authorizedBody(w, r, &req, ledger.RoleAdmin); err != nil {
		s.writeError(w, r, err)
		return
	}
	v, err := s.svc.SetJurisdiction(r.Context(), actor(r), ledger.Jurisdiction{Country: mux.Vars(r)["cc"], Name: req.Name,
		NameLocal: req.NameLocal, DeadlineDays: req.DeadlineDays, TimeZone: req.TimeZone, FactorSet: req.FactorSet})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, v)
}

// handleListJurisdictions serves GET /v1/jurisdictions (admin: every
// record; regulator: its own).
func (s *Server) handleListJurisdictions(w http.ResponseWriter, r *http.Request) {
	js, err := s.svc.Jurisdictions(actor(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, js)
}

// handleListTokens serves GET /v1/tokens (admin): every token without
// its secret; regulator tokens that predate jurisdictions are marked
// unrestricted.
func (s *Server) handleListTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := s.svc.Tokens(actor(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, ts)
}
