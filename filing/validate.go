package filing

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// Context is what Validate needs to know from outside the return.
type Context struct {
	// Operator is the {id} of the URL; the return's operator must equal it.
	Operator string
	// Now is the time of filing; the return's quarter must have ended by
	// then (a current or future quarter is an error).
	Now time.Time
	// Factors is the factor set the return will be computed with: the
	// version its factor_set names, or the newest published when it names
	// none or one that does not exist (Validate then reports factor_set).
	// Grids of electricity rows, data centres and site rows must be keys
	// of its grid map. A nil Factors skips the checks that need it.
	Factors *ledger.FactorSet
	// Latest is the id of the latest version of this operator's return for
	// the same period, "" when the period has no return yet. restates must
	// equal it.
	Latest string
	// FirstPeriod is the period of the operator's earliest filed return,
	// the zero Period when it has none. historic_inflow may only come with
	// the earliest return and must precede its year.
	FirstPeriod ledger.Period
	// ClaimedBy, when set, names the return of another operator or
	// another quarter that claims the certificate (registry, id), ""
	// when none does: from methodology 2026.1 a certificate counts once
	// in the whole ledger (G3). A restatement of the same quarter may
	// claim its own certificates again.
	ClaimedBy func(registry, id string) string
}

// Validate checks every rule of docs/spec/quarterly-return.md that one return and
// its context can decide, and returns all problems (each with its JSON
// path) and all warnings. A return with problems must not be filed; one
// with only warnings is filed with them. Validate does not modify r.
// Past 10,000 problems the rest are counted in one last entry with an
// empty path.
//
// Warnings that compare with other quarters or other operators (changes
// of more than 50%, the sector median) need data from the store and are
// computed elsewhere.
func Validate(r *ledger.Return, c Context) (problems []ledger.FieldError, warnings []ledger.Warning) {
	p, w := validate(r, c)
	return p.fields(0), w
}

func validate(r *ledger.Return, c Context) (problems, []ledger.Warning) {
	v := &validator{r: r, c: c, purchased: map[string]decimal.Decimal{}}
	v.top()
	v.fields()
	v.activity()
	v.v11Return()
	v.sites()
	v.electricity()
	v.fuels()
	v.onsite()
	v.refrigerants()
	v.claims()
	v.dataCentres()
	v.devices()
	v.historic()
	v.resilience()
	return v.probs, v.warns
}

// validator holds the state of one Validate call.
type validator struct {
	r     *ledger.Return
	c     Context
	probs problems
	warns []ledger.Warning

	// purchased is purchased electricity in kWh per grid: electricity rows
	// plus site rows' grid_kwh.
	purchased map[string]decimal.Decimal
	// dcEnergy is the energy in kWh of the data_centre domain, for the
	// facility-total warning.
	dcEnergy decimal.Decimal
	// gridKeys are the grid keys looked up in the factor set so far, and
	// countryKeyWarned the country keys warned about already, so that a
	// key on many rows warns once (validate_grids.go).
	gridKeys         map[string]ledger.GridKey
	countryKeyWarned map[string]bool
}

func (v *validator) add(path, format string, args ...any) {
	if v.probs.full() {
		v.probs.more++
		return
	}
	v.probs.add(path, fmt.Sprintf(format, args...))
}

func (v *validator) warn(rule, path, format string, args ...any) {
	if len(v.warns) >= maxCollected {
		return
	}
	v.warns = append(v.warns, ledger.Warning{Rule: rule, Path: path, Message: fmt.Sprintf(format, args...)})
}

// at formats the path of a field of an array element, e.g. at("fuels", 2,
// "quantity") is "fuels[2].quantity"; an empty field names the element.
func at(section string, i int, field string) string {
	if field == "" {
		return fmt.Sprintf("%s[%d]", section, i)
	}
	return fmt.Sprintf("%s[%d].%s", section, i, field)
}

// knownGrid reports a grid that the factor set does not have. An empty
// grid is reported as required.
func (v *validator) knownGrid(grid string, path func() string) {
	if grid == "" {
		v.probs.add(path(), "is required")
		return
	}
	if v.c.Factors == nil {
		return
	}
	v.gridKey(grid, path)
}

func (v *validator) top() {
	r, c := v.r, v.c
	switch {
	case r.Operator == "":
		v.add("operator", "is required")
	case c.Operator != "" && r.Operator != c.Operator:
		v.add("operator", "must be the operator of the URL, %q; got %q", c.Operator, r.Operator)
	}
	if r.Period.IsZero() {
		v.add("period", "is required")
	} else if end := r.Period.End(); end.After(c.Now) {
		v.add("period", "the quarter %s has not ended: it ends at %s", r.Period, end.Format(time.RFC3339))
	}
	switch {
	case c.Latest != "" && r.Restates == "":
		v.add("restates", "is required: %s already has a return, latest version %s", r.Period, c.Latest)
	case c.Latest == "" && r.Restates != "":
		v.add("restates", "%s has no return to restate; got %q", r.Period, r.Restates)
	case r.Restates != c.Latest:
		v.add("restates", "must be the latest version of %s, %q; got %q", r.Period, c.Latest, r.Restates)
	}
	if r.Restates != "" && r.Reason == "" {
		v.add("reason", "is required with restates")
	}
	if r.Restates == "" && r.Reason != "" && c.Latest == "" {
		v.add("reason", "is only for a restatement (with restates)")
	}
	if r.FactorSet != "" && c.Factors != nil && r.FactorSet != c.Factors.Version {
		v.add("factor_set", "unknown factor set version %q", r.FactorSet)
	}
}

func (v *validator) activity() {
	a := v.r.Activity
	if a.DataTrafficTB == nil {
		v.add("activity.data_traffic_tb", "is required")
	}
	if a.Subscriptions == nil {
		v.add("activity.subscriptions", "is required")
	}
	switch {
	case len(v.r.Sites) == 0 && a.SitesTotal == nil:
		v.add("activity.sites_total", "is required (or send site rows)")
	case len(v.r.Sites) > 0 && a.SitesTotal != nil && *a.SitesTotal != int64(len(v.r.Sites)):
		v.add("activity.sites_total", "must equal the number of site rows, %d; got %d (or leave it out)", len(v.r.Sites), *a.SitesTotal)
	}
}

// sitesTotal is the number of sites: the rows when given, else
// activity.sites_total.
func (v *validator) sitesTotal() (int64, bool) {
	if len(v.r.Sites) > 0 {
		return int64(len(v.r.Sites)), true
	}
	if v.r.Activity.SitesTotal != nil {
		return *v.r.Activity.SitesTotal, true
	}
	return 0, false
}
