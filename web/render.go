package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/ictledger/ictledger/httpstatus"
	"github.com/ictledger/ictledger/ledger"
	pages "github.com/ictledger/ictledger/templates/html"
)

// renderer holds one parsed template set per page, each page with the
// layout.
type renderer struct {
	pages map[string]*template.Template
}

func newRenderer() (*renderer, error) {
	names, err := fs.Glob(pages.Pages(), "*.tmpl")
	if err != nil {
		return nil, err
	}
	rd := &renderer{pages: map[string]*template.Template{}}
	for _, n := range names {
		if n == "layout.tmpl" {
			continue
		}
		t, err := template.New("layout.tmpl").Funcs(templateFuncs()).Funcs(diffFuncs()).ParseFS(pages.Pages(), "layout.tmpl", n)
		if err != nil {
			return nil, err
		}
		rd.pages[strings.TrimSuffix(n, ".tmpl")] = t
	}
	return rd, nil
}

// view is what every page template gets: who is signed in, the CSRF token
// for its forms, and the page's own data in Data.
type view struct {
	Role     string // "", "operator", "regulator", "admin"
	Operator string // the operator a token is bound to
	CSRF     string
	Page     string // the page's name, for the navigation
	Data     any
}

// render writes a page. It renders into a buffer first, so a template
// error becomes a clean error page instead of half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, s session, status int, name string, data any) {
	t := h.renderer.pages[name]
	if t == nil {
		h.log.ErrorContext(r.Context(), "no such page template", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v := view{Role: string(s.actor.Role), Operator: s.actor.Operator, CSRF: h.csrfToken(s), Page: name, Data: data}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		h.log.ErrorContext(r.Context(), "render page", "page", name, "err", err)
		if name != "error" {
			h.render(w, r, s, http.StatusInternalServerError, "error", errorPage{Status: 500, Title: "Something went wrong", Message: "The page could not be shown."})
			return
		}
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

type errorPage struct {
	Status  int
	Title   string
	Message string
	SignIn  bool
}

// pageStatus maps a domain error code to the status and heading of its
// error page. The statuses are the API's (httpstatus.Of); the pages
// add the headings people read.
func pageStatus(code string) (int, string) {
	title, ok := pageTitles[code]
	if !ok {
		title = "Something went wrong"
	}
	return httpstatus.Of(code), title
}

// pageTitles head the error page by error code.
var pageTitles = map[string]string{
	ledger.EInvalid:      "This cannot be accepted",
	ledger.EBadRequest:   "This request could not be read",
	ledger.ENotFound:     "Not found",
	ledger.EConflict:     "This has changed",
	ledger.EUnauthorized: "Please sign in",
	ledger.EForbidden:    "Not allowed",
	ledger.ETooLarge:     "Too large",
	ledger.EUnavailable:  "Not available",
	ledger.EBusy:         "Busy: try again shortly",
}

// fail renders the error page for err. A GET that needs a session goes to
// the sign-in page instead. The page shows only the error's client-safe
// message, never the request path or anything about other operators.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := ledger.ErrorCode(err)
	status, title := pageStatus(code)
	s := h.session(r)
	if code == ledger.EUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	if status >= 500 {
		h.log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "code", code, "err", err)
	}
	if code == ledger.EBusy {
		w.Header().Set("Retry-After", httpstatus.BusyRetryAfter) // as the API answers it
	}
	s = h.ensureBasis(w, r, s)
	h.render(w, r, s, status, "error", errorPage{Status: status, Title: title, Message: ledger.ErrorMessage(err),
		SignIn: code == ledger.EUnauthorized})
}

// handleAsset serves GET /assets/{file}: the embedded style sheet.
func (h *Handler) handleAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, err := fs.ReadFile(pages.Assets(), name)
	if err != nil {
		h.fail(w, r, ledger.Errorf(ledger.ENotFound, "there is no such file"))
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(b)
}
