package web

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

// fontMaxAge is how long a browser keeps a web font without asking again:
// a year. A font file's name stands for its bytes, since the PDFs that
// embed it must re-render byte for byte; a changed font comes under a
// new name.
const fontMaxAge = 365 * 24 * time.Hour

// handleFont serves GET /assets/fonts/{file}: one of the few fonts the
// PDFs embed (templates.WebFont), for the scripts a reader's system may
// lack. Any other name is the 404 page; nothing is read from disk.
func (h *Handler) handleFont(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	font, ok := templates.WebFont(name)
	if !ok {
		h.fail(w, r, ledger.Errorf(ledger.ENotFound, "there is no such font"))
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "font/ttf")
	hdr.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(fontMaxAge.Seconds()))+", immutable")
	hdr.Set("ETag", `"`+name+"-"+strconv.Itoa(len(font))+`"`)
	// ServeContent answers HEAD, ranges and If-None-Match.
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(font))
}
