package httpapi

import (
	"io"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/workbook"
)

// maxWorkbooksWritten is how many workbooks the API writes at once. The
// template is public and takes about 20 ms and 5 MB to write; past
// the bound a request is answered 503 at once rather than queued.
const maxWorkbooksWritten = 2

// admitWorkbook takes a slot to write a workbook, or fails with EBusy.
func (s *Server) admitWorkbook() (release func(), err error) {
	select {
	case s.workbooks <- struct{}{}:
		return func() { <-s.workbooks }, nil
	default:
		return nil, ledger.Errorf(ledger.EBusy, "too many workbooks are being written at once; try again in a few seconds")
	}
}

// handleTemplate serves GET /v1/templates/quarterly-return.xlsx (public):
// the template workbook, its grid lists from ?factor_set= or the latest
// factor set. The same set gives the same bytes, so the answer carries
// an ETag: a named set never changes and may be kept a day; the latest
// set's is checked again each time, as a newer set may be published.
func (s *Server) handleTemplate(w http.ResponseWriter, r *http.Request) {
	var fs *ledger.FactorSet
	cache := "public, no-cache"
	if v := r.URL.Query().Get("factor_set"); v != "" {
		cache = "public, max-age=86400"
		f, err := s.svc.FactorSet(v)
		if err != nil {
			s.writeError(w, r, ledger.Errorf(ledger.EBadRequest, "factor_set: no published factor set %q", v))
			return
		}
		fs = f.Set
	} else if all := s.svc.FactorSets(); len(all) > 0 {
		fs = all[len(all)-1].Set
	}
	release, err := s.admitWorkbook()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := workbook.Template(fs)
	release()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	name := "quarterly-return.xlsx"
	if fs != nil {
		name = "quarterly-return-" + fs.Version + ".xlsx"
	}
	s.writeWorkbook(w, r, b, name, cache)
}

// handleReturnWorkbook serves GET /v1/returns/{rid}.xlsx (who may read the
// return): the filed return as a workbook, with the grid lists of the
// factor set it was filed under, to start a restatement from.
func (s *Server) handleReturnWorkbook(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.Return(actor(r), mux.Vars(r)["rid"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var fs *ledger.FactorSet
	if f, err := s.svc.FactorSet(v.Filed.FactorSet); err == nil {
		fs = f.Set
	}
	release, err := s.admitWorkbook()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := workbook.Write(&v.Filed.Return, fs)
	release()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeWorkbook(w, r, b, v.Filed.ID+".xlsx", "private, no-cache")
}

// writeWorkbook sends a workbook as an attachment, as writeDocument does.
func (s *Server) writeWorkbook(w http.ResponseWriter, r *http.Request, b []byte, name, cache string) {
	writeDocument(w, r, b, workbook.MediaType, `attachment; filename="`+name+`"`, cache)
}

// workbookDecoder reads a workbook body for handleFileReturn.
func workbookDecoder(r *http.Request, opts filing.Options) service.Decoder {
	return service.DraftDecoder(func() (*filing.Draft, error) { return workbook.Read(r.Body, opts, workbook.Limits{}) })
}

// readWorkbookPart is filing.Options.Workbook: a multipart "return" part
// that is a workbook.
func readWorkbookPart(opts filing.Options) func(r io.Reader) (*filing.Draft, error) {
	return func(rd io.Reader) (*filing.Draft, error) { return workbook.Read(rd, opts, workbook.Limits{}) }
}
