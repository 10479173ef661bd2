package calculators

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// Data-quality codes of methodology 2026.1 W2.
const (
	// DQMCIUtilityDefault: the MCI's utility X is 1 because the filed
	// lifetime or the factor set's industry-average use life is missing.
	DQMCIUtilityDefault = "mci_utility_default"
	// DQMCIEfficiencyProxy: the MCI's recycling efficiency is a policy
	// target (the WEEE Annex V rate), not a measured efficiency.
	DQMCIEfficiencyProxy = "mci_efficiency_proxy"
)

// derivePOM2026 explains collection_rate_pom_pct under W1: which years
// counted, and the inflow of those only.
func derivePOM2026(e *E2, h *e2History) Derivation {
	cur := h.period
	in := []InputRef{}
	var counted, skipped []string
	for k := 1; k <= pomYears; k++ {
		label := pomYearLabel(cur, k)
		if !pomYearCounted(h, k) {
			skipped = append(skipped, label)
			continue
		}
		counted = append(counted, label)
	}
	for _, key := range sortedKeys(e.Cells) {
		c := e.Cells[key]
		if c.Stream != "customer" {
			continue
		}
		for i := 3; i >= 0; i-- {
			_, refs := h.flowRefs(c.Category, c.Stream, cur.Add(-i), "collected")
			in = append(in, refs...)
		}
		for k := pomYears; k >= 1; k-- {
			if pomYearCounted(h, k) {
				_, refs := h.windowInflow(c.Category, c.Stream, k)
				in = append(in, refs...)
			}
		}
	}
	d := Derivation{Metric: "e2.total.collection_rate_pom_pct",
		Formula: "customer stream: collected kg in the 4 quarters " + cur.Add(-3).String() + " to " + cur.String() +
			" / the mean yearly inflow kg of the years counted among the 3 before them x 100; a year counts only if each of its quarters has a return or " +
			"historic_inflow of its calendar year (WEEE Art. 7 on a rolling year; methodology 2026.1 W1)",
		Inputs: in, Factors: []FactorRef{}, Value: e.Total.CollectionRatePOMPct}
	if len(counted) > 0 {
		d.Notes = append(d.Notes, "years counted: "+strings.Join(counted, "; "))
	}
	if len(skipped) > 0 {
		d.Notes = append(d.Notes, "partial: not counted, some quarter has no data: "+strings.Join(skipped, "; "))
	}
	return d
}

// hasMCI2026 reports whether a category has what the 2026.1 MCI needs.
func (f E2Factors) hasMCI2026() bool { return f.hasWeibull() && f.RecyclingEfficiency != nil }

// deriveMCI2026 explains one category's MCI under W2 and flags the
// utility and efficiency it had to assume.
func deriveMCI2026(tr *Trace, fs *ledger.FactorSet, h *e2History, e *E2, cat string, v E2Values, f E2Factors) Derivation {
	metric := "e2.by_category." + cat + ".mci"
	d := Derivation{Metric: metric,
		Formula: "Fr = recycled_content/M, Fu = reused_content/M, Cr = recycled/E, Cu = reused/E (Cr+Cu capped at 1) with E the window's ewaste_generated_kg " +
			"and reuse/recycling over the same quarters, Ec = Ef = recycling efficiency; V = M(1-Fr-Fu), W0 = M(1-Cr-Cu), Wc = M(1-Ec)Cr, Wf = M(1-Ef)Fr/Ef, " +
			"W = W0 + (Wf+Wc)/2, LFI = (V+W)/(2M + (Wf-Wc)/2), X = L/L_use (L the inflow-weighted filed lifetime over the window, L_use the industry-average use life), " +
			"F(X) = 0.9/X, MCI = max(0, 1 - LFI x F(X)) (Ellen MacArthur Foundation; methodology 2026.1 W2, generated basis only)",
		Inputs:  []InputRef{},
		Factors: []FactorRef{factorRef(fs, "devices."+cat+".recycling_efficiency", *f.RecyclingEfficiency, "", "devices")},
		Value:   v.MCI}
	if f.UseLifeYears != nil {
		d.Factors = append(d.Factors, FactorRef{Key: "devices." + cat + ".use_life_years", Value: f.UseLifeYears.String(), Unit: "years", Source: f.UseLifeSource})
	}
	if v.Parts.EwasteGeneratedKg != nil {
		d.Inputs = append(d.Inputs, InputRef{Path: "e2.by_category." + cat + ".ewaste_generated_kg", Value: v.Parts.EwasteGeneratedKg.String(), Unit: "kg (E)"})
	}
	for _, s := range ledger.Streams {
		if _, ok := e.Cells[cellKey(cat, s)]; !ok {
			continue
		}
		d.Inputs = append(d.Inputs, mciRefs2026(h, cat, s)...)
	}
	pl := mciInputs2026(v.Parts, f)
	if pl.reason != "" {
		d.Notes = append(d.Notes, "unavailable: "+pl.reason)
		return d
	}
	d.Notes = append(d.Notes, pl.notes...)
	r, err := ComputeMCI(pl.in)
	if err != nil {
		d.Notes = append(d.Notes, "unavailable: "+err.Error())
		return d
	}
	show := func(x decimal.Decimal) string { return halfEven(x, DisplayPlaces) }
	in := pl.in
	d.Notes = append(d.Notes, "M = "+in.M.String()+" kg, Fr = "+show(in.Fr)+", Fu = "+show(in.Fu)+", Cr = "+show(r.Cr)+", Cu = "+show(r.Cu)+
		", X = "+show(in.X)+"; V = "+show(r.V)+", W = "+show(r.W)+", LFI = "+show(r.LFI)+", F(X) = "+show(r.FX))
	if r.Capped {
		d.Notes = append(d.Notes, "Cr + Cu exceeded 1 and were scaled down in proportion to sum to 1")
	}
	flagMCIInputs2026(tr, metric, pl)
	return d
}

// flagMCIInputs2026 flags the utility and efficiency a category's MCI
// had to assume (pl as mciInputs2026 gave them for a computed MCI).
func flagMCIInputs2026(tr *Trace, metric string, pl mciPlan) {
	if pl.xDefault {
		tr.Flag(DataQuality{Code: DQMCIUtilityDefault, Metric: metric, Message: pl.xNote})
	}
	if pl.proxy != "" {
		tr.Flag(DataQuality{Code: DQMCIEfficiencyProxy, Metric: metric, Message: pl.proxy})
	}
}

// flagMCI2026 raises the flags deriveE2 raises while it explains the
// categories' MCI under 2026.1 (deriveMCI2026), in the same order,
// without the derivations: for a computation of figures only.
func flagMCI2026(tr *Trace, e *E2, fs *ledger.FactorSet) {
	if !ledger.MethodologyAtLeast(e.methodology, ledger.Methodology20261) {
		return
	}
	for _, cat := range sortedKeys(e.ByCategory) {
		f := cellFactors(fs, cat)
		if !f.hasMCI2026() {
			continue
		}
		pl := mciInputs2026(e.ByCategory[cat].Parts, f)
		if pl.reason != "" {
			continue
		}
		if _, err := ComputeMCI(pl.in); err != nil {
			continue
		}
		flagMCIInputs2026(tr, "e2.by_category."+cat+".mci", pl)
	}
}

// mciRefs2026 lists the filed values one cell's 2026.1 MCI rests on: the
// quarter's inflow and content, and the window's reuse, recycling and
// lifetimes.
func mciRefs2026(h *e2History, cat, s string) []InputRef {
	var refs []InputRef
	for _, fl := range []string{"inflow", "recycled_content_kg", "reused_content_kg"} {
		_, r := h.flowRefs(cat, s, h.period, fl)
		refs = append(refs, r...)
	}
	for i := 3; i >= 0; i-- {
		q := h.period.Add(-i)
		for _, fl := range []string{"recycled", "reused"} {
			_, r := h.flowRefs(cat, s, q, fl)
			refs = append(refs, r...)
		}
		qr, ok := h.returns[q]
		if !ok {
			continue
		}
		for j, row := range qr.ret.Devices {
			if row.Category == cat && row.Stream == s && row.LifetimeYears != nil {
				refs = append(refs, InputRef{Path: qr.prefix + "devices[" + strconv.Itoa(j) + "].lifetime_years", Value: row.LifetimeYears.String(), Unit: "years"})
			}
		}
	}
	return refs
}

// deriveRedeployed explains redeployed_kg (W3).
func deriveRedeployed(e *E2, h *e2History) Derivation {
	return Derivation{Metric: "e2.total.redeployed_kg",
		Formula: "sum of devices[].redeployed.kg: network equipment reinstalled in the operator's own network; not waste, so outside collected, " +
			"every rate and the WEEE targets (methodology 2026.1 W3)",
		Inputs: nonNil(currentFlowRefs(h, "redeployed")), Factors: []FactorRef{}, Value: valueOr(e.Total.RedeployedKg)}
}

// valueOr is *v, or null when v is nil.
func valueOr(v *Value) Value {
	if v == nil {
		return None
	}
	return *v
}

// deriveWEEECategories explains each WEEE category's judgement (W4).
func deriveWEEECategories(tr *Trace, e *E2) {
	for _, key := range sortedKeys(e.WEEECategories) {
		w := e.WEEECategories[key]
		d := Derivation{Metric: "e2.weee_categories." + key + ".year_reuse_and_recycling_rate_pct",
			Formula: "(reused + recycled) kg / collected kg x 100 over the 4 quarters of the calendar year, all device categories of WEEE category " + key +
				" (" + strings.Join(w.DeviceCategories, ", ") + ") and both streams together, batteries excluded; judged against Annex V on the Q4 return " +
				"and the yearly documents (Directive 2012/19/EU Art. 11(2); methodology 2026.1 W4)",
			Inputs: []InputRef{}, Factors: []FactorRef{}, Value: w.YearReuseAndRecyclingRatePct}
		for _, cat := range w.DeviceCategories {
			p := e.ByCategory[cat].Parts
			d.Inputs = append(d.Inputs,
				InputRef{Path: "e2.by_category." + cat + ".parts.window_collected_kg", Value: p.WindowCollectedKg.String(), Unit: "kg"},
				InputRef{Path: "e2.by_category." + cat + ".parts.window_reused_kg", Value: p.WindowReusedKg.String(), Unit: "kg"},
				InputRef{Path: "e2.by_category." + cat + ".parts.window_recycled_kg", Value: p.WindowRecycledKg.String(), Unit: "kg"})
		}
		if w.Year == "" {
			d.Notes = append(d.Notes, "not judged: the span is not a calendar year with a return for each quarter; met is null")
		}
		tr.Derive(d)
	}
}
