package filing

import (
	"io"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// deviceColumns are the columns of a devices CSV part (long format, any
// order, all required): one row per flow of a category and stream.
var deviceColumns = []string{"category", "stream", "flow", "units", "kg"}

// deviceFlowNames are the values of the flow column: the flows of a
// devices[] row, plus the two content masses, which take kg only.
var deviceFlowNames = []string{
	"inflow", "collected", "reused", "recycled", "recovered", "disposed", "stock_change",
	"recycled_content", "reused_content", "redeployed",
}

// deviceLines records where a devices[] row came from in the CSV part: the
// line of its first CSV row and the line of each of its flows.
type deviceLines struct {
	first int
	flows map[string]int
}

// readDevicesCSV reads a devices CSV part from r into devices[] rows, in
// the order their (category, stream) first appears. file names the part
// in problem paths. A flow row may leave units empty (zero); the content
// rows must. kg is required. A (category, stream, flow) given twice is a
// problem. The error is as for readSitesCSV.
func readDevicesCSV(r io.Reader, file string) ([]ledger.DeviceFlow, []deviceLines, problems, error) {
	var probs problems
	cr := newCSVReader(r, len(deviceColumns))
	cols, ok, err := readHeader(cr, file, deviceColumns, deviceColumns, &probs)
	if err != nil {
		if csvLimitProblem(err, file, len(deviceColumns), &probs) {
			return nil, nil, probs, nil
		}
		return nil, nil, problems{}, csvReadError(file, err)
	}
	if !ok {
		return nil, nil, probs, nil
	}
	var rows []ledger.DeviceFlow
	var lines []deviceLines
	index := map[[2]string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if csvLimitProblem(err, file, len(deviceColumns), &probs) {
				return nil, nil, probs, nil
			}
			return nil, nil, problems{}, csvReadError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols) {
			probs.add(csvPath(file, line, ""), "has "+strconv.Itoa(len(rec))+" fields, the header has "+strconv.Itoa(len(cols)))
			continue
		}
		var cells [5]string
		for i, cell := range rec {
			cells[cols[i]] = cell
		}
		path := func(col int) func() string {
			return func() string { return csvPath(file, line, deviceColumns[col]) }
		}
		cat := csvEnum(cells[0], ledger.DeviceCategories, path(0), &probs)
		stream := csvEnum(cells[1], ledger.Streams, path(1), &probs)
		flow := csvEnum(cells[2], deviceFlowNames, path(2), &probs)
		var units int64
		content := flow == "recycled_content" || flow == "reused_content"
		switch {
		case content && cells[3] != "":
			probs.add(path(3)(), "must be empty for "+flow)
		case cells[3] != "":
			n, msg := parseCount(cells[3])
			if msg != "" {
				probs.add(path(3)(), msg+"; got "+strconv.Quote(cells[3]))
			}
			units = n
		}
		var kg decimal.Decimal
		if cells[4] == "" {
			probs.add(path(4)(), "is required")
		} else {
			kg = csvQuantity(cells[4], path(4), &probs)
		}
		if cat == "" || stream == "" || flow == "" {
			continue
		}
		key := [2]string{cat, stream}
		i, ok := index[key]
		if !ok {
			i = len(rows)
			index[key] = i
			rows = append(rows, ledger.DeviceFlow{Category: cat, Stream: stream})
			lines = append(lines, deviceLines{first: line, flows: map[string]int{}})
		}
		if prev, dup := lines[i].flows[flow]; dup {
			probs.add(csvPath(file, line, "flow"), "duplicate "+flow+" for "+cat+"/"+stream+" (also line "+strconv.Itoa(prev)+")")
			continue
		}
		lines[i].flows[flow] = line
		setDeviceFlow(&rows[i], flow, units, kg)
	}
	return rows, lines, probs, nil
}

func setDeviceFlow(d *ledger.DeviceFlow, flow string, units int64, kg decimal.Decimal) {
	f := &ledger.Flow{Units: units, Kg: kg}
	switch flow {
	case "inflow":
		d.Inflow = f
	case "collected":
		d.Collected = f
	case "reused":
		d.Reused = f
	case "recycled":
		d.Recycled = f
	case "recovered":
		d.Recovered = f
	case "disposed":
		d.Disposed = f
	case "stock_change":
		d.StockChange = f
	case "recycled_content":
		d.RecycledContentKg = &kg
	case "reused_content":
		d.ReusedContentKg = &kg
	case "redeployed":
		d.Redeployed = f
	}
}
