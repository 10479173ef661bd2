package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// TestBodyErrorFindsWrappedLimit: a body cut off by MaxBytesReader is a
// 413 problem even when the error that says so comes wrapped, as
// multipart's NextPart wraps it; any other read error is a 400.
func TestBodyErrorFindsWrappedLimit(t *testing.T) {
	limit := &http.MaxBytesError{Limit: 10}
	for _, err := range []error{limit, fmt.Errorf("multipart: NextPart: %w", limit)} {
		var le *ledger.Error
		if !errors.As(bodyError(err), &le) || le.Code != ledger.ETooLarge {
			t.Errorf("bodyError(%v) = %v, want too_large", err, bodyError(err))
		}
	}
	var le *ledger.Error
	if !errors.As(bodyError(errors.New("connection reset")), &le) || le.Code != ledger.EBadRequest {
		t.Errorf("a read error: %v", bodyError(errors.New("connection reset")))
	}
}
