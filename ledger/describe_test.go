package ledger

import (
	"reflect"
	"strings"
	"testing"
)

// TestDescribeReturn describes every struct type a return holds: a field
// whose tags the description does not accept fails here.
func TestDescribeReturn(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || typ.PkgPath() != reflect.TypeFor[Return]().PkgPath() || typ == reflect.TypeFor[Period]() || seen[typ] {
			return
		}
		seen[typ] = true
		fields, err := Describe(typ)
		if err != nil {
			t.Error(err)
			return
		}
		for _, f := range fields {
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[Return]())
	if len(seen) < 15 {
		t.Fatalf("described %d types, want all of the return's", len(seen))
	}
}

// TestDescribeRefuses holds the description to its rules.
func TestDescribeRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  any
		want string
	}{
		{"string without a kind", struct {
			A string `json:"a"`
		}{}, "must be an enumeration or free text"},
		{"both kinds", struct {
			A string `json:"a" ret:"enum=Domains,text=id"`
		}{}, "must be an enumeration or free text"},
		{"unknown enumeration", struct {
			A string `json:"a" ret:"enum=Colours"`
		}{}, `no enumeration "Colours"`},
		{"default outside the enumeration", struct {
			A string `json:"a" ret:"enum=Domains,default=moon"`
		}{}, `default "moon"`},
		{"unknown option", struct {
			A string `json:"a" ret:"text=id,secret"`
		}{}, `unknown ret option "secret"`},
		{"text on a number", struct {
			A int64 `json:"a" ret:"text=id"`
		}{}, "for strings only"},
		{"unknown text kind", struct {
			A []string `json:"a" ret:"text=poem"`
		}{}, `no text kind "poem"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Describe(reflect.TypeOf(tc.typ))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one with %q", err, tc.want)
			}
		})
	}
}

// TestDescribeSite checks what the description says of a site row.
func TestDescribeSite(t *testing.T) {
	fields, err := Describe(reflect.TypeFor[Site]())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Field{}
	for _, f := range fields {
		byName[f.Name] = f
	}
	if f := byName["site_id"]; !f.Required || f.Text != TextID {
		t.Errorf("site_id: %+v", f)
	}
	if f := byName["hazard_level"]; f.Required || f.Default != "none" || !reflect.DeepEqual(f.Enum, HazardLevels) {
		t.Errorf("hazard_level: %+v", f)
	}
	if f := byName["grid_kwh"]; f.Required || f.Enum != nil || f.Text != 0 {
		t.Errorf("grid_kwh: %+v", f)
	}
}
