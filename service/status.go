package service

import (
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
	OpenFindings int         `json:"open_findings"`
	Warnings     int         `json:"warnings"`
}

// SectorStatus is every registered operator's filing state for a period.
type SectorStatus struct {
	Period             string           `json:"period"`
	Deadline           time.Time        `json:"deadline"`
	DeadlineOverridden bool             `json:"deadline_overridden"`
	Filed              int              `json:"filed"`
	Missing            int              `json:"missing"`
	Late               int              `json:"late"`
	Operators          []OperatorStatus `json:"operators"`
}

// SectorStatus lists the filing state of every registered operator for a
// period (regulator, admin).
func (s *Service) SectorStatus(a ledger.Actor, p ledger.Period) (*SectorStatus, error) {
	if err := requireRole(a, ledger.RoleRegulator, ledger.RoleAdmin); err != nil {
		return nil, err
	}
	deadline, overridden := s.Deadline(p)
	now := s.now()
	out := &SectorStatus{Period: p.String(), Deadline: deadline, DeadlineOverridden: overridden, Operators: []OperatorStatus{}}
	for _, op := range s.st.Operators() {
		row := OperatorStatus{Operator: op.ID, Name: op.Name, Country: op.Country, State: StateMissing}
		versions := s.st.Versions(op.ID, p)
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
	return out, nil
}
