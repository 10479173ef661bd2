package ledger

// V11Field is one optional field that return v1.1 (methodology 2026.1)
// added to the return. The list of them, ReturnV11Fields, is what the
// OpenAPI document, the upload page and the tests read, so a field added
// to Return is announced everywhere by one line there.
type V11Field struct {
	// Path is the field's JSON path in a Return, "[]" standing for every
	// element of an array: "sites[].generator_kwh".
	Path string
	// Item is the methodology 2026.1 item that uses it, e.g. "G4".
	Item string
	// CSVPart names the CSV part ("sites" or "devices") that also takes
	// the field, as a column of the same name; empty when only the JSON
	// carries it.
	CSVPart string
	// Meaning says in one line what the field holds.
	Meaning string
}

// ReturnV11Fields returns the optional fields of return v1.1, in the
// order of the return. A return that sends none of them is a v1 return
// and files as it always did. The slice is the caller's.
func ReturnV11Fields() []V11Field {
	return []V11Field{
		{Path: "activity.mobile_traffic_tb", Item: "G10", Meaning: "uplink plus downlink traffic over the RAN in TB, part of data_traffic_tb"},
		{Path: "electricity[].quality", Item: "G12", Meaning: "how the row was measured: metered, invoiced, estimated or proxy"},
		{Path: "fuels[].basis", Item: "G5", Meaning: "calorific basis of a kwh or gj quantity: ncv (the default) or gcv"},
		{Path: "fuels[].quality", Item: "G12", Meaning: "how the row was measured: metered, invoiced, estimated or proxy"},
		{Path: "onsite_renewables[].certificates_sold", Item: "G13", Meaning: "the certificates of this generation were sold, so it is valued at the grid's residual mix"},
		{Path: "onsite_renewables[].grid", Item: "G13", Meaning: "grid whose residual mix values generation with certificates sold; required with certificates_sold"},
		{Path: "renewable_claims[].supplier", Item: "G3", Meaning: "the supplier whose rows a contract (ppa, green_tariff) covers first"},
		{Path: "renewable_claims[].registry", Item: "G3", Meaning: "the registry that issued the certificates; ids are unique per registry across the ledger"},
		{Path: "renewable_claims[].vintage_month", Item: "G3", Meaning: "month of generation (1-12), to hold the vintage to its window"},
		{Path: "refrigerants[].ods_imported_kg", Item: "G7", Meaning: "kg of an ozone-depleting gas imported in the quarter"},
		{Path: "data_centres[].grid_kwh", Item: "G11", Meaning: "electricity the facility bought from the grid, at most total_kwh"},
		{Path: "data_centres[].diesel_l", Item: "G11", Meaning: "litres of diesel the facility's generators burnt"},
		{Path: "devices[].redeployed", Item: "W3", Meaning: "network equipment reinstalled in the operator's own network: not waste, outside the WEEE rates; in the devices CSV a value of the flow column"},
		{Path: "devices[].recycler_efficiency_pct", Item: "W5", Meaning: "on a battery row, the recycler's output over its process input in percent"},
		{Path: "devices[].exports", Item: "W6", Meaning: "shipments abroad of the treated mass, with their Basel codes, consents and purpose"},
		{Path: "devices[].recycler_authorisation_id", Item: "W6", Meaning: "id of the permit or licence under which the row's recycler treats waste"},
		{Path: "resilience.outages[].trigger", Item: "R0", Meaning: "what set off a landslide: rainfall, snowmelt, seismic or volcanic"},
		{Path: "resilience.deployable_units", Item: "R4", Meaning: "recovery units ready to deploy at the end of the quarter, by kind"},
		{Path: "resilience.emergency_free_service_events", Item: "R4", Meaning: "events in the quarter for which service was given free of charge"},
		{Path: "resilience.capex_musd", Item: "R4", Meaning: "resilience capital expenditure of the quarter in million USD"},
		{Path: "sites[].generator_kwh", Item: "G4", CSVPart: "sites", Meaning: "metered output of the site's fossil generator in kWh; an empty CSV cell is not filed, not 0"},
		{Path: "sites[].quality", Item: "G12", CSVPart: "sites", Meaning: "how the row was measured: metered, invoiced, estimated or proxy"},
		{Path: "boundary", Item: "G14", Meaning: "organisational boundary: consolidation approach and whether leased tower sites' energy is in"},
	}
}
