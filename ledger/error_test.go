package ledger

import (
	"context"
	"fmt"
	"testing"
)

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
	if got := ErrorMessage(context.Canceled); got == "internal error" {
		t.Errorf("a bare cancellation reads %q", got)
	}
	// A deadline is not the caller hanging up: it keeps its code.
	if got := ErrorCode(&Error{Code: EUnavailable, Err: context.DeadlineExceeded}); got != EUnavailable {
		t.Errorf("deadline: %q", got)
	}
}
