package disclosure

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

var weeeNames = map[int]string{
	2: "2 screens and monitors",
	4: "4 large equipment",
	5: "5 small equipment",
	6: "6 small IT and telecom",
}

func kg(d decimal.Decimal) calculators.Value { return calculators.Some(d) }

func e2View(e *calculators.E2) templates.E2 {
	v := templates.E2{}
	if e == nil {
		return v
	}
	keys := make([]string, 0, len(e.Cells))
	for k := range e.Cells {
		keys = append(keys, k)
	}
	order := func(cat string) int {
		for i, c := range ledger.DeviceCategories {
			if c == cat {
				return i
			}
		}
		return len(ledger.DeviceCategories)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := e.Cells[keys[i]], e.Cells[keys[j]]
		if order(a.Category) != order(b.Category) {
			return order(a.Category) < order(b.Category)
		}
		return a.Stream < b.Stream
	})
	for _, k := range keys {
		c := e.Cells[k]
		p := c.Parts
		gap := p.CollectedKg.Sub(p.ReusedKg).Sub(p.RecycledKg).Sub(p.RecoveredKg).Sub(p.DisposedKg).Sub(p.StockChangeKg)
		v.Flows = append(v.Flows, templates.Flow{Category: label(c.Category), Stream: c.Stream, Inflow: kg(p.InflowKg),
			Collected: kg(p.CollectedKg), Reused: kg(p.ReusedKg), Recycled: kg(p.RecycledKg), Recovered: kg(p.RecoveredKg),
			Disposed: kg(p.DisposedKg), Gap: kg(gap)})
	}
	t := e.Total
	v.Total = templates.Flow{Category: "All categories", Inflow: t.InflowKg, Collected: t.CollectedKg, Reused: t.ReusedKg,
		Recycled: t.RecycledKg, Recovered: t.RecoveredKg, Disposed: t.DisposedKg, Gap: t.MassBalanceGapKg}
	rates := func(name string, r calculators.E2Values) templates.Rates {
		return templates.Rates{Stream: name, Reuse: r.ReuseRatePct, Recycling: r.RecyclingRatePct, Recovery: r.RecoveryRatePct,
			ReuseAndRecycling: r.ReuseAndRecyclingRatePct, Disposal: r.DisposalRatePct}
	}
	for _, s := range ledger.Streams {
		if r, ok := e.ByStream[s]; ok {
			v.Rates = append(v.Rates, rates(s, r))
		}
	}
	v.Rates = append(v.Rates, rates("total", e.Total))
	v.CollectionPOM, v.CollectionPOMPartial = e.Total.CollectionRatePOMPct, e.Total.CollectionRatePOMPartial
	v.CollectionGenerated, v.GeneratedTotal, v.MCITotal = e.Total.CollectionRateGeneratedPct, e.Total.EwasteGeneratedKg, e.Total.MCI
	for _, cat := range ledger.DeviceCategories {
		c, ok := e.ByCategory[cat]
		if !ok {
			continue
		}
		if w := c.WEEETargets; w != nil {
			name := weeeNames[w.WEEECategory]
			if name == "" {
				name = fmt.Sprint(w.WEEECategory)
			}
			v.Targets = append(v.Targets, templates.Target{Category: label(cat), WEEECategory: name,
				Recovery: w.RecoveryRatePct, RecoveryTarget: w.RecoveryTargetPct.D, RecoveryMet: w.RecoveryMet != nil && *w.RecoveryMet,
				ReuseRecycling: w.ReuseAndRecyclingRatePct, ReuseRecyclingTarget: w.ReuseAndRecyclingTargetPct.D,
				ReuseRecyclingMet: w.ReuseAndRecyclingMet != nil && *w.ReuseAndRecyclingMet,
				NotJudged:         w.RecoveryMet == nil && w.ReuseAndRecyclingMet == nil})
		}
		v.Generated = append(v.Generated, templates.Amount{Label: label(cat), Value: c.EwasteGeneratedKg})
		v.Circularity = append(v.Circularity, templates.Circularity{Category: label(cat), CircularInPct: c.CircularInflowPct,
			MCI: c.MCI, Basis: c.MCIBasis})
	}
	return v
}

func count(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func e3View(in *inputs, operator string, roll *calculators.Rollup, quarters []*calculators.Metrics) templates.E3 {
	e := roll.E3
	v := templates.E3{}
	if e == nil {
		return v
	}
	p := e.Parts
	v.SitesTotal, v.SitesWithBackup = count(p.SitesTotal), count(p.SitesWithBackup)
	v.BackupCoverage = e.BackupPowerCoveragePct
	if b := p.BackupAutonomy; b != nil {
		v.BackupBands = []templates.Band{
			{Label: "≥ 4 h", Sites: b.H4to8 + b.H8to24 + b.H24to72 + b.GE72h, Pct: e.BackupGE4hPct},
			{Label: "≥ 8 h", Sites: b.H8to24 + b.H24to72 + b.GE72h, Pct: e.BackupGE8hPct},
			{Label: "≥ 24 h", Sites: b.H24to72 + b.GE72h, Pct: e.BackupGE24hPct},
			{Label: "≥ 72 h", Sites: b.GE72h, Pct: e.BackupGE72hPct},
		}
	}
	v.HazardAssessed, v.SitesAssessed = e.HazardAssessedPct, count(p.SitesHazardAssessed)
	v.SitesHighHazard, v.SitesHardened, v.HighHazardHardened = count(p.SitesHighHazard), count(p.SitesHighHazardHardened), e.HighHazardHardenedPct
	v.OffgridRenewable = e.OffgridRenewableSites
	v.OutageEvents, v.OutageSiteHours, v.MeanHoursRestore, v.Availability = e.ClimateOutageEvents, e.ClimateOutageSiteHours, e.MeanHoursToRestore, e.ClimateAvailabilityPct
	v.AlertsSent, v.PopulationCovered, v.PopulationServed, v.EarlyWarning = count(p.AlertsDisseminated), count(p.PopulationCovered), count(p.PopulationServed), e.EarlyWarningCoveragePct
	for _, m := range quarters {
		q, _ := ledger.ParsePeriod(m.Period)
		for _, o := range in.returns[operator][q].Return.Resilience.Outages {
			v.Outages = append(v.Outages, templates.Outage{Hazard: label(o.Hazard), Started: o.Started, SitesAffected: o.SitesAffected,
				SiteHoursLost: o.SiteHoursLost, HoursToRestore: o.HoursToRestore})
		}
	}
	return v
}

// method lists the factors and formulas the metrics used, the warnings
// raised at filing and the findings of the reviews. With apart (for
// disclosure_v4) a comment recorded with an acceptance is the
// regulator's acceptance note, not a finding; earlier layouts list it
// among the findings, as they were issued.
func method(in *inputs, quarters []*calculators.Metrics, apart bool) templates.Method {
	var m templates.Method
	seenF, seenM := map[string]bool{}, map[string]bool{}
	for _, q := range quarters {
		for _, d := range q.Derivations {
			if !seenM[d.Metric] && d.Formula != "" {
				seenM[d.Metric] = true
				m.Formulas = append(m.Formulas, templates.Formula{Metric: d.Metric, Text: d.Formula})
			}
			for _, f := range d.Factors {
				if seenF[f.Key] {
					continue
				}
				seenF[f.Key] = true
				val, err := decimal.NewFromString(f.Value)
				if err != nil {
					continue // not a number (a label); the formula names it
				}
				m.Factors = append(m.Factors, templates.Factor{Key: f.Key, Value: val, Unit: f.Unit, Source: f.Source})
			}
		}
		for _, w := range q.Warnings {
			m.Warnings = append(m.Warnings, templates.Note{Ref: q.Period + " " + w.Path, Text: w.Message})
		}
		for _, r := range in.reviews[q.Return] {
			switch {
			case r.Comment == "":
			case apart && r.Decision == ledger.DecisionAccept:
				m.Acceptance = append(m.Acceptance, templates.Note{Ref: q.Period + " (" + q.Return + ")", Text: r.Comment})
			default:
				m.Findings = append(m.Findings, templates.Note{Ref: q.Period + " review (" + string(r.Decision) + ")", Text: r.Comment})
			}
			for _, f := range r.Findings {
				m.Findings = append(m.Findings, templates.Note{Ref: q.Period + " " + f.Path, Text: f.Message})
			}
		}
	}
	sort.Slice(m.Factors, func(i, j int) bool { return m.Factors[i].Key < m.Factors[j].Key })
	sort.Slice(m.Formulas, func(i, j int) bool { return m.Formulas[i].Metric < m.Formulas[j].Metric })
	return m
}
