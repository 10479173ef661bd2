package calculators

import "testing"

// BenchmarkComputeE1Sites computes E1 for the example return with 100,000
// site rows (docs/spec/quarterly-return.md calls that a normal case). Target: well
// under 1 s and 500 MB per operation.
//
//	go test -run '^$' -bench ComputeE1Sites -benchmem ./calculators/
func BenchmarkComputeE1Sites(b *testing.B) {
	fs := loadFactors(b)
	r := e1RichReturn(b, 100000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := ComputeE1(Request{Return: r, Factors: fs}); err != nil {
			b.Fatal(err)
		}
	}
}
