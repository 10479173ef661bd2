package calculators

import (
	"github.com/ictledger/ictledger/ledger"
)

// resolveMethodology is the one place a computation's methodology is
// chosen: the request's, or, when it names none, the one the factor set
// is meant for (methodology-2026 versioning rules). An unknown
// methodology is EInvalid naming the field "methodology". Every
// calculator reads the result from the request it is handed, so a rule
// of a later methodology is a test of ledger.MethodologyAtLeast on it.
func resolveMethodology(req Request) (string, error) {
	m := req.Methodology
	if m == "" {
		if req.Factors == nil {
			return ledger.Methodology20251, nil
		}
		m = req.Factors.MethodologyOf()
	}
	if err := ledger.CheckMethodology("methodology", m); err != nil {
		return "", err
	}
	return m, nil
}

// since reports whether the request computes under methodology min or a
// later one. A request whose methodology is not resolved yet (a
// calculator called on its own) computes under its factor set's.
func (req Request) since(min string) bool {
	m := req.Methodology
	if m == "" && req.Factors != nil {
		m = req.Factors.MethodologyOf()
	}
	return ledger.MethodologyAtLeast(m, min)
}

// DataQuality is one data-quality flag of a computation (methodology 2026.1
// G1 and later items): something a figure rests on that a reader should
// weigh, such as a grid factor of a fallback basis or an old year. Any
// calculator may add one with Trace.Flag; the list is shown beside the
// metrics, on the regulator's pages and on the PDF.
type DataQuality struct {
	// Code names the kind of flag, stable for machines (e.g.
	// "grid_basis_fallback", "grid_factor_old").
	Code string `json:"code"`
	// Metric is the metric the flag concerns, e.g. "e1.scope2_location_tco2e".
	Metric string `json:"metric"`
	// Grid is the grid key the flag concerns, when it concerns one.
	Grid string `json:"grid,omitempty"`
	// Row is the JSON path of the filed row it concerns, when one row.
	Row string `json:"row,omitempty"`
	// Message says what was found and what was done, for people.
	Message string `json:"message"`
}

// Data-quality codes of methodology 2026.1 G1.
const (
	// DQGridBasisFallback: the grid has no direct factor; a lifecycle or
	// margin factor was used.
	DQGridBasisFallback = "grid_basis_fallback"
	// DQGridBasisNotStated: the factor set does not say the factor's basis.
	DQGridBasisNotStated = "grid_basis_not_stated"
	// DQGridFactorOld: the factor's data year is more than 3 years before
	// the period it is applied to.
	DQGridFactorOld = "grid_factor_old"
	// DQGridFactorYearNotStated: the factor set gives no data year for the
	// factor, so its age cannot be checked.
	DQGridFactorYearNotStated = "grid_factor_year_not_stated"
)

// Flag records a data-quality flag.
func (t *Trace) Flag(d DataQuality) { t.DataQuality = append(t.DataQuality, d) }
