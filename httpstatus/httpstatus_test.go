package httpstatus

import (
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

func TestOf(t *testing.T) {
	for code, want := range map[string]int{ledger.EInvalid: 422, ledger.EBadRequest: 400, ledger.ENotFound: 404,
		ledger.EConflict: 409, ledger.EUnauthorized: 401, ledger.EForbidden: 403, ledger.ETooLarge: 413,
		ledger.EUnavailable: 503, ledger.EBusy: 503, ledger.EInternal: 500, ledger.ECanceled: ClientClosedRequest, "made-up": 500} {
		if got := Of(code); got != want {
			t.Errorf("Of(%q) = %d, want %d", code, got, want)
		}
	}
}
