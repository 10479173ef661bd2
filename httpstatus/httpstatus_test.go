package httpstatus

import (
	"net/http"
	"net/http/httptest"
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

// The recorder keeps the first status only, counts the body, and says
// 200 for an answer that wrote nothing.
func TestRecorder(t *testing.T) {
	w := NewRecorder(httptest.NewRecorder())
	if w.Written() || w.Status() != http.StatusOK {
		t.Fatalf("fresh recorder: written %v, status %d", w.Written(), w.Status())
	}
	w.WriteHeader(http.StatusTeapot)
	w.WriteHeader(http.StatusInternalServerError)
	w.Write([]byte("short and stout"))
	if !w.Written() || w.Status() != http.StatusTeapot || w.Bytes() != 15 {
		t.Fatalf("status %d, %d bytes, want 418 and 15", w.Status(), w.Bytes())
	}
	w = NewRecorder(httptest.NewRecorder())
	w.Write([]byte("x"))
	if w.Status() != http.StatusOK {
		t.Fatalf("a body without a status: %d, want 200", w.Status())
	}
	if _, ok := any(w).(interface{ Unwrap() http.ResponseWriter }); !ok {
		t.Fatal("no Unwrap for http.ResponseController")
	}
}
