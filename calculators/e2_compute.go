package calculators

import (
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// ComputeE2 computes the e-waste and circularity metrics of req.Return,
// looking back on req.Earlier and on historic inflow for the rolling-year
// and Weibull estimates. It is pure; every quantity is an exact decimal
// except the Weibull density, which is evaluated to WeibullPlaces places.
func ComputeE2(req Request) (*E2, *Trace, error) {
	if req.Return == nil {
		return nil, nil, errors.New("e2: no return")
	}
	if req.Factors == nil {
		return nil, nil, errors.New("e2: no factor set")
	}
	h, err := newE2History(req)
	if err != nil {
		return nil, nil, err
	}
	w := req.Densities
	if w == nil {
		w = NewDensities()
	}
	cells := map[string]E2Cell{}
	m26 := req.since(ledger.Methodology20261)
	for key, cs := range h.cells() {
		c, err := computeCell(h, req.Factors, w, cs[0], cs[1], m26)
		if err != nil {
			return nil, nil, err
		}
		cells[key] = c
	}
	tr := &Trace{}
	m, err := resolveMethodology(req)
	if err != nil {
		return nil, nil, err
	}
	e := buildE2(cells, m, tr)
	if req.FiguresOnly {
		// The derivations raise these flags on their way.
		flagMCI2026(tr, e, req.Factors)
		return e, tr, nil
	}
	if err := deriveE2(tr, e, h, req.Factors, w); err != nil {
		return nil, nil, err
	}
	return e, tr, nil
}

// cellFactors looks up a category in the factor set.
func cellFactors(fs *ledger.FactorSet, cat string) E2Factors {
	df, ok := fs.Devices[cat]
	if !ok {
		return E2Factors{}
	}
	f := E2Factors{
		WEEECategory:         df.WEEECategory,
		WeibullShape:         df.WeibullShape,
		WeibullScale:         df.WeibullScale,
		AverageLifetimeYears: df.AverageLifetimeYears,
		RecyclingEfficiency:  df.RecyclingEfficiency,
		UseLifeYears:         df.UseLifeYears,
		UseLifeSource:        df.UseLifeSource,
	}
	if df.WEEECategory != nil {
		if t, ok := fs.WEEETargets[strconv.Itoa(*df.WEEECategory)]; ok {
			f.WEEETarget = &t
		}
	}
	return f
}

// computeCell gathers the parts of one category and stream; m26 adds the
// parts of methodology 2026.1.
func computeCell(h *e2History, fs *ledger.FactorSet, w *Densities, cat, stream string, m26 bool) (E2Cell, error) {
	f := cellFactors(fs, cat)
	c := E2Cell{Category: cat, Stream: stream, Factors: f}
	p := &c.Parts
	for _, row := range h.returns[h.period].ret.Devices {
		if row.Category != cat || row.Stream != stream {
			continue
		}
		in := ledger.FlowKg(row.Inflow)
		p.InflowKg = p.InflowKg.Add(in)
		p.CollectedKg = p.CollectedKg.Add(ledger.FlowKg(row.Collected))
		p.ReusedKg = p.ReusedKg.Add(ledger.FlowKg(row.Reused))
		p.RecycledKg = p.RecycledKg.Add(ledger.FlowKg(row.Recycled))
		p.RecoveredKg = p.RecoveredKg.Add(ledger.FlowKg(row.Recovered))
		p.DisposedKg = p.DisposedKg.Add(ledger.FlowKg(row.Disposed))
		p.StockChangeKg = p.StockChangeKg.Add(ledger.FlowKg(row.StockChange))
		p.RecycledContentKg = p.RecycledContentKg.Add(ledger.OrZero(row.RecycledContentKg))
		p.ReusedContentKg = p.ReusedContentKg.Add(ledger.OrZero(row.ReusedContentKg))
		life := row.LifetimeYears
		if life == nil {
			life = f.AverageLifetimeYears
		}
		p.LifetimeKgYears = p.LifetimeKgYears.Add(in.Mul(ledger.OrZero(life)))
	}

	// The rolling year: the 4 quarters ending with this one.
	for i := 0; i < 4; i++ {
		q := h.period.Add(-i)
		if !h.hasReturn(q) {
			continue
		}
		p.WindowReturns++
		col := h.flowKg(cat, stream, q, "collected")
		reu := h.flowKg(cat, stream, q, "reused")
		rec := h.flowKg(cat, stream, q, "recycled")
		p.WindowCollectedKg = p.WindowCollectedKg.Add(col)
		p.WindowReusedKg = p.WindowReusedKg.Add(reu)
		p.WindowRecycledKg = p.WindowRecycledKg.Add(rec)
	}
	// The 12 quarters before it.
	for i := 4; i < 16; i++ {
		q := h.period.Add(-i)
		if !h.covered(q) {
			p.PriorQuartersMissing++
		}
		if stream == "customer" {
			p.PriorCustomerInflowKg = p.PriorCustomerInflowKg.Add(h.inflowKg(cat, stream, q))
		}
	}
	if stream == "customer" {
		p.WindowCustomerCollectedKg = p.WindowCollectedKg
	}
	if m26 {
		cellParts2026(h, p, cat, stream)
	}
	if f.hasWeibull() {
		g, err := generatedKg(h, w, f, cat, stream)
		if err != nil {
			return c, err
		}
		p.EwasteGeneratedKg = &g
		p.WindowCollectedGeneratedKg = p.WindowCollectedKg
	}
	return c, nil
}

// cohort is one term of the e-waste estimate: the inflow of window k and
// the density at its mid-year age k + 0.5.
type cohort struct {
	K       int
	Inflow  decimal.Decimal
	Density decimal.Decimal
	Refs    []InputRef
}

// generated is sum over k >= 0 of INFLOW_k x f(k + 0.5) for one cell, back
// to the first window that holds data, with the terms for a derivation.
func generated(h *e2History, w *Densities, f E2Factors, cat, stream string) (decimal.Decimal, []cohort, error) {
	var terms []cohort
	sum, err := addGenerated(h, w, f, cat, stream, &terms)
	return sum, terms, err
}

// generatedKg is generated without the terms: the figure alone, which is
// what every metric needs and the derivation does not.
func generatedKg(h *e2History, w *Densities, f E2Factors, cat, stream string) (decimal.Decimal, error) {
	return addGenerated(h, w, f, cat, stream, nil)
}

// addGenerated sums the e-waste generated of one cell and, when terms is
// not nil, appends each window's term with the filed values behind it.
func addGenerated(h *e2History, w *Densities, f E2Factors, cat, stream string, terms *[]cohort) (decimal.Decimal, error) {
	var sum decimal.Decimal
	for k := 0; k < h.windows(); k++ {
		var in decimal.Decimal
		var refs []InputRef
		if terms != nil {
			in, refs = h.windowInflow(cat, stream, k)
		} else {
			in = h.windowInflowKg(cat, stream, k)
		}
		if in.IsZero() {
			continue
		}
		dens, err := w.density(*f.WeibullShape, *f.WeibullScale, k)
		if err != nil {
			return decimal.Zero, fmt.Errorf("e2: %s: %w", cat, err)
		}
		sum = sum.Add(in.Mul(dens))
		if terms != nil {
			*terms = append(*terms, cohort{K: k, Inflow: in, Density: dens, Refs: refs})
		}
	}
	return sum, nil
}

// Densities remembers Weibull densities f(k + 0.5) per shape, scale and
// k. They depend on nothing else and cost a decimal exp and power series
// each, so a long-lived caller (the service) shares one across
// computations through Request.Densities; it is safe for concurrent use.
// The number of entries is bounded by the distinct lifetime
// distributions times the quarters of history, a few hundred at most.
type Densities struct {
	mu sync.Mutex
	m  map[string]decimal.Decimal
}

// NewDensities returns an empty density cache.
func NewDensities() *Densities { return &Densities{m: map[string]decimal.Decimal{}} }

func (w *Densities) density(a, b decimal.Decimal, k int) (decimal.Decimal, error) {
	key := a.String() + "|" + b.String() + "|" + strconv.Itoa(k)
	w.mu.Lock()
	v, ok := w.m[key]
	w.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := WeibullDensity(a, b, decimal.NewFromInt(int64(k)).Add(decHalf))
	if err != nil {
		return decimal.Zero, err
	}
	w.mu.Lock()
	w.m[key] = v
	w.mu.Unlock()
	return v, nil
}
