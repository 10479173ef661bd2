package calculators

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

func TestMedian(t *testing.T) {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	tests := []struct {
		in   []decimal.Decimal
		want string
	}{
		{nil, "0"},
		{[]decimal.Decimal{d("5")}, "5"},
		{[]decimal.Decimal{d("9"), d("1"), d("5")}, "5"},
		{[]decimal.Decimal{d("4"), d("1"), d("3"), d("2")}, "2.5"},
	}
	for _, tt := range tests {
		if got := Median(tt.in); !got.Equal(d(tt.want)) {
			t.Errorf("Median(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestRanksSharesTiesAndSkipsUnavailable(t *testing.T) {
	v := func(s string) Value { return Some(decimal.RequireFromString(s)) }
	values := []Value{v("10"), None, v("30"), v("10"), v("20")}
	lower := Headline{LowerIsBetter: true}.Ranks(values)
	if want := []int{1, 0, 4, 1, 3}; !equalInts(lower, want) {
		t.Errorf("lower is better: %v, want %v", lower, want)
	}
	higher := Headline{}.Ranks(values)
	if want := []int{3, 0, 1, 3, 2}; !equalInts(higher, want) {
		t.Errorf("higher is better: %v, want %v", higher, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRankHeadlinesSkipsOperatorsWithoutReturns(t *testing.T) {
	v := func(s string) Value { return Some(decimal.RequireFromString(s)) }
	roll := func(scope1 string) *Rollup {
		return &Rollup{E1: &E1{Scope1TCO2e: v(scope1)}}
	}
	rs := RankHeadlines([]*Rollup{roll("30"), nil, roll("10"), roll("20")}, ledger.Methodology20251)
	var scope1 *Ranking
	for i := range rs {
		if rs[i].Key == "e1.scope1_tco2e" {
			scope1 = &rs[i]
		}
	}
	if scope1 == nil {
		t.Fatal("no scope 1 ranking")
	}
	if want := []int{3, 0, 1, 2}; !equalInts(scope1.Ranks, want) {
		t.Errorf("ranks %v, want %v (lower emissions rank first)", scope1.Ranks, want)
	}
	if scope1.Reporting != 3 || !scope1.Median.D.Equal(decimal.NewFromInt(20)) || scope1.Values[1].OK {
		t.Errorf("reporting %d, median %s, missing value %+v", scope1.Reporting, scope1.Median.D, scope1.Values[1])
	}
}
