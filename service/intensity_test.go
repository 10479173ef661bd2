package service

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

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
