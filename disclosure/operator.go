package disclosure

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

// calc computes and remembers the metrics of one operator's quarters.
type calc struct {
	in          *inputs
	operator    string
	gwp         string
	methodology string // resolved: Bundle.methodology
	done        map[ledger.Period]*calculators.Metrics
	// like, for a disclosure_v3 document, is the factor set the quarters
	// outside span0 are recomputed with (likeWithLike); recomputed and
	// kept list those quarters, and keptWhy why each kept one could not
	// be.
	like             *ledger.FactorSet
	span0            ledger.Span
	recomputed, kept []string
	keptWhy          []calculators.Unavailable
	// figuresOnly computes the quarters without derivations, for a
	// document that shows roll-ups only (calculators.Request FiguresOnly).
	figuresOnly bool
}

func (c *calc) quarter(p ledger.Period) (*calculators.Metrics, error) {
	if m, ok := c.done[p]; ok {
		return m, nil
	}
	f := c.in.returns[c.operator][p]
	if f == nil {
		c.done[p] = nil
		return nil, nil
	}
	fs := c.in.factorSets[f.FactorSet]
	if fs == nil {
		return nil, fmt.Errorf("the bundle lacks factor set %s used by %s", f.FactorSet, f.ID)
	}
	req := calculators.Request{Return: &f.Return, ID: f.ID, Version: f.Version,
		Earlier: c.in.earlier(c.operator, p), Factors: fs, GWP: c.gwp, Methodology: c.methodology, Densities: c.in.densities,
		FiguresOnly: c.figuresOnly}
	if like := c.likeFor(p); like != nil {
		req.Factors = like
		m := c.recompute(p, req)
		if m != nil {
			m.Warnings = f.Warnings
		}
		c.done[p] = m
		return m, nil
	}
	m, err := calculators.Compute(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.ID, err)
	}
	m.Warnings = f.Warnings
	c.done[p] = m
	return m, nil
}

// span rolls up the quarters of a span that have returns.
func (c *calc) span(s ledger.Span) (*calculators.Rollup, []*calculators.Metrics, error) {
	var ms []*calculators.Metrics
	for _, p := range s.Quarters() {
		m, err := c.quarter(p)
		if err != nil {
			return nil, nil, err
		}
		if m != nil {
			ms = append(ms, m)
		}
	}
	if len(ms) == 0 {
		return nil, nil, nil
	}
	if !s.IsYear() {
		return calculators.Quarter(ms[0]), ms, nil
	}
	r, err := calculators.Year(c.operator, s.Year, ms)
	return r, ms, err
}

// operatorDisclosure builds the view model of an operator disclosure.
func operatorDisclosure(b *Bundle, in *inputs) (*templates.OperatorDisclosure, error) {
	span, err := ledger.ParseSpan(b.Period)
	if err != nil {
		return nil, err
	}
	op, ok := in.operators[b.Operator]
	if !ok {
		return nil, fmt.Errorf("the bundle lacks the registration of operator %s", b.Operator)
	}
	methodology, err := b.methodology()
	if err != nil {
		return nil, err
	}
	c := &calc{in: in, operator: op.ID, gwp: b.GWP, methodology: methodology, done: map[ledger.Period]*calculators.Metrics{}}
	// disclosure_v4 draws what disclosure_v3 added for a document of
	// methodology 2026.1 or later, and nothing of it for 2025.1.
	v4 := b.Template == templates.OperatorTemplateV4
	v3 := b.Template == templates.OperatorTemplateV3 || v4 && methodology != ledger.Methodology20251
	if v3 {
		c.likeWithLike(span)
	}
	roll, quarters, err := c.span(span)
	if err != nil {
		return nil, err
	}
	if roll == nil {
		return nil, fmt.Errorf("%s has no return for %s in the bundle", op.ID, span)
	}
	cp, err := b.checkpointOf()
	if err != nil {
		return nil, err
	}
	d := &templates.OperatorDisclosure{
		Operator: op.Name, OperatorID: op.ID, Country: op.Country, CountryName: countryName(in, op.Country),
		Period: span.String(), FactorSet: strings.Join(roll.FactorSets, ", "), GWP: strings.ToUpper(roll.GWP), Methodology: b.Methodology,
		Checkpoint: templates.Checkpoint{Origin: cp.Origin, Size: cp.Size, Root: cp.Root.String(), Note: b.Checkpoint},
		LedgerTime: in.last, Unavailable: roll.Unavailable,
	}
	review := "accepted"
	for _, m := range quarters {
		st := in.status(m.Return)
		p, _ := ledger.ParsePeriod(m.Period)
		d.Returns = append(d.Returns, templates.ReturnRef{Period: m.Period, ID: m.Return, Version: in.returns[op.ID][p].Version, Review: st})
		switch {
		case st == "returned":
			review = "returned"
		case st == "under review" && review == "accepted":
			review = "under review"
		}
	}
	d.Review = review
	for i, e := range in.entries {
		d.Entries = append(d.Entries, templates.EntryRef{Seq: e.Seq, Kind: string(e.Kind), LeafHash: b.Entries[i].LeafHash, Time: e.Time})
		d.Proofs = append(d.Proofs, templates.InclusionProof{Seq: e.Seq, Size: cp.Size, LeafHash: b.Entries[i].LeafHash,
			Root: cp.Root.String(), Hashes: b.Entries[i].Proof})
	}
	var na []calculators.Unavailable
	if d.Summary, na, err = summary(c, span, roll); err != nil {
		return nil, err
	}
	if len(na) > 0 {
		d.Unavailable = append(append([]calculators.Unavailable{}, roll.Unavailable...), na...)
	}
	if d.E1, err = e1View(c, span, roll, quarters); err != nil {
		return nil, err
	}
	d.E2 = e2View(roll.E2)
	d.E3 = e3View(in, op.ID, roll, quarters)
	d.Method = method(in, quarters, v4)
	if v3 {
		d.Since20261 = since20261View(c, roll, quarters)
		d.Unavailable = append(append([]calculators.Unavailable{}, d.Unavailable...), c.keptWhy...)
	}
	if v4 {
		d.NotAvailable = namedUnavailable(d.Unavailable)
	}
	return d, nil
}

// countryName is the grid name the factor sets give a country, or its code.
func countryName(in *inputs, code string) string {
	versions := make([]string, 0, len(in.factorSets))
	for v := range in.factorSets {
		versions = append(versions, v)
	}
	sort.Strings(versions)
	for _, v := range versions {
		if g, ok := in.factorSets[v].Grid[code]; ok && g.Name != "" {
			return g.Name
		}
	}
	return code
}

// summary is the headline table with the previous period and the same
// period a year before, and the comparisons it cannot make, with why
// (only ever for a document of BasisAccepted, see comparison).
func summary(c *calc, span ledger.Span, roll *calculators.Rollup) (templates.Summary, []calculators.Unavailable, error) {
	prevSpan, agoSpan := ledger.Span{Year: span.Year - 1}, ledger.Span{}
	if !span.IsYear() {
		p := span.Last()
		pp, ago := p.Prev(), p.Add(-4)
		prevSpan = pp.Span()
		agoSpan = ago.Span()
	}
	var na []calculators.Unavailable
	prev, err := c.comparison(prevSpan, "summary.previous", &na)
	if err != nil {
		return templates.Summary{}, nil, err
	}
	var ago *calculators.Rollup
	s := templates.Summary{PreviousLabel: prevSpan.String()}
	if agoSpan.Year != 0 {
		if ago, err = c.comparison(agoSpan, "summary.year_ago", &na); err != nil {
			return templates.Summary{}, nil, err
		}
		s.YearAgoLabel = agoSpan.String()
	}
	for _, h := range calculators.Headlines() {
		t := templates.Trend{Key: h.Key, Label: h.Label, Unit: unitOf(h.Unit), Current: h.Get(roll.E1, roll.E2, roll.E3)}
		if prev != nil {
			t.Previous = h.Get(prev.E1, prev.E2, prev.E3)
			t.ChangePrevious = changePct(t.Current, t.Previous)
		}
		if ago != nil {
			t.YearAgo = h.Get(ago.E1, ago.E2, ago.E3)
			t.ChangeYearAgo = changePct(t.Current, t.YearAgo)
		}
		switch h.Key[:2] {
		case "e1":
			s.E1 = append(s.E1, t)
		case "e2":
			s.E2 = append(s.E2, t)
		default:
			s.E3 = append(s.E3, t)
		}
	}
	return s, na, nil
}

// comparison rolls up a span the summary compares with. In a document of
// BasisAccepted a span lacking an accepted return for any of its quarters
// is not compared with at all, and metric (a summary column) is added to
// na with the reason: a figure of some quarters would pass for the whole
// span, and the missing quarter may be one the public may not see. The
// reason rests on the bundle alone (a quarter absent from it), so
// rendering the bundle again gives the same words. Other documents keep
// comparing with whatever quarters they have, as they always did.
func (c *calc) comparison(s ledger.Span, metric string, na *[]calculators.Unavailable) (*calculators.Rollup, error) {
	if c.in.acceptedOnly {
		var missing []string
		for _, p := range s.Quarters() {
			if c.in.returns[c.operator][p] == nil {
				missing = append(missing, p.String())
			}
		}
		if len(missing) > 0 {
			what := s.String() + " has"
			switch {
			case len(missing) == 1:
				what = missing[0] + " has"
			case len(missing) < 4:
				what = strings.Join(missing, ", ") + " have"
			}
			*na = append(*na, calculators.Unavailable{Metric: metric,
				Reason: what + " no accepted return; a public disclosure compares with accepted returns only"})
			return nil, nil
		}
	}
	r, _, err := c.span(s)
	return r, err
}

func changePct(now, then calculators.Value) calculators.Value {
	if !now.OK || !then.OK || then.D.Sign() == 0 {
		return calculators.None
	}
	return calculators.Some(calculators.Div(now.D.Sub(then.D).Mul(decimal.NewFromInt(100)), then.D.Abs()))
}

func e1View(c *calc, span ledger.Span, roll *calculators.Rollup, quarters []*calculators.Metrics) (templates.E1, error) {
	e := roll.E1
	v := templates.E1{
		EnergyTotal: e.EnergyTotalMWh, ElectricityTotal: e.ElectricityTotalMWh, RenewableElectricity: e.RenewableElectricityMWh,
		RenewableElectricityPct: e.RenewableElectricitySharePct, RenewableEnergyPct: e.RenewableEnergySharePct,
		Scope2InstrumentsPct: e.Scope2InstrumentsSharePct, Scope1: e.Scope1TCO2e, Scope2Location: e.Scope2LocationTCO2e,
		Scope2Market: e.Scope2MarketTCO2e, BiogenicCO2: e.BiogenicCO2T, NonKyotoRefrigerants: e.NonKyotoRefrigerantsTCO2e,
	}
	for _, k := range calculators.E1Carriers {
		v.EnergyByCarrier = append(v.EnergyByCarrier, templates.Amount{Label: label(k), Value: e.EnergyByCarrierMWh[k]})
	}
	for _, k := range ledger.FuelDomains {
		v.EnergyByDomain = append(v.EnergyByDomain, templates.Amount{Label: label(k), Value: e.EnergyByDomainMWh[k]})
	}
	for _, k := range calculators.Scope1Sources {
		v.Scope1BySource = append(v.Scope1BySource, templates.Amount{Label: label(k), Value: e.Scope1BySourceTCO2e[k]})
	}
	v.RenewableByInstrument = renewableByInstrument(c, quarters, e)
	v.Intensities = []templates.Metric{
		{Key: "e1.network_energy_mwh", Label: "Network energy", Unit: "MWh", Value: e.NetworkEnergyMWh},
		{Key: "e1.network_energy_per_tb_kwh", Label: "Network energy per TB", Unit: "kWh/TB", Value: e.NetworkEnergyPerTBKWh},
		{Key: "e1.data_volume_efficiency_bit_per_j", Label: "Data volume efficiency", Unit: "bit/J", Value: e.DataVolumeEfficiencyBitPerJ},
		{Key: "e1.emissions_per_tb_kgco2e", Label: "Emissions per TB (scope 1 + market-based scope 2)", Unit: templates.UnitKgCO2ePerTB, Value: e.EmissionsPerTBKgCO2e},
		{Key: "e1.energy_per_subscription_kwh", Label: "Energy per subscription", Unit: "kWh", Value: e.EnergyPerSubscriptionKWh},
	}
	parts := map[string]calculators.DataCentreParts{}
	for _, p := range e.Parts.DataCentres {
		parts[p.ID] = p
	}
	for _, dc := range e.DataCentres {
		p := parts[dc.ID]
		v.DataCentres = append(v.DataCentres, templates.DataCentre{ID: dc.ID, TotalMWh: kwhToMWh(p.TotalKWh), ITMWh: kwhToMWh(p.ITKWh),
			PUE: dc.PUE, REF: dc.REF, ERF: dc.ERF, CUE: dc.CUE, WUE: dc.WUE})
	}
	last := span.Last()
	for p := last.Add(-7); !last.Before(p); p = p.Next() {
		m, err := c.quarter(p)
		if err != nil {
			return v, err
		}
		if m == nil {
			continue
		}
		v.Quarters = append(v.Quarters, templates.QuarterPoint{Period: p.String(), Scope1: m.E1.Scope1TCO2e,
			Scope2Location: m.E1.Scope2LocationTCO2e, Scope2Market: m.E1.Scope2MarketTCO2e,
			RenewableElectricityPct: m.E1.RenewableElectricitySharePct})
	}
	return v, nil
}

func kwhToMWh(v calculators.Value) calculators.Value {
	if !v.OK {
		return v
	}
	return calculators.Some(calculators.Div(v.D, decimal.NewFromInt(1000)))
}

// renewableByInstrument splits renewable electricity by how it is
// claimed: on-site generation and each contractual instrument, summed
// over the returns of the span.
func renewableByInstrument(c *calc, quarters []*calculators.Metrics, e *calculators.E1) []templates.Amount {
	sums := map[string]decimal.Decimal{}
	for _, m := range quarters {
		p, _ := ledger.ParsePeriod(m.Period)
		r := c.in.returns[c.operator][p].Return
		for _, cl := range r.RenewableClaims {
			sums[cl.Instrument] = sums[cl.Instrument].Add(cl.KWh)
		}
	}
	out := []templates.Amount{{Label: "On-site generation", Value: kwhToMWh(e.Parts.OnsiteRenewableKWh)}}
	for _, inst := range ledger.Instruments {
		out = append(out, templates.Amount{Label: label(inst), Value: calculators.Some(calculators.Div(sums[inst], decimal.NewFromInt(1000)))})
	}
	return out
}

// label turns an enumeration value into words.
func label(k string) string { return calculators.KeyWords(k) }

// unitOf maps a headline metric's unit to the documents' units.
func unitOf(u string) templates.Unit {
	switch u {
	case "tCO2e":
		return templates.UnitTCO2e
	case "kgCO2e/TB":
		return templates.UnitKgCO2ePerTB
	case "0-1":
		return templates.UnitIndex
	case "tCO2e/MUSD":
		return templates.UnitTCO2ePerMUSD
	case "kgCFC-11e":
		return templates.UnitKgCFC11e
	case "MUSD":
		return templates.UnitMUSD
	}
	return templates.Unit(u)
}
