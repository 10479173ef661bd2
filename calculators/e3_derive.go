package calculators

import (
	"strconv"

	"github.com/ictledger/ictledger/ledger"
)

// deriveE3 records a derivation for each E3 percentage and the mean
// restoration time.
func deriveE3(tr *Trace, e *E3, r *ledger.Return, in e3Inputs) {
	p := e.Parts
	rows := in.rows > 0
	count := func(v *int64) string {
		if v == nil {
			return "not given"
		}
		return strconv.FormatInt(*v, 10)
	}
	// ref names a stock: a filed field, or a count over the site rows.
	ref := func(field, rowRule string, v *int64) InputRef {
		if rows {
			return InputRef{Path: "sites[" + strconv.Itoa(in.rows) + " rows]: " + rowRule, Value: count(v), Unit: "sites"}
		}
		return InputRef{Path: field, Value: count(v), Unit: "sites"}
	}
	total := ref("activity.sites_total", "number of rows", p.SitesTotal)
	var notes []string
	if rows {
		notes = []string{"site counts derived from the site rows (quarterly-return.md, sites[])"}
	}
	add := func(metric, formula string, v Value, inputs ...InputRef) {
		tr.Derive(Derivation{Metric: "e3." + metric, Formula: formula, Inputs: inputs, Factors: []FactorRef{}, Notes: notes, Value: v})
	}
	add("backup_power_coverage_pct", "sites_with_backup / sites_total x 100", e.BackupPowerCoveragePct,
		ref("resilience.sites_with_backup", "backup_hours > 0", p.SitesWithBackup), total)

	band := func(field, rule string, get func(b *ledger.BackupAutonomy) int64) InputRef {
		var v *int64
		if p.BackupAutonomy != nil {
			n := get(p.BackupAutonomy)
			v = &n
		}
		return ref("resilience.backup_autonomy."+field, rule, v)
	}
	h4 := band("h4_to_8", "4 <= backup_hours < 8", func(b *ledger.BackupAutonomy) int64 { return b.H4to8 })
	h8 := band("h8_to_24", "8 <= backup_hours < 24", func(b *ledger.BackupAutonomy) int64 { return b.H8to24 })
	h24 := band("h24_to_72", "24 <= backup_hours < 72", func(b *ledger.BackupAutonomy) int64 { return b.H24to72 })
	h72 := band("ge_72h", "backup_hours >= 72", func(b *ledger.BackupAutonomy) int64 { return b.GE72h })
	add("backup_ge_4h_pct", "(h4_to_8 + h8_to_24 + h24_to_72 + ge_72h) / sites_total x 100", e.BackupGE4hPct, h4, h8, h24, h72, total)
	add("backup_ge_8h_pct", "(h8_to_24 + h24_to_72 + ge_72h) / sites_total x 100", e.BackupGE8hPct, h8, h24, h72, total)
	add("backup_ge_24h_pct", "(h24_to_72 + ge_72h) / sites_total x 100", e.BackupGE24hPct, h24, h72, total)
	add("backup_ge_72h_pct", "ge_72h / sites_total x 100", e.BackupGE72hPct, h72, total)
	add("hazard_assessed_pct", "sites_hazard_assessed / sites_total x 100", e.HazardAssessedPct,
		ref("resilience.sites_hazard_assessed", "hazard_assessed", p.SitesHazardAssessed), total)
	add("high_hazard_hardened_pct", "sites_high_hazard_hardened / sites_high_hazard x 100", e.HighHazardHardenedPct,
		ref("resilience.sites_high_hazard_hardened", "hazard_level = high and hardened", p.SitesHighHazardHardened),
		ref("resilience.sites_high_hazard", "hazard_level = high", p.SitesHighHazard))

	var lost, restore []InputRef
	for i, o := range r.Resilience.Outages {
		if in.climateOnly && o.HazardClass() != ledger.HazardClimate {
			continue
		}
		lost = append(lost, InputRef{Path: "resilience.outages[" + strconv.Itoa(i) + "].site_hours_lost", Value: o.SiteHoursLost.String(), Unit: "site-hours"})
		restore = append(restore, InputRef{Path: "resilience.outages[" + strconv.Itoa(i) + "].hours_to_restore", Value: o.HoursToRestore.String(), Unit: "h"})
	}
	hours := InputRef{Path: "hours in " + r.Period.String(), Value: strconv.FormatInt(p.Hours, 10), Unit: "h"}
	if in.climateOnly {
		deriveE3V2026(tr, e, r, notes, nonNil(restore), append(nonNil(lost), total, hours))
	} else {
		add("mean_hours_to_restore", "sum of hours_to_restore / number of outages", e.MeanHoursToRestore, nonNil(restore)...)
		add("climate_availability_pct", "(1 - sum of site_hours_lost / (sites_total x 24 x days in the quarter)) x 100",
			e.ClimateAvailabilityPct, append(nonNil(lost), total, hours)...)
	}

	var cov, srv *int64
	if r.Resilience.EarlyWarning != nil {
		cov, srv = p.PopulationCovered, p.PopulationServed
	}
	tr.Derive(Derivation{Metric: "e3.early_warning_coverage_pct", Formula: "population_covered / population_served x 100",
		Inputs: []InputRef{
			{Path: "resilience.early_warning.population_covered", Value: count(cov), Unit: "people"},
			{Path: "resilience.early_warning.population_served", Value: count(srv), Unit: "people"},
		}, Factors: []FactorRef{}, Value: e.EarlyWarningCoveragePct})
}
