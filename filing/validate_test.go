package filing

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// withSites turns the example into a site-level return: the ran
// electricity and the resilience site counts move to site rows.
func withSites(r *ledger.Return, n int) {
	r.Activity.SitesTotal = nil
	r.Resilience = ledger.Resilience{Outages: r.Resilience.Outages, EarlyWarning: r.Resilience.EarlyWarning}
	for i := range r.Resilience.Outages {
		// One site cannot lose more hours than the quarter has left after
		// the outage started (methodology 2026.1 R3).
		r.Resilience.Outages[i].SitesAffected = 1
		r.Resilience.Outages[i].SiteHoursLost = mustDec("24")
	}
	r.Electricity = r.Electricity[1:]
	for i := range n {
		s := siteRow("site-"+strconv.Itoa(i), "JP")
		s.GridKWh = mustDec("96500000").Div(decimal.NewFromInt(int64(n)))
		s.BackupHours = mustDec("6")
		r.Sites = append(r.Sites, s)
	}
}

// TestValidate runs each rule on the example return with one change: the
// rule must fire with the path named, or (want empty) nothing may fire.
func TestValidate(t *testing.T) {
	type want = wantProblem
	tests := []struct {
		name   string
		change func(r *ledger.Return, c *Context)
		want   []want // problems; empty: the return stays clean
		warn   string // a warning rule that must be raised (and no problem)
	}{
		{name: "example is clean", change: func(*ledger.Return, *Context) {}},

		// top level
		{name: "operator not the URL's", change: func(r *ledger.Return, c *Context) { c.Operator = "other" },
			want: []want{{"operator", `must be the operator of the URL, "other"`}}},
		{name: "operator missing", change: func(r *ledger.Return, c *Context) { r.Operator = "" },
			want: []want{{"operator", "is required"}}},
		{name: "future period", change: func(r *ledger.Return, c *Context) {
			r.Period = ledger.Period{Year: 2026, Quarter: 2}
			c.Now = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
			r.Resilience.Outages = nil
		},
			want: []want{{"period", "has not ended"}}},
		{name: "current quarter", change: func(r *ledger.Return, c *Context) { c.Now = time.Date(2025, 9, 30, 23, 0, 0, 0, time.UTC) },
			want: []want{{"period", "has not ended: it ends at 2025-10-01T00:00:00Z"}}},
		{name: "quarter ended this instant", change: func(r *ledger.Return, c *Context) { c.Now = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC) }},
		{name: "restatement without restates", change: func(r *ledger.Return, c *Context) { c.Latest = "sakura-mobile-2025-Q3-v1" },
			want: []want{{"restates", "is required"}}},
		{name: "restates with no return to restate", change: func(r *ledger.Return, c *Context) { r.Restates = "x"; r.Reason = "typo" },
			want: []want{{"restates", "no return to restate"}}},
		{name: "restates not the latest", change: func(r *ledger.Return, c *Context) {
			c.Latest = "sakura-mobile-2025-Q3-v2"
			r.Restates, r.Reason = "sakura-mobile-2025-Q3-v1", "typo"
		}, want: []want{{"restates", `must be the latest version of 2025-Q3, "sakura-mobile-2025-Q3-v2"`}}},
		{name: "restatement without reason", change: func(r *ledger.Return, c *Context) {
			c.Latest = "sakura-mobile-2025-Q3-v1"
			r.Restates = c.Latest
		}, want: []want{{"reason", "is required with restates"}}},
		{name: "proper restatement", change: func(r *ledger.Return, c *Context) {
			c.Latest, c.FirstPeriod = "sakura-mobile-2025-Q3-v1", r.Period
			r.Restates, r.Reason = c.Latest, "metering error in ran"
		}},
		{name: "reason without restates", change: func(r *ledger.Return, c *Context) { r.Reason = "why" },
			want: []want{{"reason", "only for a restatement"}}},
		{name: "unknown factor set", change: func(r *ledger.Return, c *Context) { r.FactorSet = "apt-2099.1" },
			want: []want{{"factor_set", `unknown factor set version "apt-2099.1"`}}},
		{name: "named factor set", change: func(r *ledger.Return, c *Context) { r.FactorSet = "apt-2025.1" }},

		// activity
		{name: "traffic missing", change: func(r *ledger.Return, c *Context) { r.Activity.DataTrafficTB = nil },
			want: []want{{"activity.data_traffic_tb", "is required"}}},
		{name: "negative traffic", change: func(r *ledger.Return, c *Context) { r.Activity.DataTrafficTB = decPtr("-1") },
			want: []want{{"activity.data_traffic_tb", "must be >= 0"}}},
		{name: "negative subscriptions", change: func(r *ledger.Return, c *Context) { r.Activity.Subscriptions = intPtr(-1) },
			want: []want{{"activity.subscriptions", "must be >= 0"}}},
		{name: "sites_total missing without sites", change: func(r *ledger.Return, c *Context) { r.Activity.SitesTotal = nil },
			want: []want{{"activity.sites_total", "is required"}}},
		{name: "negative revenue", change: func(r *ledger.Return, c *Context) { r.Activity.RevenueMUSD = decPtr("-0.5") },
			want: []want{{"activity.revenue_musd", "must be >= 0"}}},

		// electricity and fuels
		{name: "negative kwh", change: func(r *ledger.Return, c *Context) { r.Electricity[2].KWh = mustDec("-1") },
			want: []want{{"electricity[2].kwh", "must be >= 0, got -1"}}},
		{name: "unknown grid", change: func(r *ledger.Return, c *Context) { r.Electricity[1].Grid = "ZZ" },
			want: []want{{"electricity[1].grid", `unknown grid "ZZ"`}}},
		{name: "negative supplier rate", change: func(r *ledger.Return, c *Context) { r.Electricity[3].SupplierKgCO2ePerKWh = decPtr("-0.1") },
			want: []want{{"electricity[3].supplier_kgco2e_per_kwh", "must be >= 0"}}},
		{name: "bad domain in code-built return", change: func(r *ledger.Return, c *Context) { r.Electricity[0].Domain = "Ran" },
			want: []want{{"electricity[0].domain", "must be one of ran, core"}}},
		{name: "m3 for diesel", change: func(r *ledger.Return, c *Context) { r.Fuels[0].Unit = "m3" },
			want: []want{{"fuels[0].unit", "diesel must be given in l, kg, gj, kwh; got m3"}}},
		{name: "litres of natural gas", change: func(r *ledger.Return, c *Context) { r.Fuels[2].Unit = "l" },
			want: []want{{"fuels[2].unit", "natural_gas must be given in m3, kg, gj, kwh"}}},
		{name: "natural gas in kwh", change: func(r *ledger.Return, c *Context) { r.Fuels[2].Unit = "kwh" }},
		{name: "negative fuel", change: func(r *ledger.Return, c *Context) { r.Fuels[1].Quantity = mustDec("-3") },
			want: []want{{"fuels[1].quantity", "must be >= 0"}}},
		{name: "biodiesel blend without bio_share", change: func(r *ledger.Return, c *Context) { r.Fuels[0].Fuel = "biodiesel_blend" },
			want: []want{{"fuels[0].bio_share", "is required for biodiesel_blend"}}},
		{name: "bio_share above 1", change: func(r *ledger.Return, c *Context) {
			r.Fuels[0].Fuel = "biodiesel_blend"
			r.Fuels[0].BioShare = decPtr("1.2")
		},
			want: []want{{"fuels[0].bio_share", "must be from 0 to 1"}}},
		{name: "bio_share below 0", change: func(r *ledger.Return, c *Context) {
			r.Fuels[0].Fuel = "biodiesel_blend"
			r.Fuels[0].BioShare = decPtr("-0.1")
		},
			want: []want{{"fuels[0].bio_share", "must be from 0 to 1"}}},
		{name: "B20 in litres", change: func(r *ledger.Return, c *Context) {
			r.Fuels[0].Fuel = "biodiesel_blend"
			r.Fuels[0].BioShare = decPtr("0.2")
		}},
		{name: "B100", change: func(r *ledger.Return, c *Context) {
			r.Fuels[0].Fuel = "biodiesel_blend"
			r.Fuels[0].BioShare = decPtr("1")
		}},
		{name: "biodiesel blend in kg", change: func(r *ledger.Return, c *Context) {
			r.Fuels[0].Fuel, r.Fuels[0].Unit, r.Fuels[0].BioShare = "biodiesel_blend", "kg", decPtr("0.2")
		}, want: []want{{"fuels[0].unit", "biodiesel_blend must be given in l"}}},
		{name: "bio_share on diesel", change: func(r *ledger.Return, c *Context) { r.Fuels[0].BioShare = decPtr("0.2") },
			want: []want{{"fuels[0].bio_share", "only for biodiesel_blend"}}},
		{name: "generated_kwh on mobile", change: func(r *ledger.Return, c *Context) { r.Fuels[1].GeneratedKWh = decPtr("5") },
			want: []want{{"fuels[1].generated_kwh", "only for stationary use"}}},
		{name: "negative generated_kwh", change: func(r *ledger.Return, c *Context) { r.Fuels[0].GeneratedKWh = decPtr("-5") },
			want: []want{{"fuels[0].generated_kwh", "must be >= 0"}}},
		{name: "negative onsite", change: func(r *ledger.Return, c *Context) { r.OnsiteRenewables[1].KWh = mustDec("-5") },
			want: []want{{"onsite_renewables[1].kwh", "must be >= 0"}}},
		{name: "negative refrigerant", change: func(r *ledger.Return, c *Context) { r.Refrigerants[2].KgLost = mustDec("-5") },
			want: []want{{"refrigerants[2].kg_lost", "must be >= 0"}}},

		// claims (JP purchases 129,000,000 kWh)
		{name: "claims above purchased", change: func(r *ledger.Return, c *Context) { r.RenewableClaims[1].KWh = mustDec("109000000.5") },
			want: []want{{"renewable_claims[1].kwh", "claims for grid JP total 129000000.5 kWh, above the 129000000 kWh"}}},
		{name: "claims equal purchased", change: func(r *ledger.Return, c *Context) { r.RenewableClaims[1].KWh = mustDec("109000000") }},
		{name: "claim grid without electricity", change: func(r *ledger.Return, c *Context) { r.RenewableClaims[1].Grid = "AU" },
			want: []want{{"renewable_claims[1].grid", `no electricity is purchased in grid "AU"`}}},
		{name: "eac without certificates", change: func(r *ledger.Return, c *Context) { r.RenewableClaims[0].Certificates = nil },
			want: []want{{"renewable_claims[0].certificates", "is required for eac"}}},
		{name: "certificate claimed twice", change: func(r *ledger.Return, c *Context) {
			r.RenewableClaims[1].Certificates = []string{"JP-NFC-2025-000119"}
		}, want: []want{{"renewable_claims[1].certificates[0]", "claimed twice"}}},
		{name: "vintage after the period", change: func(r *ledger.Return, c *Context) { r.RenewableClaims[1].Vintage = 2026 },
			want: []want{{"renewable_claims[1].vintage", "from 1990 to 2025"}}},
		{name: "negative claim", change: func(r *ledger.Return, c *Context) { r.RenewableClaims[1].KWh = mustDec("-1") },
			want: []want{{"renewable_claims[1].kwh", "must be >= 0"}}},
		{name: "uncertified share above 90%", change: func(r *ledger.Return, c *Context) {
			r.RenewableClaims[0].Instrument, r.RenewableClaims[0].Certificates = "ppa", nil
			r.RenewableClaims[0].KWh = mustDec("110000000") // 116.5 of 129 GWh: 90.3%
		}, warn: "renewable_share_uncertified"},
		{name: "uncertified share at 90%", change: func(r *ledger.Return, c *Context) {
			r.RenewableClaims[0].Instrument, r.RenewableClaims[0].Certificates = "ppa", nil
			r.RenewableClaims[0].KWh = mustDec("109600000") // exactly 116.1 of 129 GWh
		}},
		{name: "certified share above 90%", change: func(r *ledger.Return, c *Context) { r.RenewableClaims[0].KWh = mustDec("110000000") }},
		{name: "uncertified share above 90% next to a token certified claim", change: func(r *ledger.Return, c *Context) {
			r.RenewableClaims[0].KWh = mustDec("1")
			r.RenewableClaims[1].KWh = mustDec("117000000") // 90.7% without certificates
		}, warn: "renewable_share_uncertified"},
		{name: "certified and uncertified claims together above 90%", change: func(r *ledger.Return, c *Context) {
			r.RenewableClaims[0].KWh = mustDec("60000000")
			r.RenewableClaims[1].KWh = mustDec("60000000") // 93% claimed, 46.5% without certificates
		}},

		// data centres
		{name: "it above total", change: func(r *ledger.Return, c *Context) { r.DataCentres[0].ITKWh = mustDec("9600001") },
			want: []want{{"data_centres[0].it_kwh", "must be <= total_kwh (9600000); got 9600001"}}},
		{name: "it equal total", change: func(r *ledger.Return, c *Context) { r.DataCentres[0].ITKWh = mustDec("9600000") }},
		{name: "duplicate data centre", change: func(r *ledger.Return, c *Context) {
			r.DataCentres = append(r.DataCentres, r.DataCentres[0])
			r.DataCentres[1].TotalKWh = mustDec("1000")
			r.DataCentres[1].ITKWh = mustDec("500")
			r.DataCentres[1].RenewableKWh, r.DataCentres[1].ReusedKWh = nil, nil
		}, want: []want{{"data_centres[1].id", `duplicate data centre id "tokyo-dc-1"`}}},
		{name: "data centre grid unknown", change: func(r *ledger.Return, c *Context) { r.DataCentres[0].Grid = "XX" },
			want: []want{{"data_centres[0].grid", "unknown grid"}}},
		{name: "renewable above total", change: func(r *ledger.Return, c *Context) { r.DataCentres[0].RenewableKWh = decPtr("9600001") },
			want: []want{{"data_centres[0].renewable_kwh", "must be <= total_kwh"}}},
		{name: "negative water", change: func(r *ledger.Return, c *Context) { r.DataCentres[0].WaterM3 = decPtr("-1") },
			want: []want{{"data_centres[0].water_m3", "must be >= 0"}}},
		{name: "facilities above domain energy", change: func(r *ledger.Return, c *Context) {
			r.DataCentres[0].TotalKWh = mustDec("15000000")
		}, warn: "data_centre_energy_exceeds_domain"},
		{name: "facilities covered by domain fuel", change: func(r *ledger.Return, c *Context) {
			r.DataCentres[0].TotalKWh = mustDec("15000000")
			// 100,000 l of diesel are about 1,008,000 kWh.
			r.Fuels = append(r.Fuels, ledger.Fuel{Domain: "data_centre", Fuel: "diesel", Use: "stationary", Quantity: mustDec("100000"), Unit: "l"})
		}},

		// devices
		{name: "duplicate device row", change: func(r *ledger.Return, c *Context) { r.Devices[1].Category = "smartphone" },
			want: []want{{"devices[1]", "duplicate row for category smartphone, stream customer (also devices[0])"}}},
		{name: "units without kg", change: func(r *ledger.Return, c *Context) { r.Devices[1].Inflow.Kg = decimal.Zero },
			want: []want{{"devices[1].inflow.kg", "must be > 0 when units > 0"}}},
		{name: "negative flow", change: func(r *ledger.Return, c *Context) {
			r.Devices[1].Inflow.Kg = mustDec("-1")
			r.Devices[1].Inflow.Units = 0
		},
			want: []want{{"devices[1].inflow.kg", "must be >= 0"}}},
		{name: "negative units", change: func(r *ledger.Return, c *Context) { r.Devices[1].Inflow.Units = -1 },
			want: []want{{"devices[1].inflow.units", "must be >= 0"}}},
		{name: "content above inflow", change: func(r *ledger.Return, c *Context) { r.Devices[0].ReusedContentKg = decPtr("74000.001") },
			want: []want{{"devices[0].recycled_content_kg", "recycled_content_kg + reused_content_kg = 77900.001 must be <= inflow.kg (77900)"}}},
		{name: "content equal inflow", change: func(r *ledger.Return, c *Context) { r.Devices[0].ReusedContentKg = decPtr("74000") }},
		{name: "negative stock change", change: func(r *ledger.Return, c *Context) {
			r.Devices[1].StockChange = &ledger.Flow{Units: -10, Kg: mustDec("-4")}
			r.Devices[1].Recycled = &ledger.Flow{Units: 22010, Kg: mustDec("8804")}
		}},
		{name: "stock change signs disagree", change: func(r *ledger.Return, c *Context) { r.Devices[0].StockChange.Units = -1000 },
			want: []want{{"devices[0].stock_change.kg", "must be < 0 when units < 0"}}},
		{name: "zero lifetime", change: func(r *ledger.Return, c *Context) { r.Devices[0].LifetimeYears = decPtr("0") },
			want: []want{{"devices[0].lifetime_years", "must be > 0"}}},
		{name: "exported above treated", change: func(r *ledger.Return, c *Context) {
			r.Devices[3].ExportedKg, r.Devices[3].BaselNotification = decPtr("89601"), []string{"JP-2025-17"}
		}, want: []want{{"devices[3].exported_kg", "must be <= the treated mass"}}},
		{name: "exported without notification", change: func(r *ledger.Return, c *Context) { r.Devices[3].ExportedKg = decPtr("1000") },
			want: []want{{"devices[3].basel_notification", "is required with exported_kg > 0"}}},
		{name: "mass balance gap", change: func(r *ledger.Return, c *Context) { r.Devices[0].Collected.Kg = mustDec("12000") },
			warn: "mass_balance_gap"},
		{name: "mass balance within 1%", change: func(r *ledger.Return, c *Context) { r.Devices[0].Collected.Kg = mustDec("11080") }},
		{name: "mass balance with nothing collected", change: func(r *ledger.Return, c *Context) { r.Devices[2].Collected = nil },
			warn: "mass_balance_gap"},

		// historic inflow
		{name: "historic year not before the first return", change: func(r *ledger.Return, c *Context) { r.HistoricInflow[2].Year = 2025 },
			want: []want{{"historic_inflow[2].year", "precedes the first return's year 2025"}}},
		{name: "historic inflow after the first return", change: func(r *ledger.Return, c *Context) { c.FirstPeriod = ledger.Period{Year: 2024, Quarter: 1} },
			want: []want{{"historic_inflow", "only be sent with the operator's first return (2024-Q1)"}}},
		{name: "historic inflow with a return filed late for an earlier quarter", change: func(r *ledger.Return, c *Context) { c.FirstPeriod = ledger.Period{Year: 2025, Quarter: 4} }},
		{name: "duplicate historic row", change: func(r *ledger.Return, c *Context) { r.HistoricInflow[1].Year = 2022 },
			want: []want{{"historic_inflow[1]", "duplicate row for smartphone/customer 2022"}}},
		{name: "historic units without kg", change: func(r *ledger.Return, c *Context) { r.HistoricInflow[0].Kg = decimal.Zero },
			want: []want{{"historic_inflow[0].kg", "must be > 0 when units > 0"}}},

		// resilience
		{name: "bands do not add up", change: func(r *ledger.Return, c *Context) { r.Resilience.BackupAutonomy.GE72h = 201 },
			want: []want{{"resilience.backup_autonomy", "the bands add up to 17901, not sites_with_backup (17900)"}}},
		{name: "negative band", change: func(r *ledger.Return, c *Context) { r.Resilience.BackupAutonomy.LT4h = -1 },
			want: []want{{"resilience.backup_autonomy.lt_4h", "must be >= 0"}}},
		{name: "bands without sites_with_backup", change: func(r *ledger.Return, c *Context) { r.Resilience.SitesWithBackup = nil },
			want: []want{{"resilience.sites_with_backup", "is required with backup_autonomy"}}},
		{name: "backup above sites_total", change: func(r *ledger.Return, c *Context) { r.Activity.SitesTotal = intPtr(17000) },
			want: []want{{"resilience.sites_with_backup", "must be <= sites_total (17000); got 17900"}}},
		{name: "assessed above sites_total", change: func(r *ledger.Return, c *Context) { r.Resilience.SitesHazardAssessed = intPtr(18251) },
			want: []want{{"resilience.sites_hazard_assessed", "must be <= sites_total (18250)"}}},
		{name: "hardened above high hazard", change: func(r *ledger.Return, c *Context) { r.Resilience.SitesHighHazardHardened = intPtr(2301) },
			want: []want{{"resilience.sites_high_hazard_hardened", "must be <= sites_high_hazard (2300); got 2301"}}},
		{name: "hardened equal high hazard", change: func(r *ledger.Return, c *Context) { r.Resilience.SitesHighHazardHardened = intPtr(2300) }},
		{name: "outage before the quarter", change: func(r *ledger.Return, c *Context) {
			r.Resilience.Outages[0].Started = time.Date(2025, 6, 30, 23, 59, 59, 0, time.UTC)
		}, want: []want{{"resilience.outages[0].started", "must be inside 2025-Q3"}}},
		{name: "outage at the quarter's end", change: func(r *ledger.Return, c *Context) {
			r.Resilience.Outages[1].Started = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
		}, want: []want{{"resilience.outages[1].started", "must be inside 2025-Q3"}}},
		{name: "outage at the quarter's start", change: func(r *ledger.Return, c *Context) {
			r.Resilience.Outages[1].Started = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
		}},
		{name: "negative site hours", change: func(r *ledger.Return, c *Context) { r.Resilience.Outages[0].SiteHoursLost = mustDec("-1") },
			want: []want{{"resilience.outages[0].site_hours_lost", "must be >= 0"}}},
		{name: "covered above served", change: func(r *ledger.Return, c *Context) { r.Resilience.EarlyWarning.PopulationCovered = 121500001 },
			want: []want{{"resilience.early_warning.population_covered", "must be <= population_served (121500000)"}}},

		// site rows
		{name: "site-level return", change: func(r *ledger.Return, c *Context) { withSites(r, 4) }},
		{name: "sites_total equal to the rows", change: func(r *ledger.Return, c *Context) { withSites(r, 4); r.Activity.SitesTotal = intPtr(4) }},
		{name: "sites_total not the rows", change: func(r *ledger.Return, c *Context) { withSites(r, 4); r.Activity.SitesTotal = intPtr(5) },
			want: []want{{"activity.sites_total", "must equal the number of site rows, 4; got 5"}}},
		{name: "derived fields sent with sites", change: func(r *ledger.Return, c *Context) {
			withSites(r, 4)
			r.Resilience.SitesWithBackup = intPtr(3)
			r.Resilience.BackupAutonomy = &ledger.BackupAutonomy{H4to8: 3}
			r.Resilience.SitesHazardAssessed = intPtr(0)
			r.Resilience.SitesHighHazard = intPtr(0)
			r.Resilience.SitesHighHazardHardened = intPtr(0)
		}, want: []want{
			{"resilience.sites_with_backup", "must not be sent with site rows"},
			{"resilience.backup_autonomy", "must not be sent with site rows"},
			{"resilience.sites_hazard_assessed", "must not be sent with site rows"},
			{"resilience.sites_high_hazard", "must not be sent with site rows"},
			{"resilience.sites_high_hazard_hardened", "must not be sent with site rows"},
		}},
		{name: "duplicate site_id", change: func(r *ledger.Return, c *Context) { withSites(r, 4); r.Sites[2].SiteID = "site-0" },
			want: []want{{"sites[2].site_id", `duplicate site_id "site-0" (also sites[0])`}}},
		{name: "site grid unknown", change: func(r *ledger.Return, c *Context) { withSites(r, 4); r.Sites[1].Grid = "QQ" },
			want: []want{{"sites[1].grid", `unknown grid "QQ"`}}},
		{name: "negative site diesel", change: func(r *ledger.Return, c *Context) { withSites(r, 4); r.Sites[1].DieselL = mustDec("-2") },
			want: []want{{"sites[1].diesel_l", "must be >= 0"}}},
		{name: "offgrid site with grid electricity", change: func(r *ledger.Return, c *Context) { withSites(r, 4); r.Sites[0].Offgrid = true },
			want: []want{{"sites[0].grid_kwh", "must be 0 for an offgrid site"}}},
		{name: "site grid_kwh counts as purchased for claims", change: func(r *ledger.Return, c *Context) {
			withSites(r, 4)
			r.RenewableClaims[1].KWh = mustDec("109000000") // all of JP: rows 32.5 GWh + sites 96.5 GWh
		}},
		{name: "claims above purchased with sites", change: func(r *ledger.Return, c *Context) {
			withSites(r, 4)
			r.RenewableClaims[1].KWh = mustDec("109000001")
		}, want: []want{{"renewable_claims[1].kwh", "above the 129000000 kWh"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := decodeExample(t)
			c := exampleContext(t)
			tt.change(r, &c)
			problems, warnings := Validate(r, c)
			checkProblems(t, problems, tt.want)
			switch {
			case tt.warn == "" && len(warnings) > 0:
				t.Errorf("unexpected warnings: %+v", warnings)
			case tt.warn != "" && (len(warnings) != 1 || warnings[0].Rule != tt.warn):
				t.Errorf("warnings %+v, want one %s", warnings, tt.warn)
			}
		})
	}
}

func TestWarningMessages(t *testing.T) {
	r := decodeExample(t)
	r.Devices[0].Collected.Kg = mustDec("12000")
	_, warnings := Validate(r, exampleContext(t))
	if len(warnings) != 1 {
		t.Fatalf("warnings %+v", warnings)
	}
	w := warnings[0]
	if w.Path != "devices[0]" || !strings.Contains(w.Message, "= 10980 kg, collected = 12000 kg: a gap of -1020 kg") {
		t.Errorf("warning %+v", w)
	}
}

// TestConflict: filing for a period that has a return without restates
// is a 409, still listing every problem.
func TestConflict(t *testing.T) {
	c := exampleContext(t)
	c.Latest = "sakura-mobile-2025-Q3-v1"
	_, _, err := checkJSON(bytes.NewReader(exampleJSON(t)), Options{}, c)
	ps := fieldErrors(t, err, ledger.EConflict)
	if !hasProblem(ps, "restates", "is required") {
		t.Errorf("problems %+v", ps)
	}
}

func TestValidateWithoutFactors(t *testing.T) {
	r := decodeExample(t)
	r.Electricity[0].Grid = "ZZ"
	c := exampleContext(t)
	c.Factors = nil
	if ps, _ := Validate(r, c); len(ps) != 0 {
		t.Errorf("problems without a factor set: %+v", ps)
	}
}
