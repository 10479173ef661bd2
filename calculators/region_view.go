package calculators

// The public regional view (GET /v1/region) as data: the service computes
// it, the web page and the API show it, and a region.recorded entry holds
// it for the regional report to draw, so its one definition lives beside
// the figures it is made of.

// RegionViewMetric describes one figure of the regional view, with the
// region's value (recomputed from the region's sums) and, for an
// intensity, the median of the countries' values.
type RegionViewMetric struct {
	Key       string `json:"key"`
	Label     string `json:"label"`
	Unit      string `json:"unit"`
	Intensity bool   `json:"intensity"`
	Region    Value  `json:"region"`
	Median    *Value `json:"median,omitempty"` // intensities only
	Reporting int    `json:"reporting"`        // countries with a value
}

// RegionViewCoverage says whom a country's (or the region's) figures count:
// the operators due for the span, those that filed any version of it,
// and those with an accepted return for it, which alone are counted.
type RegionViewCoverage struct {
	Due      int      `json:"due"`
	Filed    int      `json:"filed"`
	Accepted int      `json:"accepted"`
	Counted  []string `json:"counted"` // the operators whose accepted returns are summed
	// Partial lists the counted operators of a year with fewer accepted
	// quarters than four, and the quarters left out.
	Partial []PartialOperator `json:"partial"`
}

// RegionViewCountry is one country of the regional view.
type RegionViewCountry struct {
	Country  string             `json:"country"`
	Name     string             `json:"name"`
	Coverage RegionViewCoverage `json:"coverage"`
	Figures  map[string]Value   `json:"figures"`
}

// RegionView is the public regional view of a quarter or a year.
type RegionView struct {
	Period    string              `json:"period"`
	Basis     string              `json:"basis"` // always "accepted"
	Metrics   []RegionViewMetric  `json:"metrics"`
	Countries []RegionViewCountry `json:"countries"`
	Coverage  RegionViewCoverage  `json:"coverage"` // the region's
}
