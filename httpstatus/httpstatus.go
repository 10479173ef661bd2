// Package httpstatus maps the ledger's error codes to HTTP statuses, for
// the two HTTP adapters, the API and the web pages, so that the domain
// knows nothing of HTTP and both adapters answer a failure alike; and it
// records the status each answer was given, for their logs and metrics.
package httpstatus

import (
	"net/http"

	"github.com/ictledger/ictledger/ledger"
)

// ClientClosedRequest is the status a request gets in the access
// log and the metrics when its client went away before the answer
// (nginx's 499, "client closed request"). No client ever reads it: it
// keeps a hang-up apart from the server's own failures.
const ClientClosedRequest = 499

// Of is the HTTP status of a ledger error code, for the API and the web
// pages alike; an unknown code is a 500.
func Of(code string) int {
	switch code {
	case ledger.EInvalid:
		return http.StatusUnprocessableEntity
	case ledger.EBadRequest:
		return http.StatusBadRequest
	case ledger.ENotFound:
		return http.StatusNotFound
	case ledger.EConflict:
		return http.StatusConflict
	case ledger.EUnauthorized:
		return http.StatusUnauthorized
	case ledger.EForbidden:
		return http.StatusForbidden
	case ledger.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case ledger.EUnavailable, ledger.EBusy:
		return http.StatusServiceUnavailable
	case ledger.ECanceled:
		return ClientClosedRequest
	default:
		return http.StatusInternalServerError
	}
}
