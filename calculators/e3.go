package calculators

import (
	"errors"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// E3 holds the climate-resilience metrics (docs/spec/metrics.md, E3) of one quarter
// or of a roll-up, computed from Parts.
type E3 struct {
	BackupPowerCoveragePct  Value `json:"backup_power_coverage_pct"`
	BackupGE4hPct           Value `json:"backup_ge_4h_pct"`
	BackupGE8hPct           Value `json:"backup_ge_8h_pct"`
	BackupGE24hPct          Value `json:"backup_ge_24h_pct"`
	BackupGE72hPct          Value `json:"backup_ge_72h_pct"`
	HazardAssessedPct       Value `json:"hazard_assessed_pct"`
	HighHazardHardenedPct   Value `json:"high_hazard_hardened_pct"`
	OffgridRenewableSites   Value `json:"offgrid_renewable_sites"`
	ClimateOutageEvents     Value `json:"climate_outage_events"`
	ClimateOutageSiteHours  Value `json:"climate_outage_site_hours"`
	MeanHoursToRestore      Value `json:"mean_hours_to_restore"`
	ClimateAvailabilityPct  Value `json:"climate_availability_pct"`
	EarlyWarningCoveragePct Value `json:"early_warning_coverage_pct"`
	AlertsDisseminated      Value `json:"alerts_disseminated"`
	// E3V2026 holds the keys methodology 2026.1 adds (R0, R4); absent
	// under 2025.1, whose answer is unchanged.
	E3V2026
	Parts E3Parts `json:"parts"`
}

// E3Parts are what the E3 values are computed from. Stocks are counts at
// the end of the (last) quarter; nil means not given. Flows add up over
// quarters.
type E3Parts struct {
	SitesTotal              *int64                 `json:"sites_total"`
	SitesWithBackup         *int64                 `json:"sites_with_backup"`
	BackupAutonomy          *ledger.BackupAutonomy `json:"backup_autonomy"`
	SitesHazardAssessed     *int64                 `json:"sites_hazard_assessed"`
	SitesHighHazard         *int64                 `json:"sites_high_hazard"`
	SitesHighHazardHardened *int64                 `json:"sites_high_hazard_hardened"`
	OffgridRenewableSites   *int64                 `json:"offgrid_renewable_sites"` // site-level returns only
	PopulationCovered       *int64                 `json:"population_covered"`
	PopulationServed        *int64                 `json:"population_served"`

	OutageEvents       int64           `json:"outage_events"`
	SiteHoursLost      decimal.Decimal `json:"site_hours_lost"`
	HoursToRestoreSum  decimal.Decimal `json:"hours_to_restore_sum"`
	AlertsDisseminated *int64          `json:"alerts_disseminated"`
	// SiteHours is sites_total x hours of the quarter, summed over the
	// quarters (and operators) of a roll-up: the availability denominator.
	SiteHours *decimal.Decimal `json:"site_hours"`
	// Hours is the length of the period in hours (one operator's).
	Hours int64 `json:"hours"`
	// AllHazard is the outages of every hazard, and Recovery the recovery
	// capacity (methodology 2026.1 R0, R4). Both are nil under 2025.1,
	// whose outage parts above count every outage; under 2026.1 those
	// count climate-related outages only.
	AllHazard *OutageParts   `json:"all_hazard,omitempty"`
	Recovery  *RecoveryParts `json:"recovery,omitempty"`
}

// ComputeE3 computes the climate-resilience metrics of req.Return. With
// site rows the site counts come from the rows, counted in one pass.
func ComputeE3(req Request) (*E3, *Trace, error) {
	r := req.Return
	if r == nil {
		return nil, nil, errors.New("e3: no return")
	}
	p, in := e3Parts(r, req.since(ledger.Methodology20261))
	tr := &Trace{}
	if in.climateOnly {
		flagLandslideTriggers(tr, r)
	}
	e := finishE3(p, tr)
	if !req.FiguresOnly {
		deriveE3(tr, e, r, in)
	}
	return e, tr, nil
}

// e3Inputs names where each stock came from, for derivations.
type e3Inputs struct {
	rows int // number of site rows; 0 for a return without them
	// climateOnly is set under methodology 2026.1: the climate figures
	// leave out geophysical and other outages (R0).
	climateOnly bool
}

// bandEdges are the autonomy band edges 4, 8, 24 and 72 hours.
var bandEdges = [4]int64{4, 8, 24, 72}

// siteCounts are the stocks derived from site rows.
type siteCounts struct {
	total, backup, assessed, high, hardened, offgrid int64
	bands                                            ledger.BackupAutonomy
}

// edgeTable holds the band edges written at each exponent a row's
// backup_hours may have (0 to -17 places), so that comparing a row with an
// edge compares two integers of the same scale and allocates nothing.
type edgeTable [18]*[4]decimal.Decimal

func (t *edgeTable) edges(exp int32) [4]decimal.Decimal {
	if exp > 0 || exp < -17 {
		var out [4]decimal.Decimal
		for i, e := range bandEdges {
			out[i] = decimal.NewFromInt(e)
		}
		return out
	}
	if t[-exp] == nil {
		var out [4]decimal.Decimal
		scale := int64(1)
		for i := int32(0); i < -exp; i++ {
			scale *= 10
		}
		for i, e := range bandEdges {
			out[i] = decimal.New(e*scale, exp)
		}
		t[-exp] = &out
	}
	return *t[-exp]
}

// band is 0 for < 4 h, 1 for 4 to < 8, 2 for 8 to < 24, 3 for 24 to < 72
// and 4 for >= 72.
func (t *edgeTable) band(h decimal.Decimal) int {
	edges := t.edges(h.Exponent())
	for i := range edges {
		if h.Cmp(edges[i]) < 0 {
			return i
		}
	}
	return len(edges)
}

// countSites aggregates site rows in one pass: counters only, no
// allocation per row.
func countSites(sites []ledger.Site) siteCounts {
	var c siteCounts
	var edges edgeTable
	c.total = int64(len(sites))
	for i := range sites {
		s := &sites[i]
		if h := s.BackupHours; h.Sign() > 0 {
			c.backup++
			switch edges.band(h) {
			case 0:
				c.bands.LT4h++
			case 1:
				c.bands.H4to8++
			case 2:
				c.bands.H8to24++
			case 3:
				c.bands.H24to72++
			default:
				c.bands.GE72h++
			}
		}
		if s.HazardAssessed {
			c.assessed++
		}
		if s.HazardLevel == "high" {
			c.high++
			if s.Hardened {
				c.hardened++
			}
		}
		if s.Offgrid && (s.SolarKWh.Sign() > 0 || s.WindKWh.Sign() > 0) {
			c.offgrid++
		}
	}
	return c
}

// e3Parts reads one return; v2026 computes under methodology 2026.1.
func e3Parts(r *ledger.Return, v2026 bool) (E3Parts, e3Inputs) {
	var p E3Parts
	res := r.Resilience
	in := e3Inputs{rows: len(r.Sites), climateOnly: v2026}
	if len(r.Sites) > 0 {
		c := countSites(r.Sites)
		p.SitesTotal = &c.total
		p.SitesWithBackup = &c.backup
		p.BackupAutonomy = &c.bands
		p.SitesHazardAssessed = &c.assessed
		p.SitesHighHazard = &c.high
		p.SitesHighHazardHardened = &c.hardened
		p.OffgridRenewableSites = &c.offgrid
	} else {
		p.SitesTotal = r.Activity.SitesTotal
		p.SitesWithBackup = res.SitesWithBackup
		if res.BackupAutonomy != nil {
			b := *res.BackupAutonomy
			p.BackupAutonomy = &b
			if p.SitesWithBackup == nil {
				t := b.Total()
				p.SitesWithBackup = &t
			}
		}
		p.SitesHazardAssessed = res.SitesHazardAssessed
		p.SitesHighHazard = res.SitesHighHazard
		p.SitesHighHazardHardened = res.SitesHighHazardHardened
	}
	if v2026 {
		p.AllHazard = allHazardParts(res.Outages)
		p.Recovery = recoveryParts(res)
	}
	for _, o := range res.Outages {
		if v2026 && o.HazardClass() != ledger.HazardClimate {
			continue
		}
		p.OutageEvents++
		p.SiteHoursLost = p.SiteHoursLost.Add(o.SiteHoursLost)
		p.HoursToRestoreSum = p.HoursToRestoreSum.Add(o.HoursToRestore)
	}
	if ew := res.EarlyWarning; ew != nil {
		p.AlertsDisseminated = ptrTo(ew.AlertsDisseminated)
		p.PopulationCovered = ptrTo(ew.PopulationCovered)
		p.PopulationServed = ptrTo(ew.PopulationServed)
	}
	p.Hours = int64(r.Period.Hours())
	if p.SitesTotal != nil {
		sh := decimal.NewFromInt(*p.SitesTotal).Mul(decimal.NewFromInt(p.Hours))
		p.SiteHours = &sh
	}
	return p, in
}

func ptrTo[T any](v T) *T { return &v }

// finishE3 computes the values from the parts; tr gets the reasons for
// nulls (it may be nil).
func finishE3(p E3Parts, tr *Trace) *E3 {
	e := &E3{Parts: p}
	const noSites = "sites_total is not given or zero"
	total := decimal.Zero
	if p.SitesTotal != nil {
		total = decimal.NewFromInt(*p.SitesTotal)
	}
	ratio := func(metric string, num *int64, numName string, den decimal.Decimal, denReason string) Value {
		if num == nil {
			missing(tr, "e3."+metric, numName+" is not given")
			return None
		}
		return pct(decimal.NewFromInt(*num), den, tr, "e3."+metric, denReason)
	}
	e.BackupPowerCoveragePct = ratio("backup_power_coverage_pct", p.SitesWithBackup, "sites_with_backup", total, noSites)
	if b := p.BackupAutonomy; b != nil {
		ge4 := b.H4to8 + b.H8to24 + b.H24to72 + b.GE72h
		ge8 := b.H8to24 + b.H24to72 + b.GE72h
		ge24 := b.H24to72 + b.GE72h
		e.BackupGE4hPct = ratio("backup_ge_4h_pct", &ge4, "", total, noSites)
		e.BackupGE8hPct = ratio("backup_ge_8h_pct", &ge8, "", total, noSites)
		e.BackupGE24hPct = ratio("backup_ge_24h_pct", &ge24, "", total, noSites)
		e.BackupGE72hPct = ratio("backup_ge_72h_pct", &b.GE72h, "", total, noSites)
	} else {
		for _, m := range []string{"backup_ge_4h_pct", "backup_ge_8h_pct", "backup_ge_24h_pct", "backup_ge_72h_pct"} {
			missing(tr, "e3."+m, "backup_autonomy is not given")
		}
	}
	e.HazardAssessedPct = ratio("hazard_assessed_pct", p.SitesHazardAssessed, "sites_hazard_assessed", total, noSites)
	high := decimal.Zero
	if p.SitesHighHazard != nil {
		high = decimal.NewFromInt(*p.SitesHighHazard)
	}
	e.HighHazardHardenedPct = ratio("high_hazard_hardened_pct", p.SitesHighHazardHardened, "sites_high_hazard_hardened", high,
		"no high-hazard sites (sites_high_hazard is zero or not given)")
	if p.OffgridRenewableSites != nil {
		e.OffgridRenewableSites = Some(decimal.NewFromInt(*p.OffgridRenewableSites))
	} else {
		missing(tr, "e3.offgrid_renewable_sites", "counted from site rows only; this return has none")
	}
	e.ClimateOutageEvents = Some(decimal.NewFromInt(p.OutageEvents))
	e.ClimateOutageSiteHours = Some(p.SiteHoursLost)
	if p.OutageEvents > 0 {
		e.MeanHoursToRestore = Some(Div(p.HoursToRestoreSum, decimal.NewFromInt(p.OutageEvents)))
	} else {
		missing(tr, "e3.mean_hours_to_restore", "no climate outages in the period")
	}
	if p.SiteHours != nil && p.SiteHours.Sign() > 0 {
		e.ClimateAvailabilityPct = Some(decHundred.Sub(Div(p.SiteHoursLost.Mul(decHundred), *p.SiteHours)))
	} else {
		missing(tr, "e3.climate_availability_pct", noSites)
	}
	served := decimal.Zero
	if p.PopulationServed != nil {
		served = decimal.NewFromInt(*p.PopulationServed)
	}
	e.EarlyWarningCoveragePct = ratio("early_warning_coverage_pct", p.PopulationCovered, "early_warning.population_covered", served,
		"early_warning.population_served is zero or not given")
	if p.AlertsDisseminated != nil {
		e.AlertsDisseminated = Some(decimal.NewFromInt(*p.AlertsDisseminated))
	} else {
		missing(tr, "e3.alerts_disseminated", "early_warning is not given")
	}
	finishE3V2026(e, p, tr)
	return e
}
