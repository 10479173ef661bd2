package filing

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
)

// exampleWithOutages is the example return moved to 2026-Q1 with the
// given outages (JSON array text), decoded as a filing would be, so that
// the offsets written in started go through the reader.
func exampleWithOutages(t *testing.T, outages string) (*ledger.Return, Context) {
	t.Helper()
	body := strings.Replace(string(exampleJSON(t)), `"period": "2025-Q3"`, `"period": "2026-Q1"`, 1)
	body = regexp.MustCompile(`(?s)"outages": \[.*?\]`).ReplaceAllString(body, `"outages": `+outages)
	r, err := DecodeJSON(strings.NewReader(body), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := exampleContext(t)
	c.Now = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	return r, c
}

// resilienceProblems are the problems under resilience.
func resilienceProblems(r *ledger.Return, c Context) []ledger.FieldError {
	problems, _ := Validate(r, c)
	var out []ledger.FieldError
	for _, p := range problems {
		if strings.HasPrefix(p.Path, "resilience.") {
			out = append(out, p)
		}
	}
	return out
}

// TestOutageBound: methodology 2026.1 R3, site_hours_lost <= sites_affected
// x hours from started to the quarter's end in started's offset.
func TestOutageBound(t *testing.T) {
	const path = "resilience.outages[0].site_hours_lost"
	outage := func(started, sites, lost string) string {
		return `[{"hazard": "flood", "started": "` + started + `", "sites_affected": ` + sites +
			`, "site_hours_lost": "` + lost + `", "hours_to_restore": "4"}]`
	}
	for _, tc := range []struct {
		name, started, sites, lost string
		refused                    string // a part of the message; empty: accepted
	}{
		// R3 example: 20:00 at +08:00 is 4 h before 2026-04-01T00:00+08:00;
		// 10 sites x 4 h = 40 site-hours.
		{"spec example, 40", "2026-03-31T20:00:00+08:00", "10", "40", ""},
		{"spec example, 41", "2026-03-31T20:00:00+08:00", "10", "41",
			"end of 2026-Q1 in started's UTC offset (2026-04-01T00:00:00+08:00): 10 x 4 = 40 site-hours; got 41"},
		// The same instant written in UTC is 12 h before 2026-04-01T00:00Z:
		// 10 x 12 = 120.
		{"same instant in UTC, 41", "2026-03-31T12:00:00Z", "10", "41", ""},
		{"same instant in UTC, 120", "2026-03-31T12:00:00Z", "10", "120", ""},
		{"same instant in UTC, 120.01", "2026-03-31T12:00:00Z", "10", "120.01", "10 x 12 = 120 site-hours; got 120.01"},
		// West of UTC: 18:30 at -05:00 is 5.5 h before midnight at -05:00;
		// 3 x 5.5 = 16.5.
		{"negative offset, 16.5", "2026-03-31T18:30:00-05:00", "3", "16.5", ""},
		{"negative offset, 16.51", "2026-03-31T18:30:00-05:00", "3", "16.51", "3 x 5.5 = 16.5 site-hours; got 16.51"},
		// Early in the quarter the bound is far: 2,160 h x 10 sites.
		{"quarter's start", "2026-01-01T00:00:00Z", "10", "21600", ""},
		{"quarter's start, over", "2026-01-01T00:00:00Z", "10", "21601", "10 x 2160 = 21600 site-hours"},
		// Inside the quarter in UTC, but after midnight in its own offset:
		// no hour of the quarter is left.
		{"after the end in its offset", "2026-04-01T02:00:00+08:00", "10", "1", "10 x 0 = 0 site-hours; got 1"},
		{"zero lost is always within", "2026-04-01T02:00:00+08:00", "10", "0", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, c := exampleWithOutages(t, outage(tc.started, tc.sites, tc.lost))
			problems := resilienceProblems(r, c)
			if tc.refused == "" {
				if len(problems) > 0 {
					t.Errorf("refused: %+v", problems)
				}
				return
			}
			if len(problems) != 1 || !hasProblem(problems, path, tc.refused) {
				t.Errorf("problems %+v, want one at %s with %q", problems, path, tc.refused)
			}
		})
	}
}

// TestOutageHazards: volcanic is a hazard and landslides take a trigger
// (R0); a trigger on another hazard is refused.
func TestOutageHazards(t *testing.T) {
	const started = `"started": "2026-02-01T00:00:00Z", "sites_affected": 1, "site_hours_lost": "1", "hours_to_restore": "1"`
	r, c := exampleWithOutages(t, `[{"hazard": "volcanic", `+started+`},
		{"hazard": "landslide", "trigger": "seismic", `+started+`},
		{"hazard": "landslide", "trigger": "snowmelt", `+started+`},
		{"hazard": "landslide", `+started+`}]`)
	if p := resilienceProblems(r, c); len(p) > 0 {
		t.Errorf("refused: %+v", p)
	}
	if got := r.Resilience.Outages[1].Trigger; got != "seismic" {
		t.Errorf("trigger read as %q", got)
	}

	r, c = exampleWithOutages(t, `[{"hazard": "flood", "trigger": "rainfall", `+started+`}]`)
	if p := resilienceProblems(r, c); len(p) != 1 || !hasProblem(p, "resilience.outages[0].trigger", `is only for hazard landslide; got it with hazard "flood"`) {
		t.Errorf("problems %+v", p)
	}

	body := strings.Replace(string(exampleJSON(t)), `"hazard": "flood"`, `"hazard": "landslide", "trigger": "quake"`, 1)
	_, err := DecodeJSON(bytes.NewReader([]byte(body)), Options{})
	if err == nil || !strings.Contains(err.Error(), "resilience.outages[1].trigger") {
		t.Errorf("unknown trigger: %v", err)
	}
}

// TestRecoveryCapacity: R4's optional fields decode and pass; negative
// values are refused with their paths.
func TestRecoveryCapacity(t *testing.T) {
	body := strings.Replace(string(exampleJSON(t)), `"early_warning":`,
		`"deployable_units": {"cells_on_wheels": 12, "satellite_terminals": 40, "portable_power": 150},
		"emergency_free_service_events": 3, "capex_musd": "12.75", "early_warning":`, 1)
	r, err := DecodeJSON(strings.NewReader(body), Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := r.Resilience
	if u := res.DeployableUnits; u == nil || *u != (ledger.DeployableUnits{CellsOnWheels: 12, SatelliteTerminals: 40, PortablePower: 150}) {
		t.Errorf("deployable_units %+v", u)
	}
	if n := res.EmergencyFreeServiceEvents; n == nil || *n != 3 {
		t.Errorf("emergency_free_service_events %v", n)
	}
	if m := res.CapexMUSD; m == nil || m.String() != "12.75" {
		t.Errorf("capex_musd %v", m)
	}
	c := exampleContext(t)
	if p := resilienceProblems(r, c); len(p) > 0 {
		t.Errorf("refused: %+v", p)
	}

	r.Resilience.DeployableUnits.SatelliteTerminals = -1
	r.Resilience.EmergencyFreeServiceEvents = intPtr(-2)
	neg := mustDec("-0.5")
	r.Resilience.CapexMUSD = &neg
	p := resilienceProblems(r, c)
	for _, w := range []string{"resilience.deployable_units.satellite_terminals", "resilience.emergency_free_service_events",
		"resilience.capex_musd"} {
		if !hasProblem(p, w, "must be >= 0") {
			t.Errorf("no problem at %s in %+v", w, p)
		}
	}
	if len(p) != 3 {
		t.Errorf("%d problems, want 3: %+v", len(p), p)
	}

	partial := strings.Replace(string(exampleJSON(t)), `"early_warning":`, `"deployable_units": {"cells_on_wheels": 1}, "early_warning":`, 1)
	if _, err := DecodeJSON(strings.NewReader(partial), Options{}); err == nil || !strings.Contains(err.Error(), "resilience.deployable_units") {
		t.Errorf("deployable_units without every kind: %v", err)
	}
}
