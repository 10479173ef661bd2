package service

import (
	"sort"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
)

// Disclosure is a public disclosure: an operator's quarter whose latest
// version was accepted, or a year whose four quarters all were.
type Disclosure struct {
	Operator   string    `json:"operator"`
	Name       string    `json:"name"`
	Country    string    `json:"country"`
	Period     string    `json:"period"`  // "2025-Q3", or "2025" for a year
	Returns    []string  `json:"returns"` // the accepted latest versions it covers
	AcceptedAt time.Time `json:"accepted_at"`
}

// Disclosures lists what anyone may download: for every operator, each
// quarter whose latest version's latest review is an acceptance, and each
// calendar year whose four quarters are all such. A quarter that was
// restated after its acceptance is left out until the restatement is
// accepted in turn, because a disclosure shows the latest versions. It is
// public and needs no actor. Operators are in id order, periods newest
// first, a year before its quarters.
func (s *Service) Disclosures() []Disclosure {
	out := []Disclosure{}
	for _, op := range s.st.Operators() {
		var quarters []Disclosure
		byYear := map[int][]Disclosure{}
		latest := s.st.LatestOf(op.ID)
		for _, rv := range latest {
			if !isPublic(rv) {
				continue
			}
			d := Disclosure{Operator: op.ID, Name: op.Name, Country: op.Country, Period: rv.PeriodKey,
				Returns: []string{rv.ID}, AcceptedAt: rv.Reviews[len(rv.Reviews)-1].Time}
			quarters = append(quarters, d)
			byYear[rv.Period.Year] = append(byYear[rv.Period.Year], d)
		}
		for y, qs := range byYear {
			if !publicSpan(latest, ledger.Span{Year: y}) {
				continue
			}
			year := Disclosure{Operator: op.ID, Name: op.Name, Country: op.Country, Period: ledger.Span{Year: y}.String()}
			for _, q := range qs {
				year.Returns = append(year.Returns, q.Returns...)
				if q.AcceptedAt.After(year.AcceptedAt) {
					year.AcceptedAt = q.AcceptedAt
				}
			}
			quarters = append(quarters, year)
		}
		// "2025" sorts before "2025-Q4" when descending by a key that puts
		// the year after its quarters' prefix.
		sort.Slice(quarters, func(i, j int) bool { return periodSortKey(quarters[i].Period) > periodSortKey(quarters[j].Period) })
		out = append(out, quarters...)
	}
	return out
}

// periodSortKey orders "2025" after "2025-Q4", so that newest-first puts a
// year before its quarters.
func periodSortKey(period string) string {
	if len(period) == 4 {
		return period + "-Z"
	}
	return period
}

// isPublic reports whether a return version may be shown to anyone: it is
// the latest version of its quarter and its latest review is an
// acceptance (a superseded version has another status).
func isPublic(rv *state.ReturnVersion) bool {
	return rv != nil && rv.Status() == ledger.StatusAccepted
}

// publicSpan reports whether an operator's quarter or year is public:
// every quarter of it has a latest version that isPublic. latest is the
// operator's latest versions (state.LatestOf), read once so that the
// answer and the document made after it rest on one state. It is the one
// rule for what the listing offers and what OperatorDisclosure serves to
// anyone and records as issued.
func publicSpan(latest []*state.ReturnVersion, span ledger.Span) bool {
	public := map[ledger.Period]bool{}
	for _, rv := range latest {
		public[rv.Period] = isPublic(rv)
	}
	for _, p := range span.Quarters() {
		if !public[p] {
			return false
		}
	}
	return true
}
