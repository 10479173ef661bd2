package ledger

import (
	"context"
	"fmt"
	"testing"
)

func TestHTTPStatus(t *testing.T) {
	for code, want := range map[string]int{EInvalid: 422, EBadRequest: 400, ENotFound: 404, EConflict: 409,
		EUnauthorized: 401, EForbidden: 403, ETooLarge: 413, EUnavailable: 503, EBusy: 503, EInternal: 500, "made-up": 500} {
		if got := HTTPStatus(code); got != want {
			t.Errorf("HTTPStatus(%q) = %d, want %d", code, got, want)
		}
	}
}

// A cancelled context is the caller's doing: ECanceled, even under a
// code a layer above gave it, never EInternal.
func TestErrorCodeCanceled(t *testing.T) {
	wrapped := &Error{Code: EUnavailable, Message: "the request ended before its change was written", Err: context.Canceled}
	for name, err := range map[string]error{
		"bare":       context.Canceled,
		"fmt":        fmt.Errorf("wait for a render slot: %w", context.Canceled),
		"ledger":     wrapped,
		"ledger+fmt": fmt.Errorf("file: %w", wrapped),
	} {
		if got := ErrorCode(err); got != ECanceled {
			t.Errorf("%s: ErrorCode = %q, want %q", name, got, ECanceled)
		}
	}
	if got := HTTPStatus(ECanceled); got != StatusClientClosedRequest {
		t.Errorf("HTTPStatus(ECanceled) = %d", got)
	}
	if got := ErrorMessage(context.Canceled); got == "internal error" {
		t.Errorf("a bare cancellation reads %q", got)
	}
	// A deadline is not the caller hanging up: it keeps its code.
	if got := ErrorCode(&Error{Code: EUnavailable, Err: context.DeadlineExceeded}); got != EUnavailable {
		t.Errorf("deadline: %q", got)
	}
}
