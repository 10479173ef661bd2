package filing

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/ledger"
)

// minimal is the smallest return that decodes: the required keys only.
const minimal = `{"operator":"op","period":"2025-Q3","activity":{},"resilience":{}`

func TestDecodeBadRequest(t *testing.T) {
	tests := []struct {
		name, body, msg string
	}{
		{"empty", ``, "unexpected end at byte 0"},
		{"not JSON", `hello`, "invalid character 'h' looking for a value at byte 0"},
		{"truncated", minimal, "unexpected end"},
		{"bad syntax", `{"operator":"op",}`, "at byte 17"},
		{"trailing data", minimal + `} {}`, "unexpected data after the top-level value at byte 67"},
		{"trailing garbage", minimal + `}x`, "not valid JSON"},
		{"bad token in array", `{"electricity":[1,]}`, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeJSON(strings.NewReader(tt.body), Options{})
			var e *ledger.Error
			if !errors.As(err, &e) || e.Code != ledger.EBadRequest {
				t.Fatalf("got %v, want %s", err, ledger.EBadRequest)
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", e.Message, tt.msg)
			}
		})
	}
}

func TestDecodeTooLarge(t *testing.T) {
	body := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(bytes.NewReader(exampleJSON(t))), 100)
	_, err := DecodeJSON(body, Options{})
	if code := ledger.ErrorCode(err); code != ledger.ETooLarge {
		t.Fatalf("code %s (%v), want %s", code, err, ledger.ETooLarge)
	}
}

// TestDecodeProblems checks one shape problem at a time, each with the
// path it must name.
func TestDecodeProblems(t *testing.T) {
	tests := []struct {
		name, body, path, msg string
	}{
		{"unknown top-level field", minimal + `,"opertor":"x"}`, "opertor", "unknown field"},
		{"unknown nested field", `{"operator":"op","period":"2025-Q3","activity":{"subscribers":1},"resilience":{}}`, "activity.subscribers", "unknown field"},
		{"unknown field in row", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":"1","kWh":"2"}]}`, "electricity[0].kWh", "unknown field"},
		{"odd key is quoted", minimal + `,"a.b":1}`, `["a.b"]`, "unknown field"},
		{"duplicate key", minimal + `,"operator":"op2"}`, "operator", "duplicate key"},
		{"duplicate nested key", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":"1","kwh":"2"}]}`, "electricity[0].kwh", "duplicate key"},
		{"missing required", `{"operator":"op","activity":{},"resilience":{}}`, "period", "is required"},
		{"missing in row", minimal + `,"electricity":[{"domain":"ran","kwh":"1"}]}`, "electricity[0].grid", "is required"},
		{"wrong type string", `{"operator":5,"period":"2025-Q3","activity":{},"resilience":{}}`, "operator", "must be a string, not a number"},
		{"wrong type object", `{"operator":"op","period":"2025-Q3","activity":[],"resilience":{}}`, "activity", "must be an object, not an array"},
		{"wrong type array", minimal + `,"fuels":{"a":1}}`, "fuels", "must be an array, not an object"},
		{"wrong type bool", minimal + `,"sites":[{"site_id":"a","domain":"ran","grid":"JP","offgrid":"yes"}]}`, "sites[0].offgrid", "must be true or false"},
		{"count as string", `{"operator":"op","period":"2025-Q3","activity":{"subscriptions":"12"},"resilience":{}}`, "activity.subscriptions", "not a string"},
		{"count with fraction", `{"operator":"op","period":"2025-Q3","activity":{"subscriptions":12.5},"resilience":{}}`, "activity.subscriptions", "whole number"},
		{"count with exponent", `{"operator":"op","period":"2025-Q3","activity":{"subscriptions":1e6},"resilience":{}}`, "activity.subscriptions", "whole number"},
		{"exponent in number", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":1.5e3}]}`, "electricity[0].kwh", "exponent"},
		{"exponent in string", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":"1E3"}]}`, "electricity[0].kwh", "exponent"},
		{"NaN", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":"NaN"}]}`, "electricity[0].kwh", "decimal number"},
		{"Infinity", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":"Infinity"}]}`, "electricity[0].kwh", "decimal number"},
		{"leading plus", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":"+5"}]}`, "electricity[0].kwh", "leading '+'"},
		{"leading zero", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":"05"}]}`, "electricity[0].kwh", "leading zeros"},
		{"bare point", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":".5"}]}`, "electricity[0].kwh", "decimal number"},
		{"spaces", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":" 5"}]}`, "electricity[0].kwh", "decimal number"},
		{"19 integer digits", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":"1234567890123456789"}]}`, "electricity[0].kwh", "at most 18 digits before"},
		{"10 fraction digits", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":"1.0123456789"}]}`, "electricity[0].kwh", "at most 9 digits after"},
		{"quantity as bool", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":true}]}`, "electricity[0].kwh", "must be a decimal"},
		{"unknown enum", minimal + `,"electricity":[{"domain":"RAN","grid":"JP","kwh":"1"}]}`, "electricity[0].domain", "must be one of ran, core, transport"},
		{"unknown fuel", minimal + `,"fuels":[{"domain":"ran","fuel":"coal","use":"stationary","quantity":"1","unit":"kg"}]}`, "fuels[0].fuel", "diesel, petrol, lpg, natural_gas, biodiesel_blend"},
		{"bad period", `{"operator":"op","period":"2025-Q5","activity":{},"resilience":{}}`, "period", "YYYY-Qn"},
		{"bad time", minimal[:len(minimal)-len(`"resilience":{}`)] + `"resilience":{"outages":[{"hazard":"flood","started":"2025-08-21 04:00","sites_affected":1,"site_hours_lost":"1","hours_to_restore":"1"}]}}`, "resilience.outages[0].started", "RFC 3339"},
		{"flow without kg", minimal + `,"devices":[{"category":"cpe","stream":"customer","inflow":{"units":5}}]}`, "devices[0].inflow.kg", "is required"},
		{"not an object", `[1,2]`, "", "must be an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeJSON(strings.NewReader(tt.body), Options{})
			ps := fieldErrors(t, err, ledger.EInvalid)
			if !hasProblem(ps, tt.path, tt.msg) {
				t.Errorf("no problem at %q with %q in %+v", tt.path, tt.msg, ps)
			}
		})
	}
}

func TestDecodeAccepts(t *testing.T) {
	tests := []struct {
		name, body string
		check      func(*ledger.Return) bool
	}{
		{"quantity as number", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":1250.5}]}`,
			func(r *ledger.Return) bool { return r.Electricity[0].KWh.String() == "1250.5" }},
		{"18 and 9 digits exactly", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":"123456789012345678.123456789"}]}`,
			func(r *ledger.Return) bool { return r.Electricity[0].KWh.String() == "123456789012345678.123456789" }},
		{"negative decodes (Validate rejects it)", minimal + `,"electricity":[{"domain":"ran","grid":"JP","kwh":"-1"}]}`,
			func(r *ledger.Return) bool { return r.Electricity[0].KWh.Sign() < 0 }},
		{"null optional is absent", `{"operator":"op","period":"2025-Q3","activity":{"revenue_musd":null},"resilience":{"early_warning":null},"fuels":null}`,
			func(r *ledger.Return) bool { return r.Activity.RevenueMUSD == nil && r.Resilience.EarlyWarning == nil }},
		// The offset is kept: methodology 2026.1 R3 takes the quarter's end in it.
		{"time keeps its offset", minimal[:len(minimal)-len(`"resilience":{}`)] + `"resilience":{"outages":[{"hazard":"flood","started":"2025-08-21T13:00:00+09:00","sites_affected":1,"site_hours_lost":"1","hours_to_restore":"1"}]}}`,
			func(r *ledger.Return) bool {
				s := r.Resilience.Outages[0].Started
				_, off := s.Zone()
				return off == 9*3600 && s.Hour() == 13 && s.UTC().Hour() == 4
			}},
		{"UTC stays UTC", minimal[:len(minimal)-len(`"resilience":{}`)] + `"resilience":{"outages":[{"hazard":"flood","started":"2025-08-21T04:00:00+00:00","sites_affected":1,"site_hours_lost":"1","hours_to_restore":"1"}]}}`,
			func(r *ledger.Return) bool { return r.Resilience.Outages[0].Started.Location() == time.UTC }},
		{"site defaults", minimal + `,"sites":[{"site_id":"a","domain":"ran","grid":"JP"}]}`,
			func(r *ledger.Return) bool { return r.Sites[0].HazardLevel == "none" && r.Sites[0].GridKWh.IsZero() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeJSON(strings.NewReader(tt.body), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(r) {
				t.Errorf("decoded %+v", r)
			}
		})
	}
}

// TestManyProblemsAtOnce: one body with problems all over is reported in
// one error, every problem with its path.
func TestManyProblemsAtOnce(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(exampleJSON(t), &doc); err != nil {
		t.Fatal(err)
	}
	doc["electricity"].([]any)[2].(map[string]any)["kwh"] = "-5"
	doc["electricity"].([]any)[3].(map[string]any)["grid"] = "XX"
	doc["fuels"].([]any)[1].(map[string]any)["generated_kwh"] = "10"
	doc["devices"].([]any)[0].(map[string]any)["collected"].(map[string]any)["kg"] = "1e4"
	doc["devices"].([]any)[1].(map[string]any)["colour"] = "red"
	res := doc["resilience"].(map[string]any)
	res["backup_autonomy"].(map[string]any)["lt_4h"] = 1
	res["sites_high_hazard_hardened"] = 9999
	doc["period"] = "2026-Q1"
	b, _ := json.Marshal(doc)

	_, _, err := checkJSON(bytes.NewReader(b), Options{}, exampleContext(t))
	ps := fieldErrors(t, err, ledger.EInvalid)
	want := []string{
		"period",
		"electricity[2].kwh",
		"electricity[3].grid",
		"fuels[1].generated_kwh",
		"devices[0].collected.kg",
		"devices[1].colour",
		"resilience.backup_autonomy",
		"resilience.sites_high_hazard_hardened",
		"resilience.outages[0].started", // outside the new period
		"resilience.outages[1].started",
	}
	got := map[string]bool{}
	for _, p := range ps {
		got[p.Path] = true
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("missing problem at %s", w)
		}
	}
	if len(ps) != len(want) {
		t.Errorf("got %d problems, want %d: %+v", len(ps), len(want), ps)
	}
}

func TestMaxProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString(minimal + `,"electricity":[`)
	for i := range 50 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"domain":"x","grid":"JP","kwh":"1"}`)
	}
	b.WriteString(`]}`)
	_, err := DecodeJSON(strings.NewReader(b.String()), Options{MaxProblems: 10})
	ps := fieldErrors(t, err, ledger.EInvalid)
	if len(ps) != 11 || ps[10].Message != "40 more problems not shown" {
		t.Errorf("got %d problems, last %+v", len(ps), ps[len(ps)-1])
	}
}

// TestProblemsBounded: a body made of problems is counted, not kept.
func TestProblemsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(minimal)
	for i := range 3 * maxCollected {
		b.WriteString(`,"x` + strconv.Itoa(i) + `":0`)
	}
	b.WriteString(`}`)
	_, err := DecodeJSON(strings.NewReader(b.String()), Options{})
	ps := fieldErrors(t, err, ledger.EInvalid)
	last := ps[len(ps)-1]
	if len(ps) != DefaultMaxProblems+1 || last.Message != strconv.Itoa(3*maxCollected-DefaultMaxProblems)+" more problems not shown" {
		t.Errorf("%d problems, last %+v", len(ps), last)
	}
	if e := err.(*ledger.Error); e.Message != "the return breaks "+strconv.Itoa(3*maxCollected)+" rules" {
		t.Errorf("message %q", e.Message)
	}
}
