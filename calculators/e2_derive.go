package calculators

import (
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// deriveE2 records the derivations of the headline E2 metrics: the total
// rates, both collection rates, e-waste generated and MCI per category,
// and the total MCI.
func deriveE2(tr *Trace, e *E2, h *e2History, fs *ledger.FactorSet, w *Densities) error {
	cur := h.period
	cats := sortedKeys(e.ByCategory)
	m26 := ledger.MethodologyAtLeast(e.methodology, ledger.Methodology20261)

	// Treatment rates over this quarter's rows.
	rates := []struct {
		key, formula string
		flows        []string
		v            Value
	}{
		{"reuse_rate_pct", "reused kg / collected kg x 100", []string{"reused"}, e.Total.ReuseRatePct},
		{"recycling_rate_pct", "recycled kg / collected kg x 100", []string{"recycled"}, e.Total.RecyclingRatePct},
		{"recovery_rate_pct", "(reused + recycled + recovered) kg / collected kg x 100 (WEEE Art. 11 style)", []string{"reused", "recycled", "recovered"}, e.Total.RecoveryRatePct},
		{"reuse_and_recycling_rate_pct", "(reused + recycled) kg / collected kg x 100", []string{"reused", "recycled"}, e.Total.ReuseAndRecyclingRatePct},
		{"disposal_rate_pct", "disposed kg / collected kg x 100", []string{"disposed"}, e.Total.DisposalRatePct},
	}
	for _, r := range rates {
		var in []InputRef
		for _, fl := range append(r.flows, "collected") {
			in = append(in, currentFlowRefs(h, fl)...)
		}
		tr.Derive(Derivation{Metric: "e2.total." + r.key, Formula: r.formula + ", all categories and streams of the quarter",
			Inputs: nonNil(in), Factors: []FactorRef{}, Value: r.v})
	}

	// Collection against placed on the market.
	if m26 {
		tr.Derive(derivePOM2026(e, h))
	} else {
		derivePOM(tr, e, h)
	}

	// E-waste generated per category, and collection against it.
	genIn := []InputRef{}
	for _, cat := range cats {
		v := e.ByCategory[cat]
		if !v.EwasteGeneratedKg.OK {
			continue
		}
		f := cellFactors(fs, cat)
		d := Derivation{Metric: "e2.by_category." + cat + ".ewaste_generated_kg",
			Formula: "sum over k >= 0 of INFLOW_k x f(k + 0.5); INFLOW_k = inflow kg of the 4 quarters ending 4k quarters before " + cur.String() +
				"; f(x) = (a/b)(x/b)^(a-1) exp(-(x/b)^a), the Weibull lifetime density at mid-year (UNU/UNITAR); density evaluated in decimal arithmetic to 40 places",
			Inputs: []InputRef{},
			Factors: []FactorRef{
				factorRef(fs, "devices."+cat+".weibull_shape", *f.WeibullShape, "", "devices"),
				factorRef(fs, "devices."+cat+".weibull_scale", *f.WeibullScale, "years", "devices"),
			},
			Value: v.EwasteGeneratedKg}
		for _, s := range ledger.Streams {
			if _, ok := e.Cells[cellKey(cat, s)]; !ok {
				continue
			}
			_, terms, err := generated(h, w, f, cat, s)
			if err != nil {
				return err
			}
			for _, t := range terms {
				end := cur.Add(-4 * t.K)
				d.Inputs = append(d.Inputs, t.Refs...)
				d.Notes = append(d.Notes, s+" k="+strconv.Itoa(t.K)+": INFLOW = "+t.Inflow.String()+" kg ("+end.Add(-3).String()+" to "+end.String()+
					"), f("+decimal.NewFromInt(int64(t.K)).Add(decHalf).String()+") = "+halfEven(t.Density, 12)+
					", arising "+halfEven(t.Inflow.Mul(t.Density), 6)+" kg")
			}
		}
		if len(d.Notes) == 0 {
			d.Notes = []string{"no inflow in any window: nothing arises"}
		}
		tr.Derive(d)
		genIn = append(genIn, InputRef{Path: "e2.by_category." + cat + ".ewaste_generated_kg", Value: v.EwasteGeneratedKg.D.String(), Unit: "kg"})
		for _, s := range ledger.Streams {
			if _, ok := e.Cells[cellKey(cat, s)]; !ok {
				continue
			}
			for i := 3; i >= 0; i-- {
				_, refs := h.flowRefs(cat, s, cur.Add(-i), "collected")
				genIn = append(genIn, refs...)
			}
		}
	}
	d := Derivation{Metric: "e2.total.collection_rate_generated_pct",
		Formula: "collected kg in the 4 quarters " + cur.Add(-3).String() + " to " + cur.String() +
			" of the categories with a lifetime distribution / their ewaste_generated_kg x 100",
		Inputs: genIn, Factors: []FactorRef{}, Value: e.Total.CollectionRateGeneratedPct}
	if without := categoriesWithout(e, func(f E2Factors) bool { return f.hasWeibull() }); len(without) > 0 {
		d.Notes = append(d.Notes, "left out (no lifetime distribution in the factor set): "+strings.Join(without, ", "))
	}
	tr.Derive(d)

	// MCI per category and in total.
	totIn := []InputRef{}
	for _, cat := range cats {
		v := e.ByCategory[cat]
		f := cellFactors(fs, cat)
		if (!m26 && !f.hasMCI()) || (m26 && !f.hasMCI2026()) {
			continue
		}
		if m26 {
			tr.Derive(deriveMCI2026(tr, fs, h, e, cat, v, f))
		} else {
			tr.Derive(deriveMCI(h, fs, e, cat, v, f))
		}
		if v.MCI.OK {
			totIn = append(totIn,
				InputRef{Path: "e2.by_category." + cat + ".mci", Value: v.MCI.D.String()},
				InputRef{Path: "e2.by_category." + cat + ".inflow_kg", Value: v.Parts.InflowKg.String(), Unit: "kg"})
		}
	}
	d = Derivation{Metric: "e2.total.mci", Formula: "sum over categories of inflow kg x MCI / sum of their inflow kg (mass-weighted by inflow)",
		Inputs: totIn, Factors: []FactorRef{}, Value: e.Total.MCI}
	if without := categoriesWithout(e, func(f E2Factors) bool { return f.hasMCI() }); len(without) > 0 {
		d.Notes = append(d.Notes, "left out (no MCI factors): "+strings.Join(without, ", "))
	}
	tr.Derive(d)
	if m26 {
		deriveWEEECategories(tr, e)
		tr.Derive(deriveRedeployed(e, h))
		deriveBatteries(tr, e, h)
		deriveExports(tr, e, h)
	}
	return nil
}

// derivePOM explains collection_rate_pom_pct under methodology 2025.1.
func derivePOM(tr *Trace, e *E2, h *e2History) {
	cur := h.period
	var in []InputRef
	for _, key := range sortedKeys(e.Cells) {
		c := e.Cells[key]
		if c.Stream != "customer" {
			continue
		}
		for i := 3; i >= 0; i-- {
			_, refs := h.flowRefs(c.Category, c.Stream, cur.Add(-i), "collected")
			in = append(in, refs...)
		}
		for i := 15; i >= 4; i-- {
			_, refs := h.inflow(c.Category, c.Stream, cur.Add(-i))
			in = append(in, refs...)
		}
	}
	d := Derivation{Metric: "e2.total.collection_rate_pom_pct",
		Formula: "customer stream: collected kg in the 4 quarters " + cur.Add(-3).String() + " to " + cur.String() +
			" / (inflow kg in the 12 quarters " + cur.Add(-15).String() + " to " + cur.Add(-4).String() + " / 3) x 100 (WEEE Art. 7 on a rolling year)",
		Inputs: nonNil(in), Factors: []FactorRef{}, Value: e.Total.CollectionRatePOMPct}
	if e.Total.CollectionRatePOMPartial {
		d.Notes = append(d.Notes, "partial: "+strconv.Itoa(e.Total.Parts.PriorQuartersMissing)+
			" of the 12 earlier quarters have neither a return nor historic_inflow and count as zero inflow, which overstates the rate")
	}
	tr.Derive(d)
}

// deriveMCI explains one category's MCI.
func deriveMCI(h *e2History, fs *ledger.FactorSet, e *E2, cat string, v E2Values, f E2Factors) Derivation {
	d := Derivation{Metric: "e2.by_category." + cat + ".mci",
		Formula: "Fr = recycled_content/M, Fu = reused_content/M, Cr = recycled/E, Cu = reused/E (Cr+Cu capped at 1), Ec = Ef = recycling efficiency; " +
			"V = M(1-Fr-Fu), W0 = M(1-Cr-Cu), Wc = M(1-Ec)Cr, Wf = M(1-Ef)Fr/Ef, W = W0 + (Wf+Wc)/2, " +
			"LFI = (V+W)/(2M + (Wf-Wc)/2), X = lifetime/Lav, F(X) = 0.9/X, MCI = max(0, 1 - LFI x F(X)) (Ellen MacArthur Foundation)",
		Inputs: []InputRef{},
		Factors: []FactorRef{
			factorRef(fs, "devices."+cat+".recycling_efficiency", *f.RecyclingEfficiency, "", "devices"),
			factorRef(fs, "devices."+cat+".average_lifetime_years", *f.AverageLifetimeYears, "years", "devices"),
		},
		Value: v.MCI}
	in, basis, reason := mciInputs(v.Parts, f)
	var quarters []ledger.Period
	if basis == "generated" {
		for i := 3; i >= 0; i-- {
			quarters = append(quarters, h.period.Add(-i))
		}
		d.Inputs = append(d.Inputs, InputRef{Path: "e2.by_category." + cat + ".ewaste_generated_kg", Value: v.Parts.EwasteGeneratedKg.String(), Unit: "kg (E)"})
		d.Notes = append(d.Notes, "basis generated: all 4 quarters of the rolling year have returns, so E is the Weibull estimate and reuse/recycling are summed over "+
			h.period.Add(-3).String()+" to "+h.period.String())
	} else {
		quarters = []ledger.Period{h.period}
		d.Notes = append(d.Notes, "basis collected: the rolling year is incomplete, so E is this quarter's collected mass and reuse/recycling are this quarter's; this overstates circularity")
	}
	for _, s := range ledger.Streams {
		if _, ok := e.Cells[cellKey(cat, s)]; !ok {
			continue
		}
		for _, fl := range []string{"inflow", "recycled_content_kg", "reused_content_kg"} {
			_, refs := h.flowRefs(cat, s, h.period, fl)
			d.Inputs = append(d.Inputs, refs...)
		}
		flows := []string{"recycled", "reused"}
		if basis == "collected" {
			flows = append(flows, "collected")
		}
		for _, q := range quarters {
			for _, fl := range flows {
				_, refs := h.flowRefs(cat, s, q, fl)
				d.Inputs = append(d.Inputs, refs...)
			}
		}
		for i, row := range h.returns[h.period].ret.Devices {
			if row.Category == cat && row.Stream == s && row.LifetimeYears != nil {
				d.Inputs = append(d.Inputs, InputRef{Path: "devices[" + strconv.Itoa(i) + "].lifetime_years", Value: row.LifetimeYears.String(), Unit: "years"})
			}
		}
	}
	if reason != "" {
		d.Notes = append(d.Notes, "unavailable: "+reason)
		return d
	}
	r, err := ComputeMCI(in)
	if err != nil {
		d.Notes = append(d.Notes, "unavailable: "+err.Error())
		return d
	}
	show := func(x decimal.Decimal) string { return halfEven(x, DisplayPlaces) }
	d.Notes = append(d.Notes, "M = "+in.M.String()+" kg, Fr = "+show(in.Fr)+", Fu = "+show(in.Fu)+", Cr = "+show(r.Cr)+", Cu = "+show(r.Cu)+
		", X = "+show(in.X)+"; V = "+show(r.V)+", W = "+show(r.W)+", LFI = "+show(r.LFI)+", F(X) = "+show(r.FX))
	if r.Capped {
		d.Notes = append(d.Notes, "Cr + Cu exceeded 1 and were scaled down in proportion to sum to 1")
	}
	return d
}

// currentFlowRefs lists one flow over every device row of the quarter.
func currentFlowRefs(h *e2History, flow string) []InputRef {
	var refs []InputRef
	for i, row := range h.returns[h.period].ret.Devices {
		if f := deviceFlow(&row, flow); f != nil {
			refs = append(refs, InputRef{Path: "devices[" + strconv.Itoa(i) + "]." + flow + ".kg", Value: f.Kg.String(), Unit: "kg"})
		}
	}
	return refs
}

// categoriesWithout lists the categories whose factors fail ok.
func categoriesWithout(e *E2, ok func(E2Factors) bool) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range e.Cells {
		if !ok(c.Factors) && !seen[c.Category] {
			seen[c.Category] = true
			out = append(out, c.Category)
		}
	}
	sort.Strings(out)
	return out
}

func factorRef(fs *ledger.FactorSet, key string, v decimal.Decimal, unit, source string) FactorRef {
	return FactorRef{Key: key, Value: v.String(), Unit: unit, Source: fs.Sources[source]}
}

func nonNil(in []InputRef) []InputRef {
	if in == nil {
		return []InputRef{}
	}
	return in
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
