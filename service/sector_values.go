package service

import (
	"slices"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// sectorValues is every operator's energy per TB for one period, from its
// latest version, with the available values kept in ascending order. A
// filing's sector-median check then costs a binary search, not a sort of
// every other operator's value, and applying a filing updates one value
// instead of copying the map: with 2,600 operators in a period the copy
// and the sort were half the CPU of a filing, on the journal's writer
// goroutine for the copy. Service.metricsMu guards it.
type sectorValues struct {
	by     map[string]intensity
	sorted []decimal.Decimal // the available values of by, ascending
}

func newSectorValues() *sectorValues { return &sectorValues{by: map[string]intensity{}} }

// set records x for operator unless the value there comes from a newer
// entry (a filing applied while the period was being built).
func (sv *sectorValues) set(operator string, x intensity) {
	cur, ok := sv.by[operator]
	if ok && cur.seq >= x.seq {
		return
	}
	if ok && cur.v.OK {
		if i, found := sv.find(cur.v.D); found {
			sv.sorted = slices.Delete(sv.sorted, i, i+1)
		}
	}
	sv.by[operator] = x
	if x.v.OK {
		i, _ := sv.find(x.v.D)
		sv.sorted = slices.Insert(sv.sorted, i, x.v.D)
	}
}

// find is the first index of a value equal to d, or where d would go.
func (sv *sectorValues) find(d decimal.Decimal) (int, bool) {
	return slices.BinarySearchFunc(sv.sorted, d, decimal.Decimal.Cmp)
}

// medianOfOthers is the median of the available values of every operator
// but operator, and how many values that is.
func (sv *sectorValues) medianOfOthers(operator string) (decimal.Decimal, int) {
	skip := -1
	if own, ok := sv.by[operator]; ok && own.v.OK {
		skip, _ = sv.find(own.v.D)
	}
	return medianSkipping(sv.sorted, skip)
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
