package ledger

import (
	"fmt"
	"reflect"
	"strings"
)

// The types of quarterly_return.go are the one description of what a
// return holds. The json tag names a field; the ret tag says what a
// reader checks before Validate's rules, as comma-separated options:
//
//	required       the field must be given (a CSV column must be there
//	               and its cell not empty)
//	enum=NAME      a string from the enumeration NAME (see Enum)
//	default=VALUE  the value of an enumeration left out
//	text=KIND      a free string (or list of strings) of TextKind id, name
//	               or note, checked with CheckText
//	signed         a quantity or count (or flow) not held to >= 0: it may
//	               be negative, or Validate checks its range itself; every
//	               other quantity and count must be >= 0
//	column=NAME    the name of the field as a value of the devices CSV
//	               flow column, when it is not the JSON name
//
// A string field must be an enumeration or free text: a new field with
// neither does not build (TestDescribeReturn). The filing package reads
// JSON and CSV by this description, Validate checks enumerations and
// signs by it, and the OpenAPI document publishes it;
// docs/spec/quarterly-return.md must name every field
// (TestSpecNamesEveryField). The rules between fields are Validate's, in
// code.

// Field is one field of a return type as its tags describe it.
type Field struct {
	// Name is the field's JSON name.
	Name string
	// Index is the index of the Go field in its struct.
	Index int
	// Type is the Go type of the field.
	Type reflect.Type
	// Required is set when the field must be given.
	Required bool
	// Enum lists the allowed values of an enumeration, nil otherwise.
	Enum []string
	// EnumName is the name of the enumeration (see Enum).
	EnumName string
	// Default is the value of an enumeration left out.
	Default string
	// Text is the kind of a free string or list of strings, 0 otherwise.
	Text TextKind
	// Signed is set on a quantity or count that is not held to >= 0.
	Signed bool
	// Column is the field's name in the devices CSV flow column.
	Column string
}

// Describe returns the fields of the struct type t as their json and ret
// tags describe them, in declaration order. Fields without a json name
// are left out. It fails on an option it does not know, an enumeration
// that does not exist and a string field that is neither an enumeration
// nor free text.
func Describe(t reflect.Type) ([]Field, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("describe %s: not a struct", t)
	}
	var out []Field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "" || name == "-" {
			continue
		}
		f := Field{Name: name, Index: i, Type: sf.Type}
		if err := f.parse(sf.Tag.Get("ret")); err != nil {
			return nil, fmt.Errorf("describe %s.%s: %w", t.Name(), sf.Name, err)
		}
		out = append(out, f)
	}
	return out, nil
}

func (f *Field) parse(tag string) error {
	for _, opt := range strings.Split(tag, ",") {
		key, val, _ := strings.Cut(opt, "=")
		switch key {
		case "":
		case "required":
			f.Required = true
		case "signed":
			f.Signed = true
		case "enum":
			if f.Enum = Enum(val); f.Enum == nil {
				return fmt.Errorf("no enumeration %q", val)
			}
			f.EnumName = val
		case "default":
			f.Default = val
		case "column":
			f.Column = val
		case "text":
			k, ok := map[string]TextKind{"id": TextID, "name": TextName, "note": TextNote}[val]
			if !ok {
				return fmt.Errorf("no text kind %q", val)
			}
			f.Text = k
		default:
			return fmt.Errorf("unknown ret option %q", opt)
		}
	}
	return f.check()
}

// check holds a field to the rules of the description.
func (f *Field) check() error {
	isString := f.Type.Kind() == reflect.String ||
		f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String
	switch {
	case isString && (f.Enum == nil) == (f.Text == 0):
		return fmt.Errorf("a string must be an enumeration or free text (one of enum= and text=)")
	case !isString && (f.Enum != nil || f.Text != 0):
		return fmt.Errorf("enum= and text= are for strings only")
	case isString && f.Signed:
		return fmt.Errorf("signed is for quantities and counts")
	case f.Default != "" && !OneOf(f.Default, f.Enum):
		return fmt.Errorf("default %q is not a value of its enumeration", f.Default)
	}
	return nil
}
