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
type FactorSet struct {
	Version     string                    `json:"version"`
	Published   string                    `json:"published"`
	GWPDefault  string                    `json:"gwp_default"`
	Sources     map[string]string         `json:"sources"`
	Grid        map[string]GridFactor     `json:"grid"`
	ResidualMix map[string]GridFactor     `json:"residual_mix"`
	Fuels       map[string]FuelFactor     `json:"fuels"`
	GWP         map[string]map[string]Dec `json:"gwp"`
	NonKyoto    []string                  `json:"non_kyoto"`
	Devices     map[string]DeviceFactor   `json:"devices"`
	WEEETargets map[string]WEEETarget     `json:"weee_targets"`
}

// Dec is a decimal that must be written as a JSON string in a factor set.
type Dec = decimal.Decimal

// GridFactor is the average (or residual-mix) emission factor of a grid.
type GridFactor struct {
	Name         string          `json:"name,omitempty"`
	KgCO2ePerKWh decimal.Decimal `json:"kgco2e_per_kwh"`
	Year         int             `json:"year,omitempty"`
	Note         string          `json:"note,omitempty"`
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
	Note                 string           `json:"note,omitempty"`
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
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Path < errs[j].Path })
	return errs
}

// GridFactorOf returns the average factor of a grid region.
func (fs *FactorSet) GridFactorOf(grid string) (GridFactor, bool) {
	g, ok := fs.Grid[grid]
	return g, ok
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
