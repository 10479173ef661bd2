package filing

import (
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// The readers of the quarterly return follow its one description, the
// json and ret tags of the ledger types (ledger.Describe). A plan is that
// description compiled once per type: for every field, the reader that
// fills it from JSON, the one that fills it from a CSV cell and the
// field's own rule (validate_fields.go). The rules between fields and
// references (grids, periods) are Validate's, in code.

var (
	decimalType = reflect.TypeFor[decimal.Decimal]()
	timeType    = reflect.TypeFor[time.Time]()
	periodType  = reflect.TypeFor[ledger.Period]()
)

// readFunc reads one JSON value into v, an addressable field.
type readFunc func(d *jsonReader, v reflect.Value)

// fieldPlan is one field of a plan.
type fieldPlan struct {
	ledger.Field
	read  readFunc
	cell  cellFunc    // nil when the field has no CSV form
	check checkFunc   // the field's own rule (validate_fields.go), or nil
	sub   *structPlan // the plan of a struct the field holds, or nil
}

// structPlan is the plan of one struct type.
type structPlan struct {
	typ      reflect.Type
	fields   []fieldPlan
	required []string
	// proto is the value of a row before anything is read into it: absent
	// quantities are zero and absent enumerations their default, so that
	// a row reads back equal after encoding. It is invalid when that is
	// the zero value.
	proto reflect.Value
}

// returnPlans are the plans of the return and of the rows its CSV parts
// hold. They are built once and never changed.
type returnPlans struct {
	ret, site, device, flow *structPlan
	devicesCSV              *deviceCSV
}

// plans returns the plans of the return. A description the readers
// cannot follow (a type they do not know) is a programming error that
// TestPlans reports; here it panics.
var plans = sync.OnceValue(func() *returnPlans {
	b := planBuilder{}
	p := &returnPlans{
		ret:    b.mustPlan(reflect.TypeFor[ledger.Return]()),
		site:   b.mustPlan(reflect.TypeFor[ledger.Site]()),
		device: b.mustPlan(reflect.TypeFor[ledger.DeviceFlow]()),
		flow:   b.mustPlan(reflect.TypeFor[ledger.Flow]()),
	}
	p.devicesCSV = newDeviceCSV(p.device, p.flow)
	return p
})

// planBuilder builds each type's plan once.
type planBuilder map[reflect.Type]*structPlan

func (b planBuilder) mustPlan(t reflect.Type) *structPlan {
	p, err := b.plan(t)
	if err != nil {
		panic(err)
	}
	return p
}

func (b planBuilder) plan(t reflect.Type) (*structPlan, error) {
	if p, ok := b[t]; ok {
		return p, nil
	}
	fields, err := ledger.Describe(t)
	if err != nil {
		return nil, err
	}
	p := &structPlan{typ: t}
	proto := reflect.New(t).Elem()
	defaults := false
	for _, f := range fields {
		read, err := b.reader(f)
		if err != nil {
			return nil, fmt.Errorf("plan %s.%s: %w", t.Name(), f.Name, err)
		}
		p.fields = append(p.fields, fieldPlan{Field: f, read: read, cell: cellReader(f), check: checker(f), sub: b[structOf(f.Type)]})
		if f.Required {
			p.required = append(p.required, f.Name)
		}
		switch {
		case f.Type == decimalType && !f.Required:
			proto.Field(f.Index).Set(reflect.ValueOf(decimal.Zero))
			defaults = true
		case f.Default != "":
			proto.Field(f.Index).SetString(f.Default)
			defaults = true
		}
	}
	if defaults {
		p.proto = proto
	}
	b[t] = p
	return p, nil
}

// structOf returns the struct type t is, points to or is a slice of.
func structOf(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

// field returns the plan of the field named key, or nil.
func (p *structPlan) field(key string) *fieldPlan {
	for i := range p.fields {
		if p.fields[i].Name == key {
			return &p.fields[i]
		}
	}
	return nil
}

// reader returns the JSON reader of a field, by its Go type.
func (b planBuilder) reader(f ledger.Field) (readFunc, error) {
	switch t := f.Type; {
	case t == decimalType:
		return func(d *jsonReader, v reflect.Value) { *v.Addr().Interface().(*decimal.Decimal) = d.quantity() }, nil
	case t == reflect.PointerTo(decimalType):
		return func(d *jsonReader, v reflect.Value) { *v.Addr().Interface().(**decimal.Decimal) = d.optQuantity() }, nil
	case t == timeType:
		return func(d *jsonReader, v reflect.Value) { *v.Addr().Interface().(*time.Time) = d.time() }, nil
	case t == periodType:
		return func(d *jsonReader, v reflect.Value) { *v.Addr().Interface().(*ledger.Period) = d.period() }, nil
	case t.Kind() == reflect.String && f.Enum != nil:
		return func(d *jsonReader, v reflect.Value) { v.SetString(d.enum(f.Enum)) }, nil
	case t.Kind() == reflect.String:
		return func(d *jsonReader, v reflect.Value) { v.SetString(d.str(f.Text)) }, nil
	case t == reflect.TypeFor[[]string]():
		return func(d *jsonReader, v reflect.Value) { *v.Addr().Interface().(*[]string) = d.strings(f.Text) }, nil
	case t.Kind() == reflect.Bool:
		return func(d *jsonReader, v reflect.Value) { v.SetBool(d.boolean()) }, nil
	case t.Kind() == reflect.Int64:
		return func(d *jsonReader, v reflect.Value) { v.SetInt(d.count()) }, nil
	case t.Kind() == reflect.Int:
		return func(d *jsonReader, v reflect.Value) { v.SetInt(int64(d.integer())) }, nil
	case t == reflect.TypeFor[*int64]():
		return func(d *jsonReader, v reflect.Value) { *v.Addr().Interface().(**int64) = d.optCount() }, nil
	case t == reflect.TypeFor[*int]():
		return func(d *jsonReader, v reflect.Value) {
			if n := d.optCount(); n != nil {
				if *n < -1<<31 || *n > 1<<31-1 {
					d.fail("is out of range")
					return
				}
				i := int(*n)
				*v.Addr().Interface().(**int) = &i
			}
		}, nil
	case t.Kind() == reflect.Struct:
		p, err := b.plan(t)
		if err != nil {
			return nil, err
		}
		return func(d *jsonReader, v reflect.Value) { p.read(d, v, false) }, nil
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		p, err := b.plan(t.Elem())
		if err != nil {
			return nil, err
		}
		return func(d *jsonReader, v reflect.Value) {
			n := reflect.New(p.typ)
			if p.read(d, n.Elem(), true) {
				v.Set(n)
			}
		}, nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		p, err := b.plan(t.Elem())
		if err != nil {
			return nil, err
		}
		return p.readArray, nil
	}
	return nil, fmt.Errorf("the readers do not know the type %s", f.Type)
}

// read reads a JSON object into v, a struct of the plan's type. A null is
// accepted as absent when nullable; read reports whether an object was
// read.
func (p *structPlan) read(d *jsonReader, v reflect.Value, nullable bool) bool {
	if p.proto.IsValid() {
		v.Set(p.proto)
	}
	return d.object(nullable, func(key string) bool {
		f := p.field(key)
		if f == nil {
			return false
		}
		f.read(d, v.Field(f.Index))
		return true
	}, p.required...)
}

// readArray reads a JSON array of objects into v, a slice of the plan's
// type; null and [] leave it nil.
func (p *structPlan) readArray(d *jsonReader, v reflect.Value) {
	var rows rowChunks
	d.array(true, func(int) { p.read(d, rows.next(p.typ), false) })
	if rows.n > 0 {
		v.Set(rows.all(v.Type()))
	}
}

// rowChunks collects rows in chunks, so that a growing collection of
// 100,000 rows is not copied over and over as a slice would be when it
// grows; all joins the chunks into one slice of the exact length.
type rowChunks struct {
	full []reflect.Value
	cur  reflect.Value
	used int // rows of cur in use
	n    int // rows in all
}

// next returns the next row, addressable and zero.
func (c *rowChunks) next(t reflect.Type) reflect.Value {
	if !c.cur.IsValid() || c.used == c.cur.Len() {
		size := 64
		if c.cur.IsValid() {
			c.full = append(c.full, c.cur)
			size = min(2*c.cur.Len(), 8192)
		}
		c.cur = reflect.MakeSlice(reflect.SliceOf(t), size, size)
		c.used = 0
	}
	row := c.cur.Index(c.used)
	c.used++
	c.n++
	return row
}

// all returns the rows as one slice of type st.
func (c *rowChunks) all(st reflect.Type) reflect.Value {
	if len(c.full) == 0 {
		return c.cur.Slice(0, c.used)
	}
	out := reflect.MakeSlice(st, c.n, c.n)
	off := 0
	for _, f := range c.full {
		off += reflect.Copy(out.Slice(off, c.n), f)
	}
	reflect.Copy(out.Slice(off, c.n), c.cur.Slice(0, c.used))
	return out
}
