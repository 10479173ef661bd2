package workbook

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/ledger"
)

// MediaType is the media type of an XLSX workbook.
const MediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Read reads a workbook body (the layout of Template) into a filing
// draft. The cells become the JSON of the return, which filing reads and
// checks as it reads any JSON return; every problem is named by sheet
// and cell ("Electricity!C7"), or by row ("Electricity!7:7") when it is a
// row's. A number typed as a number is read from the text the workbook
// stores, never through a float64; one that shows more significant
// digits than a spreadsheet number holds is refused with the advice to
// type it as text. A formula is read by the value it was last calculated
// to, with a warning saying so.
//
// The error is a *ledger.Error: ETooLarge for a body or a part over its
// limit, EBadRequest for a file that is not a workbook this service
// reads (not a zip, macro-enabled, linked to other workbooks, broken).
func Read(r io.Reader, opts filing.Options, lim Limits) (*filing.Draft, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, filing.ReadError(err, "workbook")
	}
	bk, err := openBook(b, lim)
	if err != nil {
		return nil, err
	}
	dv := newDeriver(theLayout())
	for _, name := range bk.names {
		if name == sheetHowTo || name == sheetLists {
			continue
		}
		sh := dv.l.sheetNamed(name)
		if sh == nil {
			dv.fail(sheetRef(name), "unknown sheet: the sections are "+dv.l.titles())
			continue
		}
		if err := dv.readSheet(bk, sh); err != nil {
			return nil, err
		}
	}
	js := dv.finish()
	found := dv.found
	if dv.more > 0 {
		found = append(found, ledger.FieldError{Message: strconv.Itoa(dv.more) + " more problems in the workbook not shown"})
	}
	return filing.ReadDerived(bytes.NewReader(js), opts, found, dv.where, dv.notes)
}

// titles lists the section sheets.
func (l *layout) titles() string {
	var t []string
	for _, sh := range l.sheets {
		t = append(t, sh.title)
	}
	return strings.Join(t, ", ")
}

// maxFound bounds the problems the deriver keeps; past it they are
// counted.
const maxFound = 1000

// ruleFormula is the rule of the warning on a formula cell, and
// maxFormulaNotes the most such warnings, one per cell, that a filing
// keeps: the rest are counted in one more, as they are kept with the
// return.
const (
	ruleFormula     = "workbook_formula"
	maxFormulaNotes = 20
)

// deriver turns the sheets of a workbook into the JSON of a return and
// remembers where each value came from.
type deriver struct {
	l     *layout
	found []ledger.FieldError
	more  int
	notes []ledger.Warning
	root  *node
	// placed are the sheets read, by sheet.
	placed map[*sheet]*placement
	// entries are the elements of each long-form array, in order, and
	// their index by key.
	entries map[*sheet]*entries
	vals    []value // the values of the row being read, reused
	// moreFormulas counts the formula cells past maxFormulaNotes.
	moreFormulas int
}

// placement is where a sheet's values came from.
type placement struct {
	cols map[string]int // column by name, as the header placed it
	rows []int32        // the row of each element (formRows without keys), or the one row (formOne)
}

// entries are the elements of a long-form array.
type entries struct {
	list  []*entry
	index map[string]int
}

// entry is one element of a long-form array and the rows it came from.
type entry struct {
	node    *node
	keyRow  int            // the first row naming it, on the sheet keyRows
	keySh   *sheet         // the sheet of keyRow
	flows   map[string]int // row of each flow
	details int            // row on the details sheet, 0 when none
	child   map[*sheet][]int
}

func newDeriver(l *layout) *deriver {
	return &deriver{l: l, root: &node{}, placed: map[*sheet]*placement{}, entries: map[*sheet]*entries{}}
}

func (dv *deriver) fail(path, msg string) {
	if len(dv.found) >= maxFound {
		dv.more++
		return
	}
	dv.found = append(dv.found, ledger.FieldError{Path: path, Message: msg})
}

// readSheet reads one section sheet: its header, then its data rows.
func (dv *deriver) readSheet(bk *book, sh *sheet) error {
	pl := &placement{cols: map[string]int{}}
	dv.placed[sh] = pl
	var byCol []*column // the column of each spreadsheet column, from 1
	headerSeen := false
	var rows bytes.Buffer
	nrows := 0
	err := bk.rows(sh.title, func(row int, cells []cell) error {
		if !headerSeen {
			headerSeen = true
			byCol = dv.header(sh, pl, row, cells)
			return nil
		}
		vals := dv.rowValues(sh, byCol, row, cells)
		if vals == nil {
			return nil
		}
		switch {
		case sh.form == formOne:
			if len(pl.rows) > 0 {
				dv.fail(sheetRef(sh.title)+"!"+strconv.Itoa(row)+":"+strconv.Itoa(row), "this sheet takes one row of data, under its header; it is on row "+strconv.Itoa(int(pl.rows[0])))
				return nil
			}
			pl.rows = append(pl.rows, int32(row))
			n := dv.root.at(sh.section)
			for _, v := range vals {
				n.setPath(v.col.name, v.raw)
			}
		case sh.keys > 0:
			dv.keyed(sh, row, vals)
		default:
			if nrows > 0 {
				rows.WriteByte(',')
			}
			writeRow(&rows, vals)
			nrows++
			pl.rows = append(pl.rows, int32(row))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if sh.form == formRows && sh.keys == 0 && nrows > 0 {
		parent, name := splitSection(sh.section)
		dv.root.at(parent).set(name, json.RawMessage("["+rows.String()+"]"))
	}
	return nil
}

// writeRow writes a row of a plain array as a JSON object; its nested
// columns (dotted names) become nested objects.
func writeRow(b *bytes.Buffer, vals []value) {
	for _, v := range vals {
		if strings.Contains(v.col.name, ".") {
			n := &node{}
			for _, v := range vals {
				n.setPath(v.col.name, v.raw)
			}
			n.write(b)
			return
		}
	}
	b.WriteByte('{')
	first := true
	for _, v := range vals {
		if v.raw == nil {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteByte('"')
		b.WriteString(v.col.name) // a JSON name: letters, digits and _
		b.WriteString(`":`)
		b.Write(v.raw)
	}
	b.WriteByte('}')
}

// splitSection splits "resilience.outages[]" into "resilience" and
// "outages".
func splitSection(s string) (string, string) {
	s = strings.TrimSuffix(s, "[]")
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return "", s
}

// header maps the header row's cells to columns; a cell that names no
// column, or one named twice, is a problem.
func (dv *deriver) header(sh *sheet, pl *placement, row int, cells []cell) []*column {
	byCol := make([]*column, 0, len(sh.columns)+1)
	for _, c := range cells {
		name := c.text
		if i := strings.IndexAny(name, " (\n"); i >= 0 {
			name = name[:i]
		}
		ref := sheetRef(sh.title) + "!" + cellName(c.col, row)
		_, col := sh.column(name)
		switch {
		case name == "":
			continue
		case col == nil:
			dv.fail(ref, "unknown column "+strconv.Quote(shorten(c.text))+": the columns of this sheet are "+sh.names())
			continue
		case pl.cols[name] != 0:
			dv.fail(ref, "column "+name+" appears twice")
			continue
		}
		pl.cols[name] = c.col
		for len(byCol) <= c.col {
			byCol = append(byCol, nil)
		}
		byCol[c.col] = col
	}
	for _, c := range sh.columns {
		if c.field.Required && pl.cols[c.name] == 0 && sh.form != formOne {
			dv.fail(sheetRef(sh.title)+"!"+strconv.Itoa(row)+":"+strconv.Itoa(row), "missing column "+c.name)
		}
	}
	return byCol
}

func (sh *sheet) names() string {
	n := make([]string, len(sh.columns))
	for i, c := range sh.columns {
		n[i] = c.name
	}
	return strings.Join(n, ", ")
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// value is one read cell of a row.
type value struct {
	col  *column
	ref  cellRef
	text string // the cell's text, for keys and flows
	raw  json.RawMessage
}

// rowValues reads the cells of a data row that fall under a column; it
// returns nil for a row with nothing in it. The values are good until the
// next call. A cell outside the header's
// columns that holds something is a problem.
func (dv *deriver) rowValues(sh *sheet, byCol []*column, row int, cells []cell) []value {
	vals := dv.vals[:0]
	defer func() { dv.vals = vals[:0] }()
	for i := range cells {
		c := &cells[i]
		if !c.formula && strings.TrimSpace(c.text) == "" {
			continue
		}
		ref := cellRef{sh.title, c.col, row}
		if c.col >= len(byCol) || byCol[c.col] == nil {
			dv.fail(ref.String(), "is under no column of the header")
			continue
		}
		col := byCol[c.col]
		raw, ok := dv.convert(c, col, ref)
		if !ok {
			vals = append(vals, value{col: col, ref: ref}) // a problem: the row still counts
			continue
		}
		vals = append(vals, value{col: col, ref: ref, text: c.text, raw: raw})
	}
	if len(vals) == 0 {
		return nil
	}
	return vals
}

// cellRef is where a cell is; its name is made only when a problem or a
// warning needs it.
type cellRef struct {
	sheet    string
	col, row int
}

// String names the cell as a spreadsheet does: Electricity!C7.
func (r cellRef) String() string { return sheetRef(r.sheet) + "!" + cellName(r.col, r.row) }

// convert reads a cell as JSON for its column's kind; ok is false after
// a problem was recorded.
func (dv *deriver) convert(c *cell, col *column, ref cellRef) (json.RawMessage, bool) {
	if c.formula {
		if !c.value {
			dv.fail(ref.String(), "is a formula with no calculated value: calculate the workbook (or type the value) and save it again")
			return nil, false
		}
		if len(dv.notes) < maxFormulaNotes {
			dv.notes = append(dv.notes, ledger.Warning{Rule: ruleFormula, Path: ref.String(),
				Message: ref.String() + " is a formula; its value as last calculated, " + strconv.Quote(shorten(c.text)) + ", was filed"})
		} else {
			dv.moreFormulas++
		}
	}
	switch c.typ {
	case 'e':
		dv.fail(ref.String(), "holds the error "+shorten(c.text)+": type the value")
		return nil, false
	case 'd':
		dv.fail(ref.String(), "is a date without a time zone: type it as text, e.g. 2025-08-21T04:00:00+07:00 for a time, 2025-Q3 for a quarter")
		return nil, false
	}
	text := c.text
	if c.typ == 'n' {
		if col.kind == kindTime || col.kind == kindPeriod {
			dv.fail(ref.String(), "is a spreadsheet date without a time zone: type it as text, e.g. 2025-08-21T04:00:00+07:00")
			return nil, false
		}
		exact, msg := exactNumber(text)
		if msg != "" {
			dv.fail(ref.String(), msg)
			return nil, false
		}
		text = exact
	}
	switch col.kind {
	case kindBool:
		switch {
		case c.typ == 'b' && text == "1", c.typ != 'n' && strings.EqualFold(text, "true"):
			return json.RawMessage("true"), true
		case c.typ == 'b' && text == "0", c.typ != 'n' && strings.EqualFold(text, "false"):
			return json.RawMessage("false"), true
		}
		dv.fail(ref.String(), "must be TRUE or FALSE; got "+strconv.Quote(shorten(text)))
		return nil, false
	case kindCount:
		if c.typ == 'b' || !isInteger(text) {
			dv.fail(ref.String(), "must be a whole number, e.g. 12; got "+strconv.Quote(shorten(text)))
			return nil, false
		}
		return json.RawMessage(text), true
	case kindList:
		var items []string
		for _, s := range strings.Split(text, ";") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		b, _ := json.Marshal(items)
		return b, true
	}
	if c.typ == 'b' {
		dv.fail(ref.String(), "must not be TRUE or FALSE: "+col.hint())
		return nil, false
	}
	b, err := json.Marshal(text)
	if err != nil {
		dv.fail(ref.String(), "is not valid text")
		return nil, false
	}
	return b, true
}

func isInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// maxDoubleDigits is how many significant decimal digits a spreadsheet
// number (an IEEE 754 double) keeps for certain.
const maxDoubleDigits = 15

// exactNumber reads the stored text of a number cell. Spreadsheets store
// a number as the shortest text that reads back to the same double, so
// the text is what the user typed as long as it shows at most 15
// significant digits; more (0.30000000000000004) means the value is not
// what was typed, and an exponent past the digits shown (1.2345E+20)
// means digits were dropped. Both are refused with the advice to type the
// value as text. The result is the number in plain digits.
func exactNumber(s string) (string, string) {
	const advice = ": a spreadsheet keeps 15 significant digits of a number; format the cell as text and type the value again"
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i+1:]
	}
	digits := strings.TrimLeft(strings.ReplaceAll(strings.TrimPrefix(mant, "-"), ".", ""), "0")
	if strings.Contains(mant, ".") {
		digits = strings.TrimRight(digits, "0")
	}
	if len(digits) > maxDoubleDigits {
		return "", "the number stored is " + s + advice
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return "", "is not a number the workbook may store: " + strconv.Quote(shorten(s))
	}
	if exp == "" {
		if strings.Contains(mant, ".") { // 2.50 is the number 2.5
			mant = strings.TrimSuffix(strings.TrimRight(mant, "0"), ".")
		}
		return mant, ""
	}
	out := d.String()
	if e, _ := strconv.Atoi(exp); e > 0 && len(strings.TrimLeft(strings.TrimPrefix(out, "-"), "0")) > maxDoubleDigits {
		return "", "the number stored is " + s + ", whose digits past the 15th were lost" + advice
	}
	return out, ""
}

// keyed reads a row of a sheet keyed to a long-form array (its flows,
// its details, or an array inside its elements).
func (dv *deriver) keyed(sh *sheet, row int, vals []value) {
	long := sh
	if sh.parent != nil {
		long = sh.parent
	}
	es := dv.entries[long]
	if es == nil {
		es = &entries{index: map[string]int{}}
		dv.entries[long] = es
	}
	key := make([]string, sh.keys)
	rowRef := sheetRef(sh.title) + "!" + strconv.Itoa(row) + ":" + strconv.Itoa(row)
	var rest []value
	for _, v := range vals {
		if i, _ := sh.column(v.col.name); i >= 0 && i < sh.keys {
			key[i] = v.text
			continue
		}
		rest = append(rest, v)
	}
	for i, k := range key {
		if k == "" {
			dv.fail(rowRef, sh.columns[i].name+" is required")
			return
		}
	}
	k := strings.Join(key, "/")
	i, ok := es.index[k]
	if !ok {
		i = len(es.list)
		es.index[k] = i
		e := &entry{node: &node{}, keyRow: row, keySh: sh, flows: map[string]int{}, child: map[*sheet][]int{}}
		for j, kc := range sh.columns[:sh.keys] {
			b, _ := json.Marshal(key[j])
			e.node.set(kc.name, json.RawMessage(b))
		}
		es.list = append(es.list, e)
	}
	e := es.list[i]
	switch {
	case sh.form == formFlows:
		dv.flowRow(sh, e, k, row, rowRef, rest)
	case sh.child == nil: // details
		if e.details != 0 {
			dv.fail(rowRef, "a second row for "+k+" (the first is row "+strconv.Itoa(e.details)+")")
			return
		}
		e.details = row
		for _, v := range rest {
			e.node.setPath(v.col.name, v.raw)
		}
	default:
		n := &node{}
		for _, v := range rest {
			n.setPath(v.col.name, v.raw)
		}
		_, name := splitSection(sh.section)
		e.node.push(name, n)
		e.child[sh] = append(e.child[sh], row)
	}
}

// flowRow reads a row of the long form: one flow of an element.
func (dv *deriver) flowRow(sh *sheet, e *entry, key string, row int, rowRef string, vals []value) {
	var flow *flowField
	var rest []value
	for _, v := range vals {
		if v.col.name != flowColumn {
			rest = append(rest, v)
			continue
		}
		for i := range sh.flows {
			if sh.flows[i].name == v.text {
				flow = &sh.flows[i]
			}
		}
		if flow == nil && v.raw != nil {
			names := make([]string, len(sh.flows))
			for i, f := range sh.flows {
				names[i] = f.name
			}
			dv.fail(v.ref.String(), "must be one of "+strings.Join(names, ", ")+"; got "+strconv.Quote(shorten(v.text)))
			return
		}
	}
	if flow == nil {
		dv.fail(rowRef, flowColumn+" is required")
		return
	}
	if prev, dup := e.flows[flow.name]; dup {
		dv.fail(rowRef, "a second "+flow.name+" row for "+key+" (the first is row "+strconv.Itoa(prev)+")")
		return
	}
	e.flows[flow.name] = row
	if flow.kgOnly {
		for _, v := range rest {
			if v.col.name != "kg" {
				dv.fail(v.ref.String(), "must be empty for "+flow.name+", a mass only")
				continue
			}
			e.node.set(flow.json, v.raw)
		}
		return
	}
	n := &node{}
	for _, v := range rest {
		n.setPath(v.col.name, v.raw)
	}
	e.node.set(flow.json, n)
}

// finish returns the JSON of the return, and counts in one warning the
// formula cells past those warned of one by one.
func (dv *deriver) finish() []byte {
	if dv.moreFormulas > 0 {
		dv.notes = append(dv.notes, ledger.Warning{Rule: ruleFormula,
			Message: strconv.Itoa(dv.moreFormulas) + " more cells are formulas, filed by their values as last calculated"})
	}
	for long, es := range dv.entries {
		list := es.list
		all := true
		for _, e := range list {
			all = all && e.details != 0
		}
		if all { // the details sheet lists every element: its order is theirs
			sort.SliceStable(list, func(i, j int) bool { return list[i].details < list[j].details })
		}
		arr := make([]any, len(list))
		for i, e := range list {
			arr[i] = e.node
		}
		parent, name := splitSection(long.section)
		dv.root.at(parent).set(name, arr)
	}
	var b bytes.Buffer
	dv.root.write(&b)
	return b.Bytes()
}

// node is a JSON object under construction, its keys in order.
type node struct {
	keys []string
	vals []any // json.RawMessage, *node or []any
}

func (n *node) get(key string) any {
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

func (n *node) set(key string, v any) {
	for i, k := range n.keys {
		if k == key {
			n.vals[i] = v
			return
		}
	}
	n.keys = append(n.keys, key)
	n.vals = append(n.vals, v)
}

// push appends v to the array at key.
func (n *node) push(key string, v any) {
	a, _ := n.get(key).([]any)
	n.set(key, append(a, v))
}

// obj returns the object at key, made when absent.
func (n *node) obj(key string) *node {
	if c, ok := n.get(key).(*node); ok {
		return c
	}
	c := &node{}
	n.set(key, c)
	return c
}

// at returns the object at a dotted path, "" being n.
func (n *node) at(path string) *node {
	if path == "" {
		return n
	}
	for _, k := range strings.Split(path, ".") {
		n = n.obj(k)
	}
	return n
}

// setPath sets the value at a dotted path.
func (n *node) setPath(path string, v json.RawMessage) {
	if v == nil {
		return
	}
	parent, key := "", path
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		parent, key = path[:i], path[i+1:]
	}
	n.at(parent).set(key, v)
}

func (n *node) write(b *bytes.Buffer) {
	b.WriteByte('{')
	for i, k := range n.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		writeValue(b, n.vals[i])
	}
	b.WriteByte('}')
}

func writeValue(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case json.RawMessage:
		b.Write(v)
	case *node:
		v.write(b)
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeValue(b, x)
		}
		b.WriteByte(']')
	}
}
