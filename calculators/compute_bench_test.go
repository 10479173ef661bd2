package calculators

import (
	"encoding/json"
	"testing"
)

// The first read of a return version's metrics computes them and encodes
// them once (both are cached after); these two measure that cost for the
// specification's example return.
//
//	go test -run '^$' -bench 'ComputeExample|EncodeMetrics' -benchmem ./calculators/

func BenchmarkComputeExample(b *testing.B) {
	req := Request{Return: loadExample(b), ID: "r", Version: 1, Factors: loadFactors(b), GWP: "ar6", Densities: NewDensities()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeMetrics(b *testing.B) {
	m, err := Compute(Request{Return: loadExample(b), ID: "r", Version: 1, Factors: loadFactors(b), GWP: "ar6", Densities: NewDensities()})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		out, err := json.Marshal(m)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}
