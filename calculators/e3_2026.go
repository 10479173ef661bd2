package calculators

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// E3V2026 holds the E3 keys of methodology 2026.1. Each is nil (and
// absent from the JSON) under 2025.1; under 2026.1 each is present, null
// with a reason in unavailable when it cannot be computed.
type E3V2026 struct {
	// The all-hazard twins of the climate outage figures (R0): every
	// outage, climate-related, geophysical or other.
	AllHazardOutageEvents       *Value `json:"all_hazard_outage_events,omitempty"`
	AllHazardOutageSiteHours    *Value `json:"all_hazard_outage_site_hours,omitempty"`
	AllHazardMeanHoursToRestore *Value `json:"all_hazard_mean_hours_to_restore,omitempty"`
	AllHazardAvailabilityPct    *Value `json:"all_hazard_availability_pct,omitempty"`
	// Recovery capacity as filed (R4): units ready to deploy at the end of
	// the period, in total and by kind, events with free emergency
	// service, and resilience capital expenditure in million USD.
	DeployableUnits              *Value `json:"deployable_units,omitempty"`
	DeployableCellsOnWheels      *Value `json:"deployable_cells_on_wheels,omitempty"`
	DeployableSatelliteTerminals *Value `json:"deployable_satellite_terminals,omitempty"`
	DeployablePortablePower      *Value `json:"deployable_portable_power,omitempty"`
	EmergencyFreeServiceEvents   *Value `json:"emergency_free_service_events,omitempty"`
	ResilienceCapexMUSD          *Value `json:"resilience_capex_musd,omitempty"`
}

// OutageParts are the additive quantities of a set of outages.
type OutageParts struct {
	Events            int64           `json:"events"`
	SiteHoursLost     decimal.Decimal `json:"site_hours_lost"`
	HoursToRestoreSum decimal.Decimal `json:"hours_to_restore_sum"`
}

// RecoveryParts are the recovery-capacity figures (R4): DeployableUnits
// is a stock (the last quarter's in a year), the others are flows. Nil
// means not filed.
type RecoveryParts struct {
	DeployableUnits            *ledger.DeployableUnits `json:"deployable_units"`
	EmergencyFreeServiceEvents *int64                  `json:"emergency_free_service_events"`
	CapexMUSD                  *decimal.Decimal        `json:"capex_musd"`
}

// DQLandslideTriggerNotStated flags a landslide filed without its trigger
// (methodology 2026.1 R0): it is counted as climate-related, which a
// seismic or volcanic landslide is not.
const DQLandslideTriggerNotStated = "landslide_trigger_not_stated"

func allHazardParts(outages []ledger.Outage) *OutageParts {
	a := &OutageParts{}
	for _, o := range outages {
		a.add(o)
	}
	return a
}

func (a *OutageParts) add(o ledger.Outage) {
	a.Events++
	a.SiteHoursLost = a.SiteHoursLost.Add(o.SiteHoursLost)
	a.HoursToRestoreSum = a.HoursToRestoreSum.Add(o.HoursToRestore)
}

func recoveryParts(res ledger.Resilience) *RecoveryParts {
	rp := &RecoveryParts{EmergencyFreeServiceEvents: res.EmergencyFreeServiceEvents, CapexMUSD: res.CapexMUSD}
	if u := res.DeployableUnits; u != nil {
		c := *u
		rp.DeployableUnits = &c
	}
	return rp
}

// flagLandslideTriggers flags each landslide filed without a trigger.
func flagLandslideTriggers(tr *Trace, r *ledger.Return) {
	for i, o := range r.Resilience.Outages {
		if o.Hazard == "landslide" && o.Trigger == "" {
			tr.Flag(DataQuality{Code: DQLandslideTriggerNotStated, Metric: "e3.climate_outage_events",
				Row:     "resilience.outages[" + strconv.Itoa(i) + "]",
				Message: "landslide without a trigger: counted as climate-related; a seismic or volcanic one would not be"})
		}
	}
}

// sumE3V2026 adds the 2026.1 parts of p to s as sumE3 adds the others:
// across time the deployable units are the last quarter's and the flows
// add; across operators everything adds. When one side was computed
// under 2025.1 (no AllHazard part) the sum has none: its climate parts
// count every outage and cannot be told apart.
func sumE3V2026(how Combine, s *E3Parts, p E3Parts) {
	if s.AllHazard == nil || p.AllHazard == nil {
		s.AllHazard, s.Recovery = nil, nil
		return
	}
	a := *s.AllHazard
	a.Events += p.AllHazard.Events
	a.SiteHoursLost = a.SiteHoursLost.Add(p.AllHazard.SiteHoursLost)
	a.HoursToRestoreSum = a.HoursToRestoreSum.Add(p.AllHazard.HoursToRestoreSum)
	s.AllHazard = &a
	r := RecoveryParts{}
	if s.Recovery != nil {
		r = *s.Recovery
	}
	var q RecoveryParts
	if p.Recovery != nil {
		q = *p.Recovery
	}
	if how == AcrossTime {
		r.DeployableUnits = q.DeployableUnits
	} else {
		r.DeployableUnits = addUnits(r.DeployableUnits, q.DeployableUnits)
	}
	r.EmergencyFreeServiceEvents = addInt(r.EmergencyFreeServiceEvents, q.EmergencyFreeServiceEvents)
	r.CapexMUSD = addDec(r.CapexMUSD, q.CapexMUSD)
	s.Recovery = &r
}

func addUnits(a, b *ledger.DeployableUnits) *ledger.DeployableUnits {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return &ledger.DeployableUnits{CellsOnWheels: a.CellsOnWheels + b.CellsOnWheels,
		SatelliteTerminals: a.SatelliteTerminals + b.SatelliteTerminals, PortablePower: a.PortablePower + b.PortablePower}
}

// finishE3V2026 computes the 2026.1 keys from p; nothing when p was
// computed under 2025.1.
func finishE3V2026(e *E3, p E3Parts, tr *Trace) {
	if p.AllHazard == nil {
		return
	}
	a := p.AllHazard
	e.AllHazardOutageEvents = ptrTo(Some(decimal.NewFromInt(a.Events)))
	e.AllHazardOutageSiteHours = ptrTo(Some(a.SiteHoursLost))
	mean, avail := None, None
	if a.Events > 0 {
		mean = Some(Div(a.HoursToRestoreSum, decimal.NewFromInt(a.Events)))
	} else {
		missing(tr, "e3.all_hazard_mean_hours_to_restore", "no outages in the period")
	}
	if p.SiteHours != nil && p.SiteHours.Sign() > 0 {
		avail = Some(decHundred.Sub(Div(a.SiteHoursLost.Mul(decHundred), *p.SiteHours)))
	} else {
		missing(tr, "e3.all_hazard_availability_pct", "sites_total is not given or zero")
	}
	e.AllHazardMeanHoursToRestore, e.AllHazardAvailabilityPct = &mean, &avail

	rp := RecoveryParts{}
	if p.Recovery != nil {
		rp = *p.Recovery
	}
	const notFiled = "resilience.%s is not filed (optional, return v1.1)"
	count := func(metric, field string, n *int64) *Value {
		if n == nil {
			missing(tr, "e3."+metric, fmt.Sprintf(notFiled, field))
			return ptrTo(None)
		}
		return ptrTo(Some(decimal.NewFromInt(*n)))
	}
	var total, cow, sat, power *int64
	if u := rp.DeployableUnits; u != nil {
		total, cow, sat, power = ptrTo(u.Total()), &u.CellsOnWheels, &u.SatelliteTerminals, &u.PortablePower
	}
	e.DeployableUnits = count("deployable_units", "deployable_units", total)
	e.DeployableCellsOnWheels = count("deployable_cells_on_wheels", "deployable_units", cow)
	e.DeployableSatelliteTerminals = count("deployable_satellite_terminals", "deployable_units", sat)
	e.DeployablePortablePower = count("deployable_portable_power", "deployable_units", power)
	e.EmergencyFreeServiceEvents = count("emergency_free_service_events", "emergency_free_service_events", rp.EmergencyFreeServiceEvents)
	if rp.CapexMUSD != nil {
		e.ResilienceCapexMUSD = ptrTo(Some(*rp.CapexMUSD))
	} else {
		missing(tr, "e3.resilience_capex_musd", fmt.Sprintf(notFiled, "capex_musd"))
		e.ResilienceCapexMUSD = ptrTo(None)
	}
}

// deriveE3V2026 records the outage derivations under methodology 2026.1:
// the climate figures over the climate-related outages only (restore and
// lost list their inputs, the last two being sites_total and the hours),
// and the all-hazard twins over every outage.
func deriveE3V2026(tr *Trace, e *E3, r *ledger.Return, notes []string, restore, lost []InputRef) {
	climate := append(append([]string{}, notes...),
		"methodology 2026.1 R0: climate-related hazards only (flood, cyclone, storm, extreme_heat, wildfire, drought, "+
			"and landslides not triggered by an earthquake or volcano); every outage is in the all_hazard_* twins")
	derive := func(metric, formula string, v Value, notes []string, inputs []InputRef) {
		tr.Derive(Derivation{Metric: "e3." + metric, Formula: formula, Inputs: inputs, Factors: []FactorRef{}, Notes: notes, Value: v})
	}
	derive("mean_hours_to_restore", "sum of hours_to_restore / number of climate-related outages", e.MeanHoursToRestore, climate, restore)
	derive("climate_availability_pct",
		"(1 - sum of site_hours_lost of climate-related outages / (sites_total x 24 x days in the quarter)) x 100",
		e.ClimateAvailabilityPct, climate, lost)

	var allLost, allRestore []InputRef
	for i, o := range r.Resilience.Outages {
		at := "resilience.outages[" + strconv.Itoa(i) + "]."
		allLost = append(allLost, InputRef{Path: at + "site_hours_lost", Value: o.SiteHoursLost.String(), Unit: "site-hours"})
		allRestore = append(allRestore, InputRef{Path: at + "hours_to_restore", Value: o.HoursToRestore.String(), Unit: "h"})
	}
	denominator := lost[len(lost)-2:]
	all := append(append([]string{}, notes...), "methodology 2026.1 R0: every outage, climate-related, geophysical or other")
	derive("all_hazard_mean_hours_to_restore", "sum of hours_to_restore / number of outages", *e.AllHazardMeanHoursToRestore,
		all, nonNil(allRestore))
	derive("all_hazard_availability_pct", "(1 - sum of site_hours_lost / (sites_total x 24 x days in the quarter)) x 100",
		*e.AllHazardAvailabilityPct, all, append(nonNil(allLost), denominator...))
	deriveRecovery(derive, e, r.Resilience)
}

// deriveRecovery records where the recovery-capacity values (R4) come
// from: they are the filed figures.
func deriveRecovery(derive func(metric, formula string, v Value, notes []string, inputs []InputRef), e *E3, res ledger.Resilience) {
	count := func(path string, n *int64, unit string) InputRef {
		v := "not given"
		if n != nil {
			v = strconv.FormatInt(*n, 10)
		}
		return InputRef{Path: "resilience." + path, Value: v, Unit: unit}
	}
	var cow, sat, power *int64
	if u := res.DeployableUnits; u != nil {
		cow, sat, power = &u.CellsOnWheels, &u.SatelliteTerminals, &u.PortablePower
	}
	r4 := []string{"methodology 2026.1 R4: as filed"}
	cowIn := count("deployable_units.cells_on_wheels", cow, "units")
	satIn := count("deployable_units.satellite_terminals", sat, "units")
	powerIn := count("deployable_units.portable_power", power, "units")
	derive("deployable_units", "cells_on_wheels + satellite_terminals + portable_power", *e.DeployableUnits, r4,
		[]InputRef{cowIn, satIn, powerIn})
	derive("deployable_cells_on_wheels", "cells_on_wheels", *e.DeployableCellsOnWheels, r4, []InputRef{cowIn})
	derive("deployable_satellite_terminals", "satellite_terminals", *e.DeployableSatelliteTerminals, r4, []InputRef{satIn})
	derive("deployable_portable_power", "portable_power", *e.DeployablePortablePower, r4, []InputRef{powerIn})
	derive("emergency_free_service_events", "emergency_free_service_events", *e.EmergencyFreeServiceEvents, r4,
		[]InputRef{count("emergency_free_service_events", res.EmergencyFreeServiceEvents, "events")})
	capex := InputRef{Path: "resilience.capex_musd", Value: "not given", Unit: "MUSD"}
	if res.CapexMUSD != nil {
		capex.Value = res.CapexMUSD.String()
	}
	derive("resilience_capex_musd", "capex_musd", *e.ResilienceCapexMUSD, r4, []InputRef{capex})
}
