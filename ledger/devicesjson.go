package ledger

import (
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// errSlowPath is how the fast decoders below hand a value they do not
// take on to encoding/json.
var errSlowPath = errors.New("not for the fast path")

// DecodeDevices decodes a return's "devices" array exactly as
// json.Unmarshal does into a []DeviceFlow. Every later quarter's
// e-waste figures read the device rows of all the quarters before it, so
// a view of many operators decodes thousands of them; encoding/json does
// it by reflection, this two to three times faster for the compact JSON
// the ledger keeps (ledger.Members, ledger.Elements; BenchmarkDecodeDevices
// against BenchmarkDecodeDevicesJSON). Anything else (an
// unknown or repeated member, a null, an escape in a string, whitespace,
// a member this does not decode itself) goes to json.Unmarshal, which
// also gives the errors. FuzzDecodeDevices holds it to encoding/json.
func DecodeDevices(raw []byte) ([]DeviceFlow, error) {
	return decodeRows(raw, decodeDeviceRow)
}

// DecodeHistoricInflow decodes a return's "historic_inflow" array exactly
// as json.Unmarshal does into a []HistoricInflow, as DecodeDevices does
// the device rows.
func DecodeHistoricInflow(raw []byte) ([]HistoricInflow, error) {
	return decodeRows(raw, decodeHistoricRow)
}

// decodeRows decodes the array raw with decodeRow for each element, or
// with json.Unmarshal if decodeRow does not take one of them on.
func decodeRows[T any](raw []byte, decodeRow func([]byte, *T) error) ([]T, error) {
	var rows []T
	err := Elements(raw, func(v []byte) error {
		var zero T
		rows = append(rows, zero)
		return decodeRow(v, &rows[len(rows)-1])
	})
	if err == nil {
		if rows == nil {
			rows = []T{} // "[]", as encoding/json decodes it
		}
		return rows, nil
	}
	rows = nil
	err = json.Unmarshal(raw, &rows)
	return rows, err
}

// The members of a device row, one bit each, to refuse a repeated one
// (encoding/json would merge it into the first).
const (
	devCategory = 1 << iota
	devStream
	devInflow
	devCollected
	devReused
	devRecycled
	devRecovered
	devDisposed
	devStockChange
	devRecycledContent
	devReusedContent
	devLifetime
	devRecycler
	devExported
	devBasel
	devRedeployed
	devEfficiency
	devExports
	devAuthorisation
)

func decodeDeviceRow(obj []byte, d *DeviceFlow) error {
	return fastMembers(obj, func(key, v []byte) (int, error) {
		switch string(key) {
		case "category":
			return devCategory, fastString(v, &d.Category)
		case "stream":
			return devStream, fastString(v, &d.Stream)
		case "inflow":
			return devInflow, fastFlow(v, &d.Inflow)
		case "collected":
			return devCollected, fastFlow(v, &d.Collected)
		case "reused":
			return devReused, fastFlow(v, &d.Reused)
		case "recycled":
			return devRecycled, fastFlow(v, &d.Recycled)
		case "recovered":
			return devRecovered, fastFlow(v, &d.Recovered)
		case "disposed":
			return devDisposed, fastFlow(v, &d.Disposed)
		case "stock_change":
			return devStockChange, fastFlow(v, &d.StockChange)
		case "redeployed":
			return devRedeployed, fastFlow(v, &d.Redeployed)
		case "recycled_content_kg":
			return devRecycledContent, fastDecimalPtr(v, &d.RecycledContentKg)
		case "reused_content_kg":
			return devReusedContent, fastDecimalPtr(v, &d.ReusedContentKg)
		case "lifetime_years":
			return devLifetime, fastDecimalPtr(v, &d.LifetimeYears)
		case "exported_kg":
			return devExported, fastDecimalPtr(v, &d.ExportedKg)
		case "recycler_efficiency_pct":
			return devEfficiency, fastDecimalPtr(v, &d.RecyclerEfficiencyPct)
		case "recycler":
			return devRecycler, fastString(v, &d.Recycler)
		case "recycler_authorisation_id":
			return devAuthorisation, fastString(v, &d.RecyclerAuthorisationID)
		case "basel_notification":
			return devBasel, json.Unmarshal(v, &d.BaselNotification)
		case "exports":
			return devExports, json.Unmarshal(v, &d.Exports)
		}
		return 0, errSlowPath // encoding/json matches names without regard to case
	})
}

func decodeHistoricRow(obj []byte, h *HistoricInflow) error {
	return fastMembers(obj, func(key, v []byte) (int, error) {
		switch string(key) {
		case "category":
			return 1, fastString(v, &h.Category)
		case "stream":
			return 2, fastString(v, &h.Stream)
		case "year":
			var n int64
			err := fastInt(v, &n)
			h.Year = int(n)
			return 4, err
		case "units":
			return 8, fastInt(v, &h.Units)
		case "kg":
			return 16, fastDecimal(v, &h.Kg)
		}
		return 0, errSlowPath
	})
}

// fastFlow decodes {"units":N,"kg":"D"} into a new Flow.
func fastFlow(obj []byte, f **Flow) error {
	fl := new(Flow)
	err := fastMembers(obj, func(key, v []byte) (int, error) {
		switch string(key) {
		case "units":
			return 1, fastInt(v, &fl.Units)
		case "kg":
			return 2, fastDecimal(v, &fl.Kg)
		}
		return 0, errSlowPath
	})
	if err != nil {
		return err
	}
	*f = fl
	return nil
}

// fastMembers decodes the members of the object obj with member, which
// gives a member's bit, one bit each, and decodes it. A member it does
// not take on, and a member seen before (encoding/json would merge it
// into the first), leave obj to encoding/json.
func fastMembers(obj []byte, member func(key, v []byte) (bit int, err error)) error {
	seen := 0
	return Members(obj, func(key, v []byte) error {
		bit, err := member(key, v)
		if err != nil || seen&bit != 0 {
			return errSlowPath
		}
		seen |= bit
		return nil
	})
}

// fastString takes a JSON string without escapes, control characters
// or invalid UTF-8: its bytes are then the string encoding/json gives.
func fastString(v []byte, s *string) error {
	if !fastPlain(v) {
		return errSlowPath
	}
	*s = string(v[1 : len(v)-1])
	return nil
}

// fastPlain reports whether v is a JSON string that fastString takes.
func fastPlain(v []byte) bool {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return false
	}
	body := v[1 : len(v)-1]
	for _, c := range body {
		if c < 0x20 || c == '\\' || c == '"' {
			return false
		}
	}
	return utf8.Valid(body)
}

// fastInt takes a JSON integer, -?(0|[1-9][0-9]*), that fits an int64,
// as encoding/json reads one into an int64.
func fastInt(v []byte, n *int64) error {
	digits := v
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || (digits[0] == '0' && len(digits) > 1) {
		return errSlowPath
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return errSlowPath
		}
	}
	x, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return errSlowPath
	}
	*n = x
	return nil
}

// fastDecimal takes a decimal written as a JSON string without escapes,
// as the ledger writes them, and decodes it with the method encoding/json
// calls (decimal.Decimal.UnmarshalJSON, given the same bytes).
func fastDecimal(v []byte, d *decimal.Decimal) error {
	if !fastPlain(v) {
		return errSlowPath
	}
	return d.UnmarshalJSON(v)
}

func fastDecimalPtr(v []byte, d **decimal.Decimal) error {
	x := new(decimal.Decimal)
	if err := fastDecimal(v, x); err != nil {
		return err
	}
	*d = x
	return nil
}
