package calculators

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// flatE1 lists every value of an E1 (metrics, map entries, KPIs and parts)
// under a path, so that two results can be compared exactly.
func flatE1(e *E1) map[string]Value {
	m := map[string]Value{}
	for k, v := range e1Headlines(e) {
		m[k] = v
	}
	for k, v := range e.EnergyByCarrierMWh {
		m["carrier."+k] = v
	}
	for k, v := range e.EnergyByDomainMWh {
		m["domain."+k] = v
	}
	for k, v := range e.Scope1BySourceTCO2e {
		m["source."+k] = v
	}
	for _, k := range e.DataCentres {
		for n, v := range map[string]Value{"pue": k.PUE, "ref": k.REF, "erf": k.ERF, "cue": k.CUE, "wue": k.WUE} {
			m["dc."+k.ID+"."+n] = v
		}
	}
	p := e.Parts
	for c, byD := range p.EnergyGJ {
		for dom, v := range byD {
			m["parts.energy_gj."+c+"."+dom] = v
		}
	}
	for n, v := range map[string]Value{"purchased_kwh": p.PurchasedKWh, "claimed_kwh": p.ClaimedKWh,
		"onsite_renewable_kwh": p.OnsiteRenewableKWh, "generated_kwh": p.GeneratedKWh,
		"bio_fuel_energy_gj": p.BioFuelEnergyGJ, "data_traffic_tb": p.DataTrafficTB, "subscriptions": p.Subscriptions} {
		m["parts."+n] = v
	}
	for _, dc := range p.DataCentres {
		for n, v := range map[string]Value{"total_kwh": dc.TotalKWh, "it_kwh": dc.ITKWh, "renewable_kwh": dc.RenewableKWh,
			"reused_kwh": dc.ReusedKWh, "water_m3": dc.WaterM3, "emissions_kgco2e": dc.EmissionsKgCO2e} {
			m["parts.dc."+dc.ID+"."+n] = v
		}
	}
	return m
}

// sameE1 reports every value that differs between a and b (exactly).
func sameE1(t *testing.T, a, b *E1) {
	t.Helper()
	fa, fb := flatE1(a), flatE1(b)
	for _, k := range e1Keys(fa) {
		va, vb := fa[k], fb[k]
		if va.OK != vb.OK || !va.D.Equal(vb.D) {
			t.Errorf("%s: %v/%s != %v/%s", k, va.OK, va.D, vb.OK, vb.D)
		}
	}
	for k := range fb {
		if _, ok := fa[k]; !ok {
			t.Errorf("%s only in the second result", k)
		}
	}
}

// e1RichReturn is the example return plus a biodiesel blend, an LPG row, a
// second grid with a supplier rate, a second data centre and site rows.
func e1RichReturn(t testing.TB, sites int) *ledger.Return {
	r := loadExample(t)
	r.Fuels = append(r.Fuels,
		ledger.Fuel{Domain: "core", Fuel: "biodiesel_blend", Use: "stationary", Quantity: e1Dec("5000"), Unit: "l", BioShare: e1DecP("0.2")},
		ledger.Fuel{Domain: "fleet", Fuel: "biodiesel_blend", Use: "mobile", Quantity: e1Dec("2000"), Unit: "l", BioShare: e1DecP("0.07")},
		ledger.Fuel{Domain: "office", Fuel: "lpg", Use: "stationary", Quantity: e1Dec("320.5"), Unit: "kg"},
		ledger.Fuel{Domain: "transport", Fuel: "diesel", Use: "stationary", Quantity: e1Dec("12.25"), Unit: "gj"},
	)
	r.Electricity = append(r.Electricity,
		ledger.Electricity{Domain: "fixed_access", Grid: "KR", KWh: e1Dec("1000000")},
		ledger.Electricity{Domain: "core", Grid: "KR", KWh: e1Dec("300000"), SupplierKgCO2ePerKWh: e1DecP("0.2")},
		ledger.Electricity{Domain: "data_centre", Grid: "KR", KWh: e1Dec("100000"), SupplierKgCO2ePerKWh: e1DecP("0.4")},
	)
	// KR: claims 1,200 MWh exceed the 1,000 MWh without supplier rate: pro rata.
	r.RenewableClaims = append(r.RenewableClaims, ledger.RenewableClaim{Instrument: "green_tariff", Grid: "KR", KWh: e1Dec("1200000")})
	r.Refrigerants = append(r.Refrigerants, ledger.Refrigerant{Gas: "sf6", KgLost: e1Dec("0.3")})
	r.DataCentres = append(r.DataCentres, ledger.DataCentre{ID: "seoul-1", Grid: "KR", TotalKWh: e1Dec("390000"), ITKWh: e1Dec("300000"), WaterM3: e1DecP("250")})
	r.Sites = e1Sites(sites)
	return r
}

// e1Sites builds n deterministic site rows over a few domains and grids.
func e1Sites(n int) []ledger.Site {
	domains := []string{"ran", "ran", "ran", "fixed_access", "transport", "core"}
	grids := []string{"JP", "JP", "KR", "SG"}
	rows := make([]ledger.Site, n)
	for i := range rows {
		s := ledger.Site{
			SiteID:  fmt.Sprintf("S%06d", i),
			Domain:  domains[i%len(domains)],
			Grid:    grids[i%len(grids)],
			GridKWh: decimal.New(int64(20000+i%7919), -1),
		}
		if i%5 == 0 {
			s.DieselL = decimal.New(int64(100+i%311), -2)
		}
		if i%17 == 0 {
			s.PetrolL = decimal.New(int64(50+i%13), 0)
		}
		if i%23 == 0 {
			s.LPGKg = decimal.New(int64(7+i%5), -1)
		}
		if i%3 == 0 {
			s.SolarKWh = decimal.New(int64(300+i%101), 0)
		}
		if i%29 == 0 {
			s.WindKWh = decimal.New(int64(900+i%7), 0)
		}
		rows[i] = s
	}
	return rows
}

// e1Scaled returns r with every quantity multiplied by k (rates, shares and
// factors stay).
func e1Scaled(r *ledger.Return, k int64) *ledger.Return {
	m := decimal.NewFromInt(k)
	s := *r
	s.Electricity = append([]ledger.Electricity(nil), r.Electricity...)
	for i := range s.Electricity {
		s.Electricity[i].KWh = s.Electricity[i].KWh.Mul(m)
	}
	s.Fuels = append([]ledger.Fuel(nil), r.Fuels...)
	for i := range s.Fuels {
		s.Fuels[i].Quantity = s.Fuels[i].Quantity.Mul(m)
		if g := s.Fuels[i].GeneratedKWh; g != nil {
			v := g.Mul(m)
			s.Fuels[i].GeneratedKWh = &v
		}
	}
	s.OnsiteRenewables = append([]ledger.OnsiteRenewable(nil), r.OnsiteRenewables...)
	for i := range s.OnsiteRenewables {
		s.OnsiteRenewables[i].KWh = s.OnsiteRenewables[i].KWh.Mul(m)
	}
	s.RenewableClaims = append([]ledger.RenewableClaim(nil), r.RenewableClaims...)
	for i := range s.RenewableClaims {
		s.RenewableClaims[i].KWh = s.RenewableClaims[i].KWh.Mul(m)
	}
	s.Refrigerants = append([]ledger.Refrigerant(nil), r.Refrigerants...)
	for i := range s.Refrigerants {
		s.Refrigerants[i].KgLost = s.Refrigerants[i].KgLost.Mul(m)
	}
	mul := func(p *decimal.Decimal) *decimal.Decimal {
		if p == nil {
			return nil
		}
		v := p.Mul(m)
		return &v
	}
	s.DataCentres = append([]ledger.DataCentre(nil), r.DataCentres...)
	for i := range s.DataCentres {
		dc := &s.DataCentres[i]
		dc.TotalKWh, dc.ITKWh = dc.TotalKWh.Mul(m), dc.ITKWh.Mul(m)
		dc.RenewableKWh, dc.ReusedKWh, dc.WaterM3 = mul(dc.RenewableKWh), mul(dc.ReusedKWh), mul(dc.WaterM3)
	}
	s.Sites = append([]ledger.Site(nil), r.Sites...)
	for i := range s.Sites {
		x := &s.Sites[i]
		x.GridKWh, x.DieselL, x.PetrolL, x.LPGKg = x.GridKWh.Mul(m), x.DieselL.Mul(m), x.PetrolL.Mul(m), x.LPGKg.Mul(m)
		x.SolarKWh, x.WindKWh = x.SolarKWh.Mul(m), x.WindKWh.Mul(m)
	}
	s.Activity.DataTrafficTB = mul(r.Activity.DataTrafficTB)
	if r.Activity.Subscriptions != nil {
		s.Activity.Subscriptions = e1Int64(*r.Activity.Subscriptions * k)
	}
	return &s
}

// TestE1Scaling: multiplying every quantity by k multiplies every additive
// part and emission by k exactly and leaves every ratio exactly as it was
// (each ratio is one division of exact parts, and k cancels). MWh figures
// are one division of an exact GJ part at 24 places, so they scale to
// within k x 1e-24.
func TestE1Scaling(t *testing.T) {
	fs := loadFactors(t)
	base := e1RichReturn(t, 200)
	b, _ := runE1(t, base, fs, "")
	for _, k := range []int64{3, 1000} {
		t.Run(fmt.Sprint("k=", k), func(t *testing.T) {
			e, _ := runE1(t, e1Scaled(base, k), fs, "")
			K := decimal.NewFromInt(k)
			fb, fe := flatE1(b), flatE1(e)
			tol := decimal.New(k, -DivPrecision)
			for _, key := range e1Keys(fb) {
				vb, ve := fb[key], fe[key]
				if vb.OK != ve.OK {
					t.Errorf("%s: availability changed", key)
					continue
				}
				switch {
				case e1IsRatio(key):
					if !ve.D.Equal(vb.D) {
						t.Errorf("%s: ratio changed from %s to %s", key, vb.D, ve.D)
					}
				case strings.HasSuffix(key, "_mwh") || strings.HasPrefix(key, "carrier.") || strings.HasPrefix(key, "domain."):
					if diff := ve.D.Sub(vb.D.Mul(K)).Abs(); diff.GreaterThan(tol) {
						t.Errorf("%s: %s != %s x %d (diff %s)", key, ve.D, vb.D, k, diff)
					}
				default: // emissions and parts: exact
					if !ve.D.Equal(vb.D.Mul(K)) {
						t.Errorf("%s: %s != %s x %d", key, ve.D, vb.D, k)
					}
				}
			}
		})
	}
}

func e1IsRatio(key string) bool {
	for _, s := range []string{"_pct", "_per_", "bit_per_j", "dc."} {
		if strings.Contains(key, s) && !strings.HasPrefix(key, "parts.") {
			return true
		}
	}
	return false
}

// TestE1PartsAddUp: by carrier and by domain each add up to the energy
// total (GJ parts exactly; the MWh figures, one division each at 24 places,
// to within half a unit of the 24th place per term), and scope 1 by source
// adds up to scope 1 exactly.
func TestE1PartsAddUp(t *testing.T) {
	e, _ := runE1(t, e1RichReturn(t, 500), loadFactors(t), "")
	var totalGJ decimal.Decimal
	for _, byD := range e.Parts.EnergyGJ {
		for _, v := range byD {
			totalGJ = totalGJ.Add(v.D)
		}
	}
	if !Div(totalGJ, e1GJPerMWh).Equal(e.EnergyTotalMWh.D) {
		t.Errorf("energy parts %s GJ do not give the total %s MWh", totalGJ, e.EnergyTotalMWh.D)
	}
	for name, m := range map[string]map[string]Value{"carrier": e.EnergyByCarrierMWh, "domain": e.EnergyByDomainMWh} {
		var sum decimal.Decimal
		for _, v := range m {
			sum = sum.Add(v.D)
		}
		tol := decimal.New(int64(len(m)), -DivPrecision)
		if diff := sum.Sub(e.EnergyTotalMWh.D).Abs(); diff.GreaterThan(tol) {
			t.Errorf("by %s sums to %s, total %s", name, sum, e.EnergyTotalMWh.D)
		}
	}
	var s1 decimal.Decimal
	for _, v := range e.Scope1BySourceTCO2e {
		s1 = s1.Add(v.D)
	}
	if !s1.Equal(e.Scope1TCO2e.D) {
		t.Errorf("scope 1 by source sums to %s, total %s", s1, e.Scope1TCO2e.D)
	}
	// Network energy is the network domains' energy.
	var net decimal.Decimal
	for _, dom := range ledger.NetworkDomains {
		for _, byD := range e.Parts.EnergyGJ {
			net = net.Add(byD[dom].D)
		}
	}
	if !Div(net, e1GJPerMWh).Equal(e.NetworkEnergyMWh.D) {
		t.Errorf("network parts %s GJ do not give %s MWh", net, e.NetworkEnergyMWh.D)
	}
}

// TestE1Reorder: no value changes when every list of rows is shuffled.
func TestE1Reorder(t *testing.T) {
	fs := loadFactors(t)
	r := e1RichReturn(t, 300)
	base, _ := runE1(t, r, fs, "")
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < 3; round++ {
		s := *r
		s.Electricity = e1Shuffle(rng, r.Electricity)
		s.Fuels = e1Shuffle(rng, r.Fuels)
		s.OnsiteRenewables = e1Shuffle(rng, r.OnsiteRenewables)
		s.RenewableClaims = e1Shuffle(rng, r.RenewableClaims)
		s.Refrigerants = e1Shuffle(rng, r.Refrigerants)
		s.DataCentres = e1Shuffle(rng, r.DataCentres)
		s.Sites = e1Shuffle(rng, r.Sites)
		e, _ := runE1(t, &s, fs, "")
		sameE1(t, base, e)
	}
}

func e1Shuffle[T any](rng *rand.Rand, xs []T) []T {
	out := append([]T(nil), xs...)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// e1Quarters are four returns of one operator; merged is one return holding
// all their rows, traffic summed and subscriptions of the last quarter.
func e1Quarters(t testing.TB) (qs []*ledger.Return, merged *ledger.Return) {
	merged = &ledger.Return{Activity: ledger.Activity{DataTrafficTB: e1DecP("0")}}
	for q := int64(1); q <= 4; q++ {
		r := e1Scaled(e1RichReturn(t, int(40*q)), q)
		r.Activity.Subscriptions = e1Int64(21400000 + q*1000)
		// The same facility in every quarter, with a different PUE each time.
		r.DataCentres[0].ITKWh = r.DataCentres[0].ITKWh.Add(decimal.NewFromInt(q * 100000))
		qs = append(qs, r)
		merged.Electricity = append(merged.Electricity, r.Electricity...)
		merged.Fuels = append(merged.Fuels, r.Fuels...)
		merged.OnsiteRenewables = append(merged.OnsiteRenewables, r.OnsiteRenewables...)
		merged.RenewableClaims = append(merged.RenewableClaims, r.RenewableClaims...)
		merged.Refrigerants = append(merged.Refrigerants, r.Refrigerants...)
		merged.DataCentres = append(merged.DataCentres, r.DataCentres...)
		merged.Sites = append(merged.Sites, r.Sites...)
		v := merged.Activity.DataTrafficTB.Add(*r.Activity.DataTrafficTB)
		merged.Activity.DataTrafficTB = &v
		merged.Activity.Subscriptions = r.Activity.Subscriptions
	}
	return qs, merged
}

// TestSumE1EqualsMerged: the year summed from quarters equals the merged
// return computed at once, for every value, ratios included. (Each quarter
// here matches claims within the same grid alike, so scope 2 market-based
// adds up; SumE1 never re-matches claims across quarters.)
func TestSumE1EqualsMerged(t *testing.T) {
	fs := loadFactors(t)
	qs, merged := e1Quarters(t)
	var parts []*E1
	for _, q := range qs {
		e, _ := runE1(t, q, fs, "")
		parts = append(parts, e)
	}
	sum, tr := SumE1(AcrossTime, parts)
	whole, _ := runE1(t, merged, fs, "")
	sameE1(t, sum, whole)
	checkE1Derivations(t, sum, tr)
	// Scope 2 market is the sum of the quarters' figures.
	var mk decimal.Decimal
	for _, p := range parts {
		mk = mk.Add(p.Scope2MarketTCO2e.D)
	}
	if !mk.Equal(sum.Scope2MarketTCO2e.D) {
		t.Errorf("market %s != sum of quarters %s", sum.Scope2MarketTCO2e.D, mk)
	}
}

func TestSumE1Stocks(t *testing.T) {
	mk := func(subs *int64, traffic string, dcTotal, dcIT string) *E1 {
		r := &ledger.Return{
			Electricity: []ledger.Electricity{{Domain: "ran", Grid: "XX", KWh: e1Dec("1000")}},
			Activity:    ledger.Activity{Subscriptions: subs},
			DataCentres: []ledger.DataCentre{{ID: "dc", Grid: "XX", TotalKWh: e1Dec(dcTotal), ITKWh: e1Dec(dcIT)}},
		}
		if traffic != "" {
			r.Activity.DataTrafficTB = e1DecP(traffic)
		}
		e, _ := runE1(t, r, e1SmallFactors(t, ""), "")
		return e
	}
	a := mk(e1Int64(10), "2", "150", "100") // PUE 1.5
	b := mk(e1Int64(20), "3", "240", "200") // PUE 1.2
	// Across time: subscriptions are the last quarter's, 20; energy 2 MWh x 1000 / 20 = 100 kWh.
	// PUE from the sums: (150 + 240) / (100 + 200) = 1.3, not the mean 1.35.
	y, _ := SumE1(AcrossTime, []*E1{a, b})
	e1Eq(t, "subscriptions (time)", y.Parts.Subscriptions, "20")
	e1Eq(t, "per subscription (time)", y.EnergyPerSubscriptionKWh, "100")
	e1Eq(t, "traffic", y.Parts.DataTrafficTB, "5")
	e1Eq(t, "per TB", y.NetworkEnergyPerTBKWh, "400") // 2 MWh x 1000 / 5 TB = 400 kWh/TB
	e1Eq(t, "pue", y.DataCentres[0].PUE, "1.3")
	// Across operators: subscriptions add, 30.
	s, _ := SumE1(AcrossOperators, []*E1{a, b})
	e1Eq(t, "subscriptions (operators)", s.Parts.Subscriptions, "30")
	e1Eq(t, "per subscription (operators)", s.EnergyPerSubscriptionKWh, Div(e1Dec("2000"), e1Dec("30")).String())
	// A part without traffic or subscriptions makes the sum's intensity unavailable.
	c := mk(nil, "", "10", "10")
	s, tr := SumE1(AcrossOperators, []*E1{a, c})
	if s.Parts.DataTrafficTB.OK || s.NetworkEnergyPerTBKWh.OK || s.Parts.Subscriptions.OK || s.EnergyPerSubscriptionKWh.OK {
		t.Errorf("sum with a part lacking traffic/subscriptions: %+v", s.Parts)
	}
	var why []string
	for _, u := range tr.Unavailable {
		why = append(why, u.Metric+": "+u.Reason)
	}
	sort.Strings(why)
	if !strings.Contains(strings.Join(why, "\n"), "e1.network_energy_per_tb_kwh: data_traffic_tb is not given") {
		t.Errorf("unavailable = %v", why)
	}
	// Across time, the last quarter's missing subscriptions make the year's unavailable.
	y, _ = SumE1(AcrossTime, []*E1{a, c})
	if y.Parts.Subscriptions.OK {
		t.Error("across time: subscriptions of the last part were not given")
	}
}

// TestComputeE1SitesAsRows: site rows give the same values as the same
// energy filed as electricity, fuel and on-site rows; derivations name them
// by summed paths.
func TestComputeE1SitesAsRows(t *testing.T) {
	fs := loadFactors(t)
	sites := e1Sites(90)
	r := &ledger.Return{Sites: sites}
	rows := &ledger.Return{}
	for _, s := range sites {
		rows.Electricity = append(rows.Electricity, ledger.Electricity{Domain: s.Domain, Grid: s.Grid, KWh: s.GridKWh})
		for _, f := range []struct {
			fuel, unit string
			q          decimal.Decimal
		}{{"diesel", "l", s.DieselL}, {"petrol", "l", s.PetrolL}, {"lpg", "kg", s.LPGKg}} {
			if !f.q.IsZero() {
				rows.Fuels = append(rows.Fuels, ledger.Fuel{Domain: s.Domain, Fuel: f.fuel, Use: "stationary", Quantity: f.q, Unit: f.unit})
			}
		}
		for _, k := range []decimal.Decimal{s.SolarKWh, s.WindKWh} {
			if !k.IsZero() {
				rows.OnsiteRenewables = append(rows.OnsiteRenewables, ledger.OnsiteRenewable{Domain: s.Domain, Source: "solar", KWh: k})
			}
		}
	}
	a, tr := runE1(t, r, fs, "")
	b, _ := runE1(t, rows, fs, "")
	sameE1(t, a, b)
	dv := e1Derivation(t, tr, "e1.scope1_tco2e")
	var paths []string
	for _, in := range dv.Inputs {
		paths = append(paths, in.Path)
	}
	if !strings.Contains(strings.Join(paths, " "), "sites[?(@.domain=='ran')].diesel_l") || len(paths) > 20 {
		t.Errorf("scope 1 inputs = %v", paths)
	}
	if !strings.Contains(strings.Join(dv.Notes, " "), "90 site rows") {
		t.Errorf("scope 1 notes lack the row count: %q", dv.Notes)
	}
}
