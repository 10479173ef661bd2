package disclosure_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
	"github.com/ictledger/ictledger/templates"
)

// sectorV4Bundle downloads a sector report from a service with two
// Japanese operators (one accepted, one returned with a finding), a
// Fijian one and a Japanese one not filed, for a regulator of every
// country, and returns its bundle and the log's key.
func sectorV4Bundle(t *testing.T) (*disclosure.Bundle, string) {
	t.Helper()
	env := servicetest.New(t, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC))
	reg := env.Token(ledger.RoleRegulator)
	var filed []string
	for _, op := range []struct{ id, name, country string }{
		{"op-a", "星空通信株式会社", "JP"}, {"op-b", "Operator B", "JP"}, {"op-c", "Pacific Islands Telecom", "FJ"},
	} {
		s := env.Operator(op.id, op.name, op.country)
		filed = append(filed, env.File(s, servicetest.ExampleReturn(t, op.id, "2025-Q3")).ID)
	}
	env.Operator("op-d", "Operator D, nothing filed", "JP")
	env.Review(reg, filed[0], ledger.Review{Decision: ledger.DecisionAccept})
	env.Review(reg, filed[1], ledger.Review{Decision: ledger.DecisionReturn,
		Findings: []ledger.FieldError{{Path: "energy.grid_kwh", Message: "does not match the meter readings"}}})
	pdf, err := env.Service.SectorDisclosure(context.Background(), env.Actor(reg), ledger.Span{Year: 2025, Quarter: 3}, "")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := templates.ExtractAttachment(pdf, templates.AttachmentName)
	if err != nil {
		t.Fatal(err)
	}
	b, err := disclosure.DecodeBundle(raw)
	if err != nil {
		t.Fatal(err)
	}
	return b, env.Service.VerifierKey()
}

// The sector_v4 document of a record the service made renders to the
// same bytes every time (pinned in testdata, as every released layout:
// the bundle is kept, so later changes to the service do not move the
// pin), verifies offline, and reads as the ledger registered its
// operators, with the returned return's finding.
func TestSectorV4RenderIsPinned(t *testing.T) {
	const name = "testdata/sector-bundle-v4.json"
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		b, key := sectorV4Bundle(t)
		raw, err := json.MarshalIndent(b, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, append(raw, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("testdata/sector-v4.pub", []byte(key+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var b disclosure.Bundle
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	pdf, err := disclosure.Render(&b)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := disclosure.Render(&b); err != nil || !bytes.Equal(pdf, again) {
		t.Fatalf("two renders differ (err %v)", err)
	}
	sum := sha256.Sum256(pdf)
	got := hex.EncodeToString(sum[:])
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile("testdata/sector-bundle-v4.sha256", []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/sector-bundle-v4.sha256")
	if err != nil {
		t.Fatal(err)
	}
	if got != strings.TrimSpace(string(want)) {
		t.Fatalf("rendered bytes changed: sha256 %s, golden %s", got, strings.TrimSpace(string(want)))
	}
	key, err := os.ReadFile("testdata/sector-v4.pub")
	if err != nil {
		t.Fatal(err)
	}
	res := disclosure.Verify(pdf, strings.TrimSpace(string(key)))
	if !res.Valid || len(res.Entries) != 1 || res.Entries[0].Kind != string(ledger.KindSectorRecorded) || !res.Entries[0].Included {
		t.Fatalf("the pinned sector_v4 document does not verify: %+v", res)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"星空通信株式会社", "Pacific Islands Telecom", "Operator D, nothing filed", "does not match the meter readings",
		"4 due: 1 accepted, 1 submitted, 1 returned, 1 missing", "sector_v4"} {
		if !strings.Contains(text, want) {
			t.Errorf("the document does not read %q", want)
		}
	}
}

// Render holds a sector_v4 record to what a sector view is before it
// draws anything: a record edited into something else is refused with
// what is wrong, whoever signed it.
func TestSectorV4RefusesWhatIsNoSectorView(t *testing.T) {
	raw, err := os.ReadFile("testdata/sector-bundle-v4.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		edit func(rec, view map[string]any)
		want string
	}{
		{"an unknown field", func(_, view map[string]any) { view["extra"] = true }, `unknown field "extra"`},
		{"no GWP for the factor sets filed under", func(_, view map[string]any) { view["gwp"] = "" }, "empty only when no return was filed"},
		{"a state", func(_, view map[string]any) {
			view["operators"].([]any)[0].(map[string]any)["state"] = "lost"
		}, `state "lost"`},
		{"a missing operator with a filing", func(_, view map[string]any) {
			view["operators"].([]any)[3].(map[string]any)["version"] = json.Number("2")
		}, "state missing with version 2"},
		{"a figure of 200 digits", func(_, view map[string]any) {
			view["metrics"].([]any)[0].(map[string]any)["total"] = strings.Repeat("9", 200)
		}, "has over 96 digits"},
		{"a string of 5000 bytes", func(_, view map[string]any) {
			view["warnings"] = []any{map[string]any{"operator": "op-a", "path": strings.Repeat("p", 5000), "message": "m"}}
		}, "a string of 5000 bytes"},
		{"an operator ranked twice", func(_, view map[string]any) {
			rows := view["metrics"].([]any)[1].(map[string]any)["rows"].([]any)
			rows[1] = rows[0]
		}, "is not the first metric's, or is listed twice"},
		{"an operator not named", func(_, view map[string]any) {
			delete(view["names"].(map[string]any), "op-c")
		}, `operator "op-c" is not named`},
		{"a name of no operator it speaks of", func(_, view map[string]any) {
			view["names"].(map[string]any)["op-z"] = "Someone"
		}, "the view names 5 operators and speaks of 4"},
		{"another country", func(rec, _ map[string]any) { rec["jurisdictions"] = []any{"TH"} }, `the view is of country ""; the record's scope is TH`},
		{"a later time", func(rec, _ map[string]any) { rec["as_of"] = "2099-01-01T00:00:00Z" }, "past its own place"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b disclosure.Bundle
			if err := json.Unmarshal(raw, &b); err != nil {
				t.Fatal(err)
			}
			canonical, err := base64.StdEncoding.DecodeString(b.Entries[0].Canonical)
			if err != nil {
				t.Fatal(err)
			}
			e, err := ledger.DecodeEntry(canonical)
			if err != nil {
				t.Fatal(err)
			}
			var rec map[string]any
			d := json.NewDecoder(bytes.NewReader(e.Payload))
			d.UseNumber()
			if err := d.Decode(&rec); err != nil {
				t.Fatal(err)
			}
			view := rec["view"].(map[string]any)
			c.edit(rec, view)
			payload, err := ledger.Canonical(rec)
			if err != nil {
				t.Fatal(err)
			}
			forged, err := ledger.EncodeEntryRaw(e.Seq, e.Time, e.Actor, e.Kind, payload)
			if err != nil {
				t.Fatal(err)
			}
			b.Entries[0].Canonical = base64.StdEncoding.EncodeToString(forged)
			if _, err := disclosure.Render(&b); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("rendered: %v; want an error saying %q", err, c.want)
			}
		})
	}
}
