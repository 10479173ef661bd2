package ledger

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Error codes. Each maps to exactly one HTTP status (HTTPStatus).
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

// StatusClientClosedRequest is the status a request gets in the access
// log and the metrics when its client went away before the answer
// (nginx's 499, "client closed request"). No client ever reads it: it
// keeps a hang-up apart from the server's own failures.
const StatusClientClosedRequest = 499

// HTTPStatus is the HTTP status of an error code, for the API and the web
// pages alike; an unknown code is a 500.
func HTTPStatus(code string) int {
	switch code {
	case EInvalid:
		return http.StatusUnprocessableEntity
	case EBadRequest:
		return http.StatusBadRequest
	case ENotFound:
		return http.StatusNotFound
	case EConflict:
		return http.StatusConflict
	case EUnauthorized:
		return http.StatusUnauthorized
	case EForbidden:
		return http.StatusForbidden
	case ETooLarge:
		return http.StatusRequestEntityTooLarge
	case EUnavailable, EBusy:
		return http.StatusServiceUnavailable
	case ECanceled:
		return StatusClientClosedRequest
	default:
		return http.StatusInternalServerError
	}
}

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
		msg += fmt.Sprintf(" (%d problems, first: %s %s)", len(e.Fields), e.Fields[0].Path, e.Fields[0].Message)
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
