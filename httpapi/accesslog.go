package httpapi

import (
	"log/slog"
	"net/http"
	"time"
)

// accessEntry is what the access log says about one request.
type accessEntry struct {
	requestID, method, route string
	status                   int
	bytes                    int64
	duration                 time.Duration
	tokenID, role            string
}

// logAccess writes e's access line through the Logger, at INFO with the
// message "request". The duration is whole microseconds: slog's JSON
// handler writes an integer directly but a float through encoding/json.
func (s *Server) logAccess(r *http.Request, e accessEntry) {
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("request_id", e.requestID),
		slog.String("method", e.method), slog.String("route", e.route), slog.Int("status", e.status),
		slog.Int64("bytes", e.bytes), slog.Int64("duration_us", e.duration.Microseconds()),
		slog.String("token_id", e.tokenID), slog.String("role", e.role))
}

// maxLoggedMethod is the longest method the access log writes whole;
// the longest registered method is 17 bytes.
const maxLoggedMethod = 32

// logMethod is a request's method as its access line shows it: whole if
// short, else its first maxLoggedMethod bytes and "...", so that a
// client sending 56 kB methods cannot make every line 56 kB.
func logMethod(method string) string {
	if len(method) <= maxLoggedMethod {
		return method
	}
	return method[:maxLoggedMethod] + "..."
}
