package ledger

import (
	"encoding"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// returnV1Paths are the JSON paths of return v1, as the return stood
// before methodology 2026.1. The list is frozen: a field added to Return
// is a v1.1 field and belongs in ReturnV11Fields, not here.
var returnV1Paths = []string{
	"activity", "activity.data_traffic_tb", "activity.revenue_musd", "activity.sites_total", "activity.subscriptions",
	"data_centres", "data_centres[].grid", "data_centres[].id", "data_centres[].it_kwh", "data_centres[].renewable_kwh",
	"data_centres[].reused_kwh", "data_centres[].total_kwh", "data_centres[].water_m3",
	"devices", "devices[].basel_notification", "devices[].category",
	"devices[].collected", "devices[].collected.kg", "devices[].collected.units",
	"devices[].disposed", "devices[].disposed.kg", "devices[].disposed.units",
	"devices[].exported_kg", "devices[].inflow", "devices[].inflow.kg", "devices[].inflow.units", "devices[].lifetime_years",
	"devices[].recovered", "devices[].recovered.kg", "devices[].recovered.units",
	"devices[].recycled", "devices[].recycled.kg", "devices[].recycled.units", "devices[].recycled_content_kg", "devices[].recycler",
	"devices[].reused", "devices[].reused.kg", "devices[].reused.units", "devices[].reused_content_kg",
	"devices[].stock_change", "devices[].stock_change.kg", "devices[].stock_change.units", "devices[].stream",
	"electricity", "electricity[].domain", "electricity[].grid", "electricity[].kwh", "electricity[].supplier", "electricity[].supplier_kgco2e_per_kwh",
	"factor_set",
	"fuels", "fuels[].bio_share", "fuels[].domain", "fuels[].fuel", "fuels[].generated_kwh", "fuels[].quantity", "fuels[].unit", "fuels[].use",
	"historic_inflow", "historic_inflow[].category", "historic_inflow[].kg", "historic_inflow[].stream", "historic_inflow[].units", "historic_inflow[].year",
	"onsite_renewables", "onsite_renewables[].domain", "onsite_renewables[].kwh", "onsite_renewables[].source",
	"operator", "period", "reason",
	"refrigerants", "refrigerants[].gas", "refrigerants[].kg_lost",
	"renewable_claims", "renewable_claims[].certificates", "renewable_claims[].grid", "renewable_claims[].instrument",
	"renewable_claims[].kwh", "renewable_claims[].technology", "renewable_claims[].vintage",
	"resilience",
	"resilience.backup_autonomy", "resilience.backup_autonomy.ge_72h", "resilience.backup_autonomy.h24_to_72",
	"resilience.backup_autonomy.h4_to_8", "resilience.backup_autonomy.h8_to_24", "resilience.backup_autonomy.lt_4h",
	"resilience.early_warning", "resilience.early_warning.alerts_disseminated",
	"resilience.early_warning.population_covered", "resilience.early_warning.population_served",
	"resilience.outages", "resilience.outages[].hazard", "resilience.outages[].hours_to_restore",
	"resilience.outages[].site_hours_lost", "resilience.outages[].sites_affected", "resilience.outages[].started",
	"resilience.sites_hazard_assessed", "resilience.sites_high_hazard", "resilience.sites_high_hazard_hardened", "resilience.sites_with_backup",
	"restates",
	"sites", "sites[].backup_hours", "sites[].diesel_l", "sites[].domain", "sites[].grid", "sites[].grid_kwh",
	"sites[].hardened", "sites[].hazard_assessed", "sites[].hazard_level", "sites[].lpg_kg", "sites[].offgrid",
	"sites[].petrol_l", "sites[].site_id", "sites[].solar_kwh", "sites[].wind_kwh",
}

// jsonPaths lists the JSON paths of every field of t, recursively, with
// "[]" for the elements of an array. Types that encode themselves (decimals,
// times, periods) are leaves.
func jsonPaths(t reflect.Type, prefix string, out *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Slice {
		jsonPaths(t.Elem(), prefix+"[]", out)
		return
	}
	if t.Kind() != reflect.Struct || encodesItself(t) {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		*out = append(*out, path)
		jsonPaths(f.Type, path, out)
	}
}

func encodesItself(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	for _, i := range []reflect.Type{reflect.TypeFor[json.Marshaler](), reflect.TypeFor[encoding.TextMarshaler]()} {
		if t.Implements(i) || pt.Implements(i) {
			return true
		}
	}
	return false
}

// TestReturnV11FieldsAreTheNewFields: every field of Return is either a
// field of return v1 or announced in ReturnV11Fields (or inside an object
// that is), and every announced path is a field of Return. A field added
// to the struct without its line in ReturnV11Fields fails here, so the
// OpenAPI document and the upload page, which read that list, cannot miss
// it.
func TestReturnV11FieldsAreTheNewFields(t *testing.T) {
	var paths []string
	jsonPaths(reflect.TypeFor[Return](), "", &paths)
	have := map[string]bool{}
	for _, p := range paths {
		have[p] = true
	}
	v1 := map[string]bool{}
	for _, p := range returnV1Paths {
		v1[p] = true
		if !have[p] {
			t.Errorf("return v1 field %s is no longer in Return: a v1 return would not file unchanged", p)
		}
	}
	v11 := map[string]V11Field{}
	for _, f := range ReturnV11Fields() {
		if _, dup := v11[f.Path]; dup {
			t.Errorf("%s is listed twice", f.Path)
		}
		v11[f.Path] = f
		switch {
		case !have[f.Path]:
			t.Errorf("ReturnV11Fields lists %s, which is not a field of Return", f.Path)
		case v1[f.Path]:
			t.Errorf("%s is a return v1 field, not a v1.1 one", f.Path)
		case !strings.HasPrefix(f.Item, "G") && !strings.HasPrefix(f.Item, "W") && !strings.HasPrefix(f.Item, "R"):
			t.Errorf("%s: item %q is not a methodology 2026.1 item", f.Path, f.Item)
		case f.Meaning == "":
			t.Errorf("%s has no meaning", f.Path)
		case f.CSVPart != "" && f.CSVPart != "sites" && f.CSVPart != "devices":
			t.Errorf("%s: CSV part %q is not sites or devices", f.Path, f.CSVPart)
		}
	}
	var unannounced []string
	for _, p := range paths {
		if !v1[p] && !underV11(p, v11) {
			unannounced = append(unannounced, p)
		}
	}
	sort.Strings(unannounced)
	if len(unannounced) > 0 {
		t.Errorf("fields new since return v1 but not in ledger.ReturnV11Fields (add a line each): %v", unannounced)
	}
}

// underV11 reports whether path is a v1.1 field or inside one.
func underV11(path string, v11 map[string]V11Field) bool {
	for p := range v11 {
		if path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[]") {
			return true
		}
	}
	return false
}

// TestReturnV11FieldsAreDocumented: the "Return v1.1" table of
// docs/spec/quarterly-return.md has a row for each field of
// ReturnV11Fields, with its item and CSV part, and no other row.
func TestReturnV11FieldsAreDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "spec", "quarterly-return.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "\n## Return v1.1\n")
	if !ok {
		t.Fatal(`docs/spec/quarterly-return.md has no "## Return v1.1" section`)
	}
	sec, _, _ = strings.Cut(sec, "\n## ")
	rows := map[string][]string{} // path: cells
	for _, line := range strings.Split(sec, "\n") {
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 4 || !strings.HasPrefix(line, "| `") {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows[strings.Trim(cells[0], "`")] = cells
	}
	for _, f := range ReturnV11Fields() {
		cells, ok := rows[f.Path]
		delete(rows, f.Path)
		switch {
		case !ok:
			t.Errorf("%s: no row in the Return v1.1 table", f.Path)
		case cells[3] != f.Item:
			t.Errorf("%s: the table says item %q, the code %s", f.Path, cells[3], f.Item)
		case (f.CSVPart == "") != (cells[2] == ""),
			f.CSVPart != "" && !strings.HasPrefix(cells[2], "`"+f.CSVPart+"`"):
			t.Errorf("%s: the table's CSV column %q, the code's part %q", f.Path, cells[2], f.CSVPart)
		}
	}
	for p := range rows {
		t.Errorf("the Return v1.1 table has a row for %s, which ReturnV11Fields lacks", p)
	}
}
