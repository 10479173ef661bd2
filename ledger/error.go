package ledger

import (
	"context"
	"errors"
	"fmt"
)

// Error codes. The HTTP adapters map each to one status (package
// httpstatus); the statuses in the comments are theirs.
const (
	EInvalid      = "invalid"      // a well-formed request that breaks a rule (422)
	EBadRequest   = "bad_request"  // a body that cannot be parsed (400)
	ENotFound     = "not_found"    // 404
	EConflict     = "conflict"     // the state does not allow it (409)
	EUnauthorized = "unauthorized" // no or unknown credentials (401)
	EForbidden    = "forbidden"    // known credentials without the right (403)
	ETooLarge     = "too_large"    // body over the size limit (413)
	EUnavailable  = "unavailable"  // the ledger is read-only after a storage fault (503)
	EBusy         = "busy"         // too much work of this kind is queued; try again shortly (503, with Retry-After)
	EInternal     = "internal"     // a bug or an unexpected failure (500)
	ECanceled     = "canceled"     // the caller went away before the answer (499)
)

// Error is the one error type the domain returns to its callers. Message is
// safe to show to the client; Fields lists every problem found in a request
// body, each with the JSON path (or CSV line and column) it concerns.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Err     error // the underlying cause, logged but never shown
}

// FieldError is one problem with one field of a request.
type FieldError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Error implements error.
func (e *Error) Error() string {
	msg := e.Code + ": " + e.Message
	if len(e.Fields) > 0 {
		msg += fmt.Sprintf(" (%s, first: %s %s)", CountNoun(len(e.Fields), "problem", "problems"), e.Fields[0].Path, e.Fields[0].Message)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EInternal for errors that are not an
// *Error, and "" for nil. An error caused by a cancelled context is
// ECanceled whatever code a layer above gave it: the caller gave up
// waiting (for a render slot, for a commit), which is neither a bug nor
// a storage fault, and must not be logged or counted as one.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, context.Canceled) {
		return ECanceled
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the client-safe message of err; errors that are not
// an *Error are reported as an internal error without their text.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	if errors.Is(err, context.Canceled) {
		return "the request was cancelled before it finished"
	}
	return "internal error"
}
