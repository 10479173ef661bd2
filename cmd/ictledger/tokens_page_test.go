package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestTokensPageMarksOldRegulatorTokens opens the data directory of the
// release before jurisdictions, whose regulator token ("reg") names none:
// the admin's tokens page marks it unrestricted, and shows neither its
// secret's hash nor any other.
func TestTokensPageMarksOldRegulatorTokens(t *testing.T) {
	ts := startConfigured(t, freshCopy(t), Config{AdminToken: previousAdminToken, Origin: "ictledger.test/previous-version"})
	defer ts.stop()
	status, _, page := ts.send("GET", "/tokens", nil, ts.signInCookie(previousAdminToken))
	if status != http.StatusOK {
		t.Fatalf("GET /tokens as the admin: %d", status)
	}
	i := strings.Index(page, "tok-74e200d2c618")
	row := page[max(0, strings.LastIndex(page[:max(i, 0)], "<tr")):max(i, 0)]
	if i < 0 || !strings.Contains(row, "unrestricted (all jurisdictions)") || !strings.Contains(row, ">reg<") {
		t.Fatalf("the old regulator token is not marked unrestricted:\n%s", page)
	}
	if !strings.Contains(page, "1 unrestricted regulator token<") {
		t.Errorf("the page does not count the unrestricted token")
	}
	for _, hash := range []string{"0eb4f223e13f65136c098716c575d67f07aa3f2f116fd6a4a98cca0a5a17a5ee", "d85ef6accdee60f1b9ca129464b3da6d294471f21488f6da959cb2836d751b06"} {
		if strings.Contains(page, hash) {
			t.Fatal("the tokens page shows a secret's hash")
		}
	}
}
