package filing

import (
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/ictledger/ictledger/ledger"
)

// A devices CSV part is in long format: one row per flow of a devices[]
// row. Its columns, all required and in any order, follow from the
// description of ledger.DeviceFlow: the row's key (its required
// enumerations: category, stream), "flow", and the fields of a
// ledger.Flow (units, kg). The values of the flow column are the flows of
// a devices[] row by their JSON names, and the masses with a column= name
// (recycled_content, reused_content), which take kg only.

// flowColumn is the column that names the flow of a devices CSV row.
const flowColumn = "flow"

// deviceCSV is the plan of the devices CSV part.
type deviceCSV struct {
	columns []string
	keys    []*fieldPlan // the key columns, first in columns
	flows   []deviceFlowField
	names   []string // of flows, the values of the flow column
	mass    string   // the column of a flow's mass (kg), the one of kg-only rows
	flow    *structPlan
}

// deviceFlowField is a value of the flow column and the field it fills.
type deviceFlowField struct {
	name   string // in the flow column
	field  *fieldPlan
	kgOnly bool // a *decimal.Decimal mass, not a *ledger.Flow
}

// newDeviceCSV derives the devices CSV part from the plans of a devices[]
// row and of a flow.
func newDeviceCSV(device, flow *structPlan) *deviceCSV {
	c := &deviceCSV{flow: flow}
	for i := range device.fields {
		f := &device.fields[i]
		switch {
		case f.Required && f.Enum != nil:
			c.keys = append(c.keys, f)
			c.columns = append(c.columns, f.Name)
		case f.Type == reflect.PointerTo(flow.typ):
			c.flows = append(c.flows, deviceFlowField{name: f.Name, field: f})
		case f.Column != "":
			c.flows = append(c.flows, deviceFlowField{name: f.Column, field: f, kgOnly: true})
		}
	}
	c.columns = append(c.columns, flowColumn)
	c.columns = append(c.columns, flow.columnNames()...)
	for _, f := range c.flows {
		c.names = append(c.names, f.name)
	}
	for _, f := range flow.fields {
		if f.Type == decimalType {
			c.mass = f.Name
		}
	}
	return c
}

// byJSON returns the flow of the devices[] field named name.
func (c *deviceCSV) byJSON(name string) (deviceFlowField, bool) {
	for _, f := range c.flows {
		if f.field.Name == name {
			return f, true
		}
	}
	return deviceFlowField{}, false
}

// deviceLines records where a devices[] row came from in the CSV part: the
// line of its first CSV row and the line of each of its flows, by the
// value of the flow column.
type deviceLines struct {
	first int
	flows map[string]int
}

// readDevicesCSV reads a devices CSV part from r into devices[] rows, in
// the order their key (category, stream) first appears. file names the
// part in problem paths. A flow row may leave units empty (zero); a
// kg-only row must. kg is required. A flow given twice for a key is a
// problem. The error is as for readSitesCSV.
func readDevicesCSV(r io.Reader, file string) ([]ledger.DeviceFlow, []deviceLines, problems, error) {
	plan := plans().devicesCSV
	var probs problems
	cr := newCSVReader(r, len(plan.columns))
	cols, ok, err := readHeader(cr, file, plan.columns, plan.columns, &probs)
	if err != nil {
		if csvLimitProblem(err, file, len(plan.columns), &probs) {
			return nil, nil, probs, nil
		}
		return nil, nil, problems{}, csvReadError(file, err)
	}
	if !ok {
		return nil, nil, probs, nil
	}
	var rows []ledger.DeviceFlow
	var lines []deviceLines
	index := map[string]int{}
	c := cellCtx{file: file, probs: &probs, in: &interner{}}
	cells := make([]string, len(plan.columns))
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if csvLimitProblem(err, file, len(plan.columns), &probs) {
				return nil, nil, probs, nil
			}
			return nil, nil, problems{}, csvReadError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols) {
			probs.add(csvPath(file, line, ""), "has "+strconv.Itoa(len(rec))+" fields, the header has "+strconv.Itoa(len(cols)))
			continue
		}
		for i, cell := range rec {
			cells[cols[i]] = cell
		}
		c.line = line
		key, flow, f := plan.readRow(&c, cells)
		if key == nil || flow == "" {
			continue
		}
		k := strings.Join(key, "/")
		i, ok := index[k]
		if !ok {
			i = len(rows)
			index[k] = i
			rows = append(rows, plan.newRow(key))
			lines = append(lines, deviceLines{first: line, flows: map[string]int{}})
		}
		if prev, dup := lines[i].flows[flow]; dup {
			probs.add(csvPath(file, line, flowColumn), "duplicate "+flow+" for "+k+" (also line "+strconv.Itoa(prev)+")")
			continue
		}
		lines[i].flows[flow] = line
		plan.set(&rows[i], flow, f)
	}
	return rows, lines, probs, nil
}

// readRow reads the cells of one CSV row, in column order: the key, the
// flow and the ledger.Flow. key is nil when a key cell is not valid, flow
// "" when the flow cell is not.
func (p *deviceCSV) readRow(c *cellCtx, cells []string) (key []string, flow string, f ledger.Flow) {
	key = make([]string, len(p.keys))
	valid := true
	for i, k := range p.keys {
		c.cell, c.column = cells[i], k.Name
		if key[i] = c.enum(k.Enum); key[i] == "" {
			valid = false
		}
	}
	n := len(p.keys)
	c.cell, c.column = cells[n], flowColumn
	flow = c.enum(p.names)
	kgOnly := false
	if ff, ok := p.find(flow); ok {
		kgOnly = ff.kgOnly
	}
	v := reflect.ValueOf(&f).Elem()
	for i, fp := range p.flow.fields {
		c.cell, c.column = cells[n+1+i], fp.Name
		if kgOnly && fp.Name != p.mass {
			if c.cell != "" {
				c.fail("must be empty for " + flow)
			}
			continue
		}
		fp.cell(c, v.Field(fp.Index))
	}
	if !valid {
		key = nil
	}
	return key, flow, f
}

// find returns the flow named name in the flow column.
func (p *deviceCSV) find(name string) (deviceFlowField, bool) {
	for _, f := range p.flows {
		if f.name == name {
			return f, true
		}
	}
	return deviceFlowField{}, false
}

// newRow returns a devices[] row with its key set.
func (p *deviceCSV) newRow(key []string) ledger.DeviceFlow {
	var d ledger.DeviceFlow
	v := reflect.ValueOf(&d).Elem()
	for i, k := range p.keys {
		v.Field(k.Index).SetString(key[i])
	}
	return d
}

// set stores a flow read from the CSV part in its field of d: the whole
// flow, or its mass for a kg-only flow.
func (p *deviceCSV) set(d *ledger.DeviceFlow, flow string, f ledger.Flow) {
	ff, _ := p.find(flow)
	v := reflect.ValueOf(d).Elem().Field(ff.field.Index)
	if ff.kgOnly {
		kg := f.Kg
		v.Set(reflect.ValueOf(&kg))
		return
	}
	v.Set(reflect.ValueOf(&f))
}
