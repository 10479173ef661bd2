package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/service"
)

// metricRow is a headline metric of a return with its derivation.
type metricRow struct {
	calculators.Headline
	Value      calculators.Value
	Derivation *calculators.Derivation
	Reason     string // why it is unavailable
}

// findingRow is one row of the review form.
type findingRow struct {
	Path, Message string
}

type returnPage struct {
	ID, Operator, Name, Period string
	Version                    *state.ReturnVersion
	Status                     ledger.Status
	EntryHash                  string
	Filed                      bool // just filed: show the confirmation
	Reviewed                   bool
	Metrics                    []metricRow
	Derivations                []calculators.Derivation // of metrics that are not headlines
	Unavailable                []calculators.Unavailable
	Methodology                string                    // the metrics' methodology, e.g. "2026.1"
	DataQuality                []calculators.DataQuality // the metrics' data-quality flags
	Figures                    []figureGroup             // the figures methodology 2026.1 adds, by section
	Quality                    []qualityGroup            // DataQuality grouped by kind, in words
	GridNotes                  map[string]*gridNote      // basis and evidence of the grid factors, by factor key
	Versions                   []service.VersionSummary
	Reviews                    []service.ReviewView
	Diff                       *service.Diff
	DiffError                  string
	CanReview                  bool
	CanRestate                 bool
	Review                     reviewForm
	Paths                      []string // suggestions for finding paths
}

type reviewForm struct {
	Decision string
	Comment  string
	Findings []findingRow
	Errors   []ledger.FieldError
	Error    string
}

// handleReturn serves GET /returns/{rid}[?against={rid2}] (regulator,
// admin, or the return's operator): the return's status, headline metrics
// with their derivations, warnings, reviews and findings, its version
// history with a diff against another version, the review form for a
// regulator and the restatement link for its operator. Another operator
// gets the 403 page, which names nothing of the return.
func (h *Handler) handleReturn(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	page, err := h.returnPage(s, r.PathValue("rid"), r.URL.Query().Get("against"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page.Filed = r.URL.Query().Get("filed") != ""
	page.Reviewed = r.URL.Query().Get("reviewed") != ""
	h.render(w, r, s, http.StatusOK, "return", page)
}

func (h *Handler) returnPage(s session, id, against string) (*returnPage, error) {
	rv, err := h.svc.ReturnVersion(s.actor, id) // the record: the page shows no field of the return itself
	if err != nil {
		return nil, err
	}
	page := &returnPage{ID: rv.ID, Operator: rv.Operator, Name: rv.Operator, Period: rv.PeriodKey, Version: rv,
		Status: rv.Status(), EntryHash: service.EntryOf(rv).Hash, Reviews: service.ReviewsOf(rv)}
	if op, err := h.svc.Operator(s.actor, rv.Operator); err == nil {
		page.Name = op.Name
	}
	m, err := h.svc.ReturnMetrics(s.actor, id, "", "")
	if err != nil {
		return nil, err
	}
	byMetric := map[string]*calculators.Derivation{}
	for i := range m.Derivations {
		byMetric[m.Derivations[i].Metric] = &m.Derivations[i]
	}
	why := map[string]string{}
	for _, u := range m.Unavailable {
		why[u.Metric] = u.Reason
	}
	shown := map[string]bool{}
	for _, hl := range calculators.Headlines() {
		row := metricRow{Headline: hl, Value: hl.Get(m.E1, m.E2, m.E3), Derivation: byMetric[hl.Key], Reason: why[hl.Key]}
		shown[hl.Key] = true
		page.Metrics = append(page.Metrics, row)
	}
	page.Figures = addedFigures(m, byMetric, why, shown)
	for _, d := range m.Derivations {
		if !shown[d.Metric] {
			page.Derivations = append(page.Derivations, d)
		}
	}
	page.Unavailable = m.Unavailable
	page.Methodology, page.DataQuality = m.Methodology, m.DataQuality
	page.Quality = qualityGroups(m.DataQuality)
	if fs, err := h.svc.FactorSet(m.FactorSet); err == nil {
		page.GridNotes = gridNotes(fs.Set, m.Derivations)
	}

	p := rv.Period
	if page.Versions, err = h.svc.Versions(s.actor, rv.Operator, &p); err != nil {
		return nil, err
	}
	if against != "" {
		d, err := h.svc.Diff(s.actor, id, against)
		if err != nil {
			page.DiffError = ledger.ErrorMessage(err)
		} else {
			page.Diff = d
		}
	}
	latest := rv.SupersededBy == ""
	page.CanReview = s.actor.Role == ledger.RoleRegulator && page.Status == ledger.StatusSubmitted
	page.CanRestate = s.actor.Role == ledger.RoleOperator && latest
	// No decision is chosen for the regulator: an accept that is one
	// click away from the top of the page is accepted unread.
	page.Review = reviewForm{Findings: make([]findingRow, 3)}
	seen := map[string]bool{}
	for _, w := range rv.Warnings {
		if w.Path != "" && !seen[w.Path] {
			seen[w.Path] = true
			page.Paths = append(page.Paths, w.Path)
		}
	}
	for _, mr := range page.Metrics {
		if mr.Derivation == nil {
			continue
		}
		for _, in := range mr.Derivation.Inputs {
			if !seen[in.Path] && !strings.Contains(in.Path, " ") {
				seen[in.Path] = true
				page.Paths = append(page.Paths, in.Path)
			}
		}
	}
	return page, nil
}

// handleReview serves POST /returns/{rid}/review (regulator): accept, or
// return with findings, each a path and a message. Rows left empty are
// ignored; the "add" button shows the form again with one more row.
func (h *Handler) handleReview(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	if !h.parseForm(w, r, s) {
		return
	}
	id := r.PathValue("rid")
	form := reviewForm{Decision: r.PostFormValue("decision"), Comment: r.PostFormValue("comment")}
	paths, msgs := r.PostForm["finding_path"], r.PostForm["finding_message"]
	var findings []ledger.FieldError
	for i := range msgs {
		path := ""
		if i < len(paths) {
			path = strings.TrimSpace(paths[i])
		}
		msg := strings.TrimSpace(msgs[i])
		if path == "" && msg == "" {
			continue
		}
		form.Findings = append(form.Findings, findingRow{Path: path, Message: msg})
		findings = append(findings, ledger.FieldError{Path: path, Message: msg})
	}
	if r.PostFormValue("add") != "" {
		form.Findings = append(form.Findings, findingRow{})
		for len(form.Findings) < 3 {
			form.Findings = append(form.Findings, findingRow{})
		}
		h.showReviewForm(w, r, s, id, form, http.StatusOK)
		return
	}
	if form.Decision == "" {
		form.Error = "no decision was chosen: accept the return, or return it to the operator with findings"
		form.Errors = []ledger.FieldError{{Path: "decision", Message: "choose Accept or Return"}}
		form.Findings = append(form.Findings, findingRow{})
		h.showReviewForm(w, r, s, id, form, http.StatusUnprocessableEntity)
		return
	}
	decision := ledger.Decision(form.Decision)
	if decision == ledger.DecisionAccept {
		findings = nil // findings belong to a return decision
	}
	_, err := h.svc.Review(r.Context(), s.actor, id, ledger.Review{Decision: decision, Comment: form.Comment, Findings: findings})
	if err != nil {
		code := ledger.ErrorCode(err)
		if code != ledger.EInvalid && code != ledger.EConflict {
			h.fail(w, r, err)
			return
		}
		form.Error = ledger.ErrorMessage(err)
		var le *ledger.Error
		if errors.As(err, &le) {
			form.Errors = le.Fields
		}
		form.Findings = append(form.Findings, findingRow{})
		status, _ := pageStatus(code)
		h.showReviewForm(w, r, s, id, form, status)
		return
	}
	http.Redirect(w, r, "/returns/"+url.PathEscape(id)+"?reviewed=1", http.StatusSeeOther)
}

func (h *Handler) showReviewForm(w http.ResponseWriter, r *http.Request, s session, id string, form reviewForm, status int) {
	page, err := h.returnPage(s, id, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page.Review = form
	h.render(w, r, s, status, "return", page)
}
