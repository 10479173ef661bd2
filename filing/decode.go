package filing

import (
	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// The per-type readers of the quarterly return. Each reads one JSON value
// into a ledger type; the field lists mirror the json tags of ledger/ and
// the required lists follow docs/spec/quarterly-return.md. Signs, cross-field rules
// and references (grids, periods) are Validate's business.

func (d *jsonReader) readReturn(r *ledger.Return) {
	d.object(false, func(key string) bool {
		switch key {
		case "operator":
			r.Operator = d.str(ledger.TextID)
		case "period":
			r.Period = d.period()
		case "restates":
			r.Restates = d.str(ledger.TextID)
		case "reason":
			r.Reason = d.str(ledger.TextNote)
		case "factor_set":
			r.FactorSet = d.str(ledger.TextID)
		case "activity":
			d.readActivity(&r.Activity)
		case "electricity":
			d.array(true, func(int) { r.Electricity = append(r.Electricity, d.readElectricity()) })
		case "fuels":
			d.array(true, func(int) { r.Fuels = append(r.Fuels, d.readFuel()) })
		case "onsite_renewables":
			d.array(true, func(int) { r.OnsiteRenewables = append(r.OnsiteRenewables, d.readOnsite()) })
		case "renewable_claims":
			d.array(true, func(int) { r.RenewableClaims = append(r.RenewableClaims, d.readClaim()) })
		case "refrigerants":
			d.array(true, func(int) { r.Refrigerants = append(r.Refrigerants, d.readRefrigerant()) })
		case "data_centres":
			d.array(true, func(int) { r.DataCentres = append(r.DataCentres, d.readDataCentre()) })
		case "devices":
			d.array(true, func(int) { r.Devices = append(r.Devices, d.readDevice()) })
		case "historic_inflow":
			d.array(true, func(int) { r.HistoricInflow = append(r.HistoricInflow, d.readHistoric()) })
		case "resilience":
			d.readResilience(&r.Resilience)
		case "sites":
			var sites chunked[ledger.Site] // up to 100,000 rows: not copied as they grow
			d.array(true, func(int) { sites.add(d.readSite()) })
			r.Sites = sites.all()
		case "boundary": // v1.1
			r.Boundary = d.readBoundary()
		default:
			return false
		}
		return true
	}, "operator", "period", "activity", "resilience")
}

func (d *jsonReader) readActivity(a *ledger.Activity) {
	d.object(false, func(key string) bool {
		switch key {
		case "data_traffic_tb":
			a.DataTrafficTB = d.optQuantity()
		case "subscriptions":
			a.Subscriptions = d.optCount()
		case "sites_total":
			a.SitesTotal = d.optCount()
		case "revenue_musd":
			a.RevenueMUSD = d.optQuantity()
		case "mobile_traffic_tb": // v1.1
			a.MobileTrafficTB = d.optQuantity()
		default:
			return false
		}
		return true
	})
}

func (d *jsonReader) readElectricity() ledger.Electricity {
	var e ledger.Electricity
	d.object(false, func(key string) bool {
		switch key {
		case "domain":
			e.Domain = d.enum(ledger.Domains)
		case "grid":
			e.Grid = d.str(ledger.TextID)
		case "kwh":
			e.KWh = d.quantity()
		case "supplier_kgco2e_per_kwh":
			e.SupplierKgCO2ePerKWh = d.optQuantity()
		case "supplier":
			e.Supplier = d.str(ledger.TextName)
		case "quality": // v1.1
			e.Quality = d.enum(ledger.DataQualities)
		default:
			return false
		}
		return true
	}, "domain", "grid", "kwh")
	return e
}

func (d *jsonReader) readFuel() ledger.Fuel {
	var f ledger.Fuel
	d.object(false, func(key string) bool {
		switch key {
		case "domain":
			f.Domain = d.enum(ledger.FuelDomains)
		case "fuel":
			f.Fuel = d.enum(ledger.FuelKinds)
		case "use":
			f.Use = d.enum(ledger.FuelUses)
		case "quantity":
			f.Quantity = d.quantity()
		case "unit":
			f.Unit = d.enum(ledger.FuelUnits)
		case "bio_share":
			f.BioShare = d.optQuantity()
		case "generated_kwh":
			f.GeneratedKWh = d.optQuantity()
		case "basis": // v1.1
			f.Basis = d.enum(ledger.FuelBases)
		case "quality": // v1.1
			f.Quality = d.enum(ledger.DataQualities)
		default:
			return false
		}
		return true
	}, "domain", "fuel", "use", "quantity", "unit")
	return f
}

func (d *jsonReader) readOnsite() ledger.OnsiteRenewable {
	var o ledger.OnsiteRenewable
	d.object(false, func(key string) bool {
		switch key {
		case "domain":
			o.Domain = d.enum(ledger.Domains)
		case "source":
			o.Source = d.enum(ledger.RenewableSources)
		case "kwh":
			o.KWh = d.quantity()
		case "certificates_sold": // v1.1
			o.CertificatesSold = d.boolean()
		case "grid": // v1.1
			o.Grid = d.str(ledger.TextID)
		default:
			return false
		}
		return true
	}, "domain", "source", "kwh")
	return o
}

func (d *jsonReader) readClaim() ledger.RenewableClaim {
	var c ledger.RenewableClaim
	d.object(false, func(key string) bool {
		switch key {
		case "instrument":
			c.Instrument = d.enum(ledger.Instruments)
		case "grid":
			c.Grid = d.str(ledger.TextID)
		case "kwh":
			c.KWh = d.quantity()
		case "technology":
			c.Technology = d.enum(ledger.Technologies)
		case "certificates":
			c.Certificates = d.strings(ledger.TextID)
		case "vintage":
			c.Vintage = d.integer()
		case "vintage_month":
			m := d.integer()
			c.VintageMonth = &m
		case "supplier":
			c.Supplier = d.str(ledger.TextName)
		case "registry":
			c.Registry = d.str(ledger.TextID)
		default:
			return false
		}
		return true
	}, "instrument", "grid", "kwh", "technology", "vintage")
	return c
}

func (d *jsonReader) readRefrigerant() ledger.Refrigerant {
	var g ledger.Refrigerant
	d.object(false, func(key string) bool {
		switch key {
		case "gas":
			g.Gas = d.enum(ledger.Gases)
		case "kg_lost":
			g.KgLost = d.quantity()
		case "ods_imported_kg": // v1.1
			g.ODSImportedKg = d.optQuantity()
		default:
			return false
		}
		return true
	}, "gas", "kg_lost")
	return g
}

func (d *jsonReader) readDataCentre() ledger.DataCentre {
	var c ledger.DataCentre
	d.object(false, func(key string) bool {
		switch key {
		case "id":
			c.ID = d.str(ledger.TextID)
		case "grid":
			c.Grid = d.str(ledger.TextID)
		case "total_kwh":
			c.TotalKWh = d.quantity()
		case "it_kwh":
			c.ITKWh = d.quantity()
		case "renewable_kwh":
			c.RenewableKWh = d.optQuantity()
		case "reused_kwh":
			c.ReusedKWh = d.optQuantity()
		case "water_m3":
			c.WaterM3 = d.optQuantity()
		case "grid_kwh": // v1.1
			c.GridKWh = d.optQuantity()
		case "diesel_l": // v1.1
			c.DieselL = d.optQuantity()
		default:
			return false
		}
		return true
	}, "id", "grid", "total_kwh", "it_kwh")
	return c
}

// readFlow reads {"units": n, "kg": "..."}; units may be left out (zero),
// for flows weighed rather than counted (cable).
func (d *jsonReader) readFlow() *ledger.Flow {
	var f ledger.Flow
	ok := d.object(true, func(key string) bool {
		switch key {
		case "units":
			f.Units = d.count()
		case "kg":
			f.Kg = d.quantity()
		default:
			return false
		}
		return true
	}, "kg")
	if !ok {
		return nil
	}
	return &f
}

func (d *jsonReader) readDevice() ledger.DeviceFlow {
	var v ledger.DeviceFlow
	d.object(false, func(key string) bool {
		switch key {
		case "category":
			v.Category = d.enum(ledger.DeviceCategories)
		case "stream":
			v.Stream = d.enum(ledger.Streams)
		case "inflow":
			v.Inflow = d.readFlow()
		case "collected":
			v.Collected = d.readFlow()
		case "reused":
			v.Reused = d.readFlow()
		case "recycled":
			v.Recycled = d.readFlow()
		case "recovered":
			v.Recovered = d.readFlow()
		case "disposed":
			v.Disposed = d.readFlow()
		case "stock_change":
			v.StockChange = d.readFlow()
		case "recycled_content_kg":
			v.RecycledContentKg = d.optQuantity()
		case "reused_content_kg":
			v.ReusedContentKg = d.optQuantity()
		case "lifetime_years":
			v.LifetimeYears = d.optQuantity()
		case "recycler":
			v.Recycler = d.str(ledger.TextName)
		case "exported_kg":
			v.ExportedKg = d.optQuantity()
		case "basel_notification":
			v.BaselNotification = d.strings(ledger.TextID)
		case "redeployed":
			v.Redeployed = d.readFlow()
		case "recycler_efficiency_pct":
			v.RecyclerEfficiencyPct = d.optQuantity()
		case "exports":
			d.array(true, func(int) { v.Exports = append(v.Exports, d.readExport()) })
		default:
			return false
		}
		return true
	}, "category", "stream")
	return v
}

func (d *jsonReader) readExport() ledger.Export {
	var x ledger.Export
	d.object(false, func(key string) bool {
		switch key {
		case "country":
			x.Country = d.str(ledger.TextID)
		case "kg":
			x.Kg = d.quantity()
		case "basel_code":
			x.BaselCode = d.str(ledger.TextID)
		case "consent_id":
			x.ConsentID = d.str(ledger.TextID)
		case "purpose":
			x.Purpose = d.enum(ledger.ExportPurposes)
		default:
			return false
		}
		return true
	}, "country", "kg", "purpose")
	return x
}

func (d *jsonReader) readHistoric() ledger.HistoricInflow {
	var h ledger.HistoricInflow
	d.object(false, func(key string) bool {
		switch key {
		case "category":
			h.Category = d.enum(ledger.DeviceCategories)
		case "stream":
			h.Stream = d.enum(ledger.Streams)
		case "year":
			h.Year = d.integer()
		case "units":
			h.Units = d.count()
		case "kg":
			h.Kg = d.quantity()
		default:
			return false
		}
		return true
	}, "category", "stream", "year", "units", "kg")
	return h
}

func (d *jsonReader) readResilience(r *ledger.Resilience) {
	d.object(false, func(key string) bool {
		switch key {
		case "sites_with_backup":
			r.SitesWithBackup = d.optCount()
		case "backup_autonomy":
			r.BackupAutonomy = d.readAutonomy()
		case "sites_hazard_assessed":
			r.SitesHazardAssessed = d.optCount()
		case "sites_high_hazard":
			r.SitesHighHazard = d.optCount()
		case "sites_high_hazard_hardened":
			r.SitesHighHazardHardened = d.optCount()
		case "outages":
			d.array(true, func(int) { r.Outages = append(r.Outages, d.readOutage()) })
		case "early_warning":
			r.EarlyWarning = d.readEarlyWarning()
		case "deployable_units":
			r.DeployableUnits = d.readDeployable()
		case "emergency_free_service_events":
			r.EmergencyFreeServiceEvents = d.optCount()
		case "capex_musd":
			r.CapexMUSD = d.optQuantity()
		default:
			return false
		}
		return true
	})
}

func (d *jsonReader) readAutonomy() *ledger.BackupAutonomy {
	var b ledger.BackupAutonomy
	ok := d.object(true, func(key string) bool {
		switch key {
		case "lt_4h":
			b.LT4h = d.count()
		case "h4_to_8":
			b.H4to8 = d.count()
		case "h8_to_24":
			b.H8to24 = d.count()
		case "h24_to_72":
			b.H24to72 = d.count()
		case "ge_72h":
			b.GE72h = d.count()
		default:
			return false
		}
		return true
	}, "lt_4h", "h4_to_8", "h8_to_24", "h24_to_72", "ge_72h")
	if !ok {
		return nil
	}
	return &b
}

func (d *jsonReader) readOutage() ledger.Outage {
	var o ledger.Outage
	d.object(false, func(key string) bool {
		switch key {
		case "hazard":
			o.Hazard = d.enum(ledger.Hazards)
		case "trigger":
			o.Trigger = d.enum(ledger.LandslideTriggers)
		case "started":
			o.Started = d.time()
		case "sites_affected":
			o.SitesAffected = d.count()
		case "site_hours_lost":
			o.SiteHoursLost = d.quantity()
		case "hours_to_restore":
			o.HoursToRestore = d.quantity()
		default:
			return false
		}
		return true
	}, "hazard", "started", "sites_affected", "site_hours_lost", "hours_to_restore")
	return o
}

// readDeployable reads resilience.deployable_units (return v1.1): every
// kind is required, so that a zero is a filed zero.
func (d *jsonReader) readDeployable() *ledger.DeployableUnits {
	var u ledger.DeployableUnits
	ok := d.object(true, func(key string) bool {
		switch key {
		case "cells_on_wheels":
			u.CellsOnWheels = d.count()
		case "satellite_terminals":
			u.SatelliteTerminals = d.count()
		case "portable_power":
			u.PortablePower = d.count()
		default:
			return false
		}
		return true
	}, "cells_on_wheels", "satellite_terminals", "portable_power")
	if !ok {
		return nil
	}
	return &u
}

func (d *jsonReader) readEarlyWarning() *ledger.EarlyWarning {
	var w ledger.EarlyWarning
	ok := d.object(true, func(key string) bool {
		switch key {
		case "alerts_disseminated":
			w.AlertsDisseminated = d.count()
		case "population_covered":
			w.PopulationCovered = d.count()
		case "population_served":
			w.PopulationServed = d.count()
		default:
			return false
		}
		return true
	}, "alerts_disseminated", "population_covered", "population_served")
	if !ok {
		return nil
	}
	return &w
}

// readSite reads one site row. Absent quantities are zero and an absent
// hazard_level is "none", so that a row reads back equal after encoding.
func (d *jsonReader) readSite() ledger.Site {
	s := ledger.Site{
		GridKWh: decimal.Zero, DieselL: decimal.Zero, PetrolL: decimal.Zero, LPGKg: decimal.Zero,
		SolarKWh: decimal.Zero, WindKWh: decimal.Zero, BackupHours: decimal.Zero, HazardLevel: "none",
	}
	d.object(false, func(key string) bool {
		switch key {
		case "site_id":
			s.SiteID = d.str(ledger.TextID)
		case "domain":
			s.Domain = d.enum(ledger.Domains)
		case "grid":
			s.Grid = d.str(ledger.TextID)
		case "grid_kwh":
			s.GridKWh = d.quantity()
		case "diesel_l":
			s.DieselL = d.quantity()
		case "petrol_l":
			s.PetrolL = d.quantity()
		case "lpg_kg":
			s.LPGKg = d.quantity()
		case "solar_kwh":
			s.SolarKWh = d.quantity()
		case "wind_kwh":
			s.WindKWh = d.quantity()
		case "backup_hours":
			s.BackupHours = d.quantity()
		case "hazard_level":
			s.HazardLevel = d.enum(ledger.HazardLevels)
		case "hazard_assessed":
			s.HazardAssessed = d.boolean()
		case "hardened":
			s.Hardened = d.boolean()
		case "offgrid":
			s.Offgrid = d.boolean()
		case "generator_kwh": // v1.1
			s.GeneratorKWh = d.optQuantity()
		case "quality": // v1.1
			s.Quality = d.enum(ledger.DataQualities)
		default:
			return false
		}
		return true
	}, "site_id", "domain", "grid")
	return s
}

// readBoundary reads the v1.1 boundary object; null is nil.
func (d *jsonReader) readBoundary() *ledger.Boundary {
	var b ledger.Boundary
	ok := d.object(true, func(key string) bool {
		switch key {
		case "consolidation":
			b.Consolidation = d.enum(ledger.Consolidations)
		case "tower_energy":
			b.TowerEnergy = d.enum(ledger.TowerEnergyScopes)
		default:
			return false
		}
		return true
	})
	if !ok {
		return nil
	}
	return &b
}
