package requestid

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// A sane incoming id is kept; anything else gets a new random one.
func TestOf(t *testing.T) {
	fresh := regexp.MustCompile(`^[0-9a-f]{16}$`)
	for _, tc := range []struct {
		name, in string
		keep     bool
	}{
		{"proxy id", "proxy-id_42", true},
		{"longest kept", strings.Repeat("a", 64), true},
		{"none", "", false},
		{"too long", strings.Repeat("a", 65), false},
		{"space", "no spaces allowed", false},
		{"newline", "a\nlevel=ERROR", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tc.in != "" {
				r.Header.Set(Header, tc.in)
			}
			got := Of(r)
			if tc.keep && got != tc.in || !tc.keep && !fresh.MatchString(got) {
				t.Fatalf("Of(%q) = %q", tc.in, got)
			}
		})
	}
	r := httptest.NewRequest("GET", "/", nil)
	if Of(r) == Of(r) {
		t.Fatal("two requests without an id got the same one")
	}
}
