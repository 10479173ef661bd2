package workbook

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// The sheets of a workbook follow the return's one description, the json
// and ret tags of the ledger types (ledger.Describe), by these rules:
//
//   - the return's own fields and the objects it points to (boundary) are
//     the columns of the "About" sheet;
//   - an object field of the return (activity, resilience) is a sheet of
//     one data row, its nested objects flattened into dotted columns
//     ("backup_autonomy.lt_4h");
//   - an array of objects (electricity, sites, resilience.outages) is a
//     sheet of one data row per element;
//   - an array whose rows hold flows (ledger.Flow, or a mass with a
//     column= name) is in long form, as the devices CSV part is: one row
//     per flow, keyed by the row's required enumerations; its other
//     fields are on a "details" sheet, and an array inside it (exports)
//     is a sheet of its own keyed the same way.
//
// A field added to the return is therefore a column of the workbook, its
// drop-down list and unit derived from its tags and name.

// kind is how a column's cells are read and written.
type kind int

const (
	kindQuantity kind = iota + 1 // an exact decimal
	kindCount                    // a whole number
	kindBool                     // true or false
	kindText                     // free text or an enumeration
	kindList                     // texts separated by ";"
	kindTime                     // an RFC 3339 time
	kindPeriod                   // a quarter, YYYY-Qn
)

var (
	decimalType = reflect.TypeFor[decimal.Decimal]()
	timeType    = reflect.TypeFor[time.Time]()
	periodType  = reflect.TypeFor[ledger.Period]()
	flowType    = reflect.TypeFor[ledger.Flow]()
)

// kindOf returns the kind of a field of Go type t, or 0 when it is not a
// cell (an object or an array of objects).
func kindOf(t reflect.Type) kind {
	if t.Kind() == reflect.Pointer && (t.Elem().Kind() != reflect.Struct || t.Elem() == decimalType) {
		t = t.Elem()
	}
	switch {
	case t == decimalType:
		return kindQuantity
	case t == timeType:
		return kindTime
	case t == periodType:
		return kindPeriod
	case t.Kind() == reflect.Int64 || t.Kind() == reflect.Int:
		return kindCount
	case t.Kind() == reflect.Bool:
		return kindBool
	case t.Kind() == reflect.String:
		return kindText
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return kindList
	}
	return 0
}

// column is one column of a sheet.
type column struct {
	name  string       // the header: JSON names joined by "."
	path  []int        // Go field indexes from the row's struct
	field ledger.Field // the field the cell fills
	kind  kind
}

// form is the shape of a sheet.
type form int

const (
	formOne   form = iota + 1 // one data row: an object
	formRows                  // a row per element of an array
	formFlows                 // a row per flow of an element (long form)
)

// sheet is one sheet of the workbook.
type sheet struct {
	title string
	// section is the JSON path of what the sheet fills, "[]" standing for
	// an array: "" (the return itself), "activity", "electricity[]",
	// "resilience.outages[]", "devices[]", "devices[].exports[]".
	section string
	form    form
	// goPath are the Go field indexes from ledger.Return to the object
	// or array the sheet fills; for a sheet under an array (exports) the
	// path is from the array's element.
	goPath []int
	// keys is how many leading columns name the element of the parent
	// array a row belongs to (devices: category, stream); 0 otherwise.
	keys    int
	parent  *sheet // the long-form sheet of the keyed array, or nil
	child   []int  // for a child sheet, the index of its field in the element
	columns []column
	// flows are, on a long-form sheet, the values of its flow column and
	// the fields they fill.
	flows []flowField
	// details is, on a long-form sheet, the sheet of its elements' other
	// fields.
	details *sheet
}

// flowField is a value of the flow column of a long-form sheet.
type flowField struct {
	name   string // in the flow column
	json   string // the field's JSON name
	index  int    // of the field in the element
	kgOnly bool   // a mass (*decimal.Decimal), not a *ledger.Flow
}

// flowColumn names the flow column of a long-form sheet, as in the devices
// CSV part.
const flowColumn = "flow"

// The names of the sheets that are not sections.
const (
	sheetHowTo = "How to fill"
	sheetLists = "Lists"
	sheetAbout = "About"
)

// layout is the workbook's sheets, derived once from the description.
type layout struct {
	sheets []*sheet
}

// theLayout returns the layout of the return. A description it cannot
// follow is a programming error that TestLayout reports; here it panics.
var theLayout = sync.OnceValue(func() *layout {
	l, err := newLayout()
	if err != nil {
		panic(err)
	}
	return l
})

func newLayout() (*layout, error) {
	fields, err := ledger.Describe(reflect.TypeFor[ledger.Return]())
	if err != nil {
		return nil, err
	}
	l := &layout{}
	about := &sheet{title: sheetAbout, form: formOne}
	l.sheets = append(l.sheets, about)
	if err := l.flatten(about, reflect.TypeFor[ledger.Return](), nil, nil, ""); err != nil {
		return nil, err
	}
	for _, f := range fields {
		switch t := f.Type; {
		case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
			if err := l.array(f.Name, []int{f.Index}, t.Elem(), ""); err != nil {
				return nil, err
			}
		case t.Kind() == reflect.Struct && kindOf(t) == 0:
			sh := &sheet{title: title(f.Name), section: f.Name, form: formOne, goPath: []int{f.Index}}
			l.sheets = append(l.sheets, sh)
			if err := l.flatten(sh, t, nil, nil, f.Name); err != nil {
				return nil, err
			}
		}
	}
	return l, nil
}

// flatten adds to sh a column for every plain field of t (and of the
// objects it holds, by dotted names); arrays of objects become sheets of
// their own. On the About sheet only the return's plain fields and
// pointed objects are taken.
func (l *layout) flatten(sh *sheet, t reflect.Type, prefix []string, path []int, section string) error {
	fields, err := ledger.Describe(t)
	if err != nil {
		return err
	}
	top := sh.title == sheetAbout
	for _, f := range fields {
		name := strings.Join(append(append([]string(nil), prefix...), f.Name), ".")
		p := append(append([]int(nil), path...), f.Index)
		switch ft := f.Type; {
		case kindOf(ft) != 0:
			sh.columns = append(sh.columns, column{name: name, path: p, field: f, kind: kindOf(ft)})
		case top && len(prefix) == 0 && ft.Kind() != reflect.Pointer:
			// activity, resilience and the arrays: sheets of their own
		case ft.Kind() == reflect.Slice && sh.form != formOne:
			return fmt.Errorf("workbook: an array (%s) in a row of %s has no sheet", name, sh.title)
		case ft.Kind() == reflect.Slice:
			if err := l.array(f.Name, append(append([]int(nil), sh.goPath...), p...), ft.Elem(), section); err != nil {
				return err
			}
		case ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Struct:
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if err := l.flatten(sh, et, append(append([]string(nil), prefix...), f.Name), p, section); err != nil {
				return err
			}
		default:
			return fmt.Errorf("workbook: no column for %s (%s)", name, ft)
		}
	}
	return nil
}

// array adds the sheets of an array of objects of type et, named name,
// at goPath from the return, under the section parent ("" at the top).
func (l *layout) array(name string, goPath []int, et reflect.Type, parent string) error {
	fields, err := ledger.Describe(et)
	if err != nil {
		return err
	}
	section := joinSection(parent, name+"[]")
	var flows []flowField
	for _, f := range fields {
		switch {
		case f.Type == reflect.PointerTo(flowType):
			flows = append(flows, flowField{name: f.Name, json: f.Name, index: f.Index})
		case f.Column != "":
			flows = append(flows, flowField{name: f.Column, json: f.Name, index: f.Index, kgOnly: true})
		}
	}
	if len(flows) == 0 {
		sh := &sheet{title: title(name), section: section, form: formRows, goPath: goPath}
		l.sheets = append(l.sheets, sh)
		return l.flatten(sh, et, nil, nil, section)
	}
	return l.longForm(name, goPath, et, fields, flows, section)
}

// longForm adds the sheets of an array whose rows hold flows: the flows
// in long form, the other plain fields on a details sheet and each array
// of objects on a sheet of its own, all keyed by the row's required
// enumerations.
func (l *layout) longForm(name string, goPath []int, et reflect.Type, fields []ledger.Field, flows []flowField, section string) error {
	var keys []column
	isFlow := map[int]bool{}
	for _, f := range flows {
		isFlow[f.index] = true
	}
	for _, f := range fields {
		if f.Required && f.Enum != nil {
			keys = append(keys, column{name: f.Name, path: []int{f.Index}, field: f, kind: kindText})
		}
	}
	if len(keys) == 0 {
		return fmt.Errorf("workbook: %s has flows but no key", name)
	}
	names := make([]string, len(flows))
	for i, f := range flows {
		names[i] = f.name
	}
	long := &sheet{title: title(name), section: section, form: formFlows, goPath: goPath, keys: len(keys), flows: flows}
	long.columns = append(long.columns, keys...)
	long.columns = append(long.columns, column{name: flowColumn, field: ledger.Field{Name: flowColumn, Required: true, Enum: names, EnumName: "flows"}, kind: kindText})
	flowFields, err := ledger.Describe(flowType)
	if err != nil {
		return err
	}
	for _, f := range flowFields {
		long.columns = append(long.columns, column{name: f.Name, path: []int{f.Index}, field: f, kind: kindOf(f.Type)})
	}
	details := &sheet{title: singular(title(name)) + " details", section: section, form: formRows, goPath: goPath, keys: len(keys), parent: long}
	details.columns = append(details.columns, keys...)
	long.details = details
	l.sheets = append(l.sheets, long, details)
	for _, f := range fields {
		if isFlow[f.Index] || (f.Required && f.Enum != nil) {
			continue
		}
		if k := kindOf(f.Type); k != 0 {
			details.columns = append(details.columns, column{name: f.Name, path: []int{f.Index}, field: f, kind: k})
			continue
		}
		if f.Type.Kind() != reflect.Slice || f.Type.Elem().Kind() != reflect.Struct {
			return fmt.Errorf("workbook: no column for %s.%s", name, f.Name)
		}
		child := &sheet{title: singular(title(name)) + " " + strings.ToLower(title(f.Name)), section: joinSection(section, f.Name+"[]"),
			form: formRows, keys: len(keys), parent: long, child: []int{f.Index}}
		child.columns = append(child.columns, keys...)
		l.sheets = append(l.sheets, child)
		if err := l.flatten(child, f.Type.Elem(), nil, nil, child.section); err != nil {
			return err
		}
	}
	return nil
}

func joinSection(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// title is a JSON name as a sheet title: "data_centres" is "Data centres".
func title(name string) string {
	s := strings.ReplaceAll(name, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// singular drops the plural s of a title: "Devices" is "Device".
func singular(s string) string { return strings.TrimSuffix(s, "s") }

// sheetNamed returns the sheet titled name, or nil.
func (l *layout) sheetNamed(name string) *sheet {
	for _, sh := range l.sheets {
		if sh.title == name {
			return sh
		}
	}
	return nil
}

// column returns the column named name, or nil.
func (sh *sheet) column(name string) (int, *column) {
	for i := range sh.columns {
		if sh.columns[i].name == name {
			return i, &sh.columns[i]
		}
	}
	return -1, nil
}

// unit returns what a column's header says of its unit, derived from the
// field's name: "kwh" is kWh, "kg_lost" kg, "revenue_musd" million USD.
func (c *column) unit() string {
	n := c.field.Name
	for _, u := range units {
		if n == u.suffix || strings.HasSuffix(n, "_"+u.suffix) || strings.HasPrefix(n, u.suffix+"_") {
			return u.unit
		}
	}
	return ""
}

// units are the units that field names end (or start) with.
var units = [...]struct{ suffix, unit string }{
	{"kgco2e_per_kwh", "kgCO2e/kWh"},
	{"kwh", "kWh"},
	{"kg", "kg"},
	{"tb", "TB"},
	{"musd", "million USD"},
	{"m3", "m³"},
	{"l", "litres"},
	{"pct", "%"},
	{"hours", "hours"},
	{"years", "years"},
	{"share", "0 to 1"},
}

// header is the text of a column's header cell: its name, and its unit
// in parentheses when it has one. The reader takes the name before " (".
func (c *column) header() string {
	if u := c.unit(); u != "" {
		return c.name + " (" + u + ")"
	}
	return c.name
}

// hint says in plain words what a cell of the column holds.
func (c *column) hint() string {
	var s string
	switch {
	case c.field.Enum != nil:
		s = "one of the list: " + strings.Join(c.field.Enum, ", ")
	case c.field.Name == "grid":
		s = "a grid key of the factor set (the list offers them)"
	case c.kind == kindQuantity:
		s = "a decimal number, typed as text to keep every digit"
	case c.kind == kindCount:
		s = "a whole number"
	case c.kind == kindBool:
		s = "TRUE or FALSE (empty is FALSE)"
	case c.kind == kindList:
		s = "texts separated by ;"
	case c.kind == kindTime:
		s = "a date and time with its UTC offset, typed as text: 2025-08-21T04:00:00+07:00"
	case c.kind == kindPeriod:
		s = "a quarter: 2025-Q3"
	default:
		s = "text"
	}
	if c.field.Required {
		s += "; required"
	}
	return s
}
