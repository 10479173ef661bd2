package calculators

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
)

// r0Return is 2026-Q1 (31 + 28 + 31 = 90 days = 2,160 h) on 100 sites,
// 216,000 site-hours, with one outage of each class:
//
//	flood                 100 site-hours, 10 h to restore  climate
//	earthquake            200 site-hours, 20 h             geophysical
//	landslide (rainfall)   30 site-hours,  6 h             climate
//	landslide (seismic)    50 site-hours,  8 h             geophysical
//	other                  20 site-hours,  4 h             neither
func r0Return() *ledger.Return {
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	o := func(hazard, trigger, lost, restore string) ledger.Outage {
		return ledger.Outage{Hazard: hazard, Trigger: trigger, Started: at, SitesAffected: 10,
			SiteHoursLost: d(lost), HoursToRestore: d(restore)}
	}
	return &ledger.Return{Period: period("2026-Q1"), Activity: ledger.Activity{SitesTotal: ptr(int64(100))},
		Resilience: ledger.Resilience{Outages: []ledger.Outage{
			o("flood", "", "100", "10"),
			o("earthquake", "", "200", "20"),
			o("landslide", "rainfall", "30", "6"),
			o("landslide", "seismic", "50", "8"),
			o("other", "", "20", "4"),
		}}}
}

func computeE3At(t *testing.T, r *ledger.Return, methodology string) (*E3, *Trace) {
	t.Helper()
	e, tr, err := ComputeE3(Request{Return: r, Methodology: methodology})
	if err != nil {
		t.Fatal(err)
	}
	return e, tr
}

// TestR0ClimateIsNotGeophysics: under 2026.1 the climate figures count the
// flood and the rainfall landslide only; the all-hazard twins count all
// five. Under 2025.1 the climate figures count all five, as before, and
// the twins are absent.
func TestR0ClimateIsNotGeophysics(t *testing.T) {
	e, tr := computeE3At(t, r0Return(), ledger.Methodology20261)
	if e.AllHazardOutageEvents == nil || e.AllHazardAvailabilityPct == nil {
		t.Fatal("all_hazard_* keys absent under 2026.1")
	}
	for _, tc := range []struct {
		name string
		v    Value
		want string
	}{
		// R0: flood + rainfall landslide.
		{"climate events", e.ClimateOutageEvents, "2"},
		{"climate site-hours 100 + 30", e.ClimateOutageSiteHours, "130"},
		{"climate mean restore (10 + 6) / 2", e.MeanHoursToRestore, "8"},
		// R0: 100 - 130 x 100 / 216,000 = 100 - 0.060185185... = 99.939814814...
		{"climate availability", e.ClimateAvailabilityPct, "99.939815"},
		// R0: all five outages.
		{"all-hazard events", *e.AllHazardOutageEvents, "5"},
		{"all-hazard site-hours 100 + 200 + 30 + 50 + 20", *e.AllHazardOutageSiteHours, "400"},
		{"all-hazard mean restore 48 / 5", *e.AllHazardMeanHoursToRestore, "9.6"},
		// R0: 100 - 400 x 100 / 216,000 = 100 - 0.185185185... = 99.814814814...
		{"all-hazard availability", *e.AllHazardAvailabilityPct, "99.814815"},
	} {
		wantValue(t, tc.name, tc.v, tc.want, 6)
	}
	if len(tr.DataQuality) != 0 {
		t.Errorf("data_quality %+v, want none: every landslide states its trigger", tr.DataQuality)
	}
	for _, dv := range tr.Derivations {
		if dv.Metric == "e3.climate_availability_pct" {
			// 2 climate outages, then sites_total and the hours.
			if len(dv.Inputs) != 4 || dv.Inputs[0].Path != "resilience.outages[0].site_hours_lost" ||
				dv.Inputs[1].Path != "resilience.outages[2].site_hours_lost" {
				t.Errorf("climate availability inputs %+v", dv.Inputs)
			}
		}
		if dv.Metric == "e3.all_hazard_availability_pct" && len(dv.Inputs) != 7 {
			t.Errorf("all-hazard availability has %d inputs, want 5 outages + sites_total + hours", len(dv.Inputs))
		}
	}

	old, _ := computeE3At(t, r0Return(), ledger.Methodology20251)
	wantValue(t, "2025.1 climate events", old.ClimateOutageEvents, "5", 6)
	wantValue(t, "2025.1 climate site-hours", old.ClimateOutageSiteHours, "400", 6)
	wantValue(t, "2025.1 climate availability", old.ClimateAvailabilityPct, "99.814815", 6)
	b, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"all_hazard", "deployable", "emergency_free", "capex", "recovery"} {
		if strings.Contains(string(b), key) {
			t.Errorf("2025.1 answer carries %q: %s", key, b)
		}
	}
}

// TestR0Classes: the class of each hazard and trigger (R0).
func TestR0Classes(t *testing.T) {
	for _, tc := range []struct{ hazard, trigger, want string }{
		{"flood", "", ledger.HazardClimate},
		{"cyclone", "", ledger.HazardClimate},
		{"storm", "", ledger.HazardClimate},
		{"extreme_heat", "", ledger.HazardClimate},
		{"wildfire", "", ledger.HazardClimate},
		{"drought", "", ledger.HazardClimate},
		{"landslide", "", ledger.HazardClimate},
		{"landslide", "rainfall", ledger.HazardClimate},
		{"landslide", "snowmelt", ledger.HazardClimate},
		{"landslide", "seismic", ledger.HazardGeophysical},
		{"landslide", "volcanic", ledger.HazardGeophysical},
		{"earthquake", "", ledger.HazardGeophysical},
		{"tsunami", "", ledger.HazardGeophysical},
		{"volcanic", "", ledger.HazardGeophysical},
		{"other", "", ledger.HazardOther},
	} {
		if got := (ledger.Outage{Hazard: tc.hazard, Trigger: tc.trigger}).HazardClass(); got != tc.want {
			t.Errorf("%s/%s is %s, want %s", tc.hazard, tc.trigger, got, tc.want)
		}
	}
}

// TestR0LandslideWithoutTrigger: counted as climate and flagged, under
// 2026.1 only.
func TestR0LandslideWithoutTrigger(t *testing.T) {
	r := r0Return()
	r.Resilience.Outages = append(r.Resilience.Outages, ledger.Outage{Hazard: "landslide",
		Started: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), SitesAffected: 1, SiteHoursLost: d("5"), HoursToRestore: d("5")})
	e, tr := computeE3At(t, r, ledger.Methodology20261)
	wantValue(t, "climate events: flood, rainfall and untriggered landslides", e.ClimateOutageEvents, "3", 6)
	if len(tr.DataQuality) != 1 || tr.DataQuality[0].Code != DQLandslideTriggerNotStated ||
		tr.DataQuality[0].Row != "resilience.outages[5]" {
		t.Errorf("data_quality %+v, want one %s on resilience.outages[5]", tr.DataQuality, DQLandslideTriggerNotStated)
	}
	if _, tr := computeE3At(t, r, ledger.Methodology20251); len(tr.DataQuality) != 0 {
		t.Errorf("2025.1 data_quality %+v, want none", tr.DataQuality)
	}
}

// TestR4RecoveryCapacity: the filed figures pass through, the units
// adding up to their total; unfiled ones are null with a reason.
func TestR4RecoveryCapacity(t *testing.T) {
	r := r0Return()
	capex := d("12.75")
	r.Resilience.DeployableUnits = &ledger.DeployableUnits{CellsOnWheels: 12, SatelliteTerminals: 40, PortablePower: 150}
	r.Resilience.EmergencyFreeServiceEvents = ptr(int64(3))
	r.Resilience.CapexMUSD = &capex
	e, _ := computeE3At(t, r, ledger.Methodology20261)
	for _, tc := range []struct {
		name string
		v    *Value
		want string
	}{
		{"deployable units 12 + 40 + 150", e.DeployableUnits, "202"},
		{"cells on wheels", e.DeployableCellsOnWheels, "12"},
		{"satellite terminals", e.DeployableSatelliteTerminals, "40"},
		{"portable power", e.DeployablePortablePower, "150"},
		{"free service events", e.EmergencyFreeServiceEvents, "3"},
		{"capex", e.ResilienceCapexMUSD, "12.75"},
	} {
		if tc.v == nil {
			t.Fatalf("%s absent under 2026.1", tc.name)
		}
		wantValue(t, tc.name, *tc.v, tc.want, 6)
	}

	e, tr := computeE3At(t, r0Return(), ledger.Methodology20261)
	wantMissing(t, tr, "e3.deployable_units", *e.DeployableUnits, "not filed")
	wantMissing(t, tr, "e3.emergency_free_service_events", *e.EmergencyFreeServiceEvents, "not filed")
	wantMissing(t, tr, "e3.resilience_capex_musd", *e.ResilienceCapexMUSD, "not filed")
}

// TestE3V2026Rollups: across two operators everything adds; across the
// quarters of a year the deployable units are the last quarter's while
// the events and capex add.
func TestE3V2026Rollups(t *testing.T) {
	q := func(p string, units int64, capex string) *E3 {
		r := r0Return()
		r.Period = period(p)
		c := d(capex)
		r.Resilience.DeployableUnits = &ledger.DeployableUnits{CellsOnWheels: units}
		r.Resilience.EmergencyFreeServiceEvents = ptr(int64(1))
		r.Resilience.CapexMUSD = &c
		for i := range r.Resilience.Outages {
			r.Resilience.Outages[i].Started = r.Period.Start()
		}
		e, _ := computeE3At(t, r, ledger.Methodology20261)
		return e
	}
	a, b := q("2026-Q1", 10, "1.5"), q("2026-Q2", 4, "2")
	ops := sumE3(AcrossOperators, []*E3{a, b}, nil)
	// Two operators: 5 + 5 outages, 2 + 2 climate; units 10 + 4; capex 1.5 + 2.
	wantValue(t, "operators all-hazard events", *ops.AllHazardOutageEvents, "10", 6)
	wantValue(t, "operators climate events", ops.ClimateOutageEvents, "4", 6)
	wantValue(t, "operators units", *ops.DeployableUnits, "14", 6)
	wantValue(t, "operators capex", *ops.ResilienceCapexMUSD, "3.5", 6)
	wantValue(t, "operators free service events", *ops.EmergencyFreeServiceEvents, "2", 6)
	year := sumE3(AcrossTime, []*E3{a, b}, nil)
	wantValue(t, "year units: Q2's", *year.DeployableUnits, "4", 6)
	wantValue(t, "year capex", *year.ResilienceCapexMUSD, "3.5", 6)
	// 2026-Q1 216,000 + 2026-Q2 (91 days) 218,400 = 434,400 site-hours;
	// 100 - 800 x 100 / 434,400 = 99.815837937...
	wantValue(t, "year all-hazard availability", *year.AllHazardAvailabilityPct, "99.815838", 6)
	if a.Parts.Recovery.DeployableUnits.CellsOnWheels != 10 || a.Parts.AllHazard.Events != 5 {
		t.Errorf("the sum changed its first part: %+v %+v", a.Parts.Recovery.DeployableUnits, a.Parts.AllHazard)
	}

	old, _ := computeE3At(t, r0Return(), ledger.Methodology20251)
	if mixed := sumE3(AcrossOperators, []*E3{a, old}, nil); mixed.AllHazardOutageEvents != nil {
		t.Error("a sum with a 2025.1 part has all-hazard figures")
	}
}
