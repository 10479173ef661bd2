package workbook

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/ictledger/ictledger/ledger"
)

// Template returns the template workbook: a "How to fill" sheet, a sheet
// per section with its header, drop-down lists for every enumeration and,
// when fs is not nil, for the grid keys of that factor set, and decimal
// and text columns formatted as text so that every digit typed stays.
// The same factor set gives the same bytes.
func Template(fs *ledger.FactorSet) ([]byte, error) { return write(nil, fs) }

// Write returns a filed return as a workbook in the template's layout,
// with fs's grid keys offered: filed again unchanged (with restates and
// reason set on the About sheet) it reads back to the same return.
// Decimals are written as text, exactly as filed.
func Write(ret *ledger.Return, fs *ledger.FactorSet) ([]byte, error) { return write(ret, fs) }

// lastRow is the last row of a spreadsheet, the end of the ranges the
// drop-down lists and formats cover.
const lastRow = 1 << 20

func write(ret *ledger.Return, fs *ledger.FactorSet) ([]byte, error) {
	l := theLayout()
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(newSortedZip)
	w := &writer{f: f, lists: map[string]string{}}
	if err := w.setup(); err != nil {
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", sheetHowTo); err != nil {
		return nil, err
	}
	w.planLists(l, fs)
	for _, sh := range l.sheets {
		if err := w.sheet(sh, ret); err != nil {
			return nil, fmt.Errorf("workbook: sheet %s: %w", sh.title, err)
		}
	}
	if err := w.howTo(l, fs); err != nil {
		return nil, err
	}
	if err := w.writeLists(); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("workbook: %w", err)
	}
	return buf.Bytes(), nil
}

// writer writes one workbook.
type writer struct {
	f            *excelize.File
	bold, text   int
	wrap, header int
	lists        map[string]string // range of each drop-down list by name
	order        []list
}

// list is one drop-down list.
type list struct {
	name   string
	values []string
}

func (w *writer) setup() error {
	var err error
	if w.text, err = w.f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@": text
		return err
	}
	if w.bold, err = w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return err
	}
	if w.wrap, err = w.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return err
	}
	w.header, err = w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F0"}}})
	return err
}

// planLists places the drop-down lists on the Lists sheet: every
// enumeration a column uses, the flows of long forms and the factor set's
// grid keys, a column each.
func (w *writer) planLists(l *layout, fs *ledger.FactorSet) {
	add := func(name string, values []string) {
		if _, ok := w.lists[name]; ok || len(values) == 0 {
			return
		}
		c := columnName(len(w.order) + 1)
		w.order = append(w.order, list{name, values})
		w.lists[name] = fmt.Sprintf("%s!$%s$2:$%s$%d", sheetLists, c, c, len(values)+1)
	}
	for _, sh := range l.sheets {
		for _, c := range sh.columns {
			add(c.field.EnumName, c.field.Enum)
		}
	}
	if fs != nil {
		add("grid", gridKeys(fs))
	}
}

// writeLists writes the Lists sheet, last and hidden: it only feeds the
// drop-downs.
func (w *writer) writeLists() error {
	if _, err := w.f.NewSheet(sheetLists); err != nil {
		return err
	}
	for i, l := range w.order {
		c := columnName(i + 1)
		if err := w.f.SetCellStr(sheetLists, c+"1", l.name); err != nil {
			return err
		}
		for j, v := range l.values {
			if err := w.f.SetCellStr(sheetLists, fmt.Sprintf("%s%d", c, j+2), v); err != nil {
				return err
			}
		}
	}
	return w.f.SetSheetVisible(sheetLists, false)
}

// gridKeys are the grid keys a return may name under fs: its grids and
// their aliases, sorted.
func gridKeys(fs *ledger.FactorSet) []string {
	var keys []string
	for k := range fs.Grid {
		keys = append(keys, k)
	}
	for k := range fs.GridAliases {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// listOf returns the drop-down list of a column, "" when it has none.
func (w *writer) listOf(c *column) string {
	if c.field.Enum != nil {
		return w.lists[c.field.EnumName]
	}
	if c.field.Name == "grid" {
		return w.lists["grid"]
	}
	return ""
}

// sheet writes a section sheet: the header, the formats and lists of
// its columns and, for a filed return, its rows. The sheet is written
// through excelize's stream writer, so that a return of 100,000 site
// rows is not held as a tree of cells; the drop-down lists are added
// before it starts, as the stream writer writes what the sheet has then.
func (w *writer) sheet(sh *sheet, ret *ledger.Return) error {
	f := w.f
	if _, err := f.NewSheet(sh.title); err != nil {
		return err
	}
	for i := range sh.columns {
		if err := w.validate(sh, &sh.columns[i], columnName(i+1)); err != nil {
			return err
		}
	}
	sw, err := f.NewStreamWriter(sh.title)
	if err != nil {
		return err
	}
	header := make([]any, len(sh.columns))
	for i := range sh.columns {
		c := &sh.columns[i]
		header[i] = excelize.Cell{StyleID: w.header, Value: c.header()}
		if err := sw.SetColWidth(i+1, i+1, float64(max(12, min(40, len(c.header())+2)))); err != nil {
			return err
		}
		if c.kind != kindCount && c.kind != kindBool {
			if err := sw.SetColStyle(i+1, i+1, w.text); err != nil {
				return err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	if ret != nil {
		row := 2
		err := eachRow(sh, reflect.ValueOf(ret).Elem(), func(cells []any) error {
			if err := sw.SetRow(cellName(1, row), cells); err != nil {
				return err
			}
			row++
			return nil
		})
		if err != nil {
			return err
		}
	}
	return sw.Flush()
}

// validate adds the checks of a column: its drop-down list, or whole
// numbers for a count, TRUE or FALSE for a flag.
func (w *writer) validate(sh *sheet, c *column, name string) error {
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(fmt.Sprintf("%s2:%s%d", name, name, lastRow))
	switch list := w.listOf(c); {
	case list != "":
		dv.SetSqrefDropList(list)
		dv.SetError(excelize.DataValidationErrorStyleStop, c.name, "Choose a value from the list.")
	case c.kind == kindBool:
		if err := dv.SetDropList([]string{"TRUE", "FALSE"}); err != nil {
			return err
		}
	default:
		return nil
	}
	return w.f.AddDataValidation(sh.title, dv)
}

// eachRow calls fn with the cells of each row a sheet holds of ret (v).
func eachRow(sh *sheet, v reflect.Value, fn func([]any) error) error {
	switch {
	case sh.form == formOne:
		obj := fieldAt(v, sh.goPath)
		if !obj.IsValid() {
			return nil
		}
		return fn(rowCells(sh.columns, obj))
	case sh.keys == 0:
		arr := fieldAt(v, sh.goPath)
		for i := 0; arr.IsValid() && i < arr.Len(); i++ {
			if err := fn(rowCells(sh.columns, arr.Index(i))); err != nil {
				return err
			}
		}
		return nil
	}
	long := sh
	if sh.parent != nil {
		long = sh.parent
	}
	arr := fieldAt(v, long.goPath)
	for i := 0; arr.IsValid() && i < arr.Len(); i++ {
		el := arr.Index(i)
		keys := rowCells(sh.columns[:sh.keys], el)
		if err := keyedRows(sh, el, keys, fn); err != nil {
			return err
		}
	}
	return nil
}

// keyedRows writes the rows of one element of a long-form array on sh:
// a row per flow, its details row, or a row per element of its array.
func keyedRows(sh *sheet, el reflect.Value, keys []any, fn func([]any) error) error {
	switch {
	case sh.form == formFlows:
		for _, fl := range sh.flows {
			fv := el.Field(fl.index)
			if fv.IsNil() {
				continue
			}
			cells := append(append([]any(nil), keys...), fl.name)
			if fl.kgOnly {
				cells = append(cells, nil, fv.Interface().(*decimal.Decimal).String())
			} else {
				cells = append(cells, rowCells(sh.columns[sh.keys+1:], fv.Elem())...)
			}
			if err := fn(cells); err != nil {
				return err
			}
		}
		return nil
	case sh.child == nil:
		return fn(append(keys, rowCells(sh.columns[sh.keys:], el)...))
	}
	arr := el.Field(sh.child[0])
	for j := 0; j < arr.Len(); j++ {
		if err := fn(append(append([]any(nil), keys...), rowCells(sh.columns[sh.keys:], arr.Index(j))...)); err != nil {
			return err
		}
	}
	return nil
}

// fieldAt follows Go field indexes from v; the result is invalid past a
// nil pointer.
func fieldAt(v reflect.Value, path []int) reflect.Value {
	for _, i := range path {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	if v.Kind() == reflect.Pointer && v.Elem().IsValid() && v.Elem().Kind() == reflect.Struct && v.Type().Elem() != decimalType {
		v = v.Elem()
	}
	return v
}

// rowCells returns the cell values of cols in the row struct v; nil is an
// empty cell.
func rowCells(cols []column, v reflect.Value) []any {
	out := make([]any, len(cols))
	for i := range cols {
		fv := fieldAt(v, cols[i].path)
		out[i] = cellValue(fv, cols[i].kind)
	}
	return out
}

// cellValue is a field's value as a cell holds it: decimals, times and
// quarters as text (exact), counts as numbers, a true flag as TRUE; nil
// leaves the cell empty.
func cellValue(v reflect.Value, k kind) any {
	if !v.IsValid() {
		return nil
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch k {
	case kindQuantity:
		return v.Interface().(decimal.Decimal).String()
	case kindCount:
		return v.Int()
	case kindBool:
		if v.Bool() {
			return true
		}
		return nil
	case kindList:
		if v.Len() == 0 {
			return nil
		}
		return strings.Join(v.Interface().([]string), "; ")
	case kindTime:
		t := v.Interface().(time.Time)
		if t.IsZero() {
			return nil
		}
		return t.Format(time.RFC3339Nano)
	case kindPeriod:
		p := v.Interface().(ledger.Period)
		if p == (ledger.Period{}) {
			return nil
		}
		return p.String()
	}
	if v.String() == "" {
		return nil
	}
	return v.String()
}

// howTo writes the first sheet: how to fill the workbook, in plain words,
// and what each column takes.
func (w *writer) howTo(l *layout, fs *ledger.FactorSet) error {
	lines := []string{
		"How to fill this workbook",
		"",
		"This workbook is a quarterly return. Each sheet after this one is a section of the return; its first row names the fields (with their unit) and must stay as it is. Type one record per row from row 2 on. Leave a sheet empty when the section does not apply.",
		"The About sheet takes one row: the operator, the quarter (2025-Q3) and, when you correct a return already filed, the version it restates (restates) and why (reason).",
		"Decimal numbers: the columns of decimals are formatted as text, so that every digit you type is kept. A number typed into a number cell is accepted when it shows at most 15 significant digits; with more, the service asks you to type it as text.",
		"Choose values from the drop-down lists; they hold every value the service accepts. Counts are whole numbers. Flags are TRUE or FALSE. Times are typed as text with their UTC offset, e.g. 2025-08-21T04:00:00+07:00.",
		"Devices are in long form, as in the devices CSV file: one row per flow (inflow, collected, ...) of a category and stream. Their other fields are on Device details, and their shipments abroad on Device exports, by the same category and stream.",
		"Formulas are allowed: the value they were last calculated to is filed, and the answer says which cells were formulas. Macros and links to other workbooks are not accepted.",
		"Upload the saved file (.xlsx) on the web upload page, or with curl as the README shows. Every problem is reported at once, named by its sheet and cell, e.g. Electricity!C7.",
	}
	if fs != nil {
		lines = append(lines, "The grid lists offer the grid keys of factor set "+fs.Version+".")
	}
	lines = append(lines, "", "The sheets and their columns:")
	for _, sh := range l.sheets {
		lines = append(lines, "", sh.title)
		for i := range sh.columns {
			c := &sh.columns[i]
			lines = append(lines, "    "+c.header()+": "+c.hint())
		}
	}
	for i, s := range lines {
		if err := w.f.SetCellStr(sheetHowTo, cellName(1, i+1), s); err != nil {
			return err
		}
		// Spreadsheets do not grow a row to its wrapped text on opening:
		// give a paragraph the height of its lines, about 110 characters
		// each at the column's width.
		if n := len(s)/110 + 1; n > 1 {
			if err := w.f.SetRowHeight(sheetHowTo, i+1, float64(15*n)); err != nil {
				return err
			}
		}
	}
	if err := w.f.SetColWidth(sheetHowTo, "A", "A", 120); err != nil {
		return err
	}
	if err := w.f.SetColStyle(sheetHowTo, "A", w.wrap); err != nil {
		return err
	}
	return w.f.SetCellStyle(sheetHowTo, "A1", "A1", w.bold)
}
