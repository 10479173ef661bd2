package calculators

import (
	"strconv"

	"github.com/shopspring/decimal"
)

// mciWeight is one category's MCI and its weight (inflow kg) in a
// mass-weighted total.
type mciWeight struct {
	M, MCI decimal.Decimal
	OK     bool
	Basis  string
}

// mciInputs turns a category's parts and factors into MCI inputs. basis is
// "generated" when the rolling window is complete (all 4 quarters have
// returns): E is the Weibull estimate and reuse/recycling are the window's;
// otherwise "collected": E is the period's collected mass and
// reuse/recycling are the period's. reason is set when the MCI cannot be
// computed.
func mciInputs(p E2Parts, f E2Factors) (in MCIInput, basis, reason string) {
	if !f.hasMCI() {
		return in, "", "the factor set gives this category no lifetime distribution, average lifetime or recycling efficiency"
	}
	var e, recycled, reused decimal.Decimal
	if p.WindowReturns >= 4 && p.EwasteGeneratedKg != nil {
		basis = "generated"
		e, recycled, reused = *p.EwasteGeneratedKg, p.WindowRecycledKg, p.WindowReusedKg
	} else {
		basis = "collected"
		e, recycled, reused = p.CollectedKg, p.RecycledKg, p.ReusedKg
	}
	switch {
	case p.InflowKg.Sign() <= 0:
		return in, basis, "no inflow in the period (M = 0)"
	case e.Sign() <= 0 && basis == "generated":
		return in, basis, "the e-waste generated estimate is zero (no inflow history)"
	case e.Sign() <= 0:
		return in, basis, "the rolling year is incomplete and nothing was collected in the period"
	}
	lav := *f.AverageLifetimeYears
	in = MCIInput{
		M:  p.InflowKg,
		Fr: Div(p.RecycledContentKg, p.InflowKg),
		Fu: Div(p.ReusedContentKg, p.InflowKg),
		Cr: Div(recycled, e),
		Cu: Div(reused, e),
		Ec: *f.RecyclingEfficiency,
		Ef: *f.RecyclingEfficiency,
		X:  Div(p.LifetimeKgYears, p.InflowKg.Mul(lav)),
	}
	return in, basis, ""
}

// categoryMCI sets v.MCI and v.MCIBasis from one category's (or cell's)
// parts and returns its weight for a total. m26 selects the inputs of
// methodology 2026.1 (the generated basis only).
func categoryMCI(v *E2Values, p E2Parts, f E2Factors, m26 bool, path string, tr *Trace) mciWeight {
	var in MCIInput
	var basis, reason string
	if m26 {
		pl := mciInputs2026(p, f)
		in, basis, reason = pl.in, "generated", pl.reason
	} else {
		in, basis, reason = mciInputs(p, f)
	}
	if reason != "" {
		missing(tr, path+".mci", reason)
		return mciWeight{}
	}
	r, err := ComputeMCI(in)
	if err != nil {
		missing(tr, path+".mci", err.Error())
		return mciWeight{}
	}
	v.MCI = Some(r.MCI)
	v.MCIBasis = basis
	return mciWeight{M: p.InflowKg, MCI: r.MCI, OK: true, Basis: basis}
}

// weightedMCI sets the inflow-weighted mean of the available MCIs.
func weightedMCI(v *E2Values, ws []mciWeight, path string, tr *Trace) {
	var num, den decimal.Decimal
	for _, w := range ws {
		if !w.OK {
			continue
		}
		num = num.Add(w.M.Mul(w.MCI))
		den = den.Add(w.M)
		switch v.MCIBasis {
		case "":
			v.MCIBasis = w.Basis
		case w.Basis:
		default:
			v.MCIBasis = "mixed"
		}
	}
	if den.Sign() <= 0 {
		missing(tr, path+".mci", "no category here has an MCI")
		return
	}
	v.MCI = Some(Div(num, den))
}

// weeeTargets compares a category's rates with its WEEE Annex V targets.
func weeeTargets(v E2Values, f E2Factors, path string, tr *Trace) *WEEETargets {
	metric := path + ".weee_targets"
	if f.WEEECategory == nil {
		missing(tr, metric, "the category is outside the WEEE scheme (no WEEE category in the factor set)")
		return nil
	}
	if f.WEEETarget == nil {
		missing(tr, metric, "the factor set has no Annex V targets for WEEE category "+strconv.Itoa(*f.WEEECategory))
		return nil
	}
	w := &WEEETargets{
		WEEECategory:               *f.WEEECategory,
		RecoveryTargetPct:          Some(f.WEEETarget.RecoveryPct),
		ReuseAndRecyclingTargetPct: Some(f.WEEETarget.ReuseAndRecyclingPct),
		RecoveryRatePct:            v.RecoveryRatePct,
		ReuseAndRecyclingRatePct:   v.ReuseAndRecyclingRatePct,
	}
	if v.RecoveryRatePct.OK {
		met := v.RecoveryRatePct.D.Cmp(f.WEEETarget.RecoveryPct) >= 0
		w.RecoveryMet = &met
	}
	if v.ReuseAndRecyclingRatePct.OK {
		met := v.ReuseAndRecyclingRatePct.D.Cmp(f.WEEETarget.ReuseAndRecyclingPct) >= 0
		w.ReuseAndRecyclingMet = &met
	}
	return w
}
