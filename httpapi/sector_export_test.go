package httpapi

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
)

// TestSectorExportMatchesMetrics parses GET /v1/sector/export.csv with
// encoding/csv (RFC 4180) and finds, for every operator and headline
// column, exactly the value GET /v1/sector/metrics gives in JSON: a name
// that needs quoting, a missing operator, an operator whose per-TB
// metrics are unavailable, a quarter and a partial year.
func TestSectorExportMatchesMetrics(t *testing.T) {
	ts := newAPI(t, filingTime)
	reg := ts.regulator()
	ops := map[string]string{
		"sakura-mobile": "Sakura Mobile K.K.",
		"kanto-fibre":   `Kanto "Fibre", Ltd`,
		"zero-traffic":  "ゼロ通信, Ltd", // names are one line (ledger.CheckText)
		"never-filed":   "Never Filed",
	}
	toks := map[string]string{}
	for id, name := range ops {
		toks[id] = ts.addOperator(id, name)
	}
	ts.file(toks["sakura-mobile"], returnFor(t, "sakura-mobile", "2025-Q2", nil))
	ts.file(toks["sakura-mobile"], returnFor(t, "sakura-mobile", "2025-Q3", nil))
	ts.file(toks["kanto-fibre"], returnFor(t, "kanto-fibre", "2025-Q3", func(r map[string]any) {
		scale(t, r, "electricity", "0.37", "kwh")
		scale(t, r, "fuels", "1.3", "quantity", "generated_kwh")
		r["activity"].(map[string]any)["data_traffic_tb"] = "912345.678"
	}))
	ts.file(toks["zero-traffic"], returnFor(t, "zero-traffic", "2025-Q3", func(r map[string]any) {
		r["activity"].(map[string]any)["data_traffic_tb"] = "0"
	}))

	for _, period := range []string{"2025-Q3", "2025"} {
		t.Run(period, func(t *testing.T) {
			var m struct {
				Headlines []struct{ Key, Unit string }
				Operators []struct {
					Operator, Name, Country, State string
					Late                           bool
					Metrics                        map[string]*string
				}
			}
			ts.mustJSON("GET", "/v1/sector/metrics?period="+period, reg, nil, 200, &m)

			resp := ts.do("GET", "/v1/sector/export.csv?period="+period, reg, "", nil)
			raw := resp.Body.Bytes()
			if resp.Code != 200 || !strings.HasPrefix(resp.Header().Get("Content-Type"), "text/csv") {
				t.Fatalf("status %d, type %q", resp.Code, resp.Header().Get("Content-Type"))
			}
			if !strings.HasSuffix(string(raw), "\r\n") || strings.Count(string(raw), "\r\n") < len(m.Operators)+1 {
				t.Fatalf("records must end in CRLF: %q", raw)
			}
			r := csv.NewReader(strings.NewReader(string(raw)))
			records, err := r.ReadAll() // also checks every record has the header's field count
			if err != nil {
				t.Fatal(err)
			}
			header, rows := records[0], records[1:]
			col := map[string]int{}
			for i, h := range header {
				col[h] = i
			}
			if len(rows) != len(m.Operators) || len(m.Operators) != len(ops) {
				t.Fatalf("%d CSV rows, %d JSON rows, %d operators", len(rows), len(m.Operators), len(ops))
			}
			compared := 0
			for i, row := range rows {
				want := m.Operators[i]
				if row[col["operator"]] != want.Operator || row[col["name"]] != want.Name || row[col["name"]] != ops[want.Operator] ||
					row[col["country"]] != want.Country || row[col["state"]] != want.State || row[col["late"]] != strconv.FormatBool(want.Late) {
					t.Fatalf("row %d %q does not match %+v", i, row, want)
				}
				for _, h := range m.Headlines {
					c, ok := col[h.Key+" ("+h.Unit+")"]
					if !ok {
						t.Fatalf("no column for %s in %q", h.Key, header)
					}
					jsonValue := ""
					if v := want.Metrics[h.Key]; v != nil {
						jsonValue = *v
					}
					if row[c] != jsonValue {
						t.Errorf("%s %s: CSV %q, JSON %q", want.Operator, h.Key, row[c], jsonValue)
					}
					if jsonValue != "" {
						compared++
					}
				}
			}
			if compared <= 2*len(m.Headlines) { // three filers, some values unavailable
				t.Fatalf("only %d values compared", compared)
			}
		})
	}
}
