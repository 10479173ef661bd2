package calculators

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// e2History is what the e-waste estimates look back on: the return being
// computed, the earlier returns of the same operator, and historic inflow
// (years before the first return, a quarter of each year's mass in each
// of its quarters).
type e2History struct {
	period   ledger.Period
	returns  map[ledger.Period]quarterReturn
	historic map[int][]historicRow // by calendar year
	earliest ledger.Period         // first quarter with any data
}

type quarterReturn struct {
	ret    *ledger.Return
	prefix string // "" for the return computed, "2025-Q2:" for an earlier one
}

// historicRow is a historic inflow row with where it was filed: the
// prefix of its return and its index there. Its path is made only when a
// derivation or an error names it (every earlier quarter's rows are
// indexed, for every quarter computed).
type historicRow struct {
	row    ledger.HistoricInflow
	prefix string
	index  int
}

// path is the row's kg as an input's path, such as
// "2025-Q2:historic_inflow[0].kg".
func (hr historicRow) path() string {
	return hr.prefix + "historic_inflow[" + strconv.Itoa(hr.index) + "].kg"
}

// quarterShare spreads a historic year over its four quarters: exact.
var quarterShare = decimal.New(25, -2)

// newE2History indexes the request's returns by quarter. Earlier returns of
// another operator, or not before the computed quarter, are ignored, as is
// a second return for a quarter already seen (the caller passes the latest
// version of each).
//
// The estimates walk every quarter from the earliest year given to the
// computed quarter, so every year must be one a return can give: a
// period's year (1990 to 9999, as ledger.ParsePeriod reads them), and a
// historic year before the year of its return, as filing requires. A
// year outside that is an error, not a walk of millions of quarters.
func newE2History(req Request) (*e2History, error) {
	r := req.Return
	if !periodYear(r.Period.Year) {
		return nil, fmt.Errorf("e2: period %s is outside the years a return may be for", r.Period)
	}
	h := &e2History{
		period:   r.Period,
		returns:  map[ledger.Period]quarterReturn{r.Period: {ret: r}},
		historic: map[int][]historicRow{},
		earliest: r.Period,
	}
	add := func(q quarterReturn) error {
		for i, hi := range q.ret.HistoricInflow {
			if !periodYear(hi.Year) || hi.Year >= q.ret.Period.Year {
				return fmt.Errorf("e2: %shistoric_inflow[%d].year: %d is not a year from 1990 before the return's year %d", q.prefix, i, hi.Year, q.ret.Period.Year)
			}
			h.historic[hi.Year] = append(h.historic[hi.Year], historicRow{row: hi, prefix: q.prefix, index: i})
			if y := (ledger.Period{Year: hi.Year, Quarter: 1}); y.Before(h.earliest) {
				h.earliest = y
			}
		}
		return nil
	}
	if err := add(h.returns[r.Period]); err != nil {
		return nil, err
	}
	for _, e := range req.Earlier {
		if e == nil || (r.Operator != "" && e.Operator != r.Operator) || !e.Period.Before(r.Period) {
			continue
		}
		if _, dup := h.returns[e.Period]; dup {
			continue
		}
		if !periodYear(e.Period.Year) {
			return nil, fmt.Errorf("e2: earlier return for %s is outside the years a return may be for", e.Period)
		}
		q := quarterReturn{ret: e, prefix: e.Period.String() + ":"}
		h.returns[e.Period] = q
		if e.Period.Before(h.earliest) {
			h.earliest = e.Period
		}
		if err := add(q); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// periodYear reports whether a year can be a period's: the range
// ledger.ParsePeriod accepts, asked of it so that it is written once.
func periodYear(year int) bool {
	_, err := ledger.ParsePeriod(ledger.Period{Year: year, Quarter: 1}.String())
	return err == nil
}

func (h *e2History) hasReturn(q ledger.Period) bool { _, ok := h.returns[q]; return ok }

// covered reports whether a quarter has a return or historic inflow.
func (h *e2History) covered(q ledger.Period) bool {
	return h.hasReturn(q) || len(h.historic[q.Year]) > 0
}

// inflow is a cell's inflow in one quarter, with the filed values it came
// from: the return's rows, or a quarter of the historic rows of its year.
func (h *e2History) inflow(cat, stream string, q ledger.Period) (decimal.Decimal, []InputRef) {
	var refs []InputRef
	sum := h.addInflow(cat, stream, q, &refs)
	return sum, refs
}

// inflowKg is inflow without the filed values: the figures need only the
// sum, and naming every input of a long history is most of its cost.
func (h *e2History) inflowKg(cat, stream string, q ledger.Period) decimal.Decimal {
	return h.addInflow(cat, stream, q, nil)
}

// addInflow sums a cell's inflow in one quarter and, when refs is not
// nil, appends the filed values it came from.
func (h *e2History) addInflow(cat, stream string, q ledger.Period, refs *[]InputRef) decimal.Decimal {
	var sum decimal.Decimal
	if qr, ok := h.returns[q]; ok {
		for i, row := range qr.ret.Devices {
			if row.Category != cat || row.Stream != stream || row.Inflow == nil {
				continue
			}
			sum = sum.Add(row.Inflow.Kg)
			if refs != nil {
				*refs = append(*refs, InputRef{Path: qr.prefix + "devices[" + strconv.Itoa(i) + "].inflow.kg", Value: row.Inflow.Kg.String(), Unit: "kg"})
			}
		}
		return sum
	}
	for _, hr := range h.historic[q.Year] {
		if hr.row.Category != cat || hr.row.Stream != stream {
			continue
		}
		sum = sum.Add(hr.row.Kg.Mul(quarterShare))
		if refs != nil {
			*refs = append(*refs, InputRef{Path: hr.path(), Value: hr.row.Kg.String(), Unit: "kg in " + strconv.Itoa(hr.row.Year) + ", a quarter of it in " + q.String()})
		}
	}
	return sum
}

// flowRefs lists one flow of a cell's rows in a quarter's return, with
// their sum. flow names the JSON field ("collected", "recycled", ...).
func (h *e2History) flowRefs(cat, stream string, q ledger.Period, flow string) (decimal.Decimal, []InputRef) {
	var refs []InputRef
	sum := h.addFlow(cat, stream, q, flow, &refs)
	return sum, refs
}

// flowKg is flowRefs without the filed values: the figures need only the
// sum, and naming each row (its path and value as text) is most of the
// cost of a sum.
func (h *e2History) flowKg(cat, stream string, q ledger.Period, flow string) decimal.Decimal {
	return h.addFlow(cat, stream, q, flow, nil)
}

// addFlow sums one flow of a cell's rows in a quarter's return and, when
// refs is not nil, appends the filed values it came from.
func (h *e2History) addFlow(cat, stream string, q ledger.Period, flow string, refs *[]InputRef) decimal.Decimal {
	qr, ok := h.returns[q]
	if !ok {
		return decimal.Zero
	}
	var sum decimal.Decimal
	for i, row := range qr.ret.Devices {
		if row.Category != cat || row.Stream != stream {
			continue
		}
		var v *decimal.Decimal
		switch flow {
		case "recycled_content_kg":
			v = row.RecycledContentKg
		case "reused_content_kg":
			v = row.ReusedContentKg
		default:
			if f := deviceFlow(&row, flow); f != nil {
				v = &f.Kg
			}
		}
		if v == nil {
			continue
		}
		sum = sum.Add(*v)
		if refs == nil {
			continue
		}
		path := qr.prefix + "devices[" + strconv.Itoa(i) + "]." + flow
		if flow != "recycled_content_kg" && flow != "reused_content_kg" {
			path += ".kg"
		}
		*refs = append(*refs, InputRef{Path: path, Value: v.String(), Unit: "kg"})
	}
	return sum
}

// deviceFlow returns a named flow of a device row, nil when absent.
func deviceFlow(row *ledger.DeviceFlow, flow string) *ledger.Flow {
	switch flow {
	case "inflow":
		return row.Inflow
	case "collected":
		return row.Collected
	case "reused":
		return row.Reused
	case "recycled":
		return row.Recycled
	case "recovered":
		return row.Recovered
	case "disposed":
		return row.Disposed
	case "stock_change":
		return row.StockChange
	case "redeployed":
		return row.Redeployed
	}
	return nil
}

// windowInflow is INFLOW_k: a cell's inflow in the 4 quarters ending 4k
// quarters before the computed one.
func (h *e2History) windowInflow(cat, stream string, k int) (decimal.Decimal, []InputRef) {
	var refs []InputRef
	sum := h.addWindowInflow(cat, stream, k, &refs)
	return sum, refs
}

// windowInflowKg is windowInflow without the filed values.
func (h *e2History) windowInflowKg(cat, stream string, k int) decimal.Decimal {
	return h.addWindowInflow(cat, stream, k, nil)
}

func (h *e2History) addWindowInflow(cat, stream string, k int, refs *[]InputRef) decimal.Decimal {
	end := h.period.Add(-4 * k)
	var sum decimal.Decimal
	for i := 3; i >= 0; i-- {
		sum = sum.Add(h.addInflow(cat, stream, end.Add(-i), refs))
	}
	return sum
}

// windows is the number of 4-quarter windows, counted back from the
// computed quarter, that reach data: INFLOW_k for k < windows.
func (h *e2History) windows() int {
	return h.period.Sub(h.earliest)/4 + 1
}

// cells lists every category and stream with a row in any return or a
// historic inflow.
func (h *e2History) cells() map[string][2]string {
	out := map[string][2]string{}
	for _, qr := range h.returns {
		for _, row := range qr.ret.Devices {
			out[cellKey(row.Category, row.Stream)] = [2]string{row.Category, row.Stream}
		}
	}
	for _, rows := range h.historic {
		for _, hr := range rows {
			out[cellKey(hr.row.Category, hr.row.Stream)] = [2]string{hr.row.Category, hr.row.Stream}
		}
	}
	return out
}
