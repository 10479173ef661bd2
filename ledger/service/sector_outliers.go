package service

import (
	"github.com/shopspring/decimal"

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
func markOutliers(out *SectorMetrics) {
	for i := range out.Rows {
		out.Rows[i].Outliers = []ledger.Warning{}
		v := out.Rows[i].Metrics[outlierMetric]
		if !v.OK {
			continue
		}
		var others []decimal.Decimal
		for j, o := range out.Rows {
			if ov := o.Metrics[outlierMetric]; j != i && ov.OK {
				others = append(others, ov.D)
			}
		}
		if w, ok := outlierWarning(v.D, others, out.Period); ok {
			out.Rows[i].Outliers = append(out.Rows[i].Outliers, w)
		}
	}
}
