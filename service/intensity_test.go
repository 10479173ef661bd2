package service

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

func TestSectorValuesKeepTheNewerEntry(t *testing.T) {
	v := func(s string) calculators.Value { return calculators.Some(decimal.RequireFromString(s)) }
	sv := newSectorValues()
	sv.set("x", intensity{seq: 5, v: v("1")})
	sv.set("y", intensity{seq: 2, v: v("2")})
	sv.set("x", intensity{seq: 3, v: v("9")}) // older: ignored
	sv.set("y", intensity{seq: 7, v: v("8")})
	sv.set("z", intensity{seq: 1, v: calculators.None})
	if sv.by["x"].seq != 5 || sv.by["y"].seq != 7 || len(sv.by) != 3 {
		t.Fatalf("by: %+v", sv.by)
	}
	if fmt.Sprint(sv.sorted) != "[1 8]" {
		t.Fatalf("sorted: %v", sv.sorted)
	}
}

// TestMedianOfOthersMatchesASort: after any sequence of updates, the
// median of the others is what sorting the others' values gives, with
// equal values, unavailable values and operators coming and going.
func TestMedianOfOthersMatchesASort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	sv := newSectorValues()
	seq := uint64(0)
	ops := []string{"a", "b", "c", "d", "e", "f", "g"}
	for step := range 3000 {
		op := ops[rng.IntN(len(ops))]
		seq++
		x := intensity{seq: seq, v: calculators.None}
		if rng.IntN(6) != 0 {
			// Few distinct values, some equal in value but not in form.
			d := decimal.NewFromInt(int64(rng.IntN(5)))
			if rng.IntN(2) == 0 {
				d = decimal.RequireFromString(d.String() + ".50")
			}
			x.v = calculators.Some(d)
		}
		sv.set(op, x)
		if !slices.IsSortedFunc(sv.sorted, decimal.Decimal.Cmp) {
			t.Fatalf("step %d: not sorted: %v", step, sv.sorted)
		}
		for _, me := range ops {
			var others []decimal.Decimal
			for o, y := range sv.by {
				if o != me && y.v.OK {
					others = append(others, y.v.D)
				}
			}
			med, n := sv.medianOfOthers(me)
			if n != len(others) || (n > 0 && med.Cmp(calculators.Median(others)) != 0) {
				t.Fatalf("step %d, %s: median %v of %d, a sort gives %v of %d", step, me, med, n, calculators.Median(others), len(others))
			}
		}
	}
}

// TestMarkOutliersMatchesPerRowMedians: the sector view's outliers, from
// one sorted list, are those of each row against a sort of the others.
func TestMarkOutliersMatchesPerRowMedians(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 200 {
		out := &SectorMetrics{Period: "2025-Q3"}
		for i := range 1 + rng.IntN(9) {
			v := calculators.None
			if rng.IntN(5) != 0 {
				v = calculators.Some(decimal.NewFromInt(int64(1 + rng.IntN(40))))
			}
			out.Rows = append(out.Rows, SectorRow{Operator: fmt.Sprint("op", i), Metrics: map[string]calculators.Value{outlierMetric: v}})
		}
		markOutliers(out)
		for i, row := range out.Rows {
			v := row.Metrics[outlierMetric]
			var others []decimal.Decimal
			for j, o := range out.Rows {
				if ov := o.Metrics[outlierMetric]; j != i && ov.OK {
					others = append(others, ov.D)
				}
			}
			want := 0
			if v.OK {
				if _, ok := outlierWarning(v.D, others, out.Period); ok {
					want = 1
				}
			}
			if len(row.Outliers) != want || (want == 1 && row.Outliers[0].Message == "") {
				t.Fatalf("round %d row %d (%v, others %v): %d outliers, want %d", round, i, v, others, len(row.Outliers), want)
			}
			if want == 1 {
				w, _ := outlierWarning(v.D, others, out.Period)
				if w != row.Outliers[0] {
					t.Fatalf("round %d row %d: %+v, want %+v", round, i, row.Outliers[0], w)
				}
			}
		}
	}
}
