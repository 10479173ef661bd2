package calculators

import (
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// The e-waste history walks the quarters from its earliest year to the
// computed quarter, so a year outside what a return may give is refused
// before the walk: a historic year of -20000000 was a walk of 80 million
// quarters per category.
func TestE2HistoryRefusesYearsOutsideTheDomain(t *testing.T) {
	row := []ledger.DeviceFlow{{Category: "smartphone", Stream: "customer", Inflow: flow("1000"), Collected: flow("10")}}
	for _, tc := range []struct {
		name   string
		change func(cur *ledger.Return, first *ledger.Return)
		want   string
	}{
		{"historic year before 1990", func(_, first *ledger.Return) { first.HistoricInflow[0].Year = 1989 }, "2025-Q1:historic_inflow[0].year: 1989"},
		{"historic year of its return", func(_, first *ledger.Return) { first.HistoricInflow[0].Year = 2025 }, "historic_inflow[0].year: 2025"},
		{"historic year after its return", func(cur, _ *ledger.Return) {
			cur.HistoricInflow = []ledger.HistoricInflow{{Category: "smartphone", Stream: "customer", Year: 10000, Kg: d("1")}}
		}, "historic_inflow[0].year: 10000"},
		{"historic year -20000000", func(_, first *ledger.Return) { first.HistoricInflow[0].Year = -20000000 }, "historic_inflow[0].year: -20000000"},
		{"period year -5", func(cur, _ *ledger.Return) { cur.Period = ledger.Period{Year: -5, Quarter: 4} }, "period -005-Q4"},
		{"earlier period year 1200", func(_, first *ledger.Return) { first.Period = ledger.Period{Year: 1200, Quarter: 1} }, "earlier return for 1200-Q1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hist := []ledger.HistoricInflow{{Category: "smartphone", Stream: "customer", Year: 2024, Kg: d("900000")}}
			cur, earlier := quarters([4][]ledger.DeviceFlow{row, row, row, row}, hist)
			tc.change(cur, earlier[0])
			_, _, err := ComputeE2(Request{Return: cur, Earlier: earlier, Factors: loadFactors(t)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %q", err, tc.want)
			}
		})
	}
}

// The oldest year a filing accepts still computes: 1990 against a return
// of 9999 is a walk of about 32,000 quarters, not more.
func TestE2HistoryAtTheEdgesOfTheDomain(t *testing.T) {
	row := []ledger.DeviceFlow{{Category: "smartphone", Stream: "customer", Inflow: flow("1000"), Collected: flow("10")}}
	cur := ret("9999-Q4", row...)
	cur.HistoricInflow = []ledger.HistoricInflow{{Category: "smartphone", Stream: "customer", Year: 1990, Kg: d("900000")}}
	e, _ := compute(t, cur, nil)
	if g := e.ByCategory["smartphone"].EwasteGeneratedKg; !g.OK {
		t.Fatal("no e-waste estimate")
	}
}

// A lifetime distribution whose density has vanished is answered without
// evaluating (x/b)^(a-1), which for a shape of 10^9 has billions of
// digits; parameters beyond the scale the series work at are refused.
func TestWeibullDensityIsBounded(t *testing.T) {
	for _, tc := range []struct{ a, b, x string }{
		{"1000000000", "6.26", "10.5"},
		{"1000000", "1", "2.5"},
		{"30", "1", "20.5"},
	} {
		got, err := WeibullDensity(d(tc.a), d(tc.b), d(tc.x))
		if err != nil || !got.IsZero() {
			t.Errorf("f(%s; %s, %s) = %s, %v; want 0", tc.x, tc.a, tc.b, got, err)
		}
	}
	for _, tc := range []struct{ a, b, x string }{
		{"1e-100000", "6.26", "0.5"},
		{"1.56", "1e100000", "0.5"},
		{"1.56", "6.26", "1e61"},
	} {
		if got, err := WeibullDensity(d(tc.a), d(tc.b), d(tc.x)); err == nil {
			t.Errorf("f(%s; %s, %s) = %s, want an error", tc.x, tc.a, tc.b, got)
		}
	}
}
