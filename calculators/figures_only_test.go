package calculators

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

// TestFiguresOnlyKeepsEverythingButDerivations computes every demo
// filing, with the quarters before it as history, under both factor
// sets and both methodologies, with and without FiguresOnly: the
// metrics must encode the same but for the derivations, which
// FiguresOnly leaves empty, and the flags the derivations raise on the
// way (the 2026.1 MCI's assumptions) must be there either way.
func TestFiguresOnlyKeepsEverythingButDerivations(t *testing.T) {
	var sets []*ledger.FactorSet
	for _, raw := range [][]byte{fixtures.DefaultFactorSet(), fixtures.FactorSet20261()} {
		fs, err := ledger.ParseFactorSet(raw)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, fs)
	}
	flags, computed := 0, 0
	for _, op := range fixtures.Build(ledger.Period{Year: 2026, Quarter: 4}).Operators {
		latest := map[ledger.Period]*ledger.Return{}
		for _, f := range op.Filings {
			r := f.Return
			var earlier []*ledger.Return
			for p, e := range latest {
				if r.Period.Sub(p) > 0 {
					earlier = append(earlier, e)
				}
			}
			for _, fs := range sets {
				for _, m := range []string{ledger.Methodology20251, ledger.Methodology20261} {
					req := Request{Return: &r, ID: "demo", Version: 1, Earlier: earlier, Factors: fs, Methodology: m}
					full, ferr := Compute(req)
					req.FiguresOnly = true
					only, err := Compute(req)
					if (ferr == nil) != (err == nil) {
						t.Fatalf("%s %s %s %s: error %v, and %v with FiguresOnly", r.Operator, r.Period, fs.Version, m, ferr, err)
					}
					if err != nil {
						continue // a grid the older set lacks: both refuse
					}
					if len(only.Derivations) != 0 {
						t.Fatalf("%s %s %s %s: %d derivations with FiguresOnly", r.Operator, r.Period, fs.Version, m, len(only.Derivations))
					}
					if len(full.Derivations) == 0 {
						t.Fatalf("%s %s: no derivations without FiguresOnly", r.Operator, r.Period)
					}
					for _, d := range full.DataQuality {
						if d.Code == DQMCIUtilityDefault || d.Code == DQMCIEfficiencyProxy {
							flags++
						}
					}
					full.Derivations = []Derivation{}
					a, err := json.Marshal(full)
					if err != nil {
						t.Fatal(err)
					}
					b, err := json.Marshal(only)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(a, b) {
						t.Errorf("%s %s %s %s: figures differ with FiguresOnly", r.Operator, r.Period, fs.Version, m)
					}
					computed++
				}
			}
			latest[r.Period] = &r
		}
	}
	if flags == 0 {
		t.Errorf("no MCI assumption flagged in %d computations: the test does not reach flagMCI2026", computed)
	}
	t.Logf("%d computations, %d MCI flags", computed, flags)
}
