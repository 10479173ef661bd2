package filing

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

func (v *validator) resilience() {
	res := v.r.Resilience
	total, haveTotal := v.sitesTotal()
	counts := []struct {
		name string
		n    *int64
	}{
		{"sites_with_backup", res.SitesWithBackup},
		{"sites_hazard_assessed", res.SitesHazardAssessed},
		{"sites_high_hazard", res.SitesHighHazard},
		{"sites_high_hazard_hardened", res.SitesHighHazardHardened},
	}
	if len(v.r.Sites) > 0 {
		// The site counts are derived from the rows.
		for _, c := range counts {
			if c.n != nil {
				v.add("resilience."+c.name, "must not be sent with site rows: it is derived from sites")
			}
		}
		if res.BackupAutonomy != nil {
			v.add("resilience.backup_autonomy", "must not be sent with site rows: it is derived from sites")
		}
	} else {
		for _, c := range counts {
			if c.n != nil && c.name != "sites_high_hazard_hardened" && haveTotal && *c.n > total {
				v.add("resilience."+c.name, "must be <= sites_total (%d); got %d", total, *c.n)
			}
		}
		v.autonomy(res)
		if h := res.SitesHighHazardHardened; h != nil {
			switch {
			case res.SitesHighHazard == nil:
				v.add("resilience.sites_high_hazard", "is required with sites_high_hazard_hardened")
			case *h > *res.SitesHighHazard:
				v.add("resilience.sites_high_hazard_hardened", "must be <= sites_high_hazard (%d); got %d", *res.SitesHighHazard, *h)
			}
		}
	}
	for i, o := range res.Outages {
		v.outage(i, o, total, haveTotal)
	}
	if w := res.EarlyWarning; w != nil {
		if w.PopulationCovered > w.PopulationServed {
			v.add("resilience.early_warning.population_covered", "must be <= population_served (%d); got %d", w.PopulationServed, w.PopulationCovered)
		}
	}
}

// autonomy checks the backup bands: given together with sites_with_backup,
// each >= 0, adding up to it.
func (v *validator) autonomy(res ledger.Resilience) {
	b := res.BackupAutonomy
	switch {
	case b == nil && res.SitesWithBackup == nil:
		return
	case b == nil:
		v.add("resilience.backup_autonomy", "is required with sites_with_backup")
		return
	case res.SitesWithBackup == nil:
		v.add("resilience.sites_with_backup", "is required with backup_autonomy")
		return
	}
	bands := []struct {
		name string
		n    int64
	}{{"lt_4h", b.LT4h}, {"h4_to_8", b.H4to8}, {"h8_to_24", b.H8to24}, {"h24_to_72", b.H24to72}, {"ge_72h", b.GE72h}}
	neg := false // reported as a field of its own; no total then
	for _, band := range bands {
		neg = neg || band.n < 0
	}
	if !neg && b.Total() != *res.SitesWithBackup {
		v.add("resilience.backup_autonomy", "the bands add up to %d, not sites_with_backup (%d)", b.Total(), *res.SitesWithBackup)
	}
}

func (v *validator) outage(i int, o ledger.Outage, total int64, haveTotal bool) {
	const s = "resilience.outages"
	if p := v.r.Period; !p.IsZero() && (o.Started.Before(p.Start()) || !o.Started.Before(p.End())) {
		v.add(at(s, i, "started"), "must be inside %s, from %s to before %s; got %s",
			p, p.Start().Format(time.RFC3339), p.End().Format(time.RFC3339), o.Started.Format(time.RFC3339))
	}
	if haveTotal && o.SitesAffected > total {
		v.add(at(s, i, "sites_affected"), "must be <= sites_total (%d); got %d", total, o.SitesAffected)
	}
	if o.Trigger != "" {
		if o.Hazard != "landslide" {
			v.add(at(s, i, "trigger"), "is only for hazard landslide; got it with hazard %q", o.Hazard)
		}
	}
	v.outageBound(i, o)
}

// outageBound holds an outage's site_hours_lost to what its sites could
// lose before the quarter ends (methodology 2026.1 R3, applied to every
// new filing: it is a filing rule, and entries already in the ledger are
// not re-checked). The quarter's end is midnight in the UTC offset written
// in started, so an outage filed at 2026-03-31T20:00+08:00 on 10 sites
// may lose at most 10 x 4 = 40 site-hours. The comparison is exact:
// lost x 3600 s <= sites x seconds left.
func (v *validator) outageBound(i int, o ledger.Outage) {
	p := v.r.Period
	if p.IsZero() || o.Started.Before(p.Start()) || !o.Started.Before(p.End()) || o.SitesAffected < 0 || o.SiteHoursLost.Sign() <= 0 {
		return // started outside the quarter is reported on started
	}
	end := p.End()
	end = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, o.Started.Location())
	left := max(end.Sub(o.Started), 0)
	secs := decimal.New(int64(left), -9) // exact: a Duration counts nanoseconds
	sites := decimal.NewFromInt(o.SitesAffected)
	if o.SiteHoursLost.Mul(decimal.NewFromInt(3600)).Cmp(sites.Mul(secs)) <= 0 {
		return
	}
	hours := secs.DivRound(decimal.NewFromInt(3600), 6)
	v.add(at("resilience.outages", i, "site_hours_lost"),
		"must be <= sites_affected x hours from started to the end of %s in started's UTC offset (%s): %d x %s = %s site-hours; got %s",
		p, end.Format(time.RFC3339), o.SitesAffected, hours, sites.Mul(hours), o.SiteHoursLost)
}
