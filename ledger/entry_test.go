package ledger

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestCanonicalSortsKeysAndKeepsDecimalsAsStrings(t *testing.T) {
	v := struct {
		Z string          `json:"z"`
		A decimal.Decimal `json:"a"`
		M map[string]int  `json:"m"`
	}{Z: "<&>", A: decimal.RequireFromString("1250.50"), M: map[string]int{"b": 2, "a": 1}}
	got, err := Canonical(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":"1250.5","m":{"a":1,"b":2},"z":"<&>"}`
	if string(got) != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	again, err := CanonicalizeJSON(got)
	if err != nil || !bytes.Equal(again, got) {
		t.Fatalf("canonicalizing canonical bytes changed them: %s", again)
	}
}

func TestEncodeEntryRawMatchesCanonical(t *testing.T) {
	payload := map[string]any{"id": "x", "n": decimal.RequireFromString("3.140"), "list": []string{"b", "a"}}
	raw, err := Canonical(payload)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 10, 2, 3, 4, 5, 6000, time.FixedZone("JST", 9*3600))
	actor := Actor{TokenID: "tok-1", Role: RoleOperator, Operator: "telco-a"}
	fast, err := EncodeEntryRaw(42, at, actor, KindReturnFiled, raw)
	if err != nil {
		t.Fatal(err)
	}
	slow, err := EncodeEntry(42, at, actor, KindReturnFiled, payload)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fast, slow) {
		t.Fatalf("fast encoding differs:\n%s\n%s", fast, slow)
	}
	e, err := DecodeEntry(fast)
	if err != nil || e.Seq != 42 || !e.Time.Equal(at) || e.Actor != actor {
		t.Fatalf("decode: %+v %v", e, err)
	}
}

func TestIsCountryCode(t *testing.T) {
	for c, want := range map[string]bool{"JP": true, "FJ": true, "ZW": true, "AD": true, "XX": false, "jp": false, "J": false, "JPN": false, "P ": false} {
		if got := IsCountryCode(c); got != want {
			t.Errorf("IsCountryCode(%q) = %v, want %v", c, got, want)
		}
	}
}

func TestDecodeEntryFastPathAgreesWithJSON(t *testing.T) {
	payload := map[string]any{"return": map[string]any{"sites": []any{map[string]any{"seq": 1}}, "note": `,"seq":2`}}
	raw, err := EncodeEntry(7, time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), Actor{TokenID: "t", Role: RoleOperator, Operator: "op"}, KindReturnFiled, payload)
	if err != nil {
		t.Fatal(err)
	}
	fast, ok := decodeEntryFast(raw)
	if !ok {
		t.Fatal("the fast path refused a canonical entry")
	}
	var slow Entry
	if err := json.Unmarshal(raw, &slow); err != nil {
		t.Fatal(err)
	}
	if fast.Seq != slow.Seq || !fast.Time.Equal(slow.Time) || fast.Actor != slow.Actor || fast.Kind != slow.Kind || !bytes.Equal(fast.Payload, slow.Payload) {
		t.Fatalf("fast %+v\nslow %+v", fast, slow)
	}
	for _, bad := range []string{`{"actor":{},"kind":"x","payload":{},"seq":1,"time":"2025-01-01T00:00:00Z","extra":1}`, `[]`} {
		if _, err := DecodeEntry([]byte(bad)); err == nil {
			t.Errorf("DecodeEntry(%s) accepted", bad)
		}
	}
}

// TestDecodeEnvelopeAgreesWithJSON: where decodeEnvelope answers, it
// answers as encoding/json does, and it leaves to encoding/json what it
// does not expect.
func TestDecodeEnvelopeAgreesWithJSON(t *testing.T) {
	cases := map[string]bool{ // envelope: whether decodeEnvelope answers
		`{"actor":{"role":"operator","token_id":"t","operator":"op"},"kind":"return_filed","payload":null,"seq":7,"time":"2025-01-02T03:04:05.123456789Z"}`: true,
		`{"actor":{"role":"admin","token_id":"system"},"kind":"review_recorded","payload":null,"seq":0,"time":"2025-01-02T12:04:05+09:00"}`:                 true,
		`{"actor":{},"kind":"x","payload":null,"seq":18446744073709551615,"time":"2025-01-02T03:04:05Z"}`:                                                   true,
		`{"actor":{"token_id":"t\u0041"},"kind":"x","payload":null,"seq":1,"time":"2025-01-02T03:04:05Z"}`:                                                  false,
		`{"actor":{"token_id":"tø"},"kind":"x","payload":null,"seq":1,"time":"2025-01-02T03:04:05Z"}`:                                                       false,
		`{"Actor":{},"kind":"x","payload":null,"seq":1,"time":"2025-01-02T03:04:05Z"}`:                                                                      false,
		`{"actor":{},"kind":"x","payload":null,"seq":01,"time":"2025-01-02T03:04:05Z"}`:                                                                     false,
		`{"actor":{},"kind":"x","payload":null,"seq":1e3,"time":"2025-01-02T03:04:05Z"}`:                                                                    false,
		`{"actor":{},"kind":"x","payload":null,"seq":-1,"time":"2025-01-02T03:04:05Z"}`:                                                                     false,
		`{"actor":{},"kind":"x","payload":null,"seq":18446744073709551616,"time":"2025-01-02T03:04:05Z"}`:                                                   false,
		`{"actor":{},"kind":null,"payload":null,"seq":1,"time":"2025-01-02T03:04:05Z"}`:                                                                     false,
		`{"actor":{},"kind":"x","payload":null,"seq":1,"time":"2025-01-02 03:04:05Z"}`:                                                                      false,
		`{"actor":{},"kind":"x","payload":null,"seq":1,"time":"2025-01-02T03:04:05Z","extra":1}`:                                                            false,
		`{"actor":{"role":1},"kind":"x","payload":null,"seq":1,"time":"2025-01-02T03:04:05Z"}`:                                                              false,
	}
	for env, answers := range cases {
		fast, ok := decodeEnvelope([]byte(env))
		if ok != answers {
			t.Errorf("decodeEnvelope(%s): ok %v, want %v", env, ok, answers)
		}
		if !ok {
			continue
		}
		var slow Entry
		if err := json.Unmarshal([]byte(env), &slow); err != nil {
			t.Errorf("decodeEnvelope(%s) answered; encoding/json: %v", env, err)
			continue
		}
		if fast.Seq != slow.Seq || !fast.Time.Equal(slow.Time) || fast.Time.String() != slow.Time.String() || fast.Actor != slow.Actor || fast.Kind != slow.Kind {
			t.Errorf("decodeEnvelope(%s)\nfast %+v\nslow %+v", env, fast, slow)
		}
	}
}
