package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
)

// encodedCache remembers the JSON encoding of values the service hands out
// again and again: the metrics of a return version, which the service
// computes once and caches, but whose encoding (thousands of decimals
// formatted for display) cost about 1.5 ms of CPU per read before this
// cache, most of a metrics read.
//
// It is keyed by the pointer the service returned. That is sound because
// the service never changes a value after caching it (its own cache
// relies on that too) and because holding the pointer here keeps the
// value alive, so its address cannot be reused for another value. The
// cache is bounded in entries and bytes (a return's metrics encode to
// about 65 kB): when full it starts over, so only recently read values
// stay, and memory stays within maxEncodedBytes.
type encodedCache struct {
	mu    sync.Mutex
	m     map[any][]byte
	bytes int
}

// Bounds of the cache.
const (
	maxEncoded      = 4096
	maxEncodedBytes = 32 << 20
)

// get returns v's JSON encoding followed by a newline, from the cache when
// v was encoded before.
func (c *encodedCache) get(v any) ([]byte, error) {
	c.mu.Lock()
	b, ok := c.m[v]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	b = append(b, '\n')
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxEncoded || c.bytes+len(b) > maxEncodedBytes {
		c.m, c.bytes = make(map[any][]byte), 0
	}
	if _, dup := c.m[v]; !dup {
		c.bytes += len(b)
	}
	c.m[v] = b
	c.mu.Unlock()
	return b, nil
}

// writeCachedJSON is writeJSON for a value the service caches and never
// changes (a pointer): its encoding is cached too.
func (s *Server) writeCachedJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := s.encoded.get(v)
	if err != nil {
		s.writeJSON(w, r, status, v) // reports the error as writeJSON does
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	// With its length known, the body goes out as it is, without chunk
	// framing, in fewer writes.
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	if _, err := w.Write(b); err != nil {
		s.log.DebugContext(r.Context(), "write response", "err", err)
	}
}
