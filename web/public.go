package web

import (
	"net/http"

	"github.com/ictledger/ictledger/service"
)

// disclosureGroup is one operator's public disclosures.
type disclosureGroup struct {
	Operator, Name, Country string
	Items                   []service.Disclosure
}

type homePage struct {
	Groups []disclosureGroup
}

// handleHome serves GET /: the public disclosures, by operator and
// period, with their PDF links. Anyone may see it. The list follows the
// rule by which the service serves a disclosure to anyone (every quarter
// covered has an accepted latest version), so every link works and no
// other period is offered.
func (h *Handler) handleHome(w http.ResponseWriter, r *http.Request) {
	s := h.ensureBasis(w, r, h.session(r))
	var page homePage
	for _, d := range h.svc.Disclosures() {
		n := len(page.Groups)
		if n == 0 || page.Groups[n-1].Operator != d.Operator {
			page.Groups = append(page.Groups, disclosureGroup{Operator: d.Operator, Name: d.Name, Country: d.Country})
			n++
		}
		page.Groups[n-1].Items = append(page.Groups[n-1].Items, d)
	}
	h.render(w, r, s, http.StatusOK, "home", page)
}
