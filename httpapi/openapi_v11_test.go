package httpapi

import (
	"encoding"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/service"
)

// openAPIDoc fetches /v1/openapi.json and decodes it as plain maps.
func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	s := New(Config{Service: service.New(service.Config{State: state.New()})})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/openapi.json", nil))
	var doc map[string]any
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &doc) != nil {
		t.Fatalf("openapi.json: %d %s", rec.Code, rec.Body)
	}
	return doc
}

// dig follows keys through nested JSON objects; nil when one is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// deref resolves a schema that is a $ref, or an allOf of one $ref (how a
// described reference is written), to the schema it names.
func deref(doc map[string]any, s map[string]any) map[string]any {
	if all, ok := s["allOf"].([]any); ok && len(all) == 1 {
		s, _ = all[0].(map[string]any)
	}
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		s, _ = dig(doc, "components", "schemas", name).(map[string]any)
	}
	return s
}

// wantSchemaType is the JSON Schema type a Go field type encodes as.
func wantSchemaType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case reflect.TypeFor[decimal.Decimal](), reflect.TypeFor[time.Time](), reflect.TypeFor[ledger.Period]():
		return "string"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "integer"
	case reflect.Slice:
		return "array"
	case reflect.Struct:
		return "object"
	}
	return "unknown Go kind " + t.Kind().String()
}

// checkFields walks struct type t field by field beside its schema s, at
// JSON path prefix, and reports every field the schema lacks or types
// wrongly, and every v1.1 field not described as one (or required).
func checkFields(t *testing.T, doc map[string]any, typ reflect.Type, s map[string]any, prefix string, v11 map[string]ledger.V11Field, seen *int) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct || typ.Implements(reflect.TypeFor[json.Marshaler]()) ||
		reflect.PointerTo(typ).Implements(reflect.TypeFor[encoding.TextMarshaler]()) {
		return
	}
	props, _ := s["properties"].(map[string]any)
	required := map[string]bool{}
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			required[r.(string)] = true
		}
	}
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		path := strings.TrimPrefix(prefix+"."+name, ".")
		*seen++
		raw, ok := props[name].(map[string]any)
		if !ok {
			t.Errorf("%s: not in the OpenAPI schema of the return", path)
			continue
		}
		desc, _ := raw["description"].(string)
		v, isV11 := v11[path]
		switch {
		case isV11 && !strings.HasPrefix(desc, v11Marker+" (methodology 2026.1 "+v.Item+")"):
			t.Errorf("%s: a return v1.1 field described %q", path, desc)
		case isV11 && required[name]:
			t.Errorf("%s: a return v1.1 field is required in the schema", path)
		case !isV11 && strings.Contains(desc, v11Marker):
			t.Errorf("%s: a return v1 field described as v1.1: %q", path, desc)
		}
		fs := deref(doc, raw)
		if got, want := fs["type"], wantSchemaType(f.Type); got != want {
			t.Errorf("%s: schema type %v, the Go field encodes as %s", path, got, want)
			continue
		}
		elem := f.Type
		for elem.Kind() == reflect.Pointer {
			elem = elem.Elem()
		}
		if elem.Kind() == reflect.Slice {
			elem, path = elem.Elem(), path+"[]"
			fs, _ = fs["items"].(map[string]any)
			fs = deref(doc, fs)
		}
		checkFields(t, doc, elem, fs, path, v11, seen)
	}
}

// TestOpenAPIDescribesEveryReturnField walks ledger.Return by reflection
// and checks that the filing's request schema has every json field, at
// every depth, with the type the field encodes as; that each field of
// ledger.ReturnV11Fields is described "return v1.1, optional" with its
// methodology item and is not required; and that no v1 field is so
// described. With TestReturnV11FieldsAreTheNewFields in package ledger,
// a field added to the return without its line there, or of a type the
// schema generator does not know, fails.
func TestOpenAPIDescribesEveryReturnField(t *testing.T) {
	doc := openAPIDoc(t)
	post := dig(doc, "paths", "/v1/operators/{id}/returns", "post", "requestBody", "content")
	body, ok := dig(post, "application/json", "schema").(map[string]any)
	if !ok {
		t.Fatalf("no JSON request schema for filing: %v", post)
	}
	v11 := map[string]ledger.V11Field{}
	for _, f := range ledger.ReturnV11Fields() {
		v11[f.Path] = f
	}
	seen := 0
	checkFields(t, doc, reflect.TypeFor[ledger.Return](), deref(doc, body), "", v11, &seen)
	if seen < 130 { // 139 with the fields of early 2026
		t.Fatalf("walked only %d fields of the return", seen)
	}

	// The multipart body's CSV parts name the v1.1 columns they take.
	for _, f := range ledger.ReturnV11Fields() {
		if f.CSVPart == "" {
			continue
		}
		desc, _ := dig(post, "multipart/form-data", "schema", "properties", f.CSVPart, "description").(string)
		col := f.Path[strings.LastIndex(f.Path, ".")+1:]
		if !strings.Contains(desc, "columns of "+v11Marker+":") || !strings.Contains(desc, col+" ("+f.Item+")") {
			t.Errorf("the %s CSV part's description does not name column %s: %q", f.CSVPart, col, desc)
		}
	}
}
