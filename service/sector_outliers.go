package service

import (
	"slices"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

// outlierMetric is the intensity the sector view checks against the
// median of the other operators.
const outlierMetric = "e1.network_energy_per_tb_kwh"

// markOutliers sets every row's Outliers: its energy per TB compared, as
// the view stands now, with the median of the other operators in the view
// that have a value, under the same rule as the filing warning (more than
// 3x or less than 1/3, at least two others). The filing warning could only
// compare with the operators that had filed before; this check also
// catches an early filer once the others are in. Rows without a value get
// none, and are left out of the others' medians.
//
// The values are sorted once; each row's median of the others skips the
// row's own value in that order (a sort per row took seconds with
// thousands of operators).
func markOutliers(out *SectorMetrics) {
	var sorted []decimal.Decimal
	for _, row := range out.Rows {
		if v := row.Metrics[outlierMetric]; v.OK {
			sorted = append(sorted, v.D)
		}
	}
	slices.SortFunc(sorted, decimal.Decimal.Cmp)
	for i := range out.Rows {
		out.Rows[i].Outliers = []ledger.Warning{}
		v := out.Rows[i].Metrics[outlierMetric]
		if !v.OK {
			continue
		}
		own, _ := slices.BinarySearchFunc(sorted, v.D, decimal.Decimal.Cmp)
		med, n := medianSkipping(sorted, own)
		if w, ok := outlierAgainst(v.D, med, n, out.Period); ok {
			out.Rows[i].Outliers = append(out.Rows[i].Outliers, w)
		}
	}
}

// medianSkipping is the median of sorted without the element at index
// skip (none when skip < 0), as calculators.Median computes it, and how
// many values that is.
func medianSkipping(sorted []decimal.Decimal, skip int) (decimal.Decimal, int) {
	n := len(sorted)
	if skip >= 0 {
		n--
	}
	at := func(i int) decimal.Decimal {
		if skip >= 0 && i >= skip {
			i++
		}
		return sorted[i]
	}
	switch {
	case n <= 0:
		return decimal.Zero, 0
	case n%2 == 1:
		return at(n / 2), n
	default:
		return calculators.Median([]decimal.Decimal{at(n/2 - 1), at(n / 2)}), n
	}
}
