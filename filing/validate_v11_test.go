package filing

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// TestValidateReturnV11 holds the rules of the return v1.1 fields of the
// methodology 2026.1 E1 items: each refusal is a problem naming the field.
func TestValidateReturnV11(t *testing.T) {
	type want = wantProblem
	tests := []struct {
		name   string
		change func(r *ledger.Return)
		want   []want
	}{
		{name: "all v1.1 fields, valid", change: func(r *ledger.Return) {
			r.Activity.MobileTrafficTB = decPtr("1000000")
			r.Boundary = &ledger.Boundary{Consolidation: "operational_control", TowerEnergy: "partial"}
			r.Electricity[0].Quality = "metered"
			r.Fuels[2] = ledger.Fuel{Domain: "office", Fuel: "natural_gas", Use: "stationary", Quantity: mustDec("1000"), Unit: "gj", Basis: "gcv", Quality: "invoiced"}
			r.OnsiteRenewables[0].CertificatesSold, r.OnsiteRenewables[0].Grid = true, "JP"
			r.Refrigerants[2].ODSImportedKg = decPtr("10")
			r.DataCentres[0].GridKWh, r.DataCentres[0].DieselL = decPtr("6000000"), decPtr("100")
		}},
		// G10: mobile traffic is a part of all traffic.
		{name: "mobile traffic above all traffic", change: func(r *ledger.Return) { r.Activity.MobileTrafficTB = decPtr("1850001") },
			want: []want{{"activity.mobile_traffic_tb", "must be <= data_traffic_tb (1850000)"}}},
		// G5: gcv only on energy units, and only with a ratio in the set.
		{name: "gcv on litres", change: func(r *ledger.Return) { r.Fuels[0].Basis = "gcv" },
			want: []want{{"fuels[0].basis", "gcv is only for quantities in kwh or gj"}}},
		{name: "gcv petrol has no ratio", change: func(r *ledger.Return) {
			r.Fuels[1] = ledger.Fuel{Domain: "fleet", Fuel: "petrol", Use: "mobile", Quantity: mustDec("10"), Unit: "gj", Basis: "gcv"}
		}, want: []want{{"fuels[1].basis", "factor set apt-2026.1 has no gcv_per_ncv for petrol"}}},
		// G12.
		{name: "unknown quality", change: func(r *ledger.Return) { r.Electricity[1].Quality = "guessed" },
			want: []want{{"electricity[1].quality", "guessed"}}},
		// G13: the residual mix needs a grid.
		{name: "certificates sold without grid", change: func(r *ledger.Return) { r.OnsiteRenewables[1].CertificatesSold = true },
			want: []want{{"onsite_renewables[1].grid", "is required with certificates_sold"}}},
		// G7: imports only of ozone-depleting gases.
		{name: "imports of an HFC", change: func(r *ledger.Return) { r.Refrigerants[0].ODSImportedKg = decPtr("5") },
			want: []want{{"refrigerants[0].ods_imported_kg", "only for ozone-depleting gases"}}},
		// G11.
		{name: "data-centre grid_kwh above total", change: func(r *ledger.Return) { r.DataCentres[0].GridKWh = decPtr("9600001") },
			want: []want{{"data_centres[0].grid_kwh", "must be <= total_kwh (9600000)"}}},
		{name: "negative data-centre diesel", change: func(r *ledger.Return) { r.DataCentres[0].DieselL = decPtr("-1") },
			want: []want{{"data_centres[0].diesel_l", "must be >= 0"}}},
		// G4.
		{name: "negative generator_kwh", change: func(r *ledger.Return) { withSites(r, 2); r.Sites[1].GeneratorKWh = decPtr("-1") },
			want: []want{{"sites[1].generator_kwh", "must be >= 0"}}},
		// G14.
		{name: "unknown consolidation", change: func(r *ledger.Return) { r.Boundary = &ledger.Boundary{Consolidation: "vibes"} },
			want: []want{{"boundary.consolidation", "vibes"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := decodeExample(t)
			c := exampleContext(t)
			c.Factors = factors20261(t)
			tt.change(r)
			problems, _ := Validate(r, c)
			checkProblems(t, problems, tt.want)
		})
	}
}

// TestDecodeReturnV11 reads every return v1.1 field of the E1 items
// from JSON and the site columns from CSV.
func TestDecodeReturnV11(t *testing.T) {
	body := strings.Replace(string(exampleJSON(t)), `"revenue_musd": "2140.5"`,
		`"revenue_musd": "2140.5", "mobile_traffic_tb": "900000"`, 1)
	body = strings.Replace(body, `"operator": "sakura-mobile",`,
		`"operator": "sakura-mobile", "boundary": {"consolidation": "financial_control", "tower_energy": "excluded"},`, 1)
	body = strings.Replace(body, `{"domain": "ran", "grid": "JP", "kwh": "96500000"}`,
		`{"domain": "ran", "grid": "JP", "kwh": "96500000", "quality": "metered"}`, 1)
	body = strings.Replace(body, `{"domain": "ran", "source": "solar", "kwh": "1250000"}`,
		`{"domain": "ran", "source": "solar", "kwh": "1250000", "certificates_sold": true, "grid": "JP"}`, 1)
	body = strings.Replace(body, `{"gas": "r22", "kg_lost": "4"}`, `{"gas": "r22", "kg_lost": "4", "ods_imported_kg": "20"}`, 1)
	body = strings.Replace(body, `"water_m3": "11500"`, `"water_m3": "11500", "grid_kwh": "9000000", "diesel_l": "500"`, 1)
	body = strings.Replace(body, `"unit": "m3"}`, `"unit": "m3", "quality": "estimated"}`, 1)
	r, err := DecodeJSON(bytes.NewReader([]byte(body)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case r.Activity.MobileTrafficTB == nil || r.Activity.MobileTrafficTB.String() != "900000":
		t.Errorf("mobile_traffic_tb = %v", r.Activity.MobileTrafficTB)
	case r.Boundary == nil || *r.Boundary != (ledger.Boundary{Consolidation: "financial_control", TowerEnergy: "excluded"}):
		t.Errorf("boundary = %+v", r.Boundary)
	case r.Electricity[0].Quality != "metered" || r.Fuels[2].Quality != "estimated":
		t.Errorf("quality = %q, %q", r.Electricity[0].Quality, r.Fuels[2].Quality)
	case !r.OnsiteRenewables[0].CertificatesSold || r.OnsiteRenewables[0].Grid != "JP":
		t.Errorf("onsite = %+v", r.OnsiteRenewables[0])
	case r.Refrigerants[2].ODSImportedKg == nil || r.Refrigerants[2].ODSImportedKg.String() != "20":
		t.Errorf("ods_imported_kg = %v", r.Refrigerants[2].ODSImportedKg)
	case r.DataCentres[0].GridKWh == nil || r.DataCentres[0].DieselL == nil:
		t.Errorf("data centre = %+v", r.DataCentres[0])
	}

	csv := "site_id,domain,grid,diesel_l,generator_kwh,quality\ns1,ran,JP,100,300,metered\ns2,ran,JP,50,,\n"
	sites, _, probs, err := readSitesCSV(strings.NewReader(csv), "sites.csv")
	if err != nil || len(probs.list) > 0 {
		t.Fatalf("sites csv: %v %+v", err, probs)
	}
	if sites[0].GeneratorKWh == nil || sites[0].GeneratorKWh.String() != "300" || sites[0].Quality != "metered" {
		t.Errorf("site 1 = %+v", sites[0])
	}
	if sites[1].GeneratorKWh != nil || sites[1].Quality != "" {
		t.Errorf("site 2: an empty generator_kwh is not filed, got %+v", sites[1])
	}
	_, _, probs, _ = readSitesCSV(strings.NewReader("site_id,domain,grid,quality\ns1,ran,JP,guess\n"), "sites.csv")
	if len(probs.list) != 1 || !strings.Contains(probs.list[0].Path, "quality") {
		t.Errorf("bad quality cell: %+v", probs)
	}
}
