package calculators

// A sector ratio over a stock (backup coverage, autonomy bands, hazard
// counts, early-warning coverage, availability) divides one sum by
// another. Both sums run over the same operators: those that filed both
// terms (methodology, roll-ups R2). Adding the numerator over the
// operators that filed it and the denominator over all of them made an
// operator that gave no backup figure count as one with no backup: A
// (1,000 sites, no figure) and B (1,000 sites, 900 with backup) gave
// 45 % where B alone has 90 %.

// e3StockRatio is one E3 ratio over a stock.
type e3StockRatio struct {
	metric string // the metric key, e.g. "e3.backup_power_coverage_pct"
	terms  string // what an operator must file to count, for the reason of a null
	filed  func(p *E3Parts) bool
	value  func(e *E3) *Value
}

// e3StockRatios lists the E3 ratios over a stock.
func e3StockRatios() []e3StockRatio {
	backup := func(p *E3Parts) bool { return p.SitesWithBackup != nil && p.SitesTotal != nil }
	bands := func(p *E3Parts) bool { return p.BackupAutonomy != nil && p.SitesTotal != nil }
	const bandTerms = "backup_autonomy and sites_total"
	return []e3StockRatio{
		{"e3.backup_power_coverage_pct", "sites_with_backup and sites_total", backup,
			func(e *E3) *Value { return &e.BackupPowerCoveragePct }},
		{"e3.backup_ge_4h_pct", bandTerms, bands, func(e *E3) *Value { return &e.BackupGE4hPct }},
		{"e3.backup_ge_8h_pct", bandTerms, bands, func(e *E3) *Value { return &e.BackupGE8hPct }},
		{"e3.backup_ge_24h_pct", bandTerms, bands, func(e *E3) *Value { return &e.BackupGE24hPct }},
		{"e3.backup_ge_72h_pct", bandTerms, bands, func(e *E3) *Value { return &e.BackupGE72hPct }},
		{"e3.hazard_assessed_pct", "sites_hazard_assessed and sites_total",
			func(p *E3Parts) bool { return p.SitesHazardAssessed != nil && p.SitesTotal != nil },
			func(e *E3) *Value { return &e.HazardAssessedPct }},
		{"e3.high_hazard_hardened_pct", "sites_high_hazard_hardened and sites_high_hazard",
			func(p *E3Parts) bool { return p.SitesHighHazardHardened != nil && p.SitesHighHazard != nil },
			func(e *E3) *Value { return &e.HighHazardHardenedPct }},
		{"e3.early_warning_coverage_pct", "early_warning.population_covered and population_served",
			func(p *E3Parts) bool { return p.PopulationCovered != nil && p.PopulationServed != nil },
			func(e *E3) *Value { return &e.EarlyWarningCoveragePct }},
		// Site-hours lost are a flow every return gives, but the site-hours
		// they are a share of come from sites_total.
		{"e3.climate_availability_pct", "sites_total",
			func(p *E3Parts) bool { return p.SiteHours != nil },
			func(e *E3) *Value { return &e.ClimateAvailabilityPct }},
	}
}

// sumOperatorsE3 adds the E3 results of operators of one span (names[i]
// is the operator of parts[i]): counts, flows and their parts add up as
// sumE3 adds them, and each ratio over a stock is recomputed over the
// operators that filed both its terms. leftOut names, per ratio, the
// operators that did not; it has no key for a ratio every operator
// counts in. Nil parts are skipped; nil when there are none. The reasons
// for nulls go to tr (which may be nil).
func sumOperatorsE3(names []string, parts []*E3, tr *Trace) (e *E3, leftOut map[string][]string) {
	var ps []*E3
	var ns []string
	for i, p := range parts {
		if p != nil {
			ps, ns = append(ps, p), append(ns, names[i])
		}
	}
	if len(ps) == 0 {
		return nil, nil
	}
	all := &Trace{}
	e = sumE3(AcrossOperators, ps, all)
	ratios := e3StockRatios()
	isRatio := map[string]bool{}
	for _, r := range ratios {
		isRatio[r.metric] = true
	}
	for _, u := range all.Unavailable {
		if !isRatio[u.Metric] {
			missing(tr, u.Metric, u.Reason)
		}
	}
	leftOut = map[string][]string{}
	for _, r := range ratios {
		var in []*E3
		for i, p := range ps {
			if r.filed(&p.Parts) {
				in = append(in, p)
			} else {
				leftOut[r.metric] = append(leftOut[r.metric], ns[i])
			}
		}
		if len(in) == 0 {
			*r.value(e) = None
			missing(tr, r.metric, "no operator filed "+r.terms)
			continue
		}
		own := &Trace{}
		*r.value(e) = *r.value(sumE3(AcrossOperators, in, own))
		for _, u := range own.Unavailable {
			if u.Metric == r.metric {
				missing(tr, u.Metric, u.Reason)
			}
		}
	}
	return e, leftOut
}
