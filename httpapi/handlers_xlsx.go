package httpapi

import (
	"iter"
	"mime"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/xlsxexport"
)

// handleSectorExportXLSX serves GET /v1/sector/export.xlsx?period=P[&country=JP]
// (regulator): the CSV export's rows and columns as a workbook, text
// cells as text and each metric a number cell when it is exact (see
// xlsxexport).
func (s *Server) handleSectorExportXLSX(w http.ResponseWriter, r *http.Request) {
	m, span, err := s.sectorMetrics(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeXLSX(w, r, "ictledger-sector-"+span.String()+".xlsx", sectorWorkbook(m))
}

// sectorWorkbook is the sector export as a workbook: sheet "Sector" has
// exactly the CSV's header and cells, without the CSV's quote before a
// text that begins like a formula: a string cell is never evaluated.
func sectorWorkbook(m *service.SectorMetrics) xlsxexport.Workbook {
	header := exportHeader(m.Headlines)
	kinds := make([]xlsxexport.Kind, len(header))
	widths := make([]float64, len(header))
	copy(widths, []float64{18, 32, 8, 11, 7, 18, 28})
	for i := exportTextColumns; i < len(kinds); i++ {
		kinds[i] = xlsxexport.Number
		widths[i] = 20 // a value of 16 digits and a sign; the header wraps
	}
	scope := "every jurisdiction you see"
	if m.Country != "" {
		scope = "country " + m.Country
	}
	return xlsxexport.Workbook{
		Tables: []xlsxexport.Table{{Sheet: "Sector", Header: header, Kinds: kinds, Widths: widths, Rows: sectorRows(m)}},
		Notes: []string{
			"Sector export of period " + m.Period + ", " + scope + ": a row per operator, a column per headline metric with its unit.",
			"The same rows and columns as GET /v1/sector/export.csv; values rounded half-even to 6 decimal places.",
		},
	}
}

func sectorRows(m *service.SectorMetrics) iter.Seq[[]string] {
	return func(yield func([]string) bool) {
		for _, row := range m.Rows {
			if !yield(exportCells(row, m.Headlines)) {
				return
			}
		}
	}
}

// handleReturnMetricsXLSX serves
// GET /v1/returns/{rid}/metrics.xlsx[?gwp=ar5][&factor_set=V][&methodology=2026.1],
// and GET /v1/returns/{rid}/metrics with the XLSX media type in Accept:
// the figures on one sheet and their derivations on another, to whoever
// may read the metrics as JSON.
func (s *Server) handleReturnMetricsXLSX(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	m, err := s.svc.ReturnMetricsFor(actor(r), mux.Vars(r)["rid"],
		service.MetricsQuery{FactorSet: q.Get("factor_set"), GWP: q.Get("gwp"), Methodology: q.Get("methodology")})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeXLSX(w, r, "ictledger-metrics-"+m.Return+".xlsx", xlsxexport.Metrics(m))
}

// wantsXLSX reports whether the request's Accept header names the XLSX
// media type.
func wantsXLSX(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept") {
		for _, part := range strings.Split(v, ",") {
			if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == xlsxexport.ContentType {
				return true
			}
		}
	}
	return false
}

// writeXLSX writes wb as an attachment named name. The headers go out
// with the first byte of the workbook, so a workbook that cannot be built
// is still a problem answer.
func (s *Server) writeXLSX(w http.ResponseWriter, r *http.Request, name string, wb xlsxexport.Workbook) {
	lw := &lazyHeaders{ResponseWriter: w, set: func(h http.Header) {
		h.Set("Content-Type", xlsxexport.ContentType)
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	}}
	if _, err := xlsxexport.Write(lw, wb); err != nil {
		if lw.started {
			s.log.WarnContext(r.Context(), "write xlsx export", "err", err)
			return
		}
		s.writeError(w, r, &ledger.Error{Code: ledger.EInternal, Message: "could not build the workbook", Err: err})
	}
}

// lazyHeaders sets its headers just before the first byte it writes.
type lazyHeaders struct {
	http.ResponseWriter
	set     func(http.Header)
	started bool
}

func (l *lazyHeaders) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		l.set(l.Header())
	}
	return l.ResponseWriter.Write(b)
}
