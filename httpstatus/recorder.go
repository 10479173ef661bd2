package httpstatus

import "net/http"

// BusyRetryAfter is the Retry-After, in seconds, of a busy answer (a 503
// for ledger.EBusy) from the API and the pages alike: about the time a
// queue of renders takes to move on.
const BusyRetryAfter = "5"

// Recorder is an http.ResponseWriter that remembers the status and the
// size of the answer written through it, for access logs and metrics.
// Only the first status counts, as only the first reaches the client.
type Recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// NewRecorder wraps w.
func NewRecorder(w http.ResponseWriter) *Recorder { return &Recorder{ResponseWriter: w} }

// WriteHeader sends the status, and keeps it when it is the first.
func (w *Recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write sends body bytes (with a 200 when no status went before them)
// and counts them.
func (w *Recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap gives http.ResponseController the connection's writer, for the
// deadlines of one request (the uploads to verify set their own).
func (w *Recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Written reports whether a status has been sent, after which a handler
// can no longer answer with another (an error page after a panic, say).
func (w *Recorder) Written() bool { return w.status != 0 }

// Status is the status sent, or 200 when none was: what net/http sends
// for a handler that wrote nothing.
func (w *Recorder) Status() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// Bytes is how many body bytes were written.
func (w *Recorder) Bytes() int64 { return w.bytes }
