package calculators

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// combustion is what burning one fuel quantity gives, all exact: energy on
// a net calorific basis and the gases of IPCC 2006 Vol 2 (Tier 1).
type combustion struct {
	EnergyGJ decimal.Decimal // fossil and bio parts together
	BioGJ    decimal.Decimal // the bio part of a blend
	CO2Kg    decimal.Decimal // fossil CO2 (scope 1)
	BioCO2Kg decimal.Decimal // biogenic CO2 (outside the scopes)
	CH4Kg    decimal.Decimal // whole quantity (scope 1)
	N2OKg    decimal.Decimal // whole quantity (scope 1)
}

func (c combustion) plus(o combustion) combustion {
	return combustion{
		EnergyGJ: c.EnergyGJ.Add(o.EnergyGJ),
		BioGJ:    c.BioGJ.Add(o.BioGJ),
		CO2Kg:    c.CO2Kg.Add(o.CO2Kg),
		BioCO2Kg: c.BioCO2Kg.Add(o.BioCO2Kg),
		CH4Kg:    c.CH4Kg.Add(o.CH4Kg),
		N2OKg:    c.N2OKg.Add(o.N2OKg),
	}
}

// co2eKg is the scope 1 CO2e of the combustion: fossil CO2 x GWP(CO2) +
// CH4 x GWP(CH4) + N2O x GWP(N2O). Biogenic CO2 is not included.
func (c combustion) co2eKg(g gwpSet) decimal.Decimal {
	return c.CO2Kg.Mul(g.CO2).Add(c.CH4Kg.Mul(g.CH4)).Add(c.N2OKg.Mul(g.N2O))
}

// gwpSet holds the GWP-100 of the combustion gases in the chosen set.
type gwpSet struct {
	Name          string // "ar6" or "ar5"
	CO2, CH4, N2O decimal.Decimal
}

// e1FactorLog collects the factors a derivation used, once each, with the
// source text the factor set gives for their group.
type e1FactorLog struct {
	fs   *ledger.FactorSet
	seen map[string]bool
	list []FactorRef
	also *e1FactorLog // receives every factor this log receives
}

func newE1FactorLog(fs *ledger.FactorSet) *e1FactorLog {
	return &e1FactorLog{fs: fs, seen: map[string]bool{}}
}

// use records factor key (e.g. "fuel.diesel.co2_kg_per_tj") with its value,
// unit and the factor set's source for group (a key of its sources map).
func (l *e1FactorLog) use(key string, v decimal.Decimal, unit, group string) {
	if l == nil {
		return
	}
	l.also.use(key, v, unit, group)
	if l.seen[key] {
		return
	}
	l.seen[key] = true
	src := l.fs.Sources[group]
	if src == "" {
		src = "factor set " + l.fs.Version + " (no source text for " + group + ")"
	}
	l.list = append(l.list, FactorRef{Key: key, Value: v.String(), Unit: unit, Source: src})
}

// useSourced records factor key with the source text given, for
// factors that carry their own source (grid factors of a sourced set).
func (l *e1FactorLog) useSourced(key string, v decimal.Decimal, unit, source string) {
	if l == nil {
		return
	}
	l.also.useSourced(key, v, unit, source)
	if l.seen[key] {
		return
	}
	l.seen[key] = true
	l.list = append(l.list, FactorRef{Key: key, Value: v.String(), Unit: unit, Source: source})
}

// refs returns the factors used so far.
func (l *e1FactorLog) refs() []FactorRef {
	if l == nil || len(l.list) == 0 {
		return []FactorRef{}
	}
	return append([]FactorRef(nil), l.list...)
}

// e1Invalid builds the EInvalid error of one field.
func e1Invalid(fs *ledger.FactorSet, path, format string, args ...any) *ledger.Error {
	msg := fmt.Sprintf(format, args...)
	return &ledger.Error{
		Code:    ledger.EInvalid,
		Message: "cannot compute E1 with factor set " + fs.Version + ": " + path + ": " + msg,
		Fields:  []ledger.FieldError{{Path: path, Message: msg}},
	}
}

// burnFuel computes one fuel row: biodiesel_blend is split into its fossil
// part (as diesel) and bio part (the factor set's biodiesel entry) by
// bio_share; every other fuel is burnt as is. path names the row for errors.
// Energy factors (density, NCV) go to elog, emission factors to glog.
func burnFuel(fs *ledger.FactorSet, path, fuel, use string, qty decimal.Decimal, unit string,
	bioShare *decimal.Decimal, elog, glog *e1FactorLog) (combustion, error) {
	if fuel != "biodiesel_blend" {
		return burn(fs, path, fuel, use, qty, unit, elog, glog)
	}
	if unit != "l" {
		return combustion{}, e1Invalid(fs, path+".unit", "biodiesel_blend must be given in l, not %q", unit)
	}
	if bioShare == nil {
		return combustion{}, e1Invalid(fs, path+".bio_share", "is required for biodiesel_blend")
	}
	b := *bioShare
	if b.Sign() < 0 || b.GreaterThan(decimal.NewFromInt(1)) {
		return combustion{}, e1Invalid(fs, path+".bio_share", "must be between 0 and 1, got %s", b)
	}
	fossil, err := burn(fs, path, "diesel", use, qty.Mul(decimal.NewFromInt(1).Sub(b)), unit, elog, glog)
	if err != nil {
		return combustion{}, err
	}
	bio, err := burn(fs, path, "biodiesel", use, qty.Mul(b), unit, elog, glog)
	if err != nil {
		return combustion{}, err
	}
	return fossil.plus(bio), nil
}

// burn computes energy and gases of qty of one factor-set fuel:
// litres x density -> kg; kg / 1000 x NCV -> GJ; GJ / 1000 -> TJ;
// TJ x EF -> kg of each gas. gj and kwh quantities are energy already.
// A fuel marked biogenic in the factor set gives biogenic CO2. Energy
// factors are logged to elog, emission factors to glog.
func burn(fs *ledger.FactorSet, path, fuel, use string, qty decimal.Decimal, unit string, elog, glog *e1FactorLog) (combustion, error) {
	ff, ok := fs.Fuels[fuel]
	if !ok {
		return combustion{}, e1Invalid(fs, path+".fuel", "factor set has no fuel %q", fuel)
	}
	key := "fuel." + fuel
	var gj decimal.Decimal
	switch unit {
	case "l", "kg", "m3":
		mass := qty
		switch unit {
		case "l":
			if ff.DensityKgPerL == nil {
				return combustion{}, e1Invalid(fs, path+".unit", "factor set has no density_kg_per_l for %s", fuel)
			}
			mass = qty.Mul(*ff.DensityKgPerL)
			elog.use(key+".density_kg_per_l", *ff.DensityKgPerL, "kg/l", "fuels")
		case "m3":
			if ff.DensityKgPerM3 == nil {
				return combustion{}, e1Invalid(fs, path+".unit", "factor set has no density_kg_per_m3 for %s", fuel)
			}
			mass = qty.Mul(*ff.DensityKgPerM3)
			elog.use(key+".density_kg_per_m3", *ff.DensityKgPerM3, "kg/m3", "fuels")
		}
		gj = mass.Shift(-3).Mul(ff.NCVGJPerT)
		elog.use(key+".ncv_gj_per_t", ff.NCVGJPerT, "GJ/t", "fuels")
	case "gj":
		gj = qty
	case "kwh":
		gj = qty.Mul(e1GJPerKWh)
	default:
		return combustion{}, e1Invalid(fs, path+".unit", "unknown unit %q (allowed: l, kg, m3, gj, kwh)", unit)
	}
	var gases ledger.GasFactors
	switch use {
	case "stationary":
		gases = ff.Stationary
	case "mobile":
		gases = ff.Mobile
	default:
		return combustion{}, e1Invalid(fs, path+".use", "unknown use %q (allowed: stationary, mobile)", use)
	}
	tj := gj.Shift(-3)
	c := combustion{
		EnergyGJ: gj,
		CH4Kg:    tj.Mul(gases.CH4KgPerTJ),
		N2OKg:    tj.Mul(gases.N2OKgPerTJ),
	}
	co2 := tj.Mul(ff.CO2KgPerTJ)
	if ff.Biogenic {
		c.BioGJ, c.BioCO2Kg = gj, co2
	} else {
		c.CO2Kg = co2
	}
	glog.use(key+".co2_kg_per_tj", ff.CO2KgPerTJ, "kg/TJ", "fuels")
	glog.use(key+"."+use+".ch4_kg_per_tj", gases.CH4KgPerTJ, "kg/TJ", "fuels")
	glog.use(key+"."+use+".n2o_kg_per_tj", gases.N2OKgPerTJ, "kg/TJ", "fuels")
	return c, nil
}

// gwpOf returns the combustion-gas GWPs of set, checked.
func gwpOf(fs *ledger.FactorSet, set string) (gwpSet, error) {
	g := gwpSet{Name: set}
	for _, p := range []struct {
		gas string
		dst *decimal.Decimal
	}{{"co2", &g.CO2}, {"ch4", &g.CH4}, {"n2o", &g.N2O}} {
		v, err := fs.GWPOf(set, p.gas)
		if err != nil {
			return gwpSet{}, &ledger.Error{Code: ledger.EInvalid, Message: err.Error(), Err: err}
		}
		*p.dst = v
	}
	return g, nil
}

// logGWP records the combustion-gas GWPs in a derivation's factors.
func (l *e1FactorLog) logGWP(g gwpSet) {
	l.use("gwp."+g.Name+".co2", g.CO2, "", "gwp")
	l.use("gwp."+g.Name+".ch4", g.CH4, "", "gwp")
	l.use("gwp."+g.Name+".n2o", g.N2O, "", "gwp")
}
