package httpapi

import (
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// accessEntry is what the access log says about one request.
type accessEntry struct {
	requestID, method, route string
	status                   int
	bytes                    int64
	duration                 time.Duration
	tokenID, role            string
}

// logAccess writes e's access line: to Config.AccessLog when set, else
// through the Logger. With a plain JSON handler behind the Logger both
// give the same JSON object.
func (s *Server) logAccess(r *http.Request, e accessEntry) {
	if s.cfg.AccessLog != nil {
		bp := linePool.Get().(*[]byte)
		b := appendAccessLine((*bp)[:0], time.Now(), e)
		_, _ = s.cfg.AccessLog.Write(b)
		*bp = b
		linePool.Put(bp)
		return
	}
	// The duration is whole microseconds: slog's JSON handler writes an
	// integer directly but a float through encoding/json.
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

var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// appendAccessLine appends e as one JSON line in the shape slog's JSON
// handler gives a record logged at INFO with message "request" (time,
// level, msg, then the fields in order), so that one reader handles both
// kinds of line. It exists because the server writes a line for every
// request, and slog's handling of arbitrary attributes cost about 5 % of
// the server's CPU under a read load; these fields are known in advance.
func appendAccessLine(b []byte, t time.Time, e accessEntry) []byte {
	b = append(b, `{"time":"`...)
	b = t.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":"INFO","msg":"request","request_id":`...)
	b = appendJSONString(b, e.requestID)
	b = append(b, `,"method":`...)
	b = appendJSONString(b, e.method)
	b = append(b, `,"route":`...)
	b = appendJSONString(b, e.route)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(e.status), 10)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, e.bytes, 10)
	b = append(b, `,"duration_us":`...)
	b = strconv.AppendInt(b, e.duration.Microseconds(), 10)
	b = append(b, `,"token_id":`...)
	b = appendJSONString(b, e.tokenID)
	b = append(b, `,"role":`...)
	b = appendJSONString(b, e.role)
	return append(b, "}\n"...)
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD, and
// U+2028 and U+2029 escaped as encoding/json does. The fields logged are
// the server's own values or checked ones, but a method is the client's.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
