package web

import (
	"net/http"
	"sort"
	"strings"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// tokenRow is one issued token as the admin's tokens page shows it: what
// it may do and since when, never its secret or the secret's hash (the
// service's TokenView carries neither).
type tokenRow struct {
	service.TokenView
	OperatorName string   // the operator of an operator token, by name
	Countries    []string // a regulator's jurisdictions, "Thailand (TH)"
	AllCountries bool     // a regulator token that names "*"
}

type tokensPage struct {
	Tokens       []tokenRow
	Active       int
	Unrestricted int // active regulator tokens issued before jurisdictions
}

// handleTokens serves GET /tokens (admin): every issued token with its
// role, operator or jurisdictions, when it was issued and whether it was
// revoked, the unrestricted regulator tokens of before jurisdictions
// marked. Another role gets the 403 page the service's check gives.
func (h *Handler) handleTokens(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	views, err := h.svc.Tokens(s.actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	names := map[string]string{}
	if ops, err := h.svc.Operators(s.actor); err == nil {
		for _, o := range ops {
			names[o.ID] = o.Name
		}
	}
	countries := map[string]string{}
	if js, err := h.svc.Jurisdictions(s.actor); err == nil {
		for _, j := range js {
			countries[j.Country] = j.Name
		}
	}
	h.render(w, r, s, http.StatusOK, "tokens", tokenRows(views, names, countries))
}

// tokenRows orders the tokens for reading, the ones in force first, each
// group by issue time, and counts what needs the admin's attention.
func tokenRows(views []service.TokenView, operators, countries map[string]string) tokensPage {
	var page tokensPage
	for _, v := range views {
		row := tokenRow{TokenView: v, OperatorName: operators[v.Operator]}
		for _, c := range v.Jurisdictions {
			switch {
			case c == ledger.AllJurisdictions:
				row.AllCountries = true
			case countries[c] != "":
				row.Countries = append(row.Countries, countries[c]+" ("+c+")")
			default:
				row.Countries = append(row.Countries, c)
			}
		}
		if !v.Revoked {
			page.Active++
			if v.Unrestricted {
				page.Unrestricted++
			}
		}
		page.Tokens = append(page.Tokens, row)
	}
	sort.SliceStable(page.Tokens, func(i, j int) bool {
		a, b := page.Tokens[i], page.Tokens[j]
		if a.Revoked != b.Revoked {
			return !a.Revoked
		}
		if !a.IssuedAt.Equal(b.IssuedAt) {
			return a.IssuedAt.Before(b.IssuedAt)
		}
		return strings.Compare(a.ID, b.ID) < 0
	})
	return page
}
