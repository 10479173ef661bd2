package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// field is one name and value shown in a verification's details.
type field struct {
	Name, Value string
}

// The details of a verification are shown under the names the API's
// POST /v1/verify gives them (docs/spec/api.md), in their alphabetical
// order, so that the page and the API's answer read alike.

// entryFields shows one ledger entry a disclosure derives from.
func entryFields(e disclosure.VerifiedEntry) []field {
	out := []field{
		{"included", strconv.FormatBool(e.Included)},
		{"kind", e.Kind},
		{"leaf_hash", e.LeafHash},
	}
	if e.ReturnID != "" {
		out = append(out, field{"return", e.ReturnID})
	}
	return append(out, field{"seq", strconv.FormatUint(e.Seq, 10)})
}

// checkpointFields shows the checkpoint a disclosure was produced under;
// nil when it carries none.
func checkpointFields(cp *disclosure.ResultCheckpoint) []field {
	if cp == nil {
		return nil
	}
	return []field{
		{"note", cp.NoteText},
		{"origin", cp.Origin},
		{"root", cp.Root},
		{"signed", strconv.FormatBool(cp.Signed)},
		{"size", strconv.FormatUint(cp.Size, 10)},
	}
}

// issuedFields shows the ledger's record of a document's bytes; nil when
// it has none.
func issuedFields(is *disclosure.ResultIssued) []field {
	if is == nil {
		return nil
	}
	return []field{{"seq", strconv.FormatUint(is.Seq, 10)}, {"time", readableTime(is.Time)}}
}

// readableTime shows a time of the answer in RFC 3339, UTC, to the
// second: a reader has no use for the nanoseconds the ledger keeps.
// Anything that does not parse is shown as it is.
func readableTime(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Format(time.RFC3339)
}

type verifyPage struct {
	Error  string
	Result *disclosure.Result
	// Headline and Class present the verdict the service decided; Kind
	// names the document and IssuedAt says when the ledger issued it.
	Headline, Class, Kind, IssuedAt string
	// The technical details, folded away under the verdict.
	Entries    [][]field
	Checkpoint []field
	Issued     []field
}

// verdictWords are the headline and the style of a verdict; anything
// but an authentic verdict reads as not authentic.
func verdictWords(v disclosure.Verdict) (headline, class string) {
	switch v {
	case disclosure.VerdictCurrent:
		return "Authentic and current", "ok"
	case disclosure.VerdictSuperseded:
		return "Authentic, but superseded", "warn"
	}
	return "Not authentic", "bad"
}

// documentKind names a kind of document for a reader.
func documentKind(doc string) string {
	switch doc {
	case disclosure.DocOperator:
		return "Operator disclosure"
	case disclosure.DocSector:
		return "Sector report"
	case disclosure.DocRegion:
		return "Regional report"
	}
	return ""
}

// newVerifyPage shows a verification's result: the verdict it was given
// (by disclosure.Result.Decide) in words, then the technical details.
func newVerifyPage(res *disclosure.Result) verifyPage {
	page := verifyPage{Result: res, Checkpoint: checkpointFields(res.Checkpoint), Issued: issuedFields(res.Issued)}
	page.Headline, page.Class = verdictWords(res.Verdict)
	page.Kind = documentKind(res.Document)
	if res.Issued != nil {
		page.IssuedAt = readableTime(res.Issued.Time)
	}
	for _, e := range res.Entries {
		page.Entries = append(page.Entries, entryFields(e))
	}
	return page
}

// handleVerifyForm serves GET /verify.
func (h *Handler) handleVerifyForm(w http.ResponseWriter, r *http.Request) {
	s := h.ensureBasis(w, r, h.session(r))
	h.render(w, r, s, http.StatusOK, "verify", verifyPage{})
}

// handleVerify serves POST /verify: a multipart form with the PDF in its
// "file" part, checked by the service and shown as a page. Like the API
// it takes a verification ticket before it reads the form, so a busy
// server says so at once, with 503 and Retry-After, and holds no more
// uploads than it has tickets.
func (h *Handler) handleVerify(w http.ResponseWriter, r *http.Request) {
	release, err := h.svc.AdmitVerify()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer release()
	// The ticket is held while the upload arrives: a client trickling it
	// may not keep it for the server's five-minute read timeout.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(service.VerifyUploadTimeout))
	s := h.session(r)
	pdf, err := h.readVerifyForm(w, r, s)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var page verifyPage
	status := http.StatusOK
	if len(pdf) == 0 {
		page.Error, status = "Choose the PDF file to verify.", http.StatusUnprocessableEntity
	} else {
		res, err := h.svc.VerifyDisclosure(r.Context(), pdf)
		switch code := ledger.ErrorCode(err); {
		case err == nil:
			page = newVerifyPage(res)
		case code == ledger.EBusy || code == ledger.ECanceled:
			h.fail(w, r, err)
			return
		default:
			h.log.ErrorContext(r.Context(), "verify", "err", err)
			page.Error, status = "The file could not be verified: the verifier failed. Try again later.", http.StatusInternalServerError
		}
	}
	s = h.ensureBasis(w, r, s)
	h.render(w, r, s, status, "verify", page)
}

// readVerifyForm reads the verify form, checks its CSRF token and returns
// the PDF of its "file" part: empty when there is none. The body is
// bounded by the PDF's limit and a small form's.
func (h *Handler) readVerifyForm(w http.ResponseWriter, r *http.Request, s session) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxPDFBytes+maxFormBytes)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return nil, errPDFTooLarge
		}
		return nil, ledger.Errorf(ledger.EBadRequest, "the form could not be read; choose a PDF file and send it again")
	}
	defer r.MultipartForm.RemoveAll()
	if !h.checkCSRF(r, s) {
		return nil, errCSRF
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	pdf, err := io.ReadAll(io.LimitReader(f, maxPDFBytes+1))
	switch {
	case err != nil:
		return nil, &ledger.Error{Code: ledger.EInternal, Message: "the uploaded file could not be read", Err: err}
	case len(pdf) > maxPDFBytes:
		// The form's bound leaves room for its other fields: the
		// file itself may not use it.
		return nil, errPDFTooLarge
	}
	return pdf, nil
}

// errPDFTooLarge is the error of a PDF over the limit of a verification.
var errPDFTooLarge = ledger.Errorf(ledger.ETooLarge, "the file is larger than %d MiB", maxPDFBytes>>20)
