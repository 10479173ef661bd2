package httpapi

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

// fileParts files the parts in fixtures/<dir> (return.json, sites.csv,
// devices.csv) as a multipart body and returns the new return's id.
func (a *testAPI) fileParts(tok, dir string) string {
	a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range []struct{ name, file, ctype string }{
		{"return", "return.json", "application/json"},
		{"sites", "sites.csv", "text/csv"},
		{"devices", "devices.csv", "text/csv"},
	} {
		b, err := os.ReadFile(filepath.Join("..", "fixtures", dir, p.file))
		if err != nil {
			a.t.Fatal(err)
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+p.name+`"; filename="`+p.file+`"`)
		h.Set("Content-Type", p.ctype)
		w, err := mw.CreatePart(h)
		if err != nil {
			a.t.Fatal(err)
		}
		w.Write(b)
	}
	mw.Close()
	rec := a.do("POST", "/v1/operators/sakura-mobile/returns", tok, mw.FormDataContentType(), body.Bytes())
	var filed filedReturn
	if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &filed) != nil {
		a.t.Fatalf("multipart filing of %s: %d %s", dir, rec.Code, rec.Body)
	}
	return filed.ID
}

// withFactorSet20261 publishes apt-2026.1 beside apt-2025.1, as a new
// server does.
func (a *testAPI) withFactorSet20261() {
	a.t.Helper()
	var fs map[string]any
	if err := json.Unmarshal(fixtures.FactorSet20261(), &fs); err != nil {
		a.t.Fatal(err)
	}
	a.mustJSON("POST", "/v1/factor-sets", a.admin, fs, 201, nil)
}

// TestExamplePartsV1Unchanged: the v1 example parts file as they did
// before return v1.1 and apt-2026.1. On a server that has both factor
// sets, the filed return is the same as on one with apt-2025.1 alone,
// has no v1.1 field, and its metrics under apt-2025.1 are the same bytes.
// (Without a factor_set it is computed by default under the newest set,
// apt-2026.1, as any return is.)
func TestExamplePartsV1Unchanged(t *testing.T) {
	type filed struct{ ret, metrics []byte }
	file := func(both bool) filed {
		ts := newAPI(t, filingTime)
		if both {
			ts.withFactorSet20261()
		}
		tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
		id := ts.fileParts(tok, "example-parts")
		var rv map[string]json.RawMessage // the return's fields, and the version's
		ts.mustJSON("GET", "/v1/returns/"+id, tok, nil, 200, &rv)
		// The return names no factor_set, so it is computed by default
		// under the newest set; that is the one thing that differs.
		for _, k := range []string{"id", "status", "version", "supersedes", "superseded_by", "reviews", "entry", "warnings", "filed_at", "factor_set_used"} {
			delete(rv, k)
		}
		ret, err := json.Marshal(rv)
		if err != nil {
			t.Fatal(err)
		}
		m := ts.do("GET", "/v1/returns/"+id+"/metrics?factor_set=apt-2025.1", tok, "", nil)
		if m.Code != 200 {
			t.Fatalf("metrics: %d %s", m.Code, m.Body)
		}
		// The warnings were raised at filing, under the set it was filed
		// with (apt-2026.1 beside it: its G3 warning on the PPA); the
		// figures under apt-2025.1 are what must not change.
		var mv map[string]json.RawMessage
		if err := json.Unmarshal(m.Body.Bytes(), &mv); err != nil {
			t.Fatal(err)
		}
		delete(mv, "warnings")
		figures, err := json.Marshal(mv)
		if err != nil {
			t.Fatal(err)
		}
		return filed{ret, figures}
	}
	before, now := file(false), file(true)
	if len(before.ret) == 0 || !bytes.Equal(before.ret, now.ret) {
		t.Fatalf("the v1 example files differently beside apt-2026.1:\n%s\n%s", before.ret, now.ret)
	}
	var ret any
	if err := json.Unmarshal(now.ret, &ret); err != nil {
		t.Fatal(err)
	}
	for _, f := range ledger.ReturnV11Fields() {
		if hasPath(ret, strings.Split(f.Path, ".")) {
			t.Errorf("the filed v1 example has v1.1 field %s", f.Path)
		}
	}
	if !bytes.Equal(before.metrics, now.metrics) {
		t.Fatalf("the v1 example's metrics under apt-2025.1 changed:\n%s\n%s", before.metrics, now.metrics)
	}
}

// hasPath reports whether decoded JSON v has a value at the path segs of
// a ledger.V11Field path ("sites[]" is every element of sites).
func hasPath(v any, segs []string) bool {
	if len(segs) == 0 {
		return true
	}
	m, _ := v.(map[string]any)
	name, each := strings.CutSuffix(segs[0], "[]")
	next, ok := m[name]
	if !ok {
		return false
	}
	if !each {
		return hasPath(next, segs[1:])
	}
	items, _ := next.([]any)
	for _, it := range items {
		if hasPath(it, segs[1:]) {
			return true
		}
	}
	return false
}

// TestExamplePartsV11 files fixtures/example-parts-v1.1, the v1 example
// parts under apt-2026.1 with the optional fields of return v1.1, and
// checks the figures those fields make, each worked out by hand.
func TestExamplePartsV11(t *testing.T) {
	ts := newAPI(t, filingTime)
	ts.withFactorSet20261()
	tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	id := ts.fileParts(tok, "example-parts-v1.1")
	var m struct {
		FactorSet   string `json:"factor_set"`
		Methodology string `json:"methodology"`
		E1          map[string]json.RawMessage
		E3          map[string]json.RawMessage
		DataQuality []struct {
			Code, Message string
		} `json:"data_quality"`
	}
	ts.mustJSON("GET", "/v1/returns/"+id+"/metrics", tok, nil, 200, &m)
	if m.FactorSet != "apt-2026.1" || m.Methodology != "2026.1" {
		t.Fatalf("computed under %s, methodology %s", m.FactorSet, m.Methodology)
	}
	for _, c := range []struct{ key, want string }{
		// G4 and G13: the v1 parts' 129,338,800 purchased + 1,447,300
		// on-site + 610,000 generated kWh, plus the sites' generator_kwh
		// (360 + 950) and the 50,000 kWh of wind whose certificates were
		// sold: 131,447,410 kWh = 131,447.41 MWh.
		{"electricity_total_mwh", `"131447.41"`},
		// G13: the sold wind is not renewable; G3: the 6,500,000 kWh PPA
		// names no certificates, and Japan has a certificate system, so
		// it is not applied: 1,447,300 on-site + 26,500,000 claimed
		// - 6,500,000 kWh = 21,447.3 MWh.
		{"renewable_electricity_mwh", `"21447.3"`},
		// G7: 20 kg of R-22 imported x ODP 0.055 = 1.1 kg CFC-11e.
		{"ods_imported_kg_cfc11e", `"1.1"`},
		// G10: RAN electricity 96,500,000 purchased + 109,900 site grid
		// + 1,317,300 on-site (1,250,000 + 17,300 site solar + 50,000
		// wind) + 611,310 generated = 98,538,510 kWh;
		// 1,200,000 TB x 8000 / (98,538,510 x 0.0036) = 27,062.177687 bit/J.
		{"mobile_access_efficiency_bit_per_j", `"27062.177687"`},
		// G12, G5: estimated = retail 3,960 GJ + the two estimated sites
		// (29,800 kWh = 107.28 GJ; 310 + 2,650 l diesel x 0.844 x 0.043 =
		// 107.42432 GJ; 14,900 kWh solar = 53.64 GJ) = 4,228.34432 GJ;
		// proxy = the LPG row, 107.4 GJ GCV / 1.074 = 100 GJ NCV;
		// total energy 482,366.83496 GJ:
		// 4,328.34432 x 100 / 482,366.83496 = 0.897314 %.
		{"energy_estimated_share_pct", `"0.897314"`},
		// G14: as filed.
		{"boundary", `{"consolidation":"operational_control","tower_energy":"included"}`},
	} {
		if got := string(m.E1[c.key]); got != c.want {
			t.Errorf("e1.%s = %s, want %s", c.key, got, c.want)
		}
	}
	var dcs []struct {
		CUELocation string `json:"cue_location"`
	}
	if err := json.Unmarshal(m.E1["data_centres"], &dcs); err != nil || len(dcs) != 1 {
		t.Fatalf("data_centres: %s", m.E1["data_centres"])
	}
	// G11: 2,000 l diesel = 1.688 t x 43.0 = 72.584 GJ: CO2 5,378.4744 kg
	// + CH4 0.72584 kg x 27.0 + N2O 0.0435504 kg x 273 = 5,409.9613392 kg;
	// (9,000,000 kWh x 0.49359 + 5,409.9613392) / 6,400,000 = 0.694956.
	if dcs[0].CUELocation != "0.694956" {
		t.Errorf("tokyo-dc-1 cue_location = %s, want 0.694956", dcs[0].CUELocation)
	}
	for _, c := range []struct{ key, want string }{
		// R0: the seismic landslide (1 site, 5 h) is geophysical: climate
		// 2 events and 54 + 9 = 63 site-hours, all hazards 3 and 68.
		{"climate_outage_events", `"2"`},
		{"climate_outage_site_hours", `"63"`},
		{"all_hazard_outage_events", `"3"`},
		{"all_hazard_outage_site_hours", `"68"`},
		// R4: 4 cells on wheels + 2 satellite terminals + 10 portable
		// power units = 16; the rest as filed.
		{"deployable_units", `"16"`},
		{"emergency_free_service_events", `"3"`},
		{"resilience_capex_musd", `"12.5"`},
	} {
		if got := string(m.E3[c.key]); got != c.want {
			t.Errorf("e3.%s = %s, want %s", c.key, got, c.want)
		}
	}
	// G4: OKI-0112 burns 2,650 l of diesel and its generator_kwh cell is
	// empty (not filed, not 0).
	flagged := false
	for _, q := range m.DataQuality {
		flagged = flagged || q.Code == "generator_output_not_filed" && strings.HasPrefix(q.Message, "1 site rows burn diesel (2650 l)")
	}
	if !flagged {
		t.Errorf("no generator_output_not_filed flag for OKI-0112: %+v", m.DataQuality)
	}
}
