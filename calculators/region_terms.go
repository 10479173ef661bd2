package calculators

import (
	"sort"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// RegionTerms are what one operator's public roll-up of a span adds to
// the regional view: the summable terms behind each of RegionHeadlines
// (totals, and the numerator and denominator of each intensity or share,
// with whether they were filed), and the roll-up's coverage. Adding the
// terms of some operators with SumRegionTerms gives, value for value,
// RegionFigures of Sector over their roll-ups, without keeping the
// roll-ups: a record is a few hundred bytes where a roll-up is tens of
// kilobytes, and it can be kept on disk between runs.
//
// The terms are exact decimals, as the roll-up's parts are; every ratio
// is one division of summed terms at DivPrecision, as Sector makes it.
type RegionTerms struct {
	Operator string `json:"operator"`
	// Quarters, Missing and Complete are the roll-up's Coverage: a year
	// with a quarter missing is listed as partial.
	Quarters []string `json:"quarters"`
	Missing  []string `json:"missing"`
	Complete bool     `json:"complete"`
	// E1, E2 and E3 are nil when the roll-up has no such figures.
	E1 *RegionE1Terms `json:"e1,omitempty"`
	E2 *RegionE2Terms `json:"e2,omitempty"`
	E3 *RegionE3Terms `json:"e3,omitempty"`
}

// RegionE1Terms are the E1 terms of one operator's span.
type RegionE1Terms struct {
	// Methodology is the methodology of the roll-up's E1: a sum is under
	// 2026.1 only when every part is (the emissions per TB differ).
	Methodology string `json:"methodology"`
	// EnergyGJ is all energy, NetworkGJ that of the network domains.
	EnergyGJ  decimal.Decimal `json:"energy_gj"`
	NetworkGJ decimal.Decimal `json:"network_gj"`
	// ElectricityKWh is purchased + on-site renewable + generated;
	// RenewableKWh is on-site renewable + claimed, before the sold
	// certificates of 2026.1 (G13) are taken off.
	ElectricityKWh decimal.Decimal `json:"electricity_kwh"`
	RenewableKWh   decimal.Decimal `json:"renewable_kwh"`
	Scope1T        decimal.Decimal `json:"scope1_t"`
	Scope2LocT     decimal.Decimal `json:"scope2_location_t"`
	Scope2MktT     decimal.Decimal `json:"scope2_market_t"`
	// TrafficTB and Subscriptions are nil when not filed: a sum has them
	// only when every operator in it does.
	TrafficTB     *decimal.Decimal `json:"traffic_tb"`
	Subscriptions *decimal.Decimal `json:"subscriptions"`
	// Since20261 are the 2026.1 parts the view reads; nil when the
	// roll-up has none.
	Since20261 *RegionE1Terms20261 `json:"since_2026_1,omitempty"`
}

// RegionE1Terms20261 are the methodology 2026.1 E1 parts behind the
// regional figures; each is nil when null in the roll-up.
type RegionE1Terms20261 struct {
	OnsiteSoldKWh         *decimal.Decimal `json:"onsite_sold_kwh"`
	NetworkFuelKgCO2e     *decimal.Decimal `json:"network_fuel_kgco2e"`
	NetworkScope2MarketKg *decimal.Decimal `json:"network_scope2_market_kg"`
}

// RegionE2Terms are the E2 terms of one operator's span: the sum of the
// parts of its cells that the regional figures read.
type RegionE2Terms struct {
	// Methodology is the methodology of the roll-up's E2; a sum is under
	// that of its last operator (by id), as sumE2 makes it.
	Methodology string `json:"methodology"`
	// Cells is false for an E2 with no cell, which adds nothing.
	Cells bool `json:"cells"`
	// Customer is whether a cell is of the customer stream.
	Customer    bool            `json:"customer"`
	CollectedKg decimal.Decimal `json:"collected_kg"`
	RecycledKg  decimal.Decimal `json:"recycled_kg"`
	// WindowReturns is the smallest over the cells.
	WindowReturns             int             `json:"window_returns"`
	WindowCustomerCollectedKg decimal.Decimal `json:"window_customer_collected_kg"`
	PriorCustomerInflowKg     decimal.Decimal `json:"prior_customer_inflow_kg"`
	// POM is what the 2026.1 collection rate divides by; nil when no
	// cell has it.
	POM *E2POMParts `json:"pom,omitempty"`
}

// RegionE3Terms are the E3 stocks behind the regional shares; each is
// nil when not filed (R2: a share counts only operators that filed both
// of its terms).
type RegionE3Terms struct {
	SitesTotal      *int64 `json:"sites_total"`
	SitesWithBackup *int64 `json:"sites_with_backup"`
	// BackupGE8h is the sites with 8 hours or more of backup, from the
	// autonomy bands.
	BackupGE8h *int64 `json:"backup_ge_8h"`
}

// TermsOf reads an operator's regional terms from its roll-up of a span.
func TermsOf(r *Rollup) *RegionTerms {
	t := &RegionTerms{Operator: r.Operator, Quarters: append([]string{}, r.Coverage.Quarters...),
		Missing: append([]string{}, r.Coverage.Missing...), Complete: r.Coverage.Complete}
	if r.E1 != nil {
		t.E1 = e1Terms(r.E1)
	}
	if r.E2 != nil {
		t.E2 = e2Terms(r.E2)
	}
	if r.E3 != nil {
		t.E3 = e3Terms(&r.E3.Parts)
	}
	return t
}

func e1Terms(e *E1) *RegionE1Terms {
	p := &e.Parts
	t := &RegionE1Terms{Methodology: e.methodology, Scope2LocT: e.Scope2LocationTCO2e.D, Scope2MktT: e.Scope2MarketTCO2e.D}
	for _, byDomain := range p.EnergyGJ {
		for d, v := range byDomain {
			t.EnergyGJ = t.EnergyGJ.Add(v.D)
			if ledger.OneOf(d, ledger.NetworkDomains) {
				t.NetworkGJ = t.NetworkGJ.Add(v.D)
			}
		}
	}
	t.ElectricityKWh = p.PurchasedKWh.D.Add(p.OnsiteRenewableKWh.D).Add(p.GeneratedKWh.D)
	t.RenewableKWh = p.OnsiteRenewableKWh.D.Add(p.ClaimedKWh.D)
	for _, v := range e.Scope1BySourceTCO2e {
		t.Scope1T = t.Scope1T.Add(v.D)
	}
	t.TrafficTB, t.Subscriptions = optional(p.DataTrafficTB), optional(p.Subscriptions)
	if v := p.Since20261; v != nil {
		t.Since20261 = &RegionE1Terms20261{OnsiteSoldKWh: optional(v.OnsiteSoldKWh),
			NetworkFuelKgCO2e: optional(v.NetworkFuelKgCO2e), NetworkScope2MarketKg: optional(v.NetworkScope2MarketKg)}
	}
	return t
}

func e2Terms(e *E2) *RegionE2Terms {
	t := &RegionE2Terms{Methodology: e.methodology}
	keys := make([]string, 0, len(e.Cells))
	for k := range e.Cells {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the order of a sum's years counted (addPOM)
	var s E2Parts
	for i, k := range keys {
		c := e.Cells[k]
		t.Customer = t.Customer || c.Stream == "customer"
		if i == 0 {
			s = c.Parts
		} else {
			s = addParts(s, c.Parts)
		}
	}
	if len(keys) > 0 {
		t.Cells = true
		t.CollectedKg, t.RecycledKg, t.WindowReturns = s.CollectedKg, s.RecycledKg, s.WindowReturns
		t.WindowCustomerCollectedKg, t.PriorCustomerInflowKg = s.WindowCustomerCollectedKg, s.PriorCustomerInflowKg
		if s.POM != nil {
			t.POM = &E2POMParts{MeanInflowKg: s.POM.MeanInflowKg, YearsCounted: append([]string{}, s.POM.YearsCounted...)}
		}
	}
	return t
}

func e3Terms(p *E3Parts) *RegionE3Terms {
	t := &RegionE3Terms{SitesTotal: copyInt(p.SitesTotal), SitesWithBackup: copyInt(p.SitesWithBackup)}
	if b := p.BackupAutonomy; b != nil {
		ge8 := b.H8to24 + b.H24to72 + b.GE72h
		t.BackupGE8h = &ge8
	}
	return t
}

func optional(v Value) *decimal.Decimal {
	if !v.OK {
		return nil
	}
	d := v.D
	return &d
}

func copyInt(p *int64) *int64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// SumRegionTerms adds the terms of operators of one span, as Sector adds
// their roll-ups, and gives the regional figures (RegionFigures of that
// sum) and the operators with fewer quarters than the span, by operator.
// Empty terms give every figure None.
func SumRegionTerms(terms []*RegionTerms) (figures map[string]Value, partial []PartialOperator) {
	ts := append([]*RegionTerms(nil), terms...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Operator < ts[j].Operator })
	var s regionSum
	partial = []PartialOperator{}
	for _, t := range ts {
		s.add(t)
		if !t.Complete {
			partial = append(partial, PartialOperator{Operator: t.Operator,
				Quarters: append([]string{}, t.Quarters...), Missing: append([]string{}, t.Missing...)})
		}
	}
	return s.figures(), partial
}

// regionSum is a running sum of regional terms, added in operator order.
type regionSum struct {
	e1 struct {
		n                                   int
		methodology                         string
		energyGJ, networkGJ, elecKWh, reKWh decimal.Decimal
		s1, s2loc, s2mkt                    decimal.Decimal
		traffic, subs                       decimal.Decimal
		trafficOK, subsOK                   bool
		v26                                 bool // every part has 2026.1 parts
		sold, fuel, netMkt                  Value
	}
	e2 struct {
		n           int
		methodology string // the last operator's
		cells       bool
		customer    bool
		parts       E2Parts
	}
	e3 struct {
		n                    int
		backupNum, backupDen int64
		backupIn             int
		ge8Num, ge8Den       int64
		ge8In                int
	}
}

func (s *regionSum) add(t *RegionTerms) {
	if e := t.E1; e != nil {
		a := &s.e1
		a.n++
		if a.n == 1 {
			a.methodology, a.trafficOK, a.subsOK, a.v26 = e.Methodology, true, true, e.Since20261 != nil
		} else if e.Methodology != a.methodology {
			a.methodology = ""
		}
		a.energyGJ, a.networkGJ = a.energyGJ.Add(e.EnergyGJ), a.networkGJ.Add(e.NetworkGJ)
		a.elecKWh, a.reKWh = a.elecKWh.Add(e.ElectricityKWh), a.reKWh.Add(e.RenewableKWh)
		a.s1, a.s2loc, a.s2mkt = a.s1.Add(e.Scope1T), a.s2loc.Add(e.Scope2LocT), a.s2mkt.Add(e.Scope2MktT)
		a.trafficOK = a.trafficOK && e.TrafficTB != nil
		if e.TrafficTB != nil {
			a.traffic = a.traffic.Add(*e.TrafficTB)
		}
		a.subsOK = a.subsOK && e.Subscriptions != nil
		if e.Subscriptions != nil {
			a.subs = a.subs.Add(*e.Subscriptions)
		}
		// The 2026.1 parts add as E1Parts20261.plus does: a part null in
		// any operator is null in the sum.
		if v := e.Since20261; v == nil {
			a.v26 = false
		} else if a.n == 1 {
			a.sold, a.fuel, a.netMkt = valueOf(v.OnsiteSoldKWh), valueOf(v.NetworkFuelKgCO2e), valueOf(v.NetworkScope2MarketKg)
		} else if a.v26 {
			a.sold = bothValues(a.sold, valueOf(v.OnsiteSoldKWh))
			a.fuel = bothValues(a.fuel, valueOf(v.NetworkFuelKgCO2e))
			a.netMkt = bothValues(a.netMkt, valueOf(v.NetworkScope2MarketKg))
		}
	}
	if e := t.E2; e != nil {
		a := &s.e2
		a.n++
		a.methodology = e.Methodology
		if e.Cells {
			p := E2Parts{CollectedKg: e.CollectedKg, RecycledKg: e.RecycledKg, WindowReturns: e.WindowReturns,
				WindowCustomerCollectedKg: e.WindowCustomerCollectedKg, PriorCustomerInflowKg: e.PriorCustomerInflowKg, POM: e.POM}
			if !a.cells {
				a.parts, a.cells = p, true
			} else {
				a.parts = addParts(a.parts, p)
			}
			a.customer = a.customer || e.Customer
		}
	}
	if e := t.E3; e != nil {
		a := &s.e3
		a.n++
		if e.SitesTotal != nil && e.SitesWithBackup != nil {
			a.backupNum, a.backupDen, a.backupIn = a.backupNum+*e.SitesWithBackup, a.backupDen+*e.SitesTotal, a.backupIn+1
		}
		if e.SitesTotal != nil && e.BackupGE8h != nil {
			a.ge8Num, a.ge8Den, a.ge8In = a.ge8Num+*e.BackupGE8h, a.ge8Den+*e.SitesTotal, a.ge8In+1
		}
	}
}

// figures finishes the sum as SumOperatorsE1, sumE2 and sumOperatorsE3
// finish theirs, for the regional headlines only.
func (s *regionSum) figures() map[string]Value {
	out := make(map[string]Value, 13)
	for _, h := range RegionHeadlines() {
		out[h.Key] = None
	}
	if a := &s.e1; a.n > 0 {
		v26 := a.v26 && ledger.MethodologyAtLeast(a.methodology, ledger.Methodology20261)
		reKWh := a.reKWh
		if v26 {
			reKWh = reKWh.Sub(a.sold.D) // G13, as finish takes it off
		}
		ratio := func(num, den decimal.Decimal, ok bool) Value {
			if !ok || den.IsZero() {
				return None
			}
			return Some(Div(num, den))
		}
		out["e1.energy_total_mwh"] = Some(Div(a.energyGJ, e1GJPerMWh))
		out["e1.scope1_tco2e"] = Some(a.s1)
		out["e1.scope2_location_tco2e"] = Some(a.s2loc)
		out["e1.scope2_market_tco2e"] = Some(a.s2mkt)
		out["e1.renewable_electricity_share_pct"] = ratio(reKWh.Mul(e1Hundred), a.elecKWh, true)
		out["e1.network_energy_per_tb_kwh"] = ratio(a.networkGJ.Mul(e1Thousand), a.traffic.Mul(e1GJPerMWh), a.trafficOK && !a.traffic.IsZero())
		if v26 {
			out["e1.emissions_per_tb_kgco2e"] = ratio(a.fuel.D.Add(a.netMkt.D), a.traffic, a.trafficOK)
		} else {
			out["e1.emissions_per_tb_kgco2e"] = ratio(a.s1.Add(a.s2mkt).Shift(3), a.traffic, a.trafficOK)
		}
		out["e1.energy_per_subscription_kwh"] = ratio(a.energyGJ.Mul(e1Thousand), a.subs.Mul(e1GJPerMWh), a.subsOK && !a.subs.IsZero())
	}
	if a := &s.e2; a.n > 0 {
		v := finishE2(a.parts, a.customer, ledger.MethodologyAtLeast(a.methodology, ledger.Methodology20261), "", nil)
		out["e2.total.collected_kg"] = v.CollectedKg
		out["e2.total.recycling_rate_pct"] = v.RecyclingRatePct
		out["e2.total.collection_rate_pom_pct"] = v.CollectionRatePOMPct
	}
	if a := &s.e3; a.n > 0 {
		if a.backupIn > 0 {
			out["e3.backup_power_coverage_pct"] = pct(decimal.NewFromInt(a.backupNum), decimal.NewFromInt(a.backupDen), nil, "", "")
		}
		if a.ge8In > 0 {
			out["e3.backup_ge_8h_pct"] = pct(decimal.NewFromInt(a.ge8Num), decimal.NewFromInt(a.ge8Den), nil, "", "")
		}
	}
	return out
}

func valueOf(d *decimal.Decimal) Value {
	if d == nil {
		return None
	}
	return Some(*d)
}

func bothValues(a, b Value) Value {
	if !a.OK || !b.OK {
		return None
	}
	return Some(a.D.Add(b.D))
}
