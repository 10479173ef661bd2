package calculators

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// Methodology 2026.1 W6: what left the country, and how many customer
// units came back.

// rowExportedKg is a row's mass shipped abroad: its exports when it
// files them (return v1.1), else its exported_kg.
func rowExportedKg(row ledger.DeviceFlow) decimal.Decimal {
	if len(row.Exports) == 0 {
		return ledger.OrZero(row.ExportedKg)
	}
	var sum decimal.Decimal
	for _, x := range row.Exports {
		sum = sum.Add(x.Kg)
	}
	return sum
}

// rowTreatedKg is a row's treated mass: reused + recycled + recovered +
// disposed.
func rowTreatedKg(row ledger.DeviceFlow) decimal.Decimal {
	return ledger.FlowKg(row.Reused).Add(ledger.FlowKg(row.Recycled)).
		Add(ledger.FlowKg(row.Recovered)).Add(ledger.FlowKg(row.Disposed))
}

// exportParts fills a cell's W6 parts: the period's exported mass and
// treated mass under an authorisation and, for a customer cell, the
// rolling year's units collected and placed on the market.
func exportParts(h *e2History, p *E2Parts, cat, stream string) {
	var exported, authorised decimal.Decimal
	for _, row := range h.returns[h.period].ret.Devices {
		if row.Category != cat || row.Stream != stream {
			continue
		}
		exported = exported.Add(rowExportedKg(row))
		if row.RecyclerAuthorisationID != "" {
			authorised = authorised.Add(rowTreatedKg(row))
		}
	}
	p.ExportedKg = &exported
	p.AuthorisedTreatedKg = &authorised
	if stream != "customer" {
		return
	}
	var collected, inflow int64
	for i := 0; i < 4; i++ {
		qr, ok := h.returns[h.period.Add(-i)]
		if !ok {
			continue
		}
		for _, row := range qr.ret.Devices {
			if row.Category != cat || row.Stream != stream {
				continue
			}
			if row.Collected != nil {
				collected += row.Collected.Units
			}
			if row.Inflow != nil {
				inflow += row.Inflow.Units
			}
		}
	}
	p.WindowCustomerCollectedUnits, p.WindowCustomerInflowUnits = &collected, &inflow
}

// exportShares2026 sets exported_share_pct,
// authorised_treatment_share_pct and takeback_units_pct.
func exportShares2026(v *E2Values, p E2Parts, customer bool, treated decimal.Decimal, path string, tr *Trace) {
	const noTreated = "nothing was treated in the span, so there is no denominator"
	if p.ExportedKg != nil {
		s := pct(*p.ExportedKg, treated, tr, path+".exported_share_pct", noTreated)
		v.ExportedSharePct = &s
	}
	if p.AuthorisedTreatedKg != nil {
		s := pct(*p.AuthorisedTreatedKg, treated, tr, path+".authorised_treatment_share_pct", noTreated)
		v.AuthorisedTreatmentSharePct = &s
	}
	if !customer {
		return
	}
	metric := path + ".takeback_units_pct"
	t := None
	switch {
	case p.WindowReturns < 4:
		missing(tr, metric, windowReason(p.WindowReturns))
	case p.WindowCustomerInflowUnits == nil || *p.WindowCustomerInflowUnits <= 0:
		missing(tr, metric, "no customer units were placed on the market in the rolling year")
	default:
		t = Some(Div(decimal.NewFromInt(*p.WindowCustomerCollectedUnits).Mul(decHundred), decimal.NewFromInt(*p.WindowCustomerInflowUnits)))
	}
	v.TakebackUnitsPct = &t
}

// deriveExports explains the W6 totals.
func deriveExports(tr *Trace, e *E2, h *e2History) {
	var in []InputRef
	for i, row := range h.returns[h.period].ret.Devices {
		switch {
		case len(row.Exports) > 0:
			for k, x := range row.Exports {
				in = append(in, InputRef{Path: "devices[" + strconv.Itoa(i) + "].exports[" + strconv.Itoa(k) + "].kg", Value: x.Kg.String(), Unit: "kg"})
			}
		case row.ExportedKg != nil:
			in = append(in, InputRef{Path: "devices[" + strconv.Itoa(i) + "].exported_kg", Value: row.ExportedKg.String(), Unit: "kg"})
		}
	}
	for _, fl := range []string{"reused", "recycled", "recovered", "disposed"} {
		in = append(in, currentFlowRefs(h, fl)...)
	}
	tr.Derive(Derivation{Metric: "e2.total.exported_share_pct",
		Formula: "exported kg (a row's exports[].kg, or its exported_kg without them) / treated kg (reused + recycled + recovered + disposed) x 100 " +
			"(methodology 2026.1 W6)",
		Inputs: nonNil(in), Factors: []FactorRef{}, Value: valueOr(e.Total.ExportedSharePct)})
	deriveAuthorised(tr, e, h)
	cur := h.period
	tr.Derive(Derivation{Metric: "e2.total.takeback_units_pct",
		Formula: "customer units collected / customer units placed on the market, both over the 4 quarters " + cur.Add(-3).String() + " to " + cur.String() +
			", x 100 (methodology 2026.1 W6)",
		Inputs: []InputRef{}, Factors: []FactorRef{}, Value: valueOr(e.Total.TakebackUnitsPct)})
}

// deriveAuthorised explains authorised_treatment_share_pct: its inputs
// are the authorisation ids of the period's rows that file one.
func deriveAuthorised(tr *Trace, e *E2, h *e2History) {
	in := []InputRef{}
	for i, row := range h.returns[h.period].ret.Devices {
		if row.RecyclerAuthorisationID != "" {
			p := "devices[" + strconv.Itoa(i) + "]"
			in = append(in, InputRef{Path: p + ".recycler_authorisation_id", Value: row.RecyclerAuthorisationID})
			for _, fl := range []string{"reused", "recycled", "recovered", "disposed"} {
				if f := deviceFlow(&row, fl); f != nil {
					in = append(in, InputRef{Path: p + "." + fl + ".kg", Value: f.Kg.String(), Unit: "kg"})
				}
			}
		}
	}
	tr.Derive(Derivation{Metric: "e2.total.authorised_treatment_share_pct",
		Formula: "treated kg of the rows whose recycler files a recycler_authorisation_id / all treated kg (reused + recycled + recovered + disposed) x 100 " +
			"(methodology 2026.1 W6)",
		Inputs: in, Factors: []FactorRef{}, Value: valueOr(e.Total.AuthorisedTreatmentSharePct)})
}
