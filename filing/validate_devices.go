package filing

import (
	"github.com/shopspring/decimal"
	"strconv"
	"strings"

	"github.com/ictledger/ictledger/ledger"
)

// massBalanceTolerance is the share of collected mass that the treated
// mass may differ by before a mass_balance_gap warning (1%).
var massBalanceTolerance = decimal.RequireFromString("0.01")

// namedFlow is one flow of a device row with its JSON name.
type namedFlow struct {
	name string
	f    *ledger.Flow
}

func flowsOf(d *ledger.DeviceFlow) []namedFlow {
	return []namedFlow{
		{"inflow", d.Inflow}, {"collected", d.Collected}, {"reused", d.Reused}, {"recycled", d.Recycled},
		{"recovered", d.Recovered}, {"disposed", d.Disposed}, {"stock_change", d.StockChange},
		{"redeployed", d.Redeployed},
	}
}

func (v *validator) devices() {
	seen := map[[2]string]int{}
	for i := range v.r.Devices {
		d := &v.r.Devices[i]
		key := [2]string{d.Category, d.Stream}
		if j, dup := seen[key]; dup {
			v.add(at("devices", i, ""), "duplicate row for category %s, stream %s (also devices[%d])", d.Category, d.Stream, j)
		} else {
			seen[key] = i
		}
		for _, nf := range flowsOf(d) {
			if nf.f != nil {
				v.flow(at("devices", i, nf.name), nf.f, nf.name == "stock_change")
			}
		}
		content := ledger.OrZero(d.RecycledContentKg).Add(ledger.OrZero(d.ReusedContentKg))
		if inflow := ledger.FlowKg(d.Inflow); inflow.Sign() >= 0 && content.Cmp(inflow) > 0 {
			path := at("devices", i, "recycled_content_kg")
			if d.RecycledContentKg == nil {
				path = at("devices", i, "reused_content_kg")
			}
			v.add(path, "recycled_content_kg + reused_content_kg = %s must be <= inflow.kg (%s)", content, inflow)
		}
		if d.LifetimeYears != nil && d.LifetimeYears.Sign() <= 0 {
			v.add(at("devices", i, "lifetime_years"), "must be > 0; got %s", d.LifetimeYears)
		}
		treated := ledger.FlowKg(d.Reused).Add(ledger.FlowKg(d.Recycled)).Add(ledger.FlowKg(d.Recovered)).Add(ledger.FlowKg(d.Disposed))
		if d.ExportedKg != nil {
			if d.ExportedKg.Cmp(treated) > 0 {
				v.add(at("devices", i, "exported_kg"), "must be <= the treated mass (reused + recycled + recovered + disposed = %s kg); got %s", treated, d.ExportedKg)
			}
			if d.ExportedKg.Sign() > 0 && len(d.BaselNotification) == 0 {
				v.add(at("devices", i, "basel_notification"), "is required with exported_kg > 0: the ids of the Basel Convention notifications")
			}
		}
		for k, id := range d.BaselNotification {
			if id == "" {
				v.add(at("devices", i, "basel_notification")+"["+strconv.Itoa(k)+"]", "must not be empty")
			}
		}
		if d.Redeployed != nil && d.Stream != "network" {
			v.add(at("devices", i, "redeployed"), "is for the network stream only (equipment reinstalled in the operator's own network); "+
				"customer devices reused by others go in reused")
		}
		v.exports(i, d, treated)
		if e := d.RecyclerEfficiencyPct; e != nil {
			switch {
			case !strings.HasPrefix(d.Category, "battery_"):
				v.add(at("devices", i, "recycler_efficiency_pct"), "is for battery rows only (Regulation (EU) 2023/1542 Annex XII); got category %s", d.Category)
			case e.Sign() < 0 || e.Cmp(decimal.NewFromInt(100)) > 0:
				v.add(at("devices", i, "recycler_efficiency_pct"), "must be from 0 to 100; got %s", e)
			}
		}
		v.massBalance(i, d, treated)
	}
}

// flow checks one flow: kg given where units are, and a stock change
// (signed) with units and kg of the same sign. That other flows are >= 0
// is the description's rule (validate_fields.go).
func (v *validator) flow(path string, f *ledger.Flow, signed bool) {
	switch {
	case f.Units > 0 && f.Kg.Sign() <= 0:
		v.add(path+".kg", "must be > 0 when units > 0 (units %d); got %s", f.Units, f.Kg)
	case signed && f.Units < 0 && f.Kg.Sign() >= 0:
		v.add(path+".kg", "must be < 0 when units < 0 (units %d); got %s", f.Units, f.Kg)
	}
}

// massBalance warns when reused + recycled + recovered + disposed +
// stock_change differs from collected by more than 1% of collected.
func (v *validator) massBalance(i int, d *ledger.DeviceFlow, treated decimal.Decimal) {
	collected := ledger.FlowKg(d.Collected)
	out := treated.Add(ledger.FlowKg(d.StockChange))
	gap := out.Sub(collected)
	if gap.Abs().Cmp(collected.Mul(massBalanceTolerance)) <= 0 {
		return
	}
	v.warn("mass_balance_gap", at("devices", i, ""),
		"%s/%s: reused + recycled + recovered + disposed + stock_change = %s kg, collected = %s kg: a gap of %s kg, more than 1%% of collected",
		d.Category, d.Stream, out, collected, gap)
}

func (v *validator) historic() {
	if len(v.r.HistoricInflow) == 0 {
		return
	}
	if first := v.c.FirstPeriod; !first.IsZero() && first.Before(v.r.Period) {
		v.add("historic_inflow", "may only be sent with the operator's first return (%s)", first)
	}
	seen := map[struct {
		cat, stream string
		year        int
	}]int{}
	for i, h := range v.r.HistoricInflow {
		if h.Year < 1990 || h.Year >= v.r.Period.Year {
			v.add(at("historic_inflow", i, "year"), "must be a year from 1990 that precedes the first return's year %d; got %d", v.r.Period.Year, h.Year)
		}
		key := struct {
			cat, stream string
			year        int
		}{h.Category, h.Stream, h.Year}
		if j, dup := seen[key]; dup {
			v.add(at("historic_inflow", i, ""), "duplicate row for %s/%s %d (also historic_inflow[%d])", h.Category, h.Stream, h.Year, j)
		} else {
			seen[key] = i
		}
		v.flow(at("historic_inflow", i, ""), &ledger.Flow{Units: h.Units, Kg: h.Kg}, false)
	}
}
