package calculators

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// Methodology 2026.1 W5: battery rows leave the WEEE targets. Their
// share sent to recycling is shown without a target, and a recycler
// efficiency filed on a battery row is judged against Regulation (EU)
// 2023/1542 Annex XII Part B.

// E2Batteries are the battery rows' figures of a span (W5).
type E2Batteries struct {
	CollectedKg Value `json:"collected_kg"`
	RecycledKg  Value `json:"recycled_kg"`
	// SentToRecyclingPct is recycled / collected x 100, with no target.
	SentToRecyclingPct Value                     `json:"batteries_sent_to_recycling_pct"`
	ByCategory         map[string]BatteryFigures `json:"by_category"`
}

// BatteryFigures are one battery category's figures and, where recyclers'
// efficiencies were filed, their judgement against Annex XII Part B.
type BatteryFigures struct {
	CollectedKg        Value `json:"collected_kg"`
	RecycledKg         Value `json:"recycled_kg"`
	SentToRecyclingPct Value `json:"batteries_sent_to_recycling_pct"`
	// RecyclerEfficiencyPct is the recycled-mass-weighted mean of the
	// filed recycler_efficiency_pct.
	RecyclerEfficiencyPct Value `json:"recycler_efficiency_pct"`
	// TargetPct is the Part B target in force at the span's end, and
	// TargetYear the year by whose end it applies (31 December); Met is
	// null without either.
	TargetPct  Value `json:"recycler_efficiency_target_pct"`
	TargetYear int   `json:"target_year,omitempty"`
	Met        *bool `json:"met"`
}

// batteryTarget is a Regulation (EU) 2023/1542 Annex XII Part B
// recycling-efficiency target: pct applies from the end of year.
type batteryTarget struct {
	year int
	pct  int64
}

// batteryTargets are Annex XII Part B's targets per battery category, in
// the order they apply: lead-acid 75 % and lithium-based 65 % by
// 31 December 2025, 80 % and 70 % by 31 December 2030.
func batteryTargets(cat string) []batteryTarget {
	switch cat {
	case "battery_lead_acid":
		return []batteryTarget{{2025, 75}, {2030, 80}}
	case "battery_lithium":
		return []batteryTarget{{2025, 65}, {2030, 70}}
	}
	return nil
}

// targetAt is the target in force at the end of quarter end: the last
// whose year has ended by then. ok is false before the first.
func targetAt(ts []batteryTarget, end ledger.Period) (batteryTarget, bool) {
	var in batteryTarget
	ok := false
	for _, t := range ts {
		if end.Year > t.year || (end.Year == t.year && end.Quarter == 4) {
			in, ok = t, true
		}
	}
	return in, ok
}

// batteryParts fills a battery cell's recycler-efficiency parts from the
// period's rows.
func batteryParts(h *e2History, p *E2Parts, cat, stream string) {
	var kgPct, kg decimal.Decimal
	for _, row := range h.returns[h.period].ret.Devices {
		if row.Category != cat || row.Stream != stream || row.RecyclerEfficiencyPct == nil {
			continue
		}
		r := ledger.FlowKg(row.Recycled)
		kgPct = kgPct.Add(r.Mul(*row.RecyclerEfficiencyPct))
		kg = kg.Add(r)
	}
	p.RecyclerEfficiencyKgPct, p.RecyclerEfficiencyKg = &kgPct, &kg
}

// batteries builds the W5 figures from the battery cells; nil when there
// are none.
func batteries(byCat map[string][]E2Cell, cats []string, tr *Trace) *E2Batteries {
	out := &E2Batteries{ByCategory: map[string]BatteryFigures{}}
	var all []E2Parts
	for _, cat := range cats {
		if !isBattery(cat) {
			continue
		}
		ps := make([]E2Parts, len(byCat[cat]))
		for i, c := range byCat[cat] {
			ps[i] = c.Parts
		}
		all = append(all, ps...)
		out.ByCategory[cat] = batteryFigures(cat, sumParts(ps), "e2.batteries.by_category."+cat, tr)
	}
	if len(all) == 0 {
		return nil
	}
	p := sumParts(all)
	out.CollectedKg, out.RecycledKg = Some(p.CollectedKg), Some(p.RecycledKg)
	out.SentToRecyclingPct = pct(p.RecycledKg, p.CollectedKg, tr, "e2.batteries.batteries_sent_to_recycling_pct",
		"no battery was collected in the span, so there is no denominator")
	return out
}

// batteryNoTarget says why no Part B target applies at the end of the
// span, or "" when one does.
func batteryNoTarget(cat string, ts []batteryTarget, windowEnd string) string {
	end, err := ledger.ParsePeriod(windowEnd)
	if len(ts) == 0 {
		return "Annex XII Part B sets no recycling-efficiency target for " + cat
	}
	if windowEnd == "" || err != nil {
		return "the parts summed end in different quarters, so no target date applies"
	}
	if _, ok := targetAt(ts, end); !ok {
		return "no Annex XII Part B target is in force at the end of " + end.String() +
			"; the first, " + strconv.FormatInt(ts[0].pct, 10) + " %, applies from 31 December " + strconv.Itoa(ts[0].year)
	}
	return ""
}

// batteryFigures computes one battery category's figures and judges its
// recyclers' efficiency.
func batteryFigures(cat string, p E2Parts, path string, tr *Trace) BatteryFigures {
	b := BatteryFigures{CollectedKg: Some(p.CollectedKg), RecycledKg: Some(p.RecycledKg)}
	b.SentToRecyclingPct = pct(p.RecycledKg, p.CollectedKg, tr, path+".batteries_sent_to_recycling_pct",
		"no battery of the category was collected in the span, so there is no denominator")
	if p.RecyclerEfficiencyKg == nil || p.RecyclerEfficiencyKg.Sign() <= 0 {
		missing(tr, path+".recycler_efficiency_pct", "no row with recycled mass files recycler_efficiency_pct")
	} else {
		b.RecyclerEfficiencyPct = Some(Div(*p.RecyclerEfficiencyKgPct, *p.RecyclerEfficiencyKg))
	}
	ts := batteryTargets(cat)
	if reason := batteryNoTarget(cat, ts, p.WindowEnd); reason != "" {
		missing(tr, path+".recycler_efficiency_target_pct", reason)
		missing(tr, path+".met", reason)
		return b
	}
	end, _ := ledger.ParsePeriod(p.WindowEnd)
	t, _ := targetAt(ts, end)
	b.TargetPct, b.TargetYear = Some(decimal.NewFromInt(t.pct)), t.year
	if b.RecyclerEfficiencyPct.OK {
		met := b.RecyclerEfficiencyPct.D.Cmp(b.TargetPct.D) >= 0
		b.Met = &met
	} else {
		missing(tr, path+".met", "recycler_efficiency_pct is unavailable")
	}
	return b
}

// deriveBatteries explains the W5 figures.
func deriveBatteries(tr *Trace, e *E2, h *e2History) {
	if e.Batteries == nil {
		return
	}
	var in []InputRef
	for _, cat := range sortedKeys(e.Batteries.ByCategory) {
		for _, s := range ledger.Streams {
			for _, fl := range []string{"recycled", "collected"} {
				_, refs := h.flowRefs(cat, s, h.period, fl)
				in = append(in, refs...)
			}
		}
	}
	tr.Derive(Derivation{Metric: "e2.batteries.batteries_sent_to_recycling_pct",
		Formula: "recycled kg / collected kg x 100 over battery rows; no target: batteries are outside the WEEE targets (methodology 2026.1 W5)",
		Inputs:  nonNil(in), Factors: []FactorRef{}, Value: e.Batteries.SentToRecyclingPct})
	for _, cat := range sortedKeys(e.Batteries.ByCategory) {
		b := e.Batteries.ByCategory[cat]
		var refs []InputRef
		for i, row := range h.returns[h.period].ret.Devices {
			if row.Category == cat && row.RecyclerEfficiencyPct != nil {
				refs = append(refs, InputRef{Path: "devices[" + strconv.Itoa(i) + "].recycler_efficiency_pct", Value: row.RecyclerEfficiencyPct.String(), Unit: "%"},
					InputRef{Path: "devices[" + strconv.Itoa(i) + "].recycled.kg", Value: ledger.FlowKg(row.Recycled).String(), Unit: "kg"})
			}
		}
		d := Derivation{Metric: "e2.batteries.by_category." + cat + ".recycler_efficiency_pct",
			Formula: "recycled-kg-weighted mean of the rows' recycler_efficiency_pct (the recycler's output over its process input, Regulation (EU) 2023/1542 " +
				"Annex XII Part A), judged against Part B: lead-acid 75 %, lithium-based 65 % from 31 December 2025; 80 % and 70 % from 31 December 2030",
			Inputs: nonNil(refs), Factors: []FactorRef{}, Value: b.RecyclerEfficiencyPct}
		if b.TargetPct.OK {
			d.Notes = append(d.Notes, "target in force: "+b.TargetPct.D.String()+" % (from 31 December "+strconv.Itoa(b.TargetYear)+")")
		}
		tr.Derive(d)
	}
}
