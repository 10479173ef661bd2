package httpapi

import (
	"reflect"
	"strings"

	"github.com/ictledger/ictledger/ledger"
)

// v11Marker opens the description of every return v1.1 field in the
// OpenAPI document; clients and the tests look for it.
const v11Marker = "return v1.1, optional"

// v11Index maps the struct types of a Return, and in each the json name
// of a field, to the field's entry in ledger.ReturnV11Fields, so that the
// schema generator, which works type by type, can describe the fields
// that list names by path. A path that names no field is left out (the
// ledger's tests refuse one).
func v11Index() map[reflect.Type]map[string]ledger.V11Field {
	idx := map[reflect.Type]map[string]ledger.V11Field{}
	for _, f := range ledger.ReturnV11Fields() {
		t, name, ok := fieldOwner(reflect.TypeFor[ledger.Return](), f.Path)
		if !ok {
			continue
		}
		if idx[t] == nil {
			idx[t] = map[string]ledger.V11Field{}
		}
		idx[t][name] = f
	}
	return idx
}

// fieldOwner follows a JSON path such as "resilience.outages[].trigger"
// from t and returns the struct type that holds its last field, and that
// field's json name.
func fieldOwner(t reflect.Type, path string) (reflect.Type, string, bool) {
	segs := strings.Split(path, ".")
	for _, seg := range segs[:len(segs)-1] {
		f, ok := jsonField(t, strings.TrimSuffix(seg, "[]"))
		if !ok {
			return nil, "", false
		}
		t = f.Type
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
	}
	last := segs[len(segs)-1]
	if _, ok := jsonField(t, last); !ok {
		return nil, "", false
	}
	return t, last, true
}

// jsonField finds the field of struct type t whose json name is name.
func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	if t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if n, _, _ := strings.Cut(f.Tag.Get("json"), ","); n == name && f.IsExported() {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// describeV11 marks the schema s of a v1.1 field as such. A $ref cannot
// carry a description beside it in OpenAPI 3.0, so it is wrapped in allOf.
func describeV11(s map[string]any, f ledger.V11Field) map[string]any {
	desc := v11Marker + " (methodology 2026.1 " + f.Item + "): " + f.Meaning
	if f.CSVPart != "" {
		desc += "; also a column of the " + f.CSVPart + " CSV part"
	}
	if _, ok := s["$ref"]; ok {
		return map[string]any{"allOf": []any{s}, "description": desc}
	}
	out := make(map[string]any, len(s)+1)
	for k, v := range s {
		out[k] = v
	}
	if d, ok := s["description"].(string); ok {
		desc += ". " + strings.ToUpper(d[:1]) + d[1:]
	}
	out["description"] = desc
	return out
}

// v11Columns lists the v1.1 columns a CSV part takes, for its
// description in the document: "" when it takes none.
func v11Columns(part string) string {
	var cols []string
	for _, f := range ledger.ReturnV11Fields() {
		if f.CSVPart == part {
			cols = append(cols, f.Path[strings.LastIndex(f.Path, ".")+1:]+" ("+f.Item+")")
		}
	}
	if len(cols) == 0 {
		return ""
	}
	return "; columns of " + v11Marker + ": " + strings.Join(cols, ", ")
}
