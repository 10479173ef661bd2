package loadtest

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// returnOf is version v of op's return for p: the example return moved
// to op's country and quarter, with its energy, traffic and
// subscriptions scaled by the operator's size (5 % to 200 % of the
// example), a trend of 0.5 % a quarter and a noise of ±3 % (another draw
// for each version). Device flows and site counts stay as in the example,
// so that its balances and site totals hold.
func (g *regionGen) returnOf(op ledger.Operator, p ledger.Period, v int) ledger.Return {
	size := int64(50 + g.rand("size", op.ID, g.first).IntN(1951)) // per mille of the example
	noise := int64(g.rand(fmt.Sprintf("noise-v%d", v), op.ID, p).IntN(61)) - 30
	f := decimal.New(size*(1000+5*int64(p.Sub(g.first))+noise), -6)
	scale := func(d decimal.Decimal) decimal.Decimal { return d.Mul(f).Round(0) }
	scaleP := func(d *decimal.Decimal) *decimal.Decimal {
		if d == nil {
			return nil
		}
		out := scale(*d)
		return &out
	}
	t := g.template
	grid := regionGrid(op.Country)
	r := t
	r.Operator, r.Period = op.ID, p
	r.Activity.DataTrafficTB = scaleP(t.Activity.DataTrafficTB)
	r.Activity.RevenueMUSD = scaleP(t.Activity.RevenueMUSD)
	if t.Activity.Subscriptions != nil {
		n := f.Mul(decimal.NewFromInt(*t.Activity.Subscriptions)).Round(0).IntPart()
		r.Activity.Subscriptions = &n
	}
	r.Electricity = slices.Clone(t.Electricity)
	for i := range r.Electricity {
		r.Electricity[i].Grid, r.Electricity[i].KWh = grid, scale(r.Electricity[i].KWh)
	}
	r.Fuels = slices.Clone(t.Fuels)
	for i := range r.Fuels {
		r.Fuels[i].Quantity = scale(r.Fuels[i].Quantity)
		r.Fuels[i].GeneratedKWh = scaleP(r.Fuels[i].GeneratedKWh)
	}
	r.OnsiteRenewables = slices.Clone(t.OnsiteRenewables)
	for i := range r.OnsiteRenewables {
		r.OnsiteRenewables[i].KWh = scale(r.OnsiteRenewables[i].KWh)
	}
	r.RenewableClaims = slices.Clone(t.RenewableClaims)
	for i := range r.RenewableClaims {
		c := &r.RenewableClaims[i]
		c.Grid, c.KWh, c.Vintage = grid, scale(c.KWh), p.Year
		if len(c.Certificates) > 0 {
			c.Certificates = []string{fmt.Sprintf("%s-%s-%d", op.ID, p, i)}
		}
	}
	r.DataCentres = slices.Clone(t.DataCentres)
	for i := range r.DataCentres {
		d := &r.DataCentres[i]
		d.ID, d.Grid = op.ID+"-dc-1", grid
		d.TotalKWh, d.ITKWh = scale(d.TotalKWh), scale(d.ITKWh)
		d.RenewableKWh, d.ReusedKWh = scaleP(d.RenewableKWh), scaleP(d.ReusedKWh)
	}
	r.HistoricInflow = slices.Clone(t.HistoricInflow)
	for i := range r.HistoricInflow {
		r.HistoricInflow[i].Year += p.Year - t.Period.Year
	}
	r.Resilience.Outages = slices.Clone(t.Resilience.Outages)
	for i := range r.Resilience.Outages {
		o := &r.Resilience.Outages[i]
		o.Started = p.Start().Add(o.Started.Sub(g.tmplStart))
	}
	return r
}
