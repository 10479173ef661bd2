package web

import (
	"bufio"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/workbook"
)

// periodReturns is one period of an operator's returns: its latest
// version, how many versions there are, and the open findings.
type periodReturns struct {
	Period   string
	Latest   service.VersionSummary
	Versions int
	Findings []ledger.FieldError
	Comment  string
	Accepted bool
}

type operatorPage struct {
	Operator, Name string
	Periods        []periodReturns
}

// handleOperator serves GET /operator (operator): the operator's returns
// by period, newest first, with status, the regulator's open findings,
// restatement and PDF links.
func (h *Handler) handleOperator(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	if s.signedIn() && s.actor.Role != ledger.RoleOperator {
		h.fail(w, r, ledger.Errorf(ledger.EForbidden, "this page is for operators; signed in as %s", s.actor.Role))
		return
	}
	vs, err := h.svc.Versions(s.actor, s.actor.Operator, nil)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page := operatorPage{Operator: s.actor.Operator, Name: s.actor.Operator}
	if op, err := h.svc.Operator(s.actor, s.actor.Operator); err == nil {
		page.Name = op.Name
	}
	for _, v := range vs { // by period, then version
		n := len(page.Periods)
		if n == 0 || page.Periods[n-1].Period != v.Period {
			page.Periods = append(page.Periods, periodReturns{Period: v.Period})
			n++
		}
		pr := &page.Periods[n-1]
		pr.Latest, pr.Versions, pr.Accepted = v, pr.Versions+1, v.Status == ledger.StatusAccepted
	}
	for i := range page.Periods {
		pr := &page.Periods[i]
		if pr.Latest.Status != ledger.StatusReturned {
			continue
		}
		if rv, err := h.svc.ReturnVersion(s.actor, pr.Latest.ID); err == nil && len(rv.Reviews) > 0 {
			last := rv.Reviews[len(rv.Reviews)-1]
			pr.Findings, pr.Comment = last.Findings, last.Comment
		}
	}
	for i, j := 0, len(page.Periods)-1; i < j; i, j = i+1, j-1 {
		page.Periods[i], page.Periods[j] = page.Periods[j], page.Periods[i]
	}
	h.render(w, r, s, http.StatusOK, "operator", page)
}

type filePage struct {
	Operator string
	Restates string // the latest version a restatement replaces
	Period   string
	Reason   string
	Error    string
	Errors   []ledger.FieldError
	// What a return may contain: the published factor sets, newest
	// last, and the optional fields of return v1.1.
	Guide fileGuide
}

// handleFileForm serves GET /file[?restates={rid}] (operator): the upload
// form, for a new return or a restatement of the latest version rid.
func (h *Handler) handleFileForm(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	page, err := h.filePage(s, r.URL.Query().Get("restates"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, s, http.StatusOK, "file", page)
}

func (h *Handler) filePage(s session, restates string) (*filePage, error) {
	if !s.signedIn() {
		return nil, ledger.Errorf(ledger.EUnauthorized, "sign in to file a return")
	}
	if s.actor.Role != ledger.RoleOperator {
		return nil, ledger.Errorf(ledger.EForbidden, "only an operator's token may file returns")
	}
	page := &filePage{Operator: s.actor.Operator, Restates: restates, Guide: h.fileGuide()}
	if restates != "" {
		rv, err := h.svc.ReturnVersion(s.actor, restates)
		if err != nil {
			return nil, err
		}
		if rv.SupersededBy != "" {
			return nil, ledger.Errorf(ledger.EConflict, "%s is superseded by %s; restate the latest version", restates, rv.SupersededBy)
		}
		page.Period = rv.PeriodKey
	}
	return page, nil
}

// handleFile serves POST /file (operator): a multipart form with the
// return as a JSON file or an XLSX workbook ("return"), optional "sites"
// and "devices" CSV files with a JSON file, and for a restatement "restates" and "reason", which are set on
// the return read from the file. Every problem is shown next to its path;
// a filing that succeeds goes to its return page.
func (h *Handler) handleFile(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	if !s.signedIn() || s.actor.Role != ledger.RoleOperator {
		h.fail(w, r, ledger.Errorf(ledger.EForbidden, "only an operator's token may file returns"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxReturnBytes+maxFormBytes)
	if err := r.ParseMultipartForm(16 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.fail(w, r, ledger.Errorf(ledger.ETooLarge, "the upload is larger than %d bytes", h.cfg.MaxReturnBytes))
			return
		}
		h.fail(w, r, ledger.Errorf(ledger.EBadRequest, "the form could not be read"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	if !h.checkCSRF(r, s) {
		h.fail(w, r, errCSRF)
		return
	}
	restates := strings.TrimSpace(r.PostFormValue("restates"))
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	page, err := h.filePage(s, restates)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page.Reason = reason

	files := map[string]*multipart.FileHeader{}
	for _, name := range []string{filing.PartReturn, filing.PartSites, filing.PartDevices} {
		if fhs := r.MultipartForm.File[name]; len(fhs) > 0 && fhs[0].Size > 0 {
			files[name] = fhs[0]
		}
	}
	if files[filing.PartReturn] == nil {
		page.Error = "Choose the return's JSON file or workbook."
		page.Errors = []ledger.FieldError{{Path: "return", Message: "a JSON file or an XLSX workbook is required"}}
		h.render(w, r, s, http.StatusUnprocessableEntity, "file", page)
		return
	}
	opts := filing.Options{MaxPartBytes: h.cfg.MaxReturnBytes}
	opts.Workbook = func(r io.Reader) (*filing.Draft, error) { return workbook.Read(r, opts, workbook.Limits{}) }
	decode := service.DraftDecoder(func() (*filing.Draft, error) {
		d, err := readDraft(files, opts)
		if err == nil && restates != "" {
			d.Return.Restates, d.Return.Reason = restates, reason
		}
		return d, err
	})
	filed, err := h.svc.FileReturn(r.Context(), s.actor, s.actor.Operator, decode, "")
	if err != nil {
		code := ledger.ErrorCode(err)
		switch code {
		case ledger.EInvalid, ledger.EConflict, ledger.EBadRequest, ledger.ETooLarge:
		default:
			h.fail(w, r, err)
			return
		}
		page.Error = ledger.ErrorMessage(err)
		var le *ledger.Error
		if errors.As(err, &le) {
			page.Errors = le.Fields
		}
		status, _ := pageStatus(code)
		h.render(w, r, s, status, "file", page)
		return
	}
	http.Redirect(w, r, "/returns/"+url.PathEscape(filed.ID)+"?filed=1", http.StatusSeeOther)
}

// readDraft reads the uploaded files as the API reads a body: the JSON
// file (or workbook) alone with filing.ReadJSON (workbook.Read), or with CSV files as the parts of a
// multipart body with filing.ReadMultipart, so that CSV problems name
// their line and column.
func readDraft(files map[string]*multipart.FileHeader, opts filing.Options) (*filing.Draft, error) {
	open := func(name string) (io.ReadCloser, error) {
		f, err := files[name].Open()
		if err != nil {
			return nil, ledger.Errorf(ledger.EBadRequest, "the %s file could not be read", name)
		}
		return f, nil
	}
	if len(files) == 1 {
		f, err := open(filing.PartReturn)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		br := bufio.NewReader(f)
		if b, _ := br.Peek(4); string(b) == "PK\x03\x04" && opts.Workbook != nil { // a zip: a workbook
			return opts.Workbook(br)
		}
		return filing.ReadJSON(br, opts)
	}
	// The parts stream through a pipe: the files are not copied in memory.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		var err error
		for _, name := range []string{filing.PartReturn, filing.PartSites, filing.PartDevices} {
			if files[name] == nil || err != nil {
				continue
			}
			var f io.ReadCloser
			if f, err = open(name); err != nil {
				break
			}
			var part io.Writer
			if part, err = mw.CreateFormFile(name, name); err == nil {
				_, err = io.Copy(part, f)
			}
			f.Close()
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	defer pr.Close() // stops the writer if reading ends early
	return filing.ReadMultipart(multipart.NewReader(pr, mw.Boundary()), opts)
}
