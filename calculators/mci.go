package calculators

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// MCIInput holds the fractions of the Material Circularity Indicator
// (Ellen MacArthur Foundation and Granta Design, 2015; 2019 methodology)
// for one product category. M is the mass of the product (kg); the result
// does not depend on it.
type MCIInput struct {
	M  decimal.Decimal // mass of inflow
	Fr decimal.Decimal // feedstock from recycled sources
	Fu decimal.Decimal // feedstock from reused sources
	Cr decimal.Decimal // mass going to recycling after use
	Cu decimal.Decimal // mass going to reuse after use
	Ec decimal.Decimal // efficiency of recycling the collected product
	Ef decimal.Decimal // efficiency of producing recycled feedstock
	X  decimal.Decimal // utility: lifetime / industry-average lifetime
}

// MCIResult is the MCI and every intermediate, so that a derivation can
// show them.
type MCIResult struct {
	Capped bool // Cr + Cu exceeded 1 and were scaled down to sum to 1
	Cr, Cu decimal.Decimal
	V      decimal.Decimal // virgin feedstock: M(1-Fr-Fu)
	W0     decimal.Decimal // unrecoverable waste: M(1-Cr-Cu)
	Wc     decimal.Decimal // waste from recycling the product: M(1-Ec)Cr
	Wf     decimal.Decimal // waste from making recycled feedstock: M(1-Ef)Fr/Ef
	W      decimal.Decimal // W0 + (Wf+Wc)/2
	LFI    decimal.Decimal // (V+W) / (2M + (Wf-Wc)/2)
	FX     decimal.Decimal // 0.9/X
	MCI    decimal.Decimal // max(0, 1 - LFI x F(X))
}

var decPoint9 = decimal.New(9, -1)

// ComputeMCI evaluates the MCI. Cr + Cu above 1 (more sent to reuse and
// recycling than the e-waste estimate) is capped at 1 by scaling both down
// in proportion. The linear flow index uses the methodology's denominator
// 2M + (Wf-Wc)/2; divisions keep DivPrecision places.
func ComputeMCI(in MCIInput) (MCIResult, error) {
	var r MCIResult
	if in.M.Sign() <= 0 {
		return r, fmt.Errorf("mci: mass %s must be > 0", in.M)
	}
	if in.X.Sign() <= 0 {
		return r, fmt.Errorf("mci: utility X %s must be > 0", in.X)
	}
	if in.Ef.Sign() <= 0 && in.Fr.Sign() != 0 {
		return r, fmt.Errorf("mci: feedstock recycling efficiency %s must be > 0 with recycled feedstock", in.Ef)
	}
	for _, f := range []decimal.Decimal{in.Fr, in.Fu, in.Cr, in.Cu, in.Ec, in.Ef} {
		if f.Sign() < 0 {
			return r, fmt.Errorf("mci: fraction %s is negative", f)
		}
	}
	r.Cr, r.Cu = in.Cr, in.Cu
	if sum := in.Cr.Add(in.Cu); sum.Cmp(decOne) > 0 {
		r.Capped = true
		r.Cr = Div(in.Cr, sum)
		r.Cu = decOne.Sub(r.Cr)
	}
	m := in.M
	r.V = m.Mul(decOne.Sub(in.Fr).Sub(in.Fu))
	r.W0 = m.Mul(decOne.Sub(r.Cr).Sub(r.Cu))
	r.Wc = m.Mul(decOne.Sub(in.Ec)).Mul(r.Cr)
	if in.Fr.Sign() != 0 {
		r.Wf = Div(m.Mul(decOne.Sub(in.Ef)).Mul(in.Fr), in.Ef)
	}
	r.W = r.W0.Add(r.Wf.Add(r.Wc).Mul(decHalf))
	den := m.Mul(decTwo).Add(r.Wf.Sub(r.Wc).Mul(decHalf))
	r.LFI = Div(r.V.Add(r.W), den)
	r.FX = Div(decPoint9, in.X)
	r.MCI = decOne.Sub(r.LFI.Mul(r.FX))
	if r.MCI.Sign() < 0 {
		r.MCI = decimal.Zero
	}
	return r, nil
}
