// Package requestid names every HTTP request the server answers, through
// the API or the pages alike, so that an answer's X-Request-Id finds its
// log lines.
package requestid

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// Header is the header that carries a request's id, both ways.
const Header = "X-Request-Id"

// maxLen is the longest incoming id that is kept.
const maxLen = 64

// Of is r's id: the one a proxy in front sent in Header when it is sane
// (at most 64 letters, digits, '-' and '_', so that it cannot forge or
// bloat a log line), else a new random one of 16 hex digits.
func Of(r *http.Request) string {
	if id := r.Header.Get(Header); sane(id) {
		return id
	}
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

func sane(id string) bool {
	if id == "" || len(id) > maxLen {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
