package disclosure

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/filing"
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
	// jurisdictions are the administrations' records given (a sector
	// report of one country names its administration), by country.
	jurisdictions map[string]ledger.Jurisdiction
	entries       []ledger.Entry
	last          time.Time // time of the last entry: the document's date
	// densities are the Weibull densities shared by every quarter the
	// document computes (a pure cache: results do not depend on it).
	densities *calculators.Densities
	// acceptedOnly is set for a bundle of BasisAccepted: returns holds
	// accepted quarters only, and a comparison that needs another quarter
	// is reported unavailable.
	acceptedOnly bool
	// records are the region.recorded entries given, decoded and checked
	// (decodeRecord); only a region_v2 report holds one (checkRecordPlace).
	records []*recorded
	// sectorRecords are the sector.recorded entries given, decoded and
	// checked (decodeSectorRecord); only a sector_v4 report holds one.
	sectorRecords []*sectorRecorded
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
	return decodeInputsFor(es, nil)
}

// decodeInputsFor is decodeInputs for a document that reads whole only
// the returns of the quarters whole reports true for, and looks back on
// the others (historyPayload). A nil whole reads every return whole.
func decodeInputsFor(es []ledger.Entry, whole func(ledger.Period) bool) (*inputs, error) {
	in := &inputs{densities: calculators.NewDensities(), operators: map[string]ledger.Operator{}, factorSets: map[string]*ledger.FactorSet{},
		returns: map[string]map[ledger.Period]*filed{}, firstFiled: map[string]map[ledger.Period]time.Time{}, reviews: map[string][]review{}, entries: es,
		jurisdictions: map[string]ledger.Jurisdiction{}}
	decoded := decodeReturnEntries(es, whole)
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
			rf, err := decoded[i].rf, decoded[i].err
			if err != nil {
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
				in.returns[op][p] = &filed{ReturnFiled: *rf, Seq: e.Seq, Time: e.Time}
			}
		case ledger.KindReviewRecorded:
			var r ledger.Review
			if err := e.DecodePayload(&r); err != nil {
				return nil, err
			}
			in.reviews[r.Return] = append(in.reviews[r.Return], review{Review: r, Seq: e.Seq, Time: e.Time})
		case ledger.KindJurisdictionSet:
			var j ledger.Jurisdiction
			if err := e.DecodePayload(&j); err != nil {
				return nil, err
			}
			in.jurisdictions[j.Country] = j // in sequence order: the latest given wins
		case ledger.KindRegionRecorded:
			r, err := decodeRecord(e)
			if err != nil {
				return nil, err
			}
			in.records = append(in.records, r)
		case ledger.KindSectorRecorded:
			r, err := decodeSectorRecord(e)
			if err != nil {
				return nil, err
			}
			in.sectorRecords = append(in.sectorRecords, r)
		default:
			return nil, fmt.Errorf("entry %d: a %s entry does not belong in a disclosure", e.Seq, e.Kind)
		}
	}
	return in, nil
}

// decodedReturn is the payload of a return entry, decoded, or why not.
type decodedReturn struct {
	rf  *ledger.ReturnFiled
	err error
}

// decodeReturnEntries decodes the payloads of the return entries among
// es, on every processor: the returns are most of a bundle, and a sector
// report of fifty operators over ten years has about 2,000 of them
// (about 0.1 s of CPU). Each is decoded by itself, into its own place,
// so the result does not depend on the order they are done in. Other
// entries are left zero. A return of a quarter whole does not report
// true for (when whole is not nil) is decoded for a look back only.
func decodeReturnEntries(es []ledger.Entry, whole func(ledger.Period) bool) []decodedReturn {
	out := make([]decodedReturn, len(es))
	eachIndex(len(es), func(i int) {
		if k := es[i].Kind; k == ledger.KindReturnFiled || k == ledger.KindReturnRestated {
			if whole != nil {
				if rf, ok := historyPayload(es[i].Payload); ok && !whole(rf.Return.Period) {
					out[i] = decodedReturn{rf: rf}
					return
				}
			}
			rf := new(ledger.ReturnFiled)
			out[i] = decodedReturn{rf: rf, err: es[i].DecodePayload(rf)}
		}
	})
	return out
}

// eachIndex calls fn for each index below n, on as many goroutines as
// there are processors for Go to use, and returns when every call has.
func eachIndex(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// applyBasis restricts the inputs to what the bundle's basis allows. For
// BasisAccepted it drops every quarter whose latest version given is not
// accepted by the reviews given, so that nothing else reaches a figure,
// whatever the bundle holds; the server leaves such returns out of a
// public bundle in the first place. Only operator and regional
// disclosures have a basis: a sector report is a regulator's document
// about every filing.
func (in *inputs) applyBasis(b *Bundle) error {
	switch {
	case b.Basis == "":
		return nil
	case b.Basis != BasisAccepted:
		return fmt.Errorf("basis %q: this build knows %q", b.Basis, BasisAccepted)
	case b.Document != DocOperator && b.Document != DocRegion:
		return fmt.Errorf("basis %q is for operator and regional disclosures, not a %s document", b.Basis, b.Document)
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
	if v, ok := member(e.Payload, "id"); ok {
		if id, err := jsonString(v); err == nil {
			return id
		}
	}
	var rf struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(e.Payload, &rf); err != nil {
		return ""
	}
	return rf.ID
}

// member is the raw value of the member named key of a compact JSON
// object, as ledger.Members reads it: the fast path for a field of a
// return entry, whose payload runs to kilobytes and, through
// encoding/json, is scanned whole for one field. False when Members does
// not take the object or has no such member; the caller then asks
// encoding/json, which also matches a key in another case. Members does
// not check what it skips, but every entry that passes Inspect is read
// in full by decodeInputs.
func member(obj []byte, key string) ([]byte, bool) {
	var found []byte
	err := ledger.Members(obj, func(k, v []byte) error {
		if string(k) == key {
			found = v // the last of duplicates, as encoding/json takes
		}
		return nil
	})
	return found, err == nil && found != nil
}

// maxEntryProblems is how many entries checkEntries names before it only
// counts the rest, and maxFieldProblems how many problems of one entry it
// quotes.
const (
	maxEntryProblems = 20
	maxFieldProblems = 3
)

// checkEntries holds a bundle's entries to the limits the calculators
// and charts rely on, before anything computes with them: every return is
// read again by the filing decoder (number syntax and digits, no
// exponents, enumerations, required fields) and its years must lie in the
// range a filing has always allowed; the entries must decode into a
// disclosure's inputs, with a region.recorded entry only where b's
// document may hold one (checkRecordPlace). A year of -20000000 would make the e-waste history
// span twenty million years, and a quantity written 1e300000 a number of
// 300,000 digits.
//
// The filing rules as a whole (filing.Validate) are not applied, nor the
// text rule on free strings: they change over time, and a document the
// ledger issued under the rules of its day must still verify. It returns
// the problems in words, none when all hold.
func checkEntries(b *Bundle, es []ledger.Entry) []string {
	var out []string
	bad := 0
	for _, e := range es {
		if e.Kind != ledger.KindReturnFiled && e.Kind != ledger.KindReturnRestated {
			continue
		}
		if msg := checkReturnEntry(e); msg != "" {
			if bad++; bad <= maxEntryProblems {
				out = append(out, msg)
			}
		}
	}
	if bad > maxEntryProblems {
		out = append(out, fmt.Sprintf("and %d more return entries break the filing rules", bad-maxEntryProblems))
	}
	if bad == 0 {
		if err := checkRecordPlace(b, es); err != nil {
			out = append(out, fmt.Sprintf("the attached entries do not make a disclosure: %v", err))
		} else if _, err := decodeInputs(es); err != nil {
			out = append(out, fmt.Sprintf("the attached entries do not make a disclosure: %v", err))
		}
	}
	return out
}

// checkReturnEntry checks the return of one return.filed or
// return.restated entry as a filing would; "" when it passes.
func checkReturnEntry(e ledger.Entry) string {
	ret, ok := member(e.Payload, "return")
	if !ok {
		var p struct {
			Return json.RawMessage `json:"return"`
		}
		if err := json.Unmarshal(e.Payload, &p); err != nil || len(p.Return) == 0 {
			return fmt.Sprintf("entry %d (%s) holds no return that can be read", e.Seq, e.Kind)
		}
		ret = p.Return
	}
	r, err := filing.DecodeJSON(bytes.NewReader(ret), filing.Options{AdmittedText: true})
	if err != nil {
		return entryProblem(e, err)
	}
	if probs := yearsOutOfRange(r); len(probs) > 0 {
		return entryProblem(e, &ledger.Error{Code: ledger.EInvalid, Fields: probs})
	}
	return ""
}

// Years a filing has always allowed: periods and vintages from 1990, and
// nothing after the period's own year.
const firstYear = 1990

// yearsOutOfRange lists the years of r that no filing could have given:
// before 1990 or after the return's own year (the period's year itself is
// bounded by the decoder).
func yearsOutOfRange(r *ledger.Return) []ledger.FieldError {
	var out []ledger.FieldError
	check := func(path string, y int) {
		if y < firstYear || y > r.Period.Year {
			out = append(out, ledger.FieldError{Path: path,
				Message: fmt.Sprintf("must be a year from %d to %d; got %d", firstYear, r.Period.Year, y)})
		}
	}
	for i, h := range r.HistoricInflow {
		check(fmt.Sprintf("historic_inflow[%d].year", i), h.Year)
	}
	for i, c := range r.RenewableClaims {
		if c.Vintage != 0 {
			check(fmt.Sprintf("renewable_claims[%d].vintage", i), c.Vintage)
		}
	}
	return out
}

// entryProblem words what the filing rules found wrong with an entry's
// return: the first few problems with their paths, and how many more.
func entryProblem(e ledger.Entry, err error) string {
	var le *ledger.Error
	if !errors.As(err, &le) {
		return fmt.Sprintf("entry %d (%s): its return does not read as a filing: %v", e.Seq, e.Kind, err)
	}
	if len(le.Fields) == 0 {
		return fmt.Sprintf("entry %d (%s): its return does not read as a filing: %s", e.Seq, e.Kind, le.Message)
	}
	var parts []string
	for i, f := range le.Fields {
		if i == maxFieldProblems {
			parts = append(parts, fmt.Sprintf("and %d more", len(le.Fields)-i))
			break
		}
		parts = append(parts, strings.TrimSpace(f.Path+" "+f.Message))
	}
	return fmt.Sprintf("entry %d (%s): its return breaks the filing rules: %s", e.Seq, e.Kind, strings.Join(parts, "; "))
}
