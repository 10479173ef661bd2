package httpapi

import (
	"net/http"

	"github.com/gorilla/mux"
)

// handleRegion serves GET /v1/region?period=P (public): each country's
// accepted returns summed, with coverage, the region's totals and the
// median of the countries' intensities (calculators.RegionView).
func (s *Server) handleRegion(w http.ResponseWriter, r *http.Request) {
	span, err := spanParam(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v, err := s.svc.Region(span)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, v)
}

// handleRegionDisclosure serves GET /v1/region/disclosures/{P}.pdf
// (public): the regional view of a quarter or a year as a PDF that
// verifies offline (service.RegionDisclosure).
func (s *Server) handleRegionDisclosure(w http.ResponseWriter, r *http.Request) {
	span, err := parseSpan(mux.Vars(r)["period"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	pdf, err := s.svc.RegionDisclosure(r.Context(), actor(r), span)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writePDF(w, r, pdf, "region-"+span.String()+".pdf")
}
