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
	var rows []DeviceFlow
	err := Elements(raw, func(v []byte) error {
		rows = append(rows, DeviceFlow{})
		return decodeDeviceRow(v, &rows[len(rows)-1])
	})
	if err == nil {
		if rows == nil {
			rows = []DeviceFlow{} // "[]", as encoding/json decodes it
		}
		return rows, nil
	}
	rows = nil
	err = json.Unmarshal(raw, &rows)
	return rows, err
}

// DecodeHistoricInflow decodes a return's "historic_inflow" array exactly
// as json.Unmarshal does into a []HistoricInflow, as DecodeDevices does
// the device rows.
func DecodeHistoricInflow(raw []byte) ([]HistoricInflow, error) {
	var rows []HistoricInflow
	err := Elements(raw, func(v []byte) error {
		rows = append(rows, HistoricInflow{})
		return decodeHistoricRow(v, &rows[len(rows)-1])
	})
	if err == nil {
		if rows == nil {
			rows = []HistoricInflow{}
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
	seen := 0
	return Members(obj, func(key, v []byte) error {
		var bit int
		var err error
		switch string(key) {
		case "category":
			bit, err = devCategory, fastString(v, &d.Category)
		case "stream":
			bit, err = devStream, fastString(v, &d.Stream)
		case "inflow":
			bit, err = devInflow, fastFlow(v, &d.Inflow)
		case "collected":
			bit, err = devCollected, fastFlow(v, &d.Collected)
		case "reused":
			bit, err = devReused, fastFlow(v, &d.Reused)
		case "recycled":
			bit, err = devRecycled, fastFlow(v, &d.Recycled)
		case "recovered":
			bit, err = devRecovered, fastFlow(v, &d.Recovered)
		case "disposed":
			bit, err = devDisposed, fastFlow(v, &d.Disposed)
		case "stock_change":
			bit, err = devStockChange, fastFlow(v, &d.StockChange)
		case "redeployed":
			bit, err = devRedeployed, fastFlow(v, &d.Redeployed)
		case "recycled_content_kg":
			bit, err = devRecycledContent, fastDecimalPtr(v, &d.RecycledContentKg)
		case "reused_content_kg":
			bit, err = devReusedContent, fastDecimalPtr(v, &d.ReusedContentKg)
		case "lifetime_years":
			bit, err = devLifetime, fastDecimalPtr(v, &d.LifetimeYears)
		case "exported_kg":
			bit, err = devExported, fastDecimalPtr(v, &d.ExportedKg)
		case "recycler_efficiency_pct":
			bit, err = devEfficiency, fastDecimalPtr(v, &d.RecyclerEfficiencyPct)
		case "recycler":
			bit, err = devRecycler, fastString(v, &d.Recycler)
		case "recycler_authorisation_id":
			bit, err = devAuthorisation, fastString(v, &d.RecyclerAuthorisationID)
		case "basel_notification":
			bit, err = devBasel, json.Unmarshal(v, &d.BaselNotification)
		case "exports":
			bit, err = devExports, json.Unmarshal(v, &d.Exports)
		default:
			return errSlowPath // encoding/json matches names without regard to case
		}
		if err != nil {
			return errSlowPath
		}
		if seen&bit != 0 {
			return errSlowPath
		}
		seen |= bit
		return nil
	})
}

func decodeHistoricRow(obj []byte, h *HistoricInflow) error {
	seen := 0
	return Members(obj, func(key, v []byte) error {
		var bit int
		var err error
		switch string(key) {
		case "category":
			bit, err = 1, fastString(v, &h.Category)
		case "stream":
			bit, err = 2, fastString(v, &h.Stream)
		case "year":
			var n int64
			bit, err = 4, fastInt(v, &n)
			h.Year = int(n)
		case "units":
			bit, err = 8, fastInt(v, &h.Units)
		case "kg":
			bit, err = 16, fastDecimal(v, &h.Kg)
		default:
			return errSlowPath
		}
		if err != nil || seen&bit != 0 {
			return errSlowPath
		}
		seen |= bit
		return nil
	})
}

// fastFlow decodes {"units":N,"kg":"D"} into a new Flow.
func fastFlow(obj []byte, f **Flow) error {
	fl := new(Flow)
	seen := 0
	err := Members(obj, func(key, v []byte) error {
		var bit int
		var err error
		switch string(key) {
		case "units":
			bit, err = 1, fastInt(v, &fl.Units)
		case "kg":
			bit, err = 2, fastDecimal(v, &fl.Kg)
		default:
			return errSlowPath
		}
		if err != nil || seen&bit != 0 {
			return errSlowPath
		}
		seen |= bit
		return nil
	})
	if err != nil {
		return err
	}
	*f = fl
	return nil
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
