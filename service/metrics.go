package service

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/numfmt"
)

// ReturnMetrics computes the metrics of a return version (admin,
// regulator, or its operator). factorSet and gwp may be empty: the factor
// set recorded at filing and its default GWP set are used then; a newer
// factor set can be asked for to recompute under it. The methodology is
// the factor set's; ReturnMetricsFor chooses another.
func (s *Service) ReturnMetrics(a ledger.Actor, id, factorSet, gwp string) (*calculators.Metrics, error) {
	return s.ReturnMetricsFor(a, id, MetricsQuery{FactorSet: factorSet, GWP: gwp})
}

// MetricsQuery says how to compute a return's metrics. Every field may be
// empty: the factor set recorded at filing, its default GWP set and the
// methodology it is meant for are used then.
type MetricsQuery struct {
	FactorSet   string // a published version, e.g. "apt-2026.1"
	GWP         string // "ar6" or "ar5"
	Methodology string // one of ledger.Methodologies
}

// ReturnMetricsFor computes the metrics of a return version as q asks
// (admin, regulator, or its operator). An unknown factor set, GWP set or
// methodology is EInvalid naming the query field.
//
// Metrics are a pure function of the return, the latest versions of the
// operator's earlier quarters (for the history-based e-waste metrics), the
// factor set, the GWP set and the methodology, so they are cached under
// exactly that key.
func (s *Service) ReturnMetricsFor(a ledger.Actor, id string, q MetricsQuery) (*calculators.Metrics, error) {
	rv, err := s.ReturnVersion(a, id)
	if err != nil {
		return nil, err
	}
	return s.metricsOf(rv, q)
}

// ReturnMetricsJSON is ReturnMetricsFor encoded as the API answers it
// (JSON and a newline). The encoding, thousands of values rounded for
// display, is made once and kept with the metrics in the result cache.
func (s *Service) ReturnMetricsJSON(a ledger.Actor, id string, q MetricsQuery) ([]byte, error) {
	rv, err := s.ReturnVersion(a, id)
	if err != nil {
		return nil, err
	}
	e, err := s.metricsEntryOf(rv, q, true)
	if err != nil {
		return nil, err
	}
	b, fresh, err := e.encoded()
	if fresh {
		// The encoding is kept with the metrics: reckon it too.
		s.results.put(e.key, e, e.size+int64(len(b)))
	}
	return b, err
}

// metricsEntry is a return version's metrics in the result cache, with
// their JSON encoding once it is asked for.
type metricsEntry struct {
	m    *calculators.Metrics
	key  string // in the result cache
	size int64  // heldBytes of m
	once sync.Once
	json []byte
	err  error
}

// encoded is the metrics' encoding, made on the first call; fresh is true
// for the call that made it.
func (e *metricsEntry) encoded() (b []byte, fresh bool, err error) {
	e.once.Do(func() {
		fresh = true
		b, err := json.Marshal(e.m)
		if err != nil {
			e.err = &ledger.Error{Code: ledger.EInternal, Message: "could not encode the metrics", Err: err}
			return
		}
		e.json = append(b, '\n')
	})
	return e.json, fresh, e.err
}

// metricsOf is a version's metrics as q asks.
func (s *Service) metricsOf(rv *state.ReturnVersion, q MetricsQuery) (*calculators.Metrics, error) {
	e, err := s.metricsEntryOf(rv, q, true)
	if err != nil {
		return nil, err
	}
	return e.m, nil
}

// metricsEntryOf is a version's metrics as q asks, from the result cache
// or computed; keep says whether computed metrics go into the cache.
// Metrics not kept are for a roll-up, which reads their figures only:
// they are computed without derivations (calculators.Request
// FiguresOnly) and their size is not reckoned.
func (s *Service) metricsEntryOf(rv *state.ReturnVersion, q MetricsQuery, keep bool) (*metricsEntry, error) {
	return s.metricsEntryWith(rv, q, keep, nil)
}

// metricsEntryWith is metricsEntryOf, decoding the history through done
// (see decodeHistory; it may be nil).
func (s *Service) metricsEntryWith(rv *state.ReturnVersion, q MetricsQuery, keep bool, done decodedReturns) (*metricsEntry, error) {
	factorSet, gwp := q.FactorSet, q.GWP
	if factorSet == "" {
		factorSet = rv.FactorSet
	}
	fs := s.st.FactorSet(factorSet)
	if fs == nil {
		return nil, &ledger.Error{Code: ledger.EInvalid, Message: "no factor set " + factorSet + " is published",
			Fields: []ledger.FieldError{{Path: "factor_set", Message: "unknown factor set version"}}}
	}
	if gwp == "" {
		gwp = fs.Set.GWPDefault
	}
	if gwp != "ar6" && gwp != "ar5" {
		return nil, &ledger.Error{Code: ledger.EInvalid, Message: "unknown GWP set " + gwp,
			Fields: []ledger.FieldError{{Path: "gwp", Message: "must be ar6 or ar5"}}}
	}
	methodology := q.Methodology
	if methodology == "" {
		methodology = fs.Set.MethodologyOf()
	}
	if err := ledger.CheckMethodology("methodology", methodology); err != nil {
		return nil, err
	}
	// A read of cached metrics needs only the history's mark, not the
	// versions themselves.
	key := metricsKey{id: rv.ID, factorSet: fs.Version, gwp: gwp, methodology: methodology,
		history: s.st.HistoryMark(rv.Operator, rv.Period)}
	if e, ok := s.results.get(key.String()); ok {
		return e.(*metricsEntry), nil
	}
	before := s.earlierVersions(rv.Operator, rv.Period)
	// The history may have changed since the mark was read; the metrics
	// are cached under the mark of the history they are computed from.
	key.history = state.MarkOf(before)
	m, err := s.computeMetricsAs(rv, before, done, fs.Set, gwp, methodology, !keep)
	if err != nil {
		return nil, err
	}
	m.Warnings = rv.Warnings
	if m.Warnings == nil {
		m.Warnings = []ledger.Warning{}
	}
	e := &metricsEntry{m: m, key: key.String()}
	if keep {
		e.size = heldBytes(m)
		s.results.put(e.key, e, e.size)
	}
	return e, nil
}

// computeMetricsAs computes a version's metrics under a factor set, GWP
// set and methodology, with the versions before as its history, decoded
// through done (see decodeHistory; it may be nil), and without the
// derivations when figuresOnly is set (calculators.Request FiguresOnly).
func (s *Service) computeMetricsAs(rv *state.ReturnVersion, before []*state.ReturnVersion, done decodedReturns, fs *ledger.FactorSet, gwp, methodology string, figuresOnly bool) (*calculators.Metrics, error) {
	earlier, err := s.decodeHistory(before, done)
	if err != nil {
		return nil, err
	}
	ret, err := s.fullReturn(rv)
	if err != nil {
		return nil, err
	}
	return calculators.Compute(calculators.Request{Return: ret, ID: rv.ID, Version: rv.Version, Earlier: earlier,
		Factors: fs, GWP: gwp, Methodology: methodology, Densities: s.densities, FiguresOnly: figuresOnly})
}

// metricsKey is what metrics are a pure function of: the return version,
// the factor set, the GWP set, the methodology and the operator's
// earlier quarters.
type metricsKey struct {
	id, factorSet, gwp, methodology string
	history                         state.HistoryMark
}

// String is the key's text in the result cache.
func (k metricsKey) String() string {
	return fmt.Sprintf("metrics|%s|%s|%s|%s|%d.%d", k.id, k.factorSet, k.gwp, k.methodology, k.history.Quarters, k.history.MaxSeq)
}

// fullReturn is a version's return with its site rows: the state's copy
// when it has one (a latest version without site rows), otherwise read
// back from the journal.
func (s *Service) fullReturn(rv *state.ReturnVersion) (*ledger.Return, error) {
	if rv.Raw != nil {
		return s.lightReturn(rv)
	}
	full, err := s.readReturnFiled(rv)
	if err != nil {
		return nil, err
	}
	return &full.Return, nil
}

// lightReturn is a version's return without its site rows: decoded from
// the state's copy, or read back from the journal.
func (s *Service) lightReturn(rv *state.ReturnVersion) (*ledger.Return, error) {
	if rv.Raw != nil {
		r := new(ledger.Return)
		if err := json.Unmarshal(rv.Raw, r); err != nil {
			return nil, &ledger.Error{Code: ledger.EInternal, Message: "could not decode a filed return", Err: err}
		}
		return r, nil
	}
	full, err := s.readReturnFiled(rv)
	if err != nil {
		return nil, err
	}
	r := &full.Return
	r.Sites = nil
	return r, nil
}

// earlierVersions are the latest versions of an operator's quarters
// before p: the history that metrics such as e-waste generated draw on.
func (s *Service) earlierVersions(operator string, p ledger.Period) []*state.ReturnVersion {
	var out []*state.ReturnVersion
	for _, rv := range s.st.LatestOf(operator) {
		if rv.Period.Before(p) {
			out = append(out, rv)
		}
	}
	return out
}

// OperatorMetrics rolls up an operator's latest versions over a quarter or
// a year (admin, regulator, or the operator itself).
func (s *Service) OperatorMetrics(a ledger.Actor, operator string, span ledger.Span, gwp string) (*calculators.Rollup, error) {
	if err := s.requireOperatorRead(a, operator); err != nil {
		return nil, err
	}
	if s.st.Operator(operator) == nil {
		return nil, ledger.Errorf(ledger.ENotFound, "no operator %s", operator)
	}
	return s.rollup(operator, span, gwp)
}

// rollup is an operator's roll-up over a span, cached: it is a pure
// function of the operator's latest versions up to the end of the span
// (each quarter's metrics draw on the quarters before it) and the GWP
// set, and the sector view asks for every operator's. Without this cache a
// sector view of more operators than the metrics cache holds computed
// every operator's metrics again on every request.
func (s *Service) rollup(operator string, span ledger.Span, gwp string) (*calculators.Rollup, error) {
	h := s.st.HistoryMark(operator, span.Last().Next())
	key := fmt.Sprintf("rollup|%s|%s|%s|%d.%d", operator, span, gwp, h.Quarters, h.MaxSeq)
	if r, ok := s.results.get(key); ok {
		return r.(*calculators.Rollup), nil
	}
	r, err := s.computeRollup(operator, span, gwp)
	if err != nil {
		return nil, err
	}
	s.results.put(key, r, heldBytes(r))
	return r, nil
}

func (s *Service) computeRollup(operator string, span ledger.Span, gwp string) (*calculators.Rollup, error) {
	var rvs []*state.ReturnVersion
	for _, p := range span.Quarters() {
		if rv := s.st.Latest(operator, p); rv != nil {
			rvs = append(rvs, rv)
		}
	}
	if len(rvs) == 0 && !span.IsYear() {
		return nil, ledger.Errorf(ledger.ENotFound, "%s has no return for %s", operator, span)
	}
	// A year adds like with like (methodology 2026.1, versioning): when
	// its quarters were filed under different factor sets, each is
	// computed under the set of the latest quarter, and so under that
	// set's methodology.
	q := MetricsQuery{GWP: gwp}
	mixed := false
	for _, rv := range rvs {
		mixed = mixed || rv.FactorSet != rvs[0].FactorSet
	}
	if mixed {
		q.FactorSet = rvs[len(rvs)-1].FactorSet
	}
	// The quarters' metrics are used from the cache when there, but not
	// kept when computed here: the roll-up is kept instead, at about two
	// fifths of their size (36.6 kB against 87.7 kB for the example
	// return), so that a sector view of every operator holds one value
	// per operator. Keeping both made the view of 2,000 operators
	// outgrow the cache and evict its own roll-ups before it ended.
	var quarters []*calculators.Metrics
	decoded := decodedReturns{} // the quarters of a year share their history
	for _, rv := range rvs {
		e, err := s.metricsEntryWith(rv, q, false, decoded)
		if err != nil {
			return nil, err
		}
		quarters = append(quarters, e.m)
	}
	if !span.IsYear() {
		return calculators.Quarter(quarters[0]), nil
	}
	r, err := calculators.Year(operator, span.Year, quarters)
	if err != nil {
		return nil, err
	}
	if mixed {
		r.Notes = append(r.Notes, fmt.Sprintf("the quarters were filed under different factor sets; each is computed here under %s, the set of the latest quarter, so that the year adds like with like", q.FactorSet))
	}
	return r, nil
}

// historyWarnings are the filing warnings that compare with the same
// operator's previous quarter (a change of more than 50% in total energy,
// scope 1, scope 2 or collected mass) and with the sector median of energy
// per TB for the period (more than 3x or less than a third). They are
// computed before the return is filed and kept with it.
//
// They need only a few figures (E1 and the collected mass), not the
// history-based e-waste metrics or derivations, so a filing computes just
// those; the full metrics wait for the first read. It returns the new
// return's figures, which the state keeps once the return is filed.
func (s *Service) historyWarnings(r *ledger.Return, fs *ledger.FactorSet) ([]ledger.Warning, map[string]decimal.Decimal) {
	now, err := computeFigures(r, fs)
	if err != nil {
		return nil, nil // the filing's own validation has reported what matters
	}
	var out []ledger.Warning
	if prev := s.st.Latest(r.Operator, r.Period.Prev()); prev != nil {
		then := s.figuresOf(prev, fs)
		for _, key := range []string{keyEnergy, keyScope1, keyScope2, keyCollected} {
			if w, ok := jumpWarning(key, figure(now, key), figure(then, key), prev.PeriodKey); ok {
				out = append(out, w)
			}
		}
	}
	if w, ok := s.medianWarning(r, figure(now, keyPerTB)); ok {
		out = append(out, w)
	}
	return out, now
}

// The figures a filing's checks compare, named by their metric keys.
const (
	keyEnergy    = "e1.energy_total_mwh"
	keyScope1    = "e1.scope1_tco2e"
	keyScope2    = "e1.scope2_location_tco2e"
	keyCollected = "e2.total.collected_kg"
	keyPerTB     = "e1.network_energy_per_tb_kwh"
)

// computeFigures computes a return's figures for the filing checks: E1
// only, and the collected mass summed from its device rows. Unavailable
// figures are left out.
func computeFigures(r *ledger.Return, fs *ledger.FactorSet) (map[string]decimal.Decimal, error) {
	e1, _, err := calculators.ComputeE1(calculators.Request{Return: r, Factors: fs, GWP: fs.GWPDefault})
	if err != nil {
		return nil, err
	}
	collected := decimal.Zero
	for _, d := range r.Devices {
		collected = collected.Add(ledger.FlowKg(d.Collected))
	}
	out := map[string]decimal.Decimal{keyCollected: collected}
	for key, v := range map[string]calculators.Value{keyEnergy: e1.EnergyTotalMWh, keyScope1: e1.Scope1TCO2e,
		keyScope2: e1.Scope2LocationTCO2e, keyPerTB: e1.NetworkEnergyPerTBKWh} {
		if v.OK {
			out[key] = v.D
		}
	}
	return out, nil
}

// figure is one figure as a calculators.Value.
func figure(values map[string]decimal.Decimal, key string) calculators.Value {
	if d, ok := values[key]; ok {
		return calculators.Some(d)
	}
	return calculators.None
}

// figuresOf is a filed version's figures under a factor set: from the
// state, or computed and kept there (a version never changes). A version
// whose figures cannot be computed has none available.
func (s *Service) figuresOf(rv *state.ReturnVersion, fs *ledger.FactorSet) map[string]decimal.Decimal {
	if f := s.st.FiguresOf(rv.ID, fs.Version); f != nil {
		return f.Values
	}
	values := map[string]decimal.Decimal{}
	if ret, err := s.fullReturn(rv); err == nil {
		if v, err := computeFigures(ret, fs); err == nil {
			values = v
		}
	}
	s.st.PutFigures(&state.Figures{ReturnID: rv.ID, FactorSet: fs.Version, Values: values})
	return values
}

var fifty = decimal.NewFromInt(50)

// jumpWarning flags a change of more than 50% against the previous quarter.
func jumpWarning(key string, now, then calculators.Value, prev string) (ledger.Warning, bool) {
	if !now.OK || !then.OK || then.D.Sign() == 0 {
		return ledger.Warning{}, false
	}
	change := calculators.Div(now.D.Sub(then.D).Mul(decimal.NewFromInt(100)), then.D)
	if change.Abs().Cmp(fifty) <= 0 {
		return ledger.Warning{}, false
	}
	label, unit := headlineName(key)
	sign := ""
	if change.Sign() > 0 {
		sign = "+"
	}
	return ledger.Warning{Rule: "quarter_change_over_50pct", Path: key,
		Message: fmt.Sprintf("%s (%s) is %s %s against %s %s in %s: a change of %s%s%%, more than the 50%% allowed against the previous quarter",
			label, key, now.D.RoundBank(3).String(), unit, then.D.RoundBank(3).String(), unit, prev, sign, change.RoundBank(1).String())}, true
}

// headlineName is a headline metric's label and unit, for messages.
func headlineName(key string) (label, unit string) {
	for _, h := range calculators.Headlines() {
		if h.Key == key {
			return h.Label, h.Unit
		}
	}
	return key, ""
}

// medianWarning flags energy per TB more than 3x or less than 1/3 of the
// median of the other operators' latest returns for the period, each
// under the factor set it was filed with. Operators whose value is
// unavailable (no or zero traffic) are left out of the median, and at
// least two others must have a value.
func (s *Service) medianWarning(r *ledger.Return, v calculators.Value) (ledger.Warning, bool) {
	if !v.OK {
		return ledger.Warning{}, false
	}
	have, missing := s.st.PeriodFigures(r.Period)
	var others []decimal.Decimal
	for op, f := range have {
		if d, ok := f.Values[keyPerTB]; ok && op != r.Operator {
			others = append(others, d)
		}
	}
	// Versions filed before this process started get their figures
	// the first time a filing of their period needs them.
	for _, rv := range missing {
		if fs := s.st.FactorSet(rv.FactorSet); fs != nil && rv.Operator != r.Operator {
			if d, ok := s.figuresOf(rv, fs.Set)[keyPerTB]; ok {
				others = append(others, d)
			}
		}
	}
	return outlierAgainst(v.D, calculators.Median(others), len(others), r.Period.String())
}

// outlierAgainst flags energy per TB v more than 3x or less than 1/3 of
// med, the median of the n other operators' values for period. At least
// two others are needed: a median of one operator says little.
//
// The message names the metric in words and shows the figures as every
// page does (numfmt). It says which median it means: that of the other
// operators, which is what the rule compares with, and not the median of
// every operator that a chart of the sector draws beside it.
func outlierAgainst(v, med decimal.Decimal, n int, period string) (ledger.Warning, bool) {
	if n < 2 {
		return ledger.Warning{}, false
	}
	three := decimal.NewFromInt(3)
	if v.Cmp(med.Mul(three)) <= 0 && v.Mul(three).Cmp(med) >= 0 {
		return ledger.Warning{}, false
	}
	const unit = "kWh/TB"
	return ledger.Warning{Rule: "energy_per_tb_vs_sector_median", Path: keyPerTB,
		Message: fmt.Sprintf("%s is %s %s for %s, %s times the median of the other %s (%s %s): outside one third to three times that median",
			calculators.MetricName(keyPerTB), numfmt.Decimal(v, unit), unit, period, ratioText(v, med),
			ledger.CountNoun(n, "operator", "operators"), numfmt.Decimal(med, unit), unit)}, true
}

// ratioText is v / med to two places, or "infinitely many" for a zero median.
func ratioText(v, med decimal.Decimal) string {
	if med.Sign() == 0 {
		return "infinitely many"
	}
	return calculators.Div(v, med).RoundBank(2).String()
}

// decodedReturns holds the returns that one computation has decoded, by
// version id: the quarters of a year share most of their history, and
// decoding the history is most of the cost of a quarter's metrics when
// the history is long (the calculators only read the returns).
type decodedReturns map[string]*ledger.Return

// decodeHistory decodes a history's returns as historyReturn does (what
// the calculators read of an earlier quarter). done, when not nil, holds
// what one computation has decoded already and keeps what this decodes.
func (s *Service) decodeHistory(rvs []*state.ReturnVersion, done decodedReturns) ([]*ledger.Return, error) {
	out := make([]*ledger.Return, 0, len(rvs))
	for _, rv := range rvs {
		r := done[rv.ID]
		if r == nil {
			var err error
			if r, err = s.historyReturn(rv); err != nil {
				return nil, err
			}
			if done != nil {
				done[rv.ID] = r
			}
		}
		out = append(out, r)
	}
	return out, nil
}
