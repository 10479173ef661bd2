package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// FactorSet is a versioned, immutable set of emission factors, GWPs and
// device parameters, each with its source. Metrics always name the version
// they were computed with; publishing a new version never changes metrics
// already computed under an older one.
//
// Every field added after apt-2025.1 is omitted when empty, so that a set
// of the older shape encodes (and its ledger entry, and every document
// made from it, stays) byte for byte as before.
type FactorSet struct {
	Version string `json:"version"`
	// Methodology is the methodology the set is meant for; empty means
	// "2025.1" (apt-2025.1 predates the field). See MethodologyOf.
	Methodology string `json:"methodology,omitempty"`
	Published   string `json:"published"`
	// BasedOn names the version this set was derived from.
	BasedOn    string                `json:"based_on,omitempty"`
	GWPDefault string                `json:"gwp_default"`
	Sources    map[string]string     `json:"sources"`
	Grid       map[string]GridFactor `json:"grid"`
	// GridAliases maps a grid key that may be filed to the key of the
	// grid it means (AU-ACT is in AU-NSW).
	GridAliases map[string]string         `json:"grid_aliases,omitempty"`
	ResidualMix map[string]GridFactor     `json:"residual_mix"`
	Markets     map[string]Market         `json:"markets,omitempty"`
	Fuels       map[string]FuelFactor     `json:"fuels"`
	GWP         map[string]map[string]Dec `json:"gwp"`
	NonKyoto    []string                  `json:"non_kyoto"`
	// ODP is the ozone-depleting potential of each gas that has one, in
	// kg CFC-11e per kg.
	ODP map[string]Dec `json:"odp,omitempty"`
	// GensetKWhPerL is the electricity a small site diesel generator
	// makes per litre (methodology 2026.1 G4), only with a source under
	// Sources["genset"]; nil when no sourced value is known.
	GensetKWhPerL *Dec                    `json:"genset_kwh_per_l,omitempty"`
	Devices       map[string]DeviceFactor `json:"devices"`
	WEEETargets   map[string]WEEETarget   `json:"weee_targets"`
}

// Dec is a decimal that must be written as a JSON string in a factor set.
type Dec = decimal.Decimal

// GridFactor is the emission factor of a grid (or its residual mix), or
// one alternative to it. A set of the apt-2025.1 shape gives
// KgCO2ePerKWh and Year; a later set gives Value with its unit, gas,
// basis, year and source (methodology 2026.1 G1). Factor and DataYearOf
// read either shape.
type GridFactor struct {
	Name         string           `json:"name,omitempty"`
	KgCO2ePerKWh *decimal.Decimal `json:"kgco2e_per_kwh,omitempty"`
	Year         int              `json:"year,omitempty"`
	Note         string           `json:"note,omitempty"`

	Value *decimal.Decimal `json:"value,omitempty"`
	Unit  string           `json:"unit,omitempty"` // "kg/kWh"
	Gas   string           `json:"gas,omitempty"`  // "co2" or "co2e"
	GWP   string           `json:"gwp,omitempty"`  // GWP set of a co2e value, when stated
	// Basis is one of GridBases (ResidualMixBases for a residual mix).
	Basis          string `json:"basis,omitempty"`
	BasisConfirmed *bool  `json:"basis_confirmed,omitempty"`
	PublisherLabel string `json:"publisher_label,omitempty"`
	// LossesIncluded is true where the factor is at the point of
	// consumption (transmission and distribution losses inside).
	LossesIncluded bool           `json:"losses_included,omitempty"`
	DataYear       *int           `json:"data_year,omitempty"`
	Period         string         `json:"period,omitempty"`
	Published      string         `json:"published,omitempty"`
	EffectiveFrom  string         `json:"effective_from,omitempty"`
	Publisher      string         `json:"publisher,omitempty"`
	PublisherURL   string         `json:"publisher_url,omitempty"`
	Document       string         `json:"document,omitempty"`
	URL            string         `json:"url,omitempty"`
	Evidence       string         `json:"evidence,omitempty"` // one of Evidences
	Flags          []string       `json:"flags,omitempty"`
	ByGasKgCO2e    map[string]Dec `json:"by_gas_kgco2e,omitempty"`
	// Scope3Cat3 is the same publisher's upstream (and T&D) factor, or
	// nil with the reason in Scope3Cat3Reason.
	Scope3Cat3       *UpstreamFactor `json:"scope3_cat3,omitempty"`
	Scope3Cat3Reason string          `json:"scope3_cat3_reason,omitempty"`
	// Alternatives are other published factors of the grid, each with
	// its basis; the methodology chooses among them and Value.
	Alternatives []GridFactor `json:"alternatives,omitempty"`
}

// UpstreamFactor is a grid's scope 3 category 3 factor (upstream fuel,
// and transmission and distribution losses where they are outside the
// scope 2 factor), from the publisher of the grid factor.
type UpstreamFactor struct {
	Value     decimal.Decimal `json:"value"`
	Unit      string          `json:"unit,omitempty"`
	Gas       string          `json:"gas,omitempty"`
	Covers    string          `json:"covers,omitempty"`
	Publisher string          `json:"publisher,omitempty"`
	URL       string          `json:"url,omitempty"`
	Evidence  string          `json:"evidence,omitempty"`
}

// Market is what a factor set records of a renewable-electricity market
// (a country): its certificate systems, with sources.
type Market struct {
	CertificateSystems  []CertificateSystem `json:"certificate_systems,omitempty"`
	NoCertificateSystem bool                `json:"no_certificate_system,omitempty"`
	Note                string              `json:"note,omitempty"`
}

// CertificateSystem is one energy attribute certificate system of a market.
type CertificateSystem struct {
	Name     string `json:"name"`
	Note     string `json:"note,omitempty"`
	URL      string `json:"url,omitempty"`
	Evidence string `json:"evidence,omitempty"`
	AlsoRead string `json:"also_read,omitempty"`
}

// Factor is the grid factor in kg per kWh, whichever shape gave it.
func (g GridFactor) Factor() decimal.Decimal {
	switch {
	case g.Value != nil:
		return *g.Value
	case g.KgCO2ePerKWh != nil:
		return *g.KgCO2ePerKWh
	}
	return decimal.Zero
}

// FactorField is the name of the field that holds the factor, for the
// key a derivation cites ("value" or "kgco2e_per_kwh").
func (g GridFactor) FactorField() string {
	if g.Value != nil {
		return "value"
	}
	return "kgco2e_per_kwh"
}

// DataYearOf is the year of the data behind the factor, when stated.
func (g GridFactor) DataYearOf() (int, bool) {
	switch {
	case g.DataYear != nil:
		return *g.DataYear, true
	case g.Year != 0:
		return g.Year, true
	}
	return 0, false
}

// FuelFactor holds a fuel's physical properties and combustion factors
// (IPCC 2006 Vol 2).
type FuelFactor struct {
	DensityKgPerL  *decimal.Decimal `json:"density_kg_per_l,omitempty"`
	DensityKgPerM3 *decimal.Decimal `json:"density_kg_per_m3,omitempty"`
	NCVGJPerT      decimal.Decimal  `json:"ncv_gj_per_t"`
	CO2KgPerTJ     decimal.Decimal  `json:"co2_kg_per_tj"`
	Biogenic       bool             `json:"biogenic,omitempty"`
	Stationary     GasFactors       `json:"stationary"`
	Mobile         GasFactors       `json:"mobile"`
	// GCVPerNCV is the ratio of gross to net calorific value, where the
	// set gives one (methodology 2026.1 G5).
	GCVPerNCV *decimal.Decimal `json:"gcv_per_ncv,omitempty"`
}

// GasFactors are the CH4 and N2O factors of one use of a fuel.
type GasFactors struct {
	CH4KgPerTJ decimal.Decimal `json:"ch4_kg_per_tj"`
	N2OKgPerTJ decimal.Decimal `json:"n2o_kg_per_tj"`
}

// DeviceFactor holds a device category's lifetime distribution and
// recycling efficiency. Categories outside the WEEE scheme have no
// lifetime distribution (nil shape and scale).
type DeviceFactor struct {
	UNUKey               *string          `json:"unu_key"`
	WEEECategory         *int             `json:"weee_category"`
	WeibullShape         *decimal.Decimal `json:"weibull_shape,omitempty"`
	WeibullScale         *decimal.Decimal `json:"weibull_scale,omitempty"`
	AverageLifetimeYears *decimal.Decimal `json:"average_lifetime_years,omitempty"`
	RecyclingEfficiency  *decimal.Decimal `json:"recycling_efficiency,omitempty"`
	// UseLifeYears is the category's industry-average use life, L_use of
	// the MCI utility X = L / L_use (methodology 2026.1 W2); it comes
	// with UseLifeSource. Nil where none is published: X is then 1.
	UseLifeYears  *decimal.Decimal `json:"use_life_years,omitempty"`
	UseLifeSource string           `json:"use_life_source,omitempty"`
	Note          string           `json:"note,omitempty"`
}

// WEEETarget is a WEEE Directive Annex V target pair, in percent.
type WEEETarget struct {
	RecoveryPct          decimal.Decimal `json:"recovery_pct"`
	ReuseAndRecyclingPct decimal.Decimal `json:"reuse_and_recycling_pct"`
}

// ParseFactorSet reads a factor set from JSON and checks that it is
// complete enough to compute with. Unknown fields are rejected so that a
// typo cannot silently drop a factor.
func ParseFactorSet(b []byte) (*FactorSet, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var fs FactorSet
	if err := dec.Decode(&fs); err != nil {
		return nil, &Error{Code: EInvalid, Message: "factor set: " + err.Error()}
	}
	if errs := fs.Check(); len(errs) > 0 {
		return nil, &Error{Code: EInvalid, Message: "factor set is incomplete", Fields: errs}
	}
	return &fs, nil
}

// Check lists what makes the factor set unusable, each with its path.
func (fs *FactorSet) Check() []FieldError {
	var errs []FieldError
	add := func(path, msg string) { errs = append(errs, FieldError{Path: path, Message: msg}) }
	if !validFactorSetVersion(fs.Version) {
		add("version", "must be 1-40 characters of letters, digits, '.', '-' or '_'")
	}
	if len(fs.Grid) == 0 {
		add("grid", "must list at least one grid")
	}
	for _, gwp := range []string{"ar6", "ar5"} {
		g, ok := fs.GWP[gwp]
		if !ok {
			add("gwp."+gwp, "is missing")
			continue
		}
		for _, gas := range append([]string{"co2", "ch4", "n2o"}, Gases...) {
			if _, ok := g[gas]; !ok {
				add("gwp."+gwp+"."+gas, "is missing")
			}
		}
	}
	if fs.GWPDefault != "ar6" && fs.GWPDefault != "ar5" {
		add("gwp_default", "must be ar6 or ar5")
	}
	for _, f := range []string{"diesel", "petrol", "lpg", "natural_gas", "biodiesel"} {
		ff, ok := fs.Fuels[f]
		if !ok {
			add("fuels."+f, "is missing")
			continue
		}
		if ff.NCVGJPerT.Sign() <= 0 {
			add("fuels."+f+".ncv_gj_per_t", "must be > 0")
		}
	}
	for _, c := range DeviceCategories {
		d, ok := fs.Devices[c]
		if !ok {
			add("devices."+c, "is missing")
			continue
		}
		if (d.WeibullShape == nil) != (d.WeibullScale == nil) {
			add("devices."+c, "weibull_shape and weibull_scale go together")
		}
		if d.WeibullShape != nil && (d.WeibullShape.Sign() <= 0 || d.WeibullScale.Sign() <= 0) {
			add("devices."+c, "weibull parameters must be > 0")
		}
		if d.UseLifeYears != nil && (d.UseLifeYears.Sign() <= 0 || d.UseLifeSource == "") {
			add("devices."+c+".use_life_years", "must be > 0 and come with use_life_source")
		}
	}
	for k, g := range fs.Grid {
		if g.Value == nil && g.KgCO2ePerKWh == nil {
			add("grid."+k, "needs a factor: value (or kgco2e_per_kwh in the apt-2025.1 shape)")
		}
	}
	fs.checkMethodology(add)
	sort.Slice(errs, func(i, j int) bool { return errs[i].Path < errs[j].Path })
	return errs
}

// GridFactorOf returns the factor of a grid key, following the set's
// aliases (AU-ACT gives AU-NSW's factor).
func (fs *FactorSet) GridFactorOf(grid string) (GridFactor, bool) {
	g, ok := fs.Grid[fs.CanonicalGrid(grid)]
	return g, ok
}

// CanonicalGrid is the grid key an alias stands for, or grid itself.
func (fs *FactorSet) CanonicalGrid(grid string) string {
	if to, ok := fs.GridAliases[grid]; ok {
		return to
	}
	return grid
}

// GWPOf returns the global warming potential of a gas in a GWP set
// ("ar6" or "ar5").
func (fs *FactorSet) GWPOf(set, gas string) (decimal.Decimal, error) {
	g, ok := fs.GWP[set]
	if !ok {
		return decimal.Zero, fmt.Errorf("factor set %s has no GWP set %q", fs.Version, set)
	}
	v, ok := g[gas]
	if !ok {
		return decimal.Zero, fmt.Errorf("factor set %s has no %s GWP for %s", fs.Version, set, gas)
	}
	return v, nil
}

// IsNonKyoto reports whether a gas is reported outside the Kyoto basket.
func (fs *FactorSet) IsNonKyoto(gas string) bool { return OneOf(gas, fs.NonKyoto) }

func validFactorSetVersion(v string) bool {
	if len(v) < 1 || len(v) > 40 {
		return false
	}
	for _, r := range v {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
		default:
			return false
		}
	}
	return true
}
