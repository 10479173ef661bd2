package calculators

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestComputeMCI(t *testing.T) {
	one, zero := decimal.NewFromInt(1), decimal.Zero
	for _, tc := range []struct {
		name     string
		in       MCIInput
		lfi, mci decimal.Decimal // exact values, compared to 20 places
	}{
		{
			// Fully linear: V = M, W = W0 = M, LFI = 2M/2M = 1,
			// MCI = 1 - 1 x 0.9/1 = 0.1.
			name: "fully linear, X = 1",
			in:   MCIInput{M: d("1000"), Ec: d("0.55"), Ef: d("0.55"), X: one},
			lfi:  one, mci: d("0.1"),
		},
		{
			// Fr = Cr = 1, Ec = Ef = 1: V = 0, W0 = 0, Wc = 0, Wf = 0,
			// LFI = 0, MCI = 1.
			name: "fully restorative",
			in:   MCIInput{M: d("5"), Fr: one, Cr: one, Ec: one, Ef: one, X: one},
			lfi:  zero, mci: one,
		},
		{
			// M = 0.171, Fr = 0.2, Fu = 0, Cr = 0.3, Cu = 0.1, Ec = Ef = 0.8,
			// X = 3/2.5 = 1.2.
			// V  = M(1-0.2)            = 0.8 M
			// W0 = M(1-0.3-0.1)        = 0.6 M
			// Wc = M(1-0.8)(0.3)       = 0.06 M
			// Wf = M(1-0.8)(0.2)/0.8   = 0.05 M
			// W  = 0.6M + (0.05M+0.06M)/2 = 0.655 M
			// LFI = (0.8+0.655)M / (2M + (0.05-0.06)M/2) = 1.455/1.995 = 97/133
			// F(X) = 0.9/1.2 = 0.75
			// MCI = 1 - 0.75 x 97/133 = 1 - 291/532 = 241/532
			name: "worked example",
			in: MCIInput{M: d("0.171"), Fr: d("0.2"), Cr: d("0.3"), Cu: d("0.1"),
				Ec: d("0.8"), Ef: d("0.8"), X: d("3").DivRound(d("2.5"), 30)},
			lfi: d("97").DivRound(d("133"), 40),
			mci: d("241").DivRound(d("532"), 40),
		},
		{
			// Very short life, fully linear: 1 - 1 x 0.9/0.5 < 0, floored at 0.
			name: "floored at zero",
			in:   MCIInput{M: d("1"), Ec: d("0.5"), Ef: d("0.5"), X: d("0.5")},
			lfi:  one, mci: zero,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ComputeMCI(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !r.LFI.Round(20).Equal(tc.lfi.Round(20)) {
				t.Errorf("LFI = %s, want %s", r.LFI, tc.lfi)
			}
			if !r.MCI.Round(20).Equal(tc.mci.Round(20)) {
				t.Errorf("MCI = %s, want %s", r.MCI, tc.mci)
			}
		})
	}
}

func TestComputeMCICapsCollection(t *testing.T) {
	// Cr = 0.9, Cu = 0.6: sum 1.5 is scaled to Cr = 0.6, Cu = 0.4.
	r, err := ComputeMCI(MCIInput{M: d("1"), Cr: d("0.9"), Cu: d("0.6"), Ec: d("1"), Ef: d("1"), X: d("1")})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Capped || !r.Cr.Equal(d("0.6")) || !r.Cu.Equal(d("0.4")) {
		t.Fatalf("cap: capped=%v Cr=%s Cu=%s", r.Capped, r.Cr, r.Cu)
	}
	// V = 1, W = 0, LFI = 1/2, MCI = 1 - 0.45 = 0.55.
	if !r.MCI.Equal(d("0.55")) {
		t.Errorf("MCI = %s, want 0.55", r.MCI)
	}
	if _, err := ComputeMCI(MCIInput{X: d("1")}); err == nil {
		t.Error("M = 0 did not fail")
	}
}
