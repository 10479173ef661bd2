package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/tiles"
)

// Cache lifetimes of the tile API. A full tile, a full bundle and an entry
// never change once served; a partial tile is replaced by a wider one as
// the log grows, and the checkpoint changes with every entry.
const (
	cacheForever = "public, max-age=31536000, immutable"
	cachePartial = "public, max-age=10"
	cacheNever   = "no-cache"
	// Entries are for regulators (see EntryBundle): a shared cache must
	// not hand them to the next client.
	cacheEntries = "private, max-age=31536000, immutable"
)

// handleLogCheckpoint serves GET /log/checkpoint (public): the signed
// checkpoint of the c2sp.org/tlog-tiles API.
func (s *Server) handleLogCheckpoint(w http.ResponseWriter, r *http.Request) {
	note, err := s.svc.LogCheckpoint()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeLogBody(w, "text/plain; charset=utf-8", cacheNever, note)
}

// handleLogTile serves GET /log/tile/{path}: a hash tile
// /log/tile/<L>/<N>[.p/<W>] (public) or an entry bundle
// /log/tile/entries/<N>[.p/<W>] (regulator, admin). A path not in the canonical form, or a
// tile beyond the tree, is 404.
func (s *Server) handleLogTile(w http.ResponseWriter, r *http.Request) {
	t, err := tiles.ParsePath("tile/" + mux.Vars(r)["path"])
	if err != nil {
		s.writeError(w, r, &ledger.Error{Code: ledger.ENotFound, Message: "no such tile path: " + r.URL.Path, Err: err})
		return
	}
	var b []byte
	cache := cacheForever
	if t.L == tiles.EntriesLevel {
		b, err = s.svc.EntryBundle(actor(r), t)
		cache = cacheEntries
	} else {
		b, err = s.svc.HashTile(t)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if t.W != tiles.FullWidth {
		cache = cachePartial
		if t.L == tiles.EntriesLevel {
			cache = "private, max-age=10"
		}
	}
	writeLogBody(w, "application/octet-stream", cache, b)
}

// handleLogEntry serves GET /log/entry/{path} (regulator, admin): the canonical
// bytes of one entry, /log/entry/<N> with N grouped as in tile paths,
// where a bundle's reference to a large entry points.
func (s *Server) handleLogEntry(w http.ResponseWriter, r *http.Request) {
	seq, err := tiles.ParseEntryPath("entry/" + mux.Vars(r)["path"])
	if err != nil {
		s.writeError(w, r, &ledger.Error{Code: ledger.ENotFound, Message: "no such entry path: " + r.URL.Path, Err: err})
		return
	}
	b, err := s.svc.LogEntry(actor(r), seq)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeLogBody(w, "application/octet-stream", cacheEntries, b)
}

func writeLogBody(w http.ResponseWriter, contentType, cache string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", cache)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}
