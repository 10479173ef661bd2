package templates

func discE1(d *doc, v *OperatorDisclosure) {
	e := v.E1
	d.heading("E1 Energy and emissions", 40)

	d.subheading("Energy", 20)
	amountTable(d, "Carrier", e.EnergyByCarrier, e.EnergyTotal, UnitMWh)
	amountTable(d, "Domain", e.EnergyByDomain, e.EnergyTotal, UnitMWh)
	d.shareBar("Energy mix by carrier", e.EnergyByCarrier, UnitMWh)
	d.shareBar("Energy by domain", e.EnergyByDomain, UnitMWh)

	d.subheading("Renewable electricity", 20)
	amountTable(d, "Instrument", e.RenewableByInstrument, e.RenewableElectricity, UnitMWh)
	metricTable(d, []Metric{
		{Label: "Electricity consumed (purchased, on-site renewable, generated)", Unit: UnitMWh, Value: e.ElectricityTotal},
		{Key: "e1.renewable_electricity_share_pct", Label: "Renewable electricity share", Unit: UnitPct, Value: e.RenewableElectricityPct},
		{Key: "e1.renewable_energy_share_pct", Label: "Renewable energy share (all energy)", Unit: UnitPct, Value: e.RenewableEnergyPct},
		{Key: "e1.scope2_instruments_share_pct", Label: "Purchased electricity covered by instruments", Unit: UnitPct, Value: e.Scope2InstrumentsPct},
	})

	d.subheading("Greenhouse gas emissions", 30)
	var rs []row
	for _, a := range e.Scope1BySource {
		rs = append(rs, cells("Scope 1: "+a.Label, d.fig(UnitTCO2e, a.Value)))
	}
	rs = append(rs,
		total("Scope 1", d.fig(UnitTCO2e, e.Scope1)),
		cells("Scope 2, location-based", d.fig(UnitTCO2e, e.Scope2Location)),
		cells("Scope 2, market-based", d.fig(UnitTCO2e, e.Scope2Market)),
		total("Scope 1 + 2 (market-based)", d.fig(UnitTCO2e, sum(e.Scope1, e.Scope2Market))),
		total("Reported outside the scopes"),
		cells("Biogenic CO₂ from the bio share of fuel blends (t CO₂)", d.fig(UnitTCO2, e.BiogenicCO2)),
		cells("Non-Kyoto refrigerants, e.g. R-22", d.fig(UnitTCO2e, e.NonKyotoRefrigerants)),
	)
	d.table([]col{{title: "Source", w: 130}, numCol("Emissions", UnitTCO2e, 50)}, rs)

	if len(e.Intensities) > 0 {
		d.subheading("Intensities", 15)
		metricTable(d, e.Intensities)
	}

	d.subheading("Data centres (ISO/IEC 30134)", 15)
	if len(e.DataCentres) == 0 {
		d.noData("data centres (none reported)")
	} else {
		var dc []row
		for _, c := range e.DataCentres {
			dc = append(dc, cells(c.ID, d.fig(UnitMWh, c.TotalMWh), d.fig(UnitMWh, c.ITMWh), d.fig(UnitRatio, c.PUE),
				d.fig(UnitRatio, c.REF), d.fig(UnitRatio, c.ERF), d.fig(UnitKgCO2ePerKWh, c.CUE), d.fig(UnitLPerKWh, c.WUE)))
		}
		d.table([]col{
			{title: "Facility", w: 34},
			numCol("Total energy", UnitMWh, 22), numCol("IT energy", UnitMWh, 22),
			{title: "PUE", w: 14, right: true}, {title: "REF", w: 14, right: true}, {title: "ERF", w: 14, right: true},
			numCol("CUE", UnitKgCO2ePerKWh, 30), numCol("WUE", UnitLPerKWh, 30),
		}, dc)
	}

	var cats []string
	s1 := series{name: "Scope 1", color: 0}
	s2l := series{name: "Scope 2 location-based", color: 1}
	s2m := series{name: "Scope 2 market-based", color: 5}
	re := series{name: "Renewable electricity share", color: 2}
	for _, q := range e.Quarters {
		cats = append(cats, q.Period)
		s1.values = append(s1.values, q.Scope1)
		s2l.values = append(s2l.values, q.Scope2Location)
		s2m.values = append(s2m.values, q.Scope2Market)
		re.values = append(re.values, q.RenewableElectricityPct)
	}
	d.columns("Scope 1 emissions by quarter (t CO₂e)", cats, []series{s1}, UnitTCO2e)
	d.columns("Scope 2 emissions by quarter (t CO₂e)", cats, []series{s2l, s2m}, UnitTCO2e)
	d.line("Renewable electricity share by quarter (%)", cats, re, UnitPct)
	unavailableNote(d, v, "e1.")
}
