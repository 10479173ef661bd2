package disclosure

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

// inputs are a bundle's entries, decoded and indexed.
type inputs struct {
	operators  map[string]ledger.Operator
	factorSets map[string]*ledger.FactorSet
	// returns holds the latest version given of each (operator, quarter).
	returns map[string]map[ledger.Period]*filed
	// firstFiled is when the earliest version given of each (operator,
	// quarter) was filed: lateness counts from the first filing.
	firstFiled map[string]map[ledger.Period]time.Time
	reviews    map[string][]review // by return id, in sequence order
	entries    []ledger.Entry
	last       time.Time // time of the last entry: the document's date
	// densities are the Weibull densities shared by every quarter the
	// document computes (a pure cache: results do not depend on it).
	densities *calculators.Densities
	// acceptedOnly is set for a bundle of BasisAccepted: returns holds
	// accepted quarters only, and a comparison that needs another quarter
	// is reported unavailable.
	acceptedOnly bool
}

// filed is a return version with the entry that recorded it.
type filed struct {
	ledger.ReturnFiled
	Seq  uint64
	Time time.Time
}

type review struct {
	ledger.Review
	Seq  uint64
	Time time.Time
}

func decodeInputs(es []ledger.Entry) (*inputs, error) {
	in := &inputs{densities: calculators.NewDensities(), operators: map[string]ledger.Operator{}, factorSets: map[string]*ledger.FactorSet{},
		returns: map[string]map[ledger.Period]*filed{}, firstFiled: map[string]map[ledger.Period]time.Time{}, reviews: map[string][]review{}, entries: es}
	for i, e := range es {
		if i > 0 && e.Seq <= es[i-1].Seq {
			return nil, fmt.Errorf("entries are not in sequence order at %d", e.Seq)
		}
		if e.Time.After(in.last) {
			in.last = e.Time
		}
		switch e.Kind {
		case ledger.KindOperatorRegistered:
			var op ledger.Operator
			if err := e.DecodePayload(&op); err != nil {
				return nil, err
			}
			in.operators[op.ID] = op
		case ledger.KindFactorSetPublished:
			var fs ledger.FactorSet
			if err := e.DecodePayload(&fs); err != nil {
				return nil, err
			}
			in.factorSets[fs.Version] = &fs
		case ledger.KindReturnFiled, ledger.KindReturnRestated:
			var rf ledger.ReturnFiled
			if err := e.DecodePayload(&rf); err != nil {
				return nil, err
			}
			op, p := rf.Return.Operator, rf.Return.Period
			if in.returns[op] == nil {
				in.returns[op] = map[ledger.Period]*filed{}
			}
			if in.firstFiled[op] == nil {
				in.firstFiled[op] = map[ledger.Period]time.Time{}
			}
			if t, ok := in.firstFiled[op][p]; !ok || e.Time.Before(t) {
				in.firstFiled[op][p] = e.Time
			}
			if cur := in.returns[op][p]; cur == nil || rf.Version > cur.Version {
				in.returns[op][p] = &filed{ReturnFiled: rf, Seq: e.Seq, Time: e.Time}
			}
		case ledger.KindReviewRecorded:
			var r ledger.Review
			if err := e.DecodePayload(&r); err != nil {
				return nil, err
			}
			in.reviews[r.Return] = append(in.reviews[r.Return], review{Review: r, Seq: e.Seq, Time: e.Time})
		default:
			return nil, fmt.Errorf("entry %d: a %s entry does not belong in a disclosure", e.Seq, e.Kind)
		}
	}
	return in, nil
}

// applyBasis restricts the inputs to what the bundle's basis allows. For
// BasisAccepted it drops every quarter whose latest version given is not
// accepted by the reviews given, so that nothing else reaches a figure,
// whatever the bundle holds; the server leaves such returns out of a
// public bundle in the first place. Only operator disclosures have a
// basis: a sector report is a regulator's document about every filing.
func (in *inputs) applyBasis(b *Bundle) error {
	switch {
	case b.Basis == "":
		return nil
	case b.Basis != BasisAccepted:
		return fmt.Errorf("basis %q: this build knows %q", b.Basis, BasisAccepted)
	case b.Document != DocOperator:
		return fmt.Errorf("basis %q is for operator disclosures, not a %s document", b.Basis, b.Document)
	}
	in.acceptedOnly = true
	for _, byPeriod := range in.returns {
		for p, f := range byPeriod {
			if in.status(f.ID) != "accepted" {
				delete(byPeriod, p)
			}
		}
	}
	return nil
}

// quarters lists an operator's quarters up to and including last, oldest first.
func (in *inputs) quarters(operator string, last ledger.Period) []ledger.Period {
	var ps []ledger.Period
	for p := range in.returns[operator] {
		if !last.Before(p) {
			ps = append(ps, p)
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Before(ps[j]) })
	return ps
}

// earlier lists the returns of an operator before p.
func (in *inputs) earlier(operator string, p ledger.Period) []*ledger.Return {
	var out []*ledger.Return
	for _, q := range in.quarters(operator, p.Prev()) {
		out = append(out, &in.returns[operator][q].Return)
	}
	return out
}

// status is the review state of a return version from the reviews given.
func (in *inputs) status(id string) string {
	rs := in.reviews[id]
	if len(rs) == 0 {
		return "under review"
	}
	if rs[len(rs)-1].Decision == ledger.DecisionAccept {
		return "accepted"
	}
	return "returned"
}

// returnIDOf is the return id a return entry records, or "".
func returnIDOf(kind ledger.Kind, e ledger.Entry) string {
	if kind != ledger.KindReturnFiled && kind != ledger.KindReturnRestated {
		return ""
	}
	var rf struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(e.Payload, &rf); err != nil {
		return ""
	}
	return rf.ID
}
