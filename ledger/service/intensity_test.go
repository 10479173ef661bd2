package service

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

func TestMergeIntensitiesKeepsTheNewerEntry(t *testing.T) {
	v := func(s string) calculators.Value { return calculators.Some(decimal.RequireFromString(s)) }
	a := map[string]intensity{"x": {seq: 5, v: v("1")}, "y": {seq: 2, v: v("2")}}
	b := map[string]intensity{"x": {seq: 3, v: v("9")}, "y": {seq: 7, v: v("8")}, "z": {seq: 1, v: v("3")}}
	m := mergeIntensities(a, b)
	if m["x"].seq != 5 || m["y"].seq != 7 || m["z"].seq != 1 || len(m) != 3 {
		t.Fatalf("merge: %+v", m)
	}
	if a["y"].seq != 2 {
		t.Fatal("merge changed its input")
	}
}
