package filing

import (
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// A sites CSV part has the columns of a sites[] row, named as in JSON and
// in any order (the description of ledger.Site). The required fields are
// required columns whose cells may not be empty; a missing or empty
// quantity is zero, a missing or empty flag false, a missing or empty
// enumeration its default (hazard_level "none").

// columnNames returns the names of the fields of a plan, in order.
func (p *structPlan) columnNames() []string {
	names := make([]string, len(p.fields))
	for i, f := range p.fields {
		names[i] = f.Name
	}
	return names
}

// readSitesCSV reads a sites CSV part from r. file names the part in
// problem paths (e.g. "sites.csv"). It returns the rows, the line each row
// starts on, and the problems found; the error is a *ledger.Error for a
// body that is not CSV (EBadRequest) or over a size limit (ETooLarge).
// Rows are streamed: memory is the rows themselves.
func readSitesCSV(r io.Reader, file string) ([]ledger.Site, []int, problems, error) {
	plan := plans().site
	names := plan.columnNames()
	var probs problems
	cr := newCSVReader(r, len(names))
	cols, ok, err := readHeader(cr, file, names, plan.required, &probs)
	if err != nil {
		if csvLimitProblem(err, file, len(names), &probs) {
			return nil, nil, probs, nil
		}
		return nil, nil, problems{}, csvReadError(file, err)
	}
	if !ok {
		return nil, nil, probs, nil
	}
	interners := make([]interner, len(names))
	c := cellCtx{file: file, probs: &probs}
	var rows rowChunks
	var lines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if csvLimitProblem(err, file, len(names), &probs) {
				return nil, nil, probs, nil
			}
			return nil, nil, problems{}, csvReadError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols) {
			probs.add(csvPath(file, line, ""), "has "+strconv.Itoa(len(rec))+" fields, the header has "+strconv.Itoa(len(cols)))
			continue
		}
		row := rows.next(plan.typ)
		if plan.proto.IsValid() {
			row.Set(plan.proto)
		}
		c.line = line
		for i, cell := range rec {
			f := &plan.fields[cols[i]]
			c.cell, c.column, c.in = cell, f.Name, &interners[cols[i]]
			f.cell(&c, row.Field(f.Index))
		}
		lines = append(lines, line)
	}
	if rows.n == 0 {
		return nil, nil, probs, nil
	}
	return rows.all(reflect.SliceOf(plan.typ)).Interface().([]ledger.Site), lines, probs, nil
}

// cellCtx is the cell being read, with where it is and where its
// problems go. One is reused for every cell of a part.
type cellCtx struct {
	file   string
	line   int
	column string
	cell   string // in the CSV reader's reused buffer: copy what is kept
	probs  *problems
	in     *interner // of the cell's column
}

// fail records a problem of the cell.
func (c *cellCtx) fail(msg string) { c.probs.add(csvPath(c.file, c.line, c.column), msg) }

// cellFunc reads the cell of c into v, an addressable field.
type cellFunc func(c *cellCtx, v reflect.Value)

// cellReader returns the CSV reader of a field, by its Go type, or nil
// when the field has no CSV form (lists, objects, times).
func cellReader(f ledger.Field) cellFunc {
	switch t := f.Type; {
	case t == decimalType:
		return func(c *cellCtx, v reflect.Value) {
			if c.cell == "" && f.Required {
				c.fail("is required")
			}
			*v.Addr().Interface().(*decimal.Decimal) = c.quantity()
		}
	case t == reflect.PointerTo(decimalType):
		return func(c *cellCtx, v reflect.Value) {
			if c.cell != "" {
				q := c.quantity()
				*v.Addr().Interface().(**decimal.Decimal) = &q
			}
		}
	case t.Kind() == reflect.String && f.Enum != nil:
		return func(c *cellCtx, v reflect.Value) {
			if c.cell != "" || f.Required {
				v.SetString(c.enum(f.Enum))
			}
		}
	case t.Kind() == reflect.String:
		return func(c *cellCtx, v reflect.Value) {
			if c.cell == "" && f.Required {
				c.fail("is required")
			}
			v.SetString(c.in.get(c.text(f.Text)))
		}
	case t.Kind() == reflect.Bool:
		return func(c *cellCtx, v reflect.Value) { v.SetBool(c.boolean()) }
	case t.Kind() == reflect.Int64:
		return func(c *cellCtx, v reflect.Value) { v.SetInt(c.count()) }
	case t == reflect.TypeFor[*int64]():
		return func(c *cellCtx, v reflect.Value) {
			if c.cell != "" {
				n := c.count()
				*v.Addr().Interface().(**int64) = &n
			}
		}
	}
	return nil
}

// interner shares one copy of the repeated values of a column (the grids
// of 100,000 rows). It stops taking new values at maxInternedCell, so
// that a column of unique ids costs a copy each and no growing map.
type interner map[string]string

const maxInternedCell = 1024

func (in *interner) get(s string) string {
	if v, ok := (*in)[s]; ok {
		return v
	}
	s = strings.Clone(s)
	if *in == nil {
		*in = interner{}
	}
	if len(*in) < maxInternedCell {
		(*in)[s] = s
	}
	return s
}

// quantity reads a decimal cell; empty is zero.
func (c *cellCtx) quantity() decimal.Decimal {
	if c.cell == "" {
		return decimal.Zero
	}
	q, msg := parseQuantity(c.cell)
	if msg != "" {
		c.fail(msg + "; got " + strconv.Quote(c.cell))
		return decimal.Zero
	}
	return q
}

// count reads a whole-number cell; empty is zero.
func (c *cellCtx) count() int64 {
	if c.cell == "" {
		return 0
	}
	n, msg := parseCount(c.cell)
	if msg != "" {
		c.fail(msg + "; got " + strconv.Quote(c.cell))
	}
	return n
}

// enum reads a cell that must be one of allowed.
func (c *cellCtx) enum(allowed []string) string {
	v, msg := checkEnum(c.cell, allowed)
	if msg != "" {
		c.fail(msg)
	}
	return v
}

// boolean reads true or false; empty is false.
func (c *cellCtx) boolean() bool {
	switch c.cell {
	case "true":
		return true
	case "false", "":
		return false
	}
	c.fail("must be true or false; got " + strconv.Quote(c.cell))
	return false
}

// text checks a text cell of kind k with ledger.CheckText, the rule of
// the JSON strings too. A refused cell reads as "".
func (c *cellCtx) text(k ledger.TextKind) string {
	if err := ledger.CheckText(c.cell, k); err != nil {
		c.fail(err.Error())
		return ""
	}
	return c.cell
}
