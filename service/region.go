package service

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/shopspring/decimal"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
)

// Region builds the public regional view of a quarter or a year: for
// each country with at least one accepted return in the span, its
// operators' accepted returns summed (calculators.SumRegionTerms, which
// gives what calculators.Sector gives for these figures) and the
// headline intensities recomputed from the sums, with the coverage that
// says how many operators these figures stand for; then the region's
// totals and, for each intensity, the median of the countries' values.
//
// Only a quarter whose latest version is accepted counts (isPublic, the
// rule of every public document), and each quarter's history-based
// metrics draw on accepted quarters only (publicRollup): nothing
// submitted, returned or superseded reaches the view. Anyone may read it.
//
// Each operator's terms are kept per span under the versions they rest
// on (publicTerms, region_terms.go), in memory and in the derived
// directory: after a new entry, or after a restart of the same build,
// only the operators whose accepted returns changed are computed again.
func (s *Service) Region(span ledger.Span) (*calculators.RegionView, error) {
	// Anyone may ask, and the view reads every operator: it is computed
	// once per state of the ledger (any new entry may change it) and one
	// at a time; a request that finds a computation under way gets busy.
	key := fmt.Sprintf("region|%s|%d", span, s.st.Size())
	if r, ok := s.results.get(key); ok {
		return r.(*calculators.RegionView), nil
	}
	select {
	case s.regionGate <- struct{}{}:
		defer func() { <-s.regionGate }()
	default:
		return nil, ledger.Errorf(ledger.EBusy, "the regional view is being computed for another request; try again shortly")
	}
	r, err := s.computeRegion(span)
	if err != nil {
		return nil, err
	}
	s.results.put(key, r, heldBytes(r))
	return r, nil
}

func (s *Service) computeRegion(span ledger.Span) (*calculators.RegionView, error) {
	out := &calculators.RegionView{Period: span.String(), Basis: "accepted", Countries: []calculators.RegionViewCountry{}}
	// What was known of each operator as of an earlier point of the
	// ledger holds for every operator no entry since has touched.
	size := s.st.Size()
	if s.regionTerms.afterSize != nil {
		s.regionTerms.afterSize()
	}
	operators := s.st.Operators()
	// A span nobody filed for (anyone may ask for any year) is answered
	// from the operators' records alone: each is due or not, none filed.
	// Nothing is read of their returns, and nothing is kept.
	nobody := !slices.ContainsFunc(span.Quarters(), s.st.AnyFiled)
	known, touched, all := &regionSpan{}, map[string]bool(nil), true
	if !nobody {
		known = s.regionTerms.span(span, s.treeHash, len(operators))
		touched, all = s.touchedSince(known.at, size)
	}
	now := &regionSpan{at: size, ops: make(map[string]regionOpFacts, len(known.ops))}
	changed, anyFiled := known.at != size, false

	coverage := map[string]*calculators.RegionViewCoverage{}
	byCountry := map[string][]*calculators.RegionTerms{}
	var counted []*calculators.RegionTerms
	// The state may have applied entries past size since it was read
	// (ahead): what is read of them holds in memory, since the view after
	// reads the operators they touch again, but is not written as of
	// size, where a ledger restored to that size would take it for its own.
	ahead := false
	for _, op := range operators {
		f, ok := known.ops[op.ID]
		if nobody {
			f = regionOpFacts{Operator: op.ID}
		} else if all || !ok || touched[op.ID] {
			var err error
			var past bool
			if f, past, err = s.regionFacts(op.ID, span, f, size); err != nil {
				return nil, err
			}
			changed, ahead = true, ahead || past || op.Seq >= size
		}
		now.ops[op.ID] = f
		anyFiled = anyFiled || f.Filed
		if span.Last().Before(op.DueFrom()) && !f.Filed {
			continue // due from a later quarter, and filed nothing here
		}
		c := coverage[op.Country]
		if c == nil {
			c = &calculators.RegionViewCoverage{Counted: []string{}, Partial: []calculators.PartialOperator{}}
			coverage[op.Country] = c
		}
		c.Due++
		if !f.Filed {
			continue
		}
		c.Filed++
		if f.Terms == nil {
			continue
		}
		c.Accepted++
		c.Counted = append(c.Counted, op.ID)
		byCountry[op.Country] = append(byCountry[op.Country], f.Terms)
		counted = append(counted, f.Terms)
	}
	// Only a span some operator filed for is kept: anyone may ask for any
	// year, and a span nobody filed for costs a pass over the operators'
	// records only (nobody, above).
	if anyFiled {
		root, err := s.treeHash(size)
		if err != nil {
			now.at = 0 // kept in memory, as of no known point
		}
		s.regionTerms.replace(span, now, changed && !ahead, root)
	} else {
		s.regionTerms.forget(span)
	}
	if len(counted) == 0 {
		out.Metrics = regionMetrics(nil, nil)
		out.Coverage = regionTotalCoverage(coverage, nil, nil)
		return out, nil
	}
	for _, cc := range sortedKeys(byCountry) {
		figures, partial := calculators.SumRegionTerms(byCountry[cc])
		c := coverage[cc]
		c.Partial = partial
		out.Countries = append(out.Countries, calculators.RegionViewCountry{Country: cc, Name: s.countryName(cc), Coverage: *c, Figures: figures})
	}
	total, partial := calculators.SumRegionTerms(counted)
	out.Metrics = regionMetrics(total, out.Countries)
	out.Coverage = regionTotalCoverage(coverage, counted, partial)
	return out, nil
}

// regionFacts reads from the state what an operator brings to a span's
// view: whether it filed for the span and its terms (publicTerms), the
// kept ones when the versions they rest on have not changed. past is
// true when what it read rests on an entry at or after size (a version
// filed or a review recorded since the view read the ledger's size).
func (s *Service) regionFacts(operator string, span ledger.Span, kept regionOpFacts, size uint64) (f regionOpFacts, past bool, err error) {
	latest := s.st.LatestOf(operator) // read once: coverage and figures rest on the same versions
	s.regionTerms.read++
	for _, rv := range latest {
		past = past || rv.Seq >= size || slices.ContainsFunc(rv.Reviews, func(r state.Review) bool { return r.Seq >= size })
	}
	f = regionOpFacts{Operator: operator,
		Filed: slices.ContainsFunc(latest, func(rv *state.ReturnVersion) bool { return inSpan(rv.Period, span) })}
	if !f.Filed {
		return f, past, nil
	}
	key, terms, err := s.publicTerms(operator, span, latest, kept)
	f.Key, f.Terms = key, terms
	return f, past, err
}

// treeHash is the ledger's tree hash at size, which names the ledger's
// first size entries.
func (s *Service) treeHash(size uint64) (tlog.Hash, error) {
	if s.j == nil {
		return tlog.Hash{}, fmt.Errorf("service: no journal")
	}
	return s.j.TreeHash(size)
}

// maxTouchedRead is how many entries touchedSince reads at most; past
// that every operator is read from the state again, which costs less.
const maxTouchedRead = 2048

// touchedSince names the operators whose regional facts the entries
// from seq from to seq to (excluded) may have changed; all is true when
// it cannot tell, or from is no known point, and every operator must be
// read again. An entry that files, restates or reviews a return, or
// registers an operator, touches that operator; tokens, factor sets,
// deadlines, disclosures and jurisdiction records touch none (the view
// reads countries' names when it is made); any other kind touches all.
func (s *Service) touchedSince(from, to uint64) (touched map[string]bool, all bool) {
	if from == 0 || to < from || to-from > maxTouchedRead || s.j == nil {
		return nil, true
	}
	touched = map[string]bool{}
	for seq := from; seq < to; seq++ {
		raw, err := s.j.Read(seq)
		if err != nil {
			return nil, true
		}
		e, err := ledger.DecodeEntry(raw)
		if err != nil {
			return nil, true
		}
		// A return entry names its version ("id"; the operator is inside
		// the return), a review the version it reviews ("return"): both
		// touch the version's operator.
		var field string
		switch e.Kind {
		case ledger.KindTokenIssued, ledger.KindTokenRevoked, ledger.KindFactorSetPublished, ledger.KindDeadlineSet,
			ledger.KindDisclosureIssued, ledger.KindJurisdictionSet, ledger.KindRegionRecorded, ledger.KindSectorRecorded:
			continue
		case ledger.KindReturnFiled, ledger.KindReturnRestated, ledger.KindOperatorRegistered:
			field = "id"
		case ledger.KindReviewRecorded:
			field = "return"
		default:
			return nil, true
		}
		v, ok := stringMember(e.Payload, field)
		if !ok {
			return nil, true
		}
		if e.Kind != ledger.KindOperatorRegistered {
			rv := s.st.Return(v)
			if rv == nil {
				return nil, true
			}
			v = rv.Operator
		}
		touched[v] = true
	}
	return touched, false
}

// stringMember is the string member key of a JSON object; ok is false
// when there is none or the object is not one ledger.Members reads.
func stringMember(obj []byte, key string) (v string, ok bool) {
	err := ledger.Members(obj, func(k, raw []byte) error {
		if string(k) == key && !ok {
			ok = json.Unmarshal(raw, &v) == nil
		}
		return nil
	})
	return v, ok && err == nil
}

// regionTotalCoverage adds the countries' coverage; only the countries
// with accepted returns are in the view, but every operator due counts.
// The region's counted operators are listed by id, with the partial ones
// (calculators.SumRegionTerms).
func regionTotalCoverage(byCountry map[string]*calculators.RegionViewCoverage, counted []*calculators.RegionTerms, partial []calculators.PartialOperator) calculators.RegionViewCoverage {
	out := calculators.RegionViewCoverage{Counted: []string{}, Partial: []calculators.PartialOperator{}}
	for _, c := range byCountry {
		out.Due += c.Due
		out.Filed += c.Filed
		out.Accepted += c.Accepted
	}
	for _, t := range counted {
		out.Counted = append(out.Counted, t.Operator)
	}
	sort.Strings(out.Counted)
	if partial != nil {
		out.Partial = partial
	}
	return out
}

// regionMetrics describes the region's figures: each of
// calculators.RegionHeadlines with its region value and, for an
// intensity, the median of the countries that have one.
func regionMetrics(total map[string]calculators.Value, countries []calculators.RegionViewCountry) []calculators.RegionViewMetric {
	var out []calculators.RegionViewMetric
	for _, h := range calculators.RegionHeadlines() {
		m := calculators.RegionViewMetric{Key: h.Key, Label: h.Label, Unit: h.Unit, Intensity: h.Intensity, Region: calculators.None}
		if total != nil {
			m.Region = total[h.Key]
		}
		var values []calculators.Value
		for _, c := range countries {
			if v := c.Figures[h.Key]; v.OK {
				values = append(values, v)
			}
		}
		m.Reporting = len(values)
		if m.Intensity {
			med := calculators.None
			if len(values) > 0 {
				med = calculators.Some(calculators.Median(decimals(values)))
			}
			m.Median = &med
		}
		out = append(out, m)
	}
	return out
}

func decimals(vs []calculators.Value) []decimal.Decimal {
	out := make([]decimal.Decimal, len(vs))
	for i, v := range vs {
		out[i] = v.D
	}
	return out
}

// countryName is the name an administration recorded for itself, or the
// ISO code of a country without a record.
func (s *Service) countryName(cc string) string {
	if j := s.st.Jurisdiction(cc); j != nil && j.Name != "" {
		return j.Name
	}
	return cc
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// publicTerms is an operator's regional terms of the span, made from
// its public roll-up (publicRollup), and their key; nil terms when it
// has no accepted quarter in the span. Terms kept under the same key
// (publicRollupKey: the accepted versions they rest on) are used as
// they are. latest is the operator's latest versions (state.LatestOf).
func (s *Service) publicTerms(operator string, span ledger.Span, latest []*state.ReturnVersion, kept regionOpFacts) (string, *calculators.RegionTerms, error) {
	accepted, in := publicVersions(span, latest)
	if len(in) == 0 {
		return "", nil, nil
	}
	key := publicRollupKey(operator, span, accepted)
	if kept.Terms != nil && kept.Key == key {
		return key, kept.Terms, nil
	}
	r, err := s.publicRollup(operator, span, accepted, in, true)
	if err != nil {
		return "", nil, err
	}
	s.regionTerms.computed++
	return key, calculators.TermsOf(r), nil
}

// publicVersions picks out of an operator's latest versions the accepted
// ones up to the span's end, and those of them in the span.
func publicVersions(span ledger.Span, latest []*state.ReturnVersion) (accepted, in []*state.ReturnVersion) {
	for _, rv := range latest {
		if isPublic(rv) && !span.Last().Before(rv.Period) {
			accepted = append(accepted, rv)
			if inSpan(rv.Period, span) {
				in = append(in, rv)
			}
		}
	}
	return accepted, in
}

// publicRollup is an operator's roll-up of the span over its accepted
// quarters only (in, not empty; accepted are its accepted quarters up to
// the span's end). Each quarter is computed with, as its history, the
// operator's accepted quarters before it, so that an unaccepted return
// cannot move a public figure through the e-waste metrics that draw on
// earlier quarters. A year's coverage names the quarters left out. Like
// rollup, a year of mixed factor sets is computed under the set of its
// latest counted quarter. It is not kept: the regional view keeps the
// terms made from it (publicTerms), which read figures only, so its
// quarters are computed without derivations when figuresOnly is set
// (calculators.Request FiguresOnly: the same figures and data-quality
// flags).
func (s *Service) publicRollup(operator string, span ledger.Span, accepted, in []*state.ReturnVersion, figuresOnly bool) (*calculators.Rollup, error) {
	factorSet := in[len(in)-1].FactorSet
	var quarters []*calculators.Metrics
	decoded := decodedReturns{} // the quarters of a year share their history
	for _, rv := range in {
		m, err := s.publicMetrics(rv, accepted, factorSet, decoded, figuresOnly)
		if err != nil {
			return nil, err
		}
		quarters = append(quarters, m)
	}
	if !span.IsYear() {
		return calculators.Quarter(quarters[0]), nil
	}
	return calculators.Year(operator, span.Year, quarters)
}

// inSpan reports whether a quarter is the span or one of its quarters.
func inSpan(p ledger.Period, span ledger.Span) bool {
	return p.Year == span.Year && (span.IsYear() || p.Quarter == span.Quarter)
}

// publicRollupKey names everything an operator's public roll-up of a span
// (and the regional terms made from it) depends on: the accepted versions up to the span's end, each by its id
// (a version's content, factor set and methodology never change; a
// version that stops being the accepted latest leaves the list). A
// digest keeps the key short for an operator with decades of quarters.
func publicRollupKey(operator string, span ledger.Span, accepted []*state.ReturnVersion) string {
	h := sha256.New()
	for _, rv := range accepted {
		h.Write([]byte(rv.ID))
		h.Write([]byte{0})
	}
	return fmt.Sprintf("public-rollup|%s|%s|%x", operator, span, h.Sum(nil))
}

// publicMetrics computes an accepted version's metrics under factorSet
// with the accepted quarters before it as its history. It is not cached:
// the regional terms made from the roll-up that uses it are (publicTerms).
// figuresOnly leaves the derivations out (calculators.Request FiguresOnly).
func (s *Service) publicMetrics(rv *state.ReturnVersion, accepted []*state.ReturnVersion, factorSet string, decoded decodedReturns, figuresOnly bool) (*calculators.Metrics, error) {
	var before []*state.ReturnVersion
	for _, e := range accepted {
		if e.Period.Before(rv.Period) {
			before = append(before, e)
		}
	}
	fs := s.st.FactorSet(factorSet)
	if fs == nil {
		return nil, ledger.Errorf(ledger.EInternal, "the factor set %s of return %s is not published", factorSet, rv.ID)
	}
	m, err := s.computeMetricsAs(rv, before, decoded, fs.Set, fs.Set.GWPDefault, fs.Set.MethodologyOf(), figuresOnly)
	if err != nil {
		return nil, fmt.Errorf("service: public metrics of %s: %w", rv.ID, err)
	}
	m.Warnings = []ledger.Warning{} // raised at filing; not part of a public figure
	return m, nil
}
