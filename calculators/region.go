package calculators

// RegionHeadline is one figure of the public regional view: a headline
// metric, and whether it is an intensity or a share (recomputed from the
// summed terms and compared between countries against the median of
// their values) rather than a summed total.
type RegionHeadline struct {
	Headline
	Intensity bool
}

// RegionHeadlines lists the regional view's figures in display order.
// The regional page, its JSON and its PDF all read this one list, so
// that the document shows what the view shows.
func RegionHeadlines() []RegionHeadline {
	keys := []struct {
		key       string
		intensity bool
	}{
		{"e1.energy_total_mwh", false},
		{"e1.scope1_tco2e", false},
		{"e1.scope2_location_tco2e", false},
		{"e1.scope2_market_tco2e", false},
		{"e2.total.collected_kg", false},
		{"e1.network_energy_per_tb_kwh", true},
		{"e1.emissions_per_tb_kgco2e", true},
		{"e1.energy_per_subscription_kwh", true},
		{"e1.renewable_electricity_share_pct", true},
		{"e2.total.collection_rate_pom_pct", true},
		{"e2.total.recycling_rate_pct", true},
		{"e3.backup_power_coverage_pct", true},
		{"e3.backup_ge_8h_pct", true},
	}
	heads := map[string]Headline{}
	for _, h := range Headlines() {
		heads[h.Key] = h
	}
	out := make([]RegionHeadline, len(keys))
	for i, k := range keys {
		out[i] = RegionHeadline{Headline: heads[k.key], Intensity: k.intensity}
	}
	return out
}

// RegionFigures reads the regional headlines from a sum, by key.
func RegionFigures(t *SectorTotal) map[string]Value {
	out := map[string]Value{}
	for _, h := range RegionHeadlines() {
		out[h.Key] = h.Get(t.E1, t.E2, t.E3)
	}
	return out
}
