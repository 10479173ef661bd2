package filing

import (
	"slices"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// siteColumnsV1 are the columns of the sites CSV part of return v1.
var siteColumnsV1 = []string{
	"site_id", "domain", "grid", "grid_kwh", "diesel_l", "petrol_l", "lpg_kg", "solar_kwh", "wind_kwh",
	"backup_hours", "hazard_level", "hazard_assessed", "hardened", "offgrid",
}

// TestSitesCSVTakesTheV11Columns: the sites CSV reader takes a column
// for every field ledger.ReturnV11Fields says the sites part carries, and
// every column it takes beyond v1 is listed there, which is where the
// OpenAPI document and the upload page find the optional columns.
func TestSitesCSVTakesTheV11Columns(t *testing.T) {
	listed := map[string]bool{}
	for _, f := range ledger.ReturnV11Fields() {
		if f.CSVPart != PartSites {
			continue
		}
		col := strings.TrimPrefix(f.Path, "sites[].")
		listed[col] = true
		if !slices.Contains(plans().site.columnNames(), col) {
			t.Errorf("%s: ReturnV11Fields puts it in the sites CSV part, which has no column %s", f.Path, col)
		}
	}
	for _, col := range plans().site.columnNames() {
		if !slices.Contains(siteColumnsV1, col) && !listed[col] {
			t.Errorf("sites CSV column %s is new since v1 but not in ledger.ReturnV11Fields with CSVPart %q", col, PartSites)
		}
	}
}
