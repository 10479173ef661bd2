package httpapi

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// handleReturnMetrics serves
// GET /v1/returns/{rid}/metrics[?gwp=ar5][&factor_set=V][&methodology=2026.1];
// an Accept header that names the XLSX media type gets the workbook.
func (s *Server) handleReturnMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Vary", "Accept")
	if wantsXLSX(r) {
		s.handleReturnMetricsXLSX(w, r)
		return
	}
	q := r.URL.Query()
	b, err := s.svc.ReturnMetricsJSON(actor(r), mux.Vars(r)["rid"],
		service.MetricsQuery{FactorSet: q.Get("factor_set"), GWP: q.Get("gwp"), Methodology: q.Get("methodology")})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	if _, err := w.Write(b); err != nil {
		s.log.DebugContext(r.Context(), "write response", "err", err)
	}
}

// handleOperatorMetrics serves GET /v1/operators/{id}/metrics?period=P
// where P is a quarter (2025-Q3) or a year (2025).
func (s *Server) handleOperatorMetrics(w http.ResponseWriter, r *http.Request) {
	span, err := spanParam(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err := s.svc.OperatorMetrics(actor(r), mux.Vars(r)["id"], span, r.URL.Query().Get("gwp"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, m)
}

// handleSectorMetrics serves GET /v1/sector/metrics?period=P[&country=JP] (regulator).
func (s *Server) handleSectorMetrics(w http.ResponseWriter, r *http.Request) {
	m, _, err := s.sectorMetrics(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, m)
}

// sectorMetrics is the sector view the request's period and country ask
// for, and the span it covers.
func (s *Server) sectorMetrics(r *http.Request) (*service.SectorMetrics, ledger.Span, error) {
	span, err := spanParam(r)
	if err != nil {
		return nil, span, err
	}
	m, err := s.svc.SectorMetrics(actor(r), span, r.URL.Query().Get("country"))
	return m, span, err
}

// handleSectorStatus serves GET /v1/sector/status?period=P[&country=TH]
// (regulator, admin).
func (s *Server) handleSectorStatus(w http.ResponseWriter, r *http.Request) {
	p, err := periodParam(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	st, err := s.svc.SectorStatusIn(actor(r), p, r.URL.Query().Get("country"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, st)
}

// handleSectorExport serves GET /v1/sector/export.csv?period=P[&country=JP]
// (regulator): one row per operator, one column per headline metric with
// its unit in the header, RFC 4180 (CRLF line ends, quoted when needed).
// Values are the API's: exact decimals rounded half-even to 6 places.
// Text cells are neutralized against formula injection (csvText).
func (s *Server) handleSectorExport(w http.ResponseWriter, r *http.Request) {
	m, span, err := s.sectorMetrics(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
	w.Header().Set("Content-Disposition", `attachment; filename="ictledger-sector-`+span.String()+`.csv"`)
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	_ = cw.Write(exportHeader(m.Headlines))
	for _, row := range m.Rows {
		_ = cw.Write(exportRecord(row, m.Headlines))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.log.WarnContext(r.Context(), "write csv export", "err", err)
	}
}

// exportTextColumns is how many of the sector export's first columns are
// text; a column per headline metric follows them.
const exportTextColumns = 7

// exportHeader is the sector export's header row, CSV and XLSX alike:
// the text columns, then each headline metric with its unit.
func exportHeader(headlines []service.HeadlineStat) []string {
	header := []string{"operator", "name", "country", "state", "late", "quarters_covered", "returns"}
	for _, h := range headlines {
		header = append(header, h.Key+" ("+h.Unit+")")
	}
	return header
}

// exportCells is row's cells as they are, before any encoding: the
// exportTextColumns text cells, then one cell per headline metric, the
// service's own decimal ("" when unavailable).
func exportCells(row service.SectorRow, headlines []service.HeadlineStat) []string {
	covered := ""
	if row.Coverage != nil {
		covered = strings.Join(row.Coverage.Quarters, " ")
	}
	rec := []string{row.Operator, row.Name, row.Country, string(row.State), strconv.FormatBool(row.Late), covered, strings.Join(row.Returns, " ")}
	for _, h := range headlines {
		rec = append(rec, row.Metrics[h.Key].Display())
	}
	return rec
}

// exportRecord is row's CSV record: its text cells through csvText, then
// one cell per headline metric. The metric cells are left as they are:
// they are the service's own decimals (digits, one '.', perhaps a leading
// '-'), which a spreadsheet must read as numbers; a quote before -12.5
// would turn it into text.
func exportRecord(row service.SectorRow, headlines []service.HeadlineStat) []string {
	rec := exportCells(row, headlines)
	for i := range exportTextColumns {
		rec[i] = csvText(rec[i])
	}
	return rec
}

// csvText neutralizes a text cell that a spreadsheet would take for a
// formula, as OWASP's CSV injection guidance says: a cell that begins
// with '=', '+', '-', '@', a tab or a carriage return gets a single quote
// in front, which makes Excel, LibreOffice and Google Sheets show it as
// text. An operator's name is whatever the admin typed, and an id may
// begin with '-'. Quoting for CSV itself is encoding/csv's job.
func csvText(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + v
	}
	return v
}

// handleSetDeadline serves PUT /v1/deadlines/{period} (admin) with
// {"deadline":"RFC 3339","reason":"..."}: overrides the filing deadline.
func (s *Server) handleSetDeadline(w http.ResponseWriter, r *http.Request) {
	p, err := parseQuarter(mux.Vars(r)["period"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req struct {
		Deadline time.Time `json:"deadline"`
		Reason   string    `json:"reason"`
	}
	if err := s.authorizedBody(w, r, &req, ledger.RoleAdmin); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.svc.SetDeadline(r.Context(), actor(r), p, req.Deadline, req.Reason); err != nil {
		s.writeError(w, r, err)
		return
	}
	d, overridden := s.svc.Deadline(p)
	s.writeJSON(w, r, http.StatusOK, map[string]any{"period": p.String(), "deadline": d, "overridden": overridden})
}

// The period parameter's two forms, as problems name them.
const (
	quarterOrYear = "a quarter (2025-Q3) or a year (2025)"
	quarterOnly   = "a quarter (2025-Q3)"
)

// periodProblem is the 422 for a period parameter that is not want.
func periodProblem(message, want string) error {
	return &ledger.Error{Code: ledger.EInvalid, Message: message,
		Fields: []ledger.FieldError{{Path: "period", Message: "must be " + want}}}
}

func spanParam(r *http.Request) (ledger.Span, error) {
	v := r.URL.Query().Get("period")
	if v == "" {
		return ledger.Span{}, periodProblem("missing query parameter period", quarterOrYear)
	}
	return parseSpan(v)
}

// parseSpan reads a period parameter that may be a quarter or a year,
// with the problem that names it.
func parseSpan(v string) (ledger.Span, error) {
	sp, err := ledger.ParseSpan(v)
	if err != nil {
		return ledger.Span{}, periodProblem(err.Error(), quarterOrYear)
	}
	return sp, nil
}

// parseQuarter reads a period parameter that must be a quarter, with the
// problem that names it.
func parseQuarter(v string) (ledger.Period, error) {
	p, err := ledger.ParsePeriod(v)
	if err != nil {
		return ledger.Period{}, periodProblem(err.Error(), quarterOnly)
	}
	return p, nil
}

func periodParam(r *http.Request) (ledger.Period, error) {
	sp, err := spanParam(r)
	if err != nil {
		return ledger.Period{}, err
	}
	if sp.IsYear() {
		return ledger.Period{}, periodProblem("period must be a quarter", quarterOnly)
	}
	return sp.Last(), nil
}
