package ledger

// The closed enumerations of the quarterly return. Each list is in the order
// the spec gives it, which is also the order errors list allowed values in.
var (
	// Domains are network domains of electricity, on-site renewables and sites.
	Domains = []string{"ran", "core", "transport", "fixed_access", "data_centre", "office", "retail", "other"}
	// FuelDomains are Domains plus the vehicle fleet.
	FuelDomains = append(append([]string{}, Domains...), "fleet")
	// NetworkDomains are the domains whose energy counts as network energy.
	NetworkDomains = []string{"ran", "core", "transport", "fixed_access", "data_centre"}
	// FuelKinds are the fuels a return may report.
	FuelKinds = []string{"diesel", "petrol", "lpg", "natural_gas", "biodiesel_blend"}
	// FuelUses separate stationary from mobile combustion.
	FuelUses = []string{"stationary", "mobile"}
	// FuelUnits are the units a fuel quantity may be given in.
	FuelUnits = []string{"l", "kg", "m3", "gj", "kwh"}
	// RenewableSources are the technologies of on-site renewables.
	RenewableSources = []string{"solar", "wind", "hydro", "other"}
	// Instruments are the contractual instruments of renewable claims.
	Instruments = []string{"eac", "ppa", "green_tariff"}
	// Technologies are the generation technologies of renewable claims.
	Technologies = []string{"solar", "wind", "hydro", "geothermal", "biomass", "other"}
	// Gases are the refrigerants a return may report.
	Gases = []string{"r410a", "r407c", "r404a", "r134a", "r32", "r125", "r143a", "r227ea", "sf6", "nf3", "r22"}
	// DeviceCategories are the device and equipment categories.
	DeviceCategories = []string{"smartphone", "feature_phone", "tablet", "laptop", "desktop", "monitor", "cpe",
		"set_top_box", "server", "network_radio", "network_baseband", "network_transport", "network_core",
		"battery_lead_acid", "battery_lithium", "cable", "other_ict"}
	// Streams separate customer devices from the operator's own equipment.
	Streams = []string{"customer", "network"}
	// Hazards are the hazards an outage may be attributed to: climate-related
	// and geophysical (volcanic since return v1.1); Outage.HazardClass
	// tells them apart.
	Hazards = []string{"flood", "cyclone", "extreme_heat", "wildfire", "landslide", "storm", "drought", "earthquake", "tsunami",
		"volcanic", "other"}
	// LandslideTriggers are what set off a landslide (return v1.1): seismic
	// and volcanic landslides are geophysical, the others climate-related.
	LandslideTriggers = []string{"rainfall", "snowmelt", "seismic", "volcanic"}
	// HazardLevels grade a site's exposure.
	HazardLevels = []string{"none", "low", "medium", "high"}
	// OperatorKinds are the lines of business an operator may register.
	OperatorKinds = []string{"mobile", "fixed", "data_centre", "tower", "satellite", "cable", "other"}
)

// OneOf reports whether v is one of allowed.
func OneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if a == v {
			return true
		}
	}
	return false
}

// Enum returns the enumeration of a return field by the name its ret tag
// gives (the name of the list above), or nil when there is none.
func Enum(name string) []string {
	switch name {
	case "Domains":
		return Domains
	case "FuelDomains":
		return FuelDomains
	case "FuelKinds":
		return FuelKinds
	case "FuelUses":
		return FuelUses
	case "FuelUnits":
		return FuelUnits
	case "RenewableSources":
		return RenewableSources
	case "Instruments":
		return Instruments
	case "Technologies":
		return Technologies
	case "Gases":
		return Gases
	case "DeviceCategories":
		return DeviceCategories
	case "Streams":
		return Streams
	case "Hazards":
		return Hazards
	case "HazardLevels":
		return HazardLevels
	case "LandslideTriggers":
		return LandslideTriggers
	case "DataQualities":
		return DataQualities
	case "FuelBases":
		return FuelBases
	case "Consolidations":
		return Consolidations
	case "TowerEnergyScopes":
		return TowerEnergyScopes
	case "ExportPurposes":
		return ExportPurposes
	}
	return nil
}
