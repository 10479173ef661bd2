package ledger

import "testing"

func TestHTTPStatus(t *testing.T) {
	for code, want := range map[string]int{EInvalid: 422, EBadRequest: 400, ENotFound: 404, EConflict: 409,
		EUnauthorized: 401, EForbidden: 403, ETooLarge: 413, EUnavailable: 503, EBusy: 503, EInternal: 500, "made-up": 500} {
		if got := HTTPStatus(code); got != want {
			t.Errorf("HTTPStatus(%q) = %d, want %d", code, got, want)
		}
	}
}
