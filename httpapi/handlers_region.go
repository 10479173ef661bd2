package httpapi

import "net/http"

// handleRegion serves GET /v1/region?period=P (public): each country's
// accepted returns summed, with coverage, the region's totals and the
// median of the countries' intensities (service.Region).
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
