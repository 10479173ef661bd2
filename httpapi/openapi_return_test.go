package httpapi

import (
	"reflect"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// TestOpenAPIDescribesTheReturn checks that the schemas of the return
// follow its description (ledger.Describe): required fields, enumerations
// with their defaults, the length of free strings.
func TestOpenAPIDescribesTheReturn(t *testing.T) {
	g := &schemaGen{defs: map[string]any{}}
	g.schema(reflect.TypeFor[ledger.Return]())
	site := g.defs["Site"].(map[string]any)
	if got := site["required"]; !reflect.DeepEqual(got, []string{"domain", "grid", "site_id"}) {
		t.Errorf("Site required %v, want domain, grid, site_id (quantities may be left out)", got)
	}
	props := site["properties"].(map[string]any)
	level := props["hazard_level"].(map[string]any)
	if !reflect.DeepEqual(level["enum"], ledger.HazardLevels) || level["default"] != "none" {
		t.Errorf("hazard_level %v", level)
	}
	if id := props["site_id"].(map[string]any); id["maxLength"] != ledger.TextID.MaxRunes() {
		t.Errorf("site_id %v", id)
	}
	flow := g.defs["Flow"].(map[string]any)
	if got := flow["required"]; !reflect.DeepEqual(got, []string{"kg"}) {
		t.Errorf("Flow required %v, want kg (units may be left out)", got)
	}
	claim := g.defs["RenewableClaim"].(map[string]any)["properties"].(map[string]any)
	if certs := claim["certificates"].(map[string]any)["items"].(map[string]any); certs["maxLength"] != ledger.TextID.MaxRunes() {
		t.Errorf("certificates %v", certs)
	}
	// Types outside the return keep the rule of their json tags.
	op := g.schema(reflect.TypeFor[ledger.Operator]())
	if op["$ref"] == nil {
		t.Fatalf("operator schema %v", op)
	}
	if got := g.defs["Operator"].(map[string]any)["required"]; got == nil {
		t.Errorf("Operator lost its required fields")
	}
}
