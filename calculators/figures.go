package calculators

// Figure is one figure a later methodology adds to a section of the
// metrics, as the documents (the PDF disclosure and the return page) show
// it. The documents draw every figure of Figures20261 that the metrics
// carry, in order, so that a figure a calculator adds is one row here.
type Figure struct {
	Section string // "E1", "E2" or "E3": the section that shows it
	Key     string // metric path, e.g. "e1.ods_leaked_kg_cfc11e"
	Label   string // for people
	Unit    string // as metrics.md writes it, e.g. "tCO2e", "%"
	// Get is the figure of a result; nil when the result has none (it was
	// computed under an earlier methodology, or the section is missing).
	Get func(e1 *E1, e2 *E2, e3 *E3) *Value
}

// Figures20261 lists the figures methodology 2026.1 adds, by section, in
// display order. Per-facility figures (cue_location, cue_market) and
// maps of labelled parts are listed part by part.
func Figures20261() []Figure {
	e1 := func(key, label, unit string, get func(*E1) *Value) Figure {
		return Figure{Section: "E1", Key: "e1." + key, Label: label, Unit: unit, Get: func(e *E1, _ *E2, _ *E3) *Value {
			if e == nil {
				return nil
			}
			return get(e)
		}}
	}
	gas := func(group, label string) Figure {
		return e1("scope1_by_gas_tco2e."+group, "Scope 1 "+label, "tCO2e", func(e *E1) *Value { return mapValue(e.Scope1ByGasTCO2e, group) })
	}
	e2 := func(key, label, unit string, get func(*E2) *Value) Figure {
		return Figure{Section: "E2", Key: "e2." + key, Label: label, Unit: unit, Get: func(_ *E1, e *E2, _ *E3) *Value {
			if e == nil {
				return nil
			}
			return get(e)
		}}
	}
	e3 := func(key, label, unit string, get func(*E3V2026) *Value) Figure {
		return Figure{Section: "E3", Key: "e3." + key, Label: label, Unit: unit, Get: func(_ *E1, _ *E2, e *E3) *Value {
			if e == nil {
				return nil
			}
			return get(&e.E3V2026)
		}}
	}
	return []Figure{
		e1("scope3_cat3_electricity_tco2e", "Scope 3 category 3: upstream of purchased electricity", "tCO2e",
			func(e *E1) *Value { return e.Scope3Cat3ElectricityTCO2e }),
		gas("co2", "by gas: CO₂"),
		gas("ch4", "by gas: CH₄"),
		gas("n2o", "by gas: N₂O"),
		gas("hfcs", "by gas: HFCs"),
		gas("pfcs", "by gas: PFCs"),
		gas("sf6", "by gas: SF₆"),
		gas("nf3", "by gas: NF₃"),
		e1("ods_leaked_kg_cfc11e", "Ozone-depleting substances leaked", "kgCFC-11e", func(e *E1) *Value { return e.ODSLeakedKgCFC11e }),
		e1("ods_imported_kg_cfc11e", "Ozone-depleting substances imported", "kgCFC-11e", func(e *E1) *Value { return e.ODSImportedKgCFC11e }),
		e1("emissions_per_revenue_tco2e_per_musd", "Emissions per revenue (scope 1 + market-based scope 2)", "tCO2e/MUSD",
			func(e *E1) *Value { return e.EmissionsPerRevenueTCO2ePerMUSD }),
		e1("emissions_per_revenue_tco2e_per_musd_location", "Emissions per revenue (scope 1 + location-based scope 2)", "tCO2e/MUSD",
			func(e *E1) *Value { return e.EmissionsPerRevenueTCO2ePerMUSDLocation }),
		e1("emissions_per_tb_kgco2e_location", "Emissions per TB, network domains (location-based scope 2)", "kgCO2e/TB",
			func(e *E1) *Value { return e.EmissionsPerTBKgCO2eLocation }),
		e1("mobile_access_efficiency_bit_per_j", "Mobile access efficiency (RAN electricity, ES 203 228-style)", "bit/J",
			func(e *E1) *Value { return e.MobileAccessEfficiencyBitPerJ }),
		e1("renewable_electricity_share_estimated_pct", "Renewable electricity share, generator output estimated", "%",
			func(e *E1) *Value { return e.RenewableElectricityShareEstimatedPct }),
		e1("energy_estimated_share_pct", "Energy estimated or by proxy", "%", func(e *E1) *Value { return e.EnergyEstimatedSharePct }),
		e1("energy_unspecified_share_pct", "Energy of unspecified data quality", "%", func(e *E1) *Value { return e.EnergyUnspecifiedSharePct }),

		e2("total.authorised_treatment_share_pct", "Treated at an authorised recycler", "%",
			func(e *E2) *Value { return e.Total.AuthorisedTreatmentSharePct }),

		e3("all_hazard_outage_events", "Outages, all hazards (climate, geophysical, other)", "number",
			func(e *E3V2026) *Value { return e.AllHazardOutageEvents }),
		e3("all_hazard_outage_site_hours", "Site-hours lost, all hazards", "site-h", func(e *E3V2026) *Value { return e.AllHazardOutageSiteHours }),
		e3("all_hazard_mean_hours_to_restore", "Mean hours to restore, all hazards", "h", func(e *E3V2026) *Value { return e.AllHazardMeanHoursToRestore }),
		e3("all_hazard_availability_pct", "Availability through all hazards", "%", func(e *E3V2026) *Value { return e.AllHazardAvailabilityPct }),
		e3("deployable_units", "Units ready to deploy", "number", func(e *E3V2026) *Value { return e.DeployableUnits }),
		e3("deployable_cells_on_wheels", "Cells on wheels ready to deploy", "number", func(e *E3V2026) *Value { return e.DeployableCellsOnWheels }),
		e3("deployable_satellite_terminals", "Satellite terminals ready to deploy", "number", func(e *E3V2026) *Value { return e.DeployableSatelliteTerminals }),
		e3("deployable_portable_power", "Portable power units ready to deploy", "number", func(e *E3V2026) *Value { return e.DeployablePortablePower }),
		e3("emergency_free_service_events", "Events with free emergency service", "number", func(e *E3V2026) *Value { return e.EmergencyFreeServiceEvents }),
		e3("resilience_capex_musd", "Resilience capital expenditure", "MUSD", func(e *E3V2026) *Value { return e.ResilienceCapexMUSD }),
	}
}

// mapValue is m[k] as a figure: nil when the map is (an earlier
// methodology's result), unavailable when the key is missing.
func mapValue(m map[string]Value, k string) *Value {
	if m == nil {
		return nil
	}
	v := m[k]
	return &v
}

// DataQualityMeaning says in plain words what a data-quality flag code
// means for a reader of the figures; the flag's own message gives the
// details. An unknown code (one a later build adds) gets a general
// sentence rather than nothing.
func DataQualityMeaning(code string) string {
	switch code {
	case DQGridBasisFallback:
		return "The grid has no official direct (combustion) factor in the factor set; a lifecycle or margin factor stands in for it."
	case DQGridBasisNotStated:
		return "The factor set does not say on what basis the grid factor was computed."
	case DQGridFactorOld:
		return "The grid factor describes a year more than three years before the period."
	case DQGridFactorYearNotStated:
		return "The factor set gives no data year for the grid factor, so its age cannot be checked."
	case DQGeneratorOutputNotFiled:
		return "Sites burn diesel in generators but did not file the electricity generated, so the renewable share's denominator lacks it."
	case DQBoundaryMixed:
		return "The returns added together state different reporting boundaries."
	case DQLandslideTriggerNotStated:
		return "A landslide was filed without its trigger; it is counted as climate-related."
	case DQInstrumentNotApplied:
		return "A contract without certificates was filed in a market that has a certificate system, so it does not count in the market-based figure or the renewable shares."
	case DQResidualMixFallback:
		return "The factor set has no residual mix for the grid, so the grid average values the electricity no claim covers."
	case DQMCIUtilityDefault:
		return "The factor set gives no industry-average use life for the category, so the circularity indicator assumes an average utility (X = 1)."
	case DQMCIEfficiencyProxy:
		return "The recycling efficiency is a policy target standing in for a measured one."
	}
	return "A figure rests on data a reader should weigh (see the details)."
}
