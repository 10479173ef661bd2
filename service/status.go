package service

import (
	"slices"
	"time"

	"github.com/ictledger/ictledger/ledger"
)

// FilingState is where an operator stands for one period.
type FilingState string

// The filing states of GET /v1/sector/status.
const (
	StateMissing   FilingState = "missing"
	StateSubmitted FilingState = "submitted"
	StateReturned  FilingState = "returned"
	StateAccepted  FilingState = "accepted"
)

// OperatorStatus is one operator's filing for a period.
type OperatorStatus struct {
	Operator     string      `json:"operator"`
	Name         string      `json:"name"`
	Country      string      `json:"country"`
	State        FilingState `json:"state"`
	Return       string      `json:"return,omitempty"` // latest version's id
	Versions     int         `json:"versions"`
	FiledAt      *time.Time  `json:"filed_at"`      // first version
	LastFiledAt  *time.Time  `json:"last_filed_at"` // latest version
	Late         bool        `json:"late"`          // first filed after the deadline, or missing past it
	Deadline     time.Time   `json:"deadline"`      // its jurisdiction's (DeadlineIn)
	OpenFindings int         `json:"open_findings"`
	Warnings     int         `json:"warnings"`
}

// SectorStatus is the filing state for a period of every registered
// operator that the caller sees and that was due for it. Deadline is the
// deadline of the one jurisdiction the view covers, or the default rule's
// for a view of several (each row has its own).
type SectorStatus struct {
	Period             string           `json:"period"`
	Country            string           `json:"country,omitempty"` // the one jurisdiction shown, if one
	Deadline           time.Time        `json:"deadline"`
	DeadlineOverridden bool             `json:"deadline_overridden"`
	Filed              int              `json:"filed"`
	Missing            int              `json:"missing"`
	Late               int              `json:"late"`
	Operators          []OperatorStatus `json:"operators"`
}

// SectorStatus lists the filing state for a period of the operators the
// caller sees (regulator, admin): a regulator's default view is its own
// jurisdictions. An operator counts from the quarter it was registered
// for (DueFrom): before it, it is listed only if it filed anyway, and is
// never missing or late.
func (s *Service) SectorStatus(a ledger.Actor, p ledger.Period) (*SectorStatus, error) {
	return s.SectorStatusIn(a, p, "")
}

// SectorStatusIn is SectorStatus for the operators of one country, or
// of every country the caller sees when country is "" (a regulator of
// one jurisdiction sees that one). A country outside a regulator's
// jurisdictions is ENotFound.
func (s *Service) SectorStatusIn(a ledger.Actor, p ledger.Period, country string) (*SectorStatus, error) {
	if err := requireRole(a, ledger.RoleRegulator, ledger.RoleAdmin); err != nil {
		return nil, err
	}
	country, err := s.viewCountry(a, country)
	if err != nil {
		return nil, err
	}
	return s.sectorStatus(s.scopeOf(a, country), p, country, s.now()), nil
}

// scopeOf is the jurisdictions a sector view for a covers: the one
// country asked for, else every country the actor sees
// (ledger.AllJurisdictions alone when that is all of them), in code
// order. A sector.recorded entry names it.
func (s *Service) scopeOf(a ledger.Actor, country string) []string {
	if country != "" {
		return []string{country}
	}
	if s.unrestricted(a) {
		return []string{ledger.AllJurisdictions}
	}
	// Never nil: a nil scope would cover every country (ledger.Covers),
	// and a regulator whose token is gone covers none.
	scope := slices.Clone(s.coverage(a))
	if scope == nil {
		scope = []string{}
	}
	slices.Sort(scope)
	return scope
}

// sectorStatus is the status of period p of the operators of scope
// (country, when set, is its one country), lateness counted at now.
func (s *Service) sectorStatus(scope []string, p ledger.Period, country string, now time.Time) *SectorStatus {
	deadline, overridden := s.DeadlineIn(country, p)
	if country == "" {
		deadline, overridden = s.Deadline(p)
	}
	out := &SectorStatus{Period: p.String(), Country: country, Deadline: deadline, DeadlineOverridden: overridden, Operators: []OperatorStatus{}}
	for _, op := range s.st.Operators() {
		if !ledger.Covers(scope, op.Country) {
			continue
		}
		row := OperatorStatus{Operator: op.ID, Name: op.Name, Country: op.Country, State: StateMissing}
		deadline, _ := s.DeadlineIn(op.Country, p)
		row.Deadline = deadline
		versions := s.st.Versions(op.ID, p)
		if len(versions) == 0 && p.Before(op.DueFrom()) {
			continue // not due, and not filed: nothing to say
		}
		if len(versions) == 0 {
			row.Late = now.After(deadline)
			out.Missing++
		} else {
			first, latest := versions[0], versions[len(versions)-1]
			f, l := first.FiledAt, latest.FiledAt
			row.FiledAt, row.LastFiledAt = &f, &l
			row.Return, row.Versions, row.Warnings = latest.ID, len(versions), len(latest.Warnings)
			row.Late = first.FiledAt.After(deadline)
			switch latest.Status() {
			case ledger.StatusAccepted:
				row.State = StateAccepted
			case ledger.StatusReturned:
				row.State = StateReturned
				row.OpenFindings = len(latest.Reviews[len(latest.Reviews)-1].Findings)
			default:
				row.State = StateSubmitted
			}
			out.Filed++
		}
		if row.Late {
			out.Late++
		}
		out.Operators = append(out.Operators, row)
	}
	return out
}
