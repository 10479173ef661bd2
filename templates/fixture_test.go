package templates

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// The fixtures: a Japanese-sized mobile operator (the numbers follow the
// example return of the specification under factor set apt-2025.1) with
// a Vietnamese name, and a sector of 50 operators.

func dv(s string) calculators.Value { return calculators.Some(decimal.RequireFromString(s)) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var na = calculators.None

var fixtureTime = time.Date(2025, 11, 14, 9, 30, 12, 0, time.UTC)

func fixtureCheckpoint() Checkpoint {
	return Checkpoint{
		Origin: "ictledger.apt.example/ledger",
		Size:   48213,
		Root:   "q9yJ8m3xTq0cV1cH4r2mF7v0XlqkqkZ2QeWnZs6bTqE=",
		Note: "ictledger.apt.example/ledger\n48213\nq9yJ8m3xTq0cV1cH4r2mF7v0XlqkqkZ2QeWnZs6bTqE=\n\n" +
			"— ictledger.apt.example/ledger Az3mQ1tq0kG0o0fQ8Lw2bqJm5o3Jz6vQwq1H2Ykz5tQm2xCzv4e0bF1hO9Qx8c7u6r5y4w3e2Rk1QZ2YbWq0\n",
	}
}

func fixtureDisclosure() *OperatorDisclosure {
	hash := func(i int) string {
		// Deterministic stand-ins for base64 SHA-256 hashes.
		return fmt.Sprintf("%02dQ7m0d1f8Jk2Lx9vT4pR6sW3yZ5aB8cE1gH0iK2nM4o=", i)
	}
	var proofs []InclusionProof
	for i, seq := range []uint64{40107, 40109, 47950} {
		p := InclusionProof{Seq: seq, Size: 48213, LeafHash: hash(i), Root: fixtureCheckpoint().Root}
		for k := 0; k < 16; k++ {
			p.Hashes = append(p.Hashes, hash(10+k+i))
		}
		proofs = append(proofs, p)
	}
	quarters := []QuarterPoint{
		{"2023-Q4", dv("1012.4"), dv("66120.9"), dv("58210.3"), dv("11.8")},
		{"2024-Q1", dv("987.2"), dv("65430.1"), dv("56911.0"), dv("12.6")},
		{"2024-Q2", dv("951.0"), dv("64002.7"), dv("54300.2"), dv("14.1")},
		{"2024-Q3", dv("944.8"), dv("64990.3"), dv("53120.7"), dv("15.3")},
		{"2024-Q4", dv("930.1"), dv("64210.5"), dv("51077.9"), dv("16.9")},
		{"2025-Q1", na, na, na, na},
		{"2025-Q2", dv("902.6"), dv("63310.2"), dv("49012.4"), dv("19.8")},
		{"2025-Q3", dv("890.5"), dv("63673.1"), dv("47905.4"), dv("21.31")},
	}
	return &OperatorDisclosure{
		Operator:    "Viễn thông Đà Nẵng",
		OperatorID:  "vien-thong-da-nang",
		Country:     "JP",
		CountryName: "Japan",
		Period:      "2025-Q3",
		Returns:     []ReturnRef{{Period: "2025-Q3", ID: "r-2025q3-7f3a", Version: 2, Review: "accepted"}},
		Review:      "accepted",
		FactorSet:   "apt-2025.1",
		GWP:         "AR6",
		Entries: []EntryRef{
			{Seq: 40107, Kind: "return.filed", LeafHash: hash(0), Time: time.Date(2025, 10, 28, 6, 12, 44, 0, time.UTC)},
			{Seq: 40109, Kind: "return.restated", LeafHash: hash(1), Time: time.Date(2025, 10, 30, 1, 2, 3, 0, time.UTC)},
			{Seq: 47950, Kind: "review.recorded", LeafHash: hash(2), Time: time.Date(2025, 11, 12, 23, 59, 1, 0, time.UTC)},
		},
		Checkpoint: fixtureCheckpoint(),
		LedgerTime: fixtureTime,
		Summary: Summary{
			PreviousLabel: "2025-Q2",
			YearAgoLabel:  "2024-Q3",
			E1: []Trend{
				{"e1.energy_total_mwh", "Energy consumed", UnitMWh, dv("133525.9"), dv("131204.2"), dv("134980.0"), dv("1.77"), dv("-1.08")},
				{"e1.scope1_tco2e", "Scope 1 emissions", UnitTCO2e, dv("890.5"), dv("902.6"), dv("944.8"), dv("-1.34"), dv("-5.75")},
				{"e1.scope2_market_tco2e", "Scope 2 emissions, market-based", UnitTCO2e, dv("47905.4"), dv("49012.4"), dv("53120.7"), dv("-2.26"), dv("-9.82")},
				{"e1.scope2_location_tco2e", "Scope 2 emissions, location-based", UnitTCO2e, dv("63673.1"), dv("63310.2"), dv("64990.3"), dv("0.57"), dv("-2.03")},
				{"e1.renewable_electricity_share_pct", "Renewable electricity share", UnitPct, dv("21.31"), dv("19.8"), dv("15.3"), dv("7.63"), dv("39.28")},
				{"e1.network_energy_per_tb_kwh", "Network energy per TB", UnitKWhPerTB, dv("69.58"), dv("72.11"), dv("80.42"), dv("-3.51"), dv("-13.48")},
			},
			E2: []Trend{
				{"e2.total.collected_kg", "E-waste collected", UnitKg, dv("172580"), dv("158200"), dv("149900"), dv("9.09"), dv("15.13")},
				{"e2.total.recycling_rate_pct", "Recycling rate", UnitPct, dv("83.26"), dv("81.9"), dv("80.2"), dv("1.66"), dv("3.82")},
				{"e2.total.mci", "Material Circularity Indicator", UnitIndex, dv("0.521"), dv("0.507"), na, dv("2.76"), na},
				{"e2.collection_rate_generated_pct", "Collection rate vs. e-waste generated", UnitPct, na, na, dv("44.1"), na, na},
			},
			E3: []Trend{
				{"e3.backup_power_coverage_pct", "Sites with backup power", UnitPct, dv("98.08"), dv("97.9"), dv("97.1"), dv("0.18"), dv("1.01")},
				{"e3.climate_availability_pct", "Climate availability", UnitPct, dv("99.981933"), dv("99.995"), dv("99.97"), dv("-0.01"), dv("0.01")},
				{"e3.early_warning_coverage_pct", "Early-warning reach", UnitPct, dv("97.12"), dv("96.8"), dv("91.0"), dv("0.33"), dv("6.73")},
			},
		},
		E1: E1{
			EnergyTotal: dv("133525.9"),
			EnergyByCarrier: []Amount{
				{"Grid electricity", dv("129000")}, {"On-site renewable", dv("1430")},
				{"Diesel", dv("1865.0")}, {"Petrol", dv("838.9")}, {"Natural gas", dv("392.0")},
			},
			EnergyByDomain: []Amount{
				{"RAN", dv("99615.0")}, {"Core", dv("8200")}, {"Transport", dv("6100")}, {"Data centre", dv("14800")},
				{"Office", dv("2872.0")}, {"Retail", dv("1100")}, {"Fleet", dv("838.9")},
			},
			ElectricityTotal:        dv("131040"),
			RenewableElectricity:    dv("27930"),
			RenewableByInstrument:   []Amount{{"On-site (solar)", dv("1430")}, {"EAC", dv("20000")}, {"PPA", dv("6500")}, {"Green tariff", dv("0")}},
			RenewableElectricityPct: dv("21.3141"),
			RenewableEnergyPct:      dv("20.9173"),
			Scope2InstrumentsPct:    dv("20.5426"),
			Scope1:                  dv("890.5"),
			Scope1BySource:          []Amount{{"Stationary combustion", dv("579.8")}, {"Mobile combustion", dv("214.6")}, {"Refrigerants (Kyoto gases)", dv("96.1")}},
			Scope2Location:          dv("63673.1"),
			Scope2Market:            dv("47905.4"),
			BiogenicCO2:             dv("0"),
			NonKyotoRefrigerants:    dv("7.84"),
			Intensities: []Metric{
				{"e1.network_energy_per_tb_kwh", "Network energy per TB of data", UnitKWhPerTB, dv("69.5757")},
				{"e1.data_volume_efficiency_bit_per_j", "Data volume efficiency (ETSI ES 203 228)", UnitBitPerJ, dv("31939.92")},
				{"e1.emissions_per_tb_kgco2e", "Scope 1 + 2 (market) per TB of data", UnitKgCO2ePerTB, dv("26.3764")},
				{"e1.energy_per_subscription_kwh", "Energy per subscription", UnitKWh, dv("6.2395")},
				{"e1.revenue_intensity", "Energy per million USD revenue", Unit("MWh/MUSD"), na},
			},
			DataCentres: []DataCentre{
				{"tokyo-dc-1", dv("9600"), dv("6400"), dv("1.5"), dv("0.3125"), dv("0.015625"), dv("0.74039"), dv("1.796875")},
				{"osaka-dc-2", dv("5200"), dv("3900"), dv("1.3333"), dv("0.12"), dv("0"), dv("0.65812"), na},
			},
			Quarters: quarters,
		},
		E2: E2{
			Flows: []Flow{
				{"smartphone", "customer", dv("77900"), dv("10980"), dv("4320"), dv("6390"), dv("0"), dv("90"), dv("0")},
				{"cpe", "customer", dv("48000"), dv("20800"), dv("12000"), dv("8800"), dv("0"), dv("0"), dv("0")},
				{"network_radio", "network", dv("52500"), dv("45000"), dv("10000"), dv("35000"), dv("0"), dv("0"), dv("0")},
				{"network_baseband", "network", dv("8400"), dv("6200"), dv("900"), dv("3900"), dv("800"), dv("300"), dv("300")},
				{"battery_lead_acid", "network", dv("96000"), dv("89600"), dv("0"), dv("89600"), dv("0"), dv("0"), dv("0")},
			},
			Total: Flow{"", "", dv("282800"), dv("172580"), dv("27220"), dv("143690"), dv("800"), dv("390"), dv("300")},
			Rates: []Rates{
				{"customer", dv("51.353"), dv("47.797"), dv("99.150"), dv("99.150"), dv("0.283")},
				{"network", dv("7.741"), dv("91.264"), dv("99.574"), dv("99.006"), dv("0.213")},
				{"total", dv("15.772"), dv("83.260"), dv("99.496"), dv("99.032"), dv("0.226")},
			},
			Targets: []Target{
				{"smartphone", "6 small IT and telecom", dv("98.36"), dec("75"), true, dv("98.36"), dec("55"), true, false},
				{"cpe", "6 small IT and telecom", dv("100"), dec("75"), true, dv("100"), dec("55"), true, false},
				{"network_radio", "4 large equipment", dv("100"), dec("85"), true, dv("100"), dec("80"), true, false},
				{"network_baseband", "4 large equipment", dv("90.32"), dec("85"), true, dv("77.42"), dec("80"), false, false},
			},
			CollectionPOM:        dv("31.2"),
			CollectionPOMPartial: true,
			CollectionGenerated:  na,
			Generated: []Amount{
				{"smartphone", dv("241300")}, {"cpe", dv("151800")}, {"network_radio", dv("138000")},
				{"network_baseband", dv("21000")}, {"battery_lead_acid", dv("312000")},
			},
			GeneratedTotal: dv("864100"),
			Circularity: []Circularity{
				{"smartphone", dv("8.01"), dv("0.412"), "collected"},
				{"cpe", dv("0"), dv("0.538"), "collected"},
				{"network_radio", dv("0"), dv("0.489"), "collected"},
				{"network_baseband", dv("0"), dv("0.301"), "collected"},
				{"battery_lead_acid", dv("0"), dv("0.624"), "collected"},
			},
			MCITotal: dv("0.521"),
		},
		E3: E3{
			SitesTotal: 18250, SitesWithBackup: 17900, BackupCoverage: dv("98.0822"),
			BackupBands: []Band{
				{"≥ 4 h", 12700, dv("69.589")}, {"≥ 8 h", 5300, dv("29.041")},
				{"≥ 24 h", 1200, dv("6.575")}, {"≥ 72 h", 200, dv("1.096")},
			},
			HazardAssessed: dv("85.4795"), SitesAssessed: 15600, SitesHighHazard: 2300, SitesHardened: 1650,
			HighHazardHardened: dv("71.7391"),
			OffgridRenewable:   na,
			Outages: []Outage{
				{"cyclone", time.Date(2025, 8, 21, 4, 0, 0, 0, time.UTC), 420, dec("6300"), dec("30")},
				{"flood", time.Date(2025, 9, 3, 11, 30, 0, 0, time.UTC), 85, dec("980"), dec("16")},
			},
			OutageEvents: dv("2"), OutageSiteHours: dv("7280"), MeanHoursRestore: dv("23"),
			Availability: dv("99.981933"),
			AlertsSent:   37, PopulationCovered: 118000000, PopulationServed: 121500000,
			EarlyWarning: dv("97.1193"),
		},
		Method: Method{
			Factors: []Factor{
				{"grid.JP.kgco2e_per_kwh", dec("0.49359"), "kg CO₂e/kWh", "Ember yearly electricity data, 2023 (CC BY 4.0)"},
				{"fuel.diesel.density_kg_per_l", dec("0.844"), "kg/l", "IEA oil documentation"},
				{"fuel.diesel.ncv_gj_per_t", dec("43.0"), "GJ/t", "2006 IPCC Guidelines Vol 2, Table 1.2"},
				{"fuel.diesel.co2_kg_per_tj", dec("74100"), "kg/TJ", "2006 IPCC Guidelines Vol 2, Table 1.4"},
				{"fuel.diesel.stationary.ch4_kg_per_tj", dec("10"), "kg/TJ", "2006 IPCC Guidelines Vol 2, Table 2.4"},
				{"fuel.petrol.mobile.ch4_kg_per_tj", dec("33"), "kg/TJ", "2006 IPCC Guidelines Vol 2, Table 3.2.2"},
				{"fuel.natural_gas.density_kg_per_m3", dec("0.717"), "kg/m³", "assumption, to be replaced by the national value"},
				{"gwp.ar6.ch4", dec("27.0"), "", "IPCC AR6 WGI Table 7.15 (non-fossil)"},
				{"gwp.ar6.n2o", dec("273"), "", "IPCC AR6 WGI Table 7.15"},
				{"gwp.ar6.r410a", dec("2255.5"), "", "IPCC AR6 WGI 7.SM.7; R-410A 50/50 HFC-32/125 (ASHRAE 34)"},
				{"gwp.ar6.r22", dec("1960"), "", "IPCC AR6 WGI 7.SM.7 (Montreal Protocol gas, reported apart)"},
				{"device.smartphone.weibull_shape", dec("1.56"), "", "EC/UNITAR WEEE Calculation Tool, Annex III (NL/FR/BE)"},
				{"device.smartphone.weibull_scale", dec("6.26"), "years", "EC/UNITAR WEEE Calculation Tool, Annex III (NL/FR/BE)"},
			},
			Formulas: []Formula{
				{"e1.energy_total_mwh", "Fuel energy at net calorific value (litres × density × NCV), plus purchased electricity, plus on-site renewable electricity; 1 MWh = 3.6 GJ."},
				{"e1.scope1_tco2e", "Per fuel row, energy in TJ × CO₂, CH₄ and N₂O factors, weighted by GWP-100; plus refrigerant losses × GWP for Kyoto gases."},
				{"e1.scope2_location_tco2e", "Each electricity row's kWh × the grid factor of its grid."},
				{"e1.scope2_market_tco2e", "Per grid: claimed kWh × 0, supplier-rate rows × their rate, the rest × the residual-mix factor (grid average where the set has none)."},
				{"e2.total.recycling_rate_pct", "Recycled mass / collected mass × 100."},
				{"e2.total.mci", "Ellen MacArthur Foundation MCI: 1 − LFI × 0.9 / X, per category, mass-weighted by inflow."},
				{"e3.climate_availability_pct", "(1 − site-hours lost / (sites × 24 × days in the quarter)) × 100."},
			},
			Warnings: []Note{
				{"electricity[3]", "Supplier rate 0.312 kg CO₂e/kWh for Kanto Green Power taken as filed; no evidence attached."},
				{"e1.scope2_market_tco2e", "Factor set apt-2025.1 has no residual mix for JP: the grid-average factor was used, which understates market-based emissions."},
				{"devices[3].collected", "Mass balance gap of 300 kg for network_baseband (collected − treated − stock change)."},
			},
			Findings: []Note{
				{"e2", "Return version 1 omitted the lead-acid batteries collected from RAN sites; restated in version 2 (accepted)."},
			},
		},
		Proofs: proofs,
		Unavailable: []calculators.Unavailable{
			{Metric: "e1.data_centres[osaka-dc-2].wue", Reason: "no water use reported for the facility"},
			{Metric: "e1.revenue_intensity", Reason: "revenue not filed for the period"},
			{Metric: "e1 trend 2025-Q1", Reason: "no return filed for 2025-Q1"},
			{Metric: "e2.collection_rate_generated_pct", Reason: "needs returns for all four quarters ending 2025-Q3; 2025-Q1 is missing"},
			{Metric: "e2.total.mci (2024-Q3)", Reason: "factor set of 2024 had no Weibull parameters for network_baseband"},
			{Metric: "e3.offgrid_renewable_sites", Reason: "site-level rows were not filed"},
		},
	}
}

// fixtureSector is a sector of n operators across the region, with every
// filing state, a few late filings and a few unavailable values.
func fixtureSector(n int) *SectorReport {
	names := []string{"Sakura Mobile", "Viễn thông Đà Nẵng", "Kiwi Wireless", "Nusantara Seluler", "Mekong Telecom",
		"Bharat Netlink", "Đồng Nai Viễn thông", "Pacific Islands Comms", "Manila Bay Mobile", "Han River Telecom"}
	countries := []string{"JP", "VN", "NZ", "ID", "KH", "IN", "VN", "FJ", "PH", "KR"}
	states := []string{"accepted", "accepted", "accepted", "submitted", "returned", "accepted", "missing", "accepted"}
	r := &SectorReport{
		Period: "2025-Q3", FactorSet: "apt-2025.1", GWP: "AR6",
		Checkpoint: fixtureCheckpoint(), LedgerTime: fixtureTime,
	}
	type metricDef struct {
		key, label string
		unit       Unit
		base, step int64
	}
	defs := []metricDef{
		{"e1.energy_total_mwh", "Energy consumed", UnitMWh, 4200, 2650},
		{"e1.scope1_tco2e", "Scope 1 emissions", UnitTCO2e, 35, 18},
		{"e1.scope2_market_tco2e", "Scope 2 emissions, market-based", UnitTCO2e, 1900, 970},
		{"e1.renewable_electricity_share_pct", "Renewable electricity share", UnitPct, 3, 1},
		{"e2.total.recycling_rate_pct", "Recycling rate", UnitPct, 41, 1},
		{"e3.early_warning_coverage_pct", "Early-warning reach", UnitPct, 52, 1},
	}
	for _, d := range defs {
		r.Metrics = append(r.Metrics, SectorMetric{Key: d.key, Label: d.label, Unit: d.unit})
	}
	for i := 0; i < n; i++ {
		name := names[i%len(names)]
		if i >= len(names) {
			name = fmt.Sprintf("%s %d", name, i/len(names)+1)
		}
		id := strings.ToLower(strings.NewReplacer(" ", "-", "ễ", "e", "Đ", "d", "à", "a", "ẵ", "a", "ồ", "o", "ô", "o").Replace(name))
		st := FilingStatus{Operator: name, ID: id, Country: countries[i%len(countries)], State: states[i%len(states)]}
		st.Late = i%7 == 3 || st.State == "missing"
		if st.State != "missing" {
			st.Version = 1 + i%3/2
			st.Filed = time.Date(2025, 10, 20+i%20, 8+i%9, i%60, 0, 0, time.UTC)
		}
		r.Status = append(r.Status, st)
		for k, d := range defs {
			v := na
			reason := ""
			switch {
			case st.State == "missing":
				reason = "no return filed"
			case k == 4 && i%11 == 5:
				reason = "nothing collected in the quarter"
			default:
				// A spread that is not monotone in i: (i*37 mod 50) steps.
				x := d.base + d.step*int64((i*37+k*13)%50)
				v = calculators.Some(decimal.New(x*10+int64(i%10), -1))
				if d.unit == UnitPct && v.D.GreaterThan(decimal.NewFromInt(100)) {
					v = dv("100")
				}
			}
			r.Metrics[k].Rows = append(r.Metrics[k].Rows, OperatorValue{Operator: name, Value: v, Reason: reason})
		}
	}
	for k := range r.Metrics {
		rankRows(&r.Metrics[k])
	}
	r.Totals = []Metric{
		{"e1.energy_total_mwh", "Energy consumed", UnitMWh, dv("3655210.4")},
		{"e1.scope1_tco2e", "Scope 1 emissions", UnitTCO2e, dv("24719.8")},
		{"e1.scope2_market_tco2e", "Scope 2 emissions, market-based", UnitTCO2e, dv("1339021.7")},
		{"e1.renewable_electricity_share_pct", "Renewable electricity share", UnitPct, dv("22.41")},
		{"e2.total.recycling_rate_pct", "Recycling rate", UnitPct, dv("63.9")},
		{"e3.early_warning_coverage_pct", "Early-warning reach", UnitPct, na},
	}
	r.Warnings = []Note{
		{"Mekong Telecom", "Supplier rate for EDC taken as filed; no evidence attached."},
		{"Kiwi Wireless", "Factor set apt-2025.1 has no residual mix for NZ: grid-average factor used."},
		{"Pacific Islands Comms", "Mass balance gap of 1,240 kg for cpe."},
	}
	r.Findings = []Note{
		{"Nusantara Seluler", "Refrigerant losses reported as zero for 2,900 sites with cooling: asked for the maintenance logs."},
	}
	return r
}

// rankRows orders a metric's rows by value, highest first, ranks them,
// puts the unavailable ones last and sets the median (as the lead's code
// will; the template draws the order it is given).
func rankRows(m *SectorMetric) {
	m.Direction = calculators.RankHigher // rank 1 is the highest, as less sorts
	rows := m.Rows
	for i := 1; i < len(rows); i++ { // insertion sort: stable and tiny
		for j := i; j > 0 && less(rows[j], rows[j-1]); j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
	var ok []decimal.Decimal
	for i := range rows {
		if rows[i].Value.OK {
			rows[i].Rank = len(ok) + 1
			ok = append(ok, rows[i].Value.D)
		}
	}
	switch n := len(ok); {
	case n == 0:
		m.Median = na
	case n%2 == 1:
		m.Median = calculators.Some(ok[n/2])
	default:
		m.Median = calculators.Some(ok[n/2-1].Add(ok[n/2]).Div(decimal.NewFromInt(2)))
	}
}

func less(a, b OperatorValue) bool {
	if a.Value.OK != b.Value.OK {
		return a.Value.OK
	}
	return a.Value.OK && a.Value.D.GreaterThan(b.Value.D)
}
