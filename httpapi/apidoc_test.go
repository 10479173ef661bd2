package httpapi

import (
	"bufio"
	"fmt"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/mux"
)

// apiDoc is the contract this package serves, relative to the package.
const apiDoc = "../docs/spec/api.md"

// docCall is one call the API document names in code, such as
// `GET /v1/region?period=P`, with where it stands.
type docCall struct {
	method, path string
	line         int
	inTable      bool // in a table row, where the document states what is served
	planned      bool // under a "Planned" heading: reserved, not served
}

// docCallPattern finds `METHOD /path...` in code spans.
var docCallPattern = regexp.MustCompile("`(GET|POST|PUT|DELETE|PATCH) (/[^`\\s]*)")

// docCalls reads every call the document names.
func docCalls(t *testing.T, name string) []docCall {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []docCall
	planned := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if heading, ok := strings.CutPrefix(line, "## "); ok {
			planned = strings.HasPrefix(heading, "Planned")
		}
		for _, m := range docCallPattern.FindAllStringSubmatch(line, -1) {
			out = append(out, docCall{method: m[1], path: m[2], line: n, inTable: strings.HasPrefix(line, "|"), planned: planned})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// placeholders are the document's stand-ins for a path's variable parts:
// {rid}, {P}, and the tile paths' <L>, <N> and <W>.
var placeholders = regexp.MustCompile(`\{[^}]*\}|<[^>]*>`)

// optionalParts are the bracketed optional parts of a documented path,
// such as [&country=JP] or the [.p/<W>] of a partial tile.
var optionalParts = regexp.MustCompile(`\[[^\]]*\]`)

// concretePath turns a documented path into one a client could send: the
// optional parts and the query left out, each placeholder a digit (which
// every path variable of the router accepts where the document puts it).
func concretePath(doc string) string {
	p := optionalParts.ReplaceAllString(doc, "")
	p, _, _ = strings.Cut(p, "?")
	return placeholders.ReplaceAllString(p, "1")
}

// routeOf is the path template of the route the router picks for a
// documented call, or "" when none matches its method and path.
func routeOf(router *mux.Router, c docCall) string {
	r := httptest.NewRequest(c.method, concretePath(c.path), nil)
	var m mux.RouteMatch
	if !router.Match(r, &m) || m.Route == nil || m.MatchErr != nil {
		return ""
	}
	tpl, err := m.Route.GetPathTemplate()
	if err != nil {
		return ""
	}
	return tpl
}

// TestAPIDocMatchesRoutes keeps docs/spec/api.md true to the router:
// every route the server registers is named in the document with its
// method, outside the section of planned work, and every call in the
// document's tables is routed. A route added without a line in the
// document, one still listed as planned once it is served, or a table row
// for a path the server does not serve (renamed or removed), fails here.
func TestAPIDocMatchesRoutes(t *testing.T) {
	ts := newAPI(t, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	calls := docCalls(t, apiDoc)
	if len(calls) < 20 {
		t.Fatalf("found only %d calls in %s: has its form changed?", len(calls), apiDoc)
	}
	documented := map[string]bool{} // "METHOD template" of each route a call reaches
	for _, c := range calls {
		if c.planned {
			continue
		}
		tpl := routeOf(ts.api.router, c)
		if tpl == "" {
			if c.inTable {
				t.Errorf("%s:%d: %s %s is in a table but no route serves it", apiDoc, c.line, c.method, c.path)
			}
			continue
		}
		documented[c.method+" "+tpl] = true
	}
	err := ts.api.router.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := route.GetPathTemplate()
		if err != nil {
			return err
		}
		methods, err := route.GetMethods()
		if err != nil {
			return fmt.Errorf("route %s has no method: %w", tpl, err)
		}
		for _, m := range methods {
			if !documented[m+" "+tpl] {
				t.Errorf("%s %s is routed but %s does not name it", m, tpl, apiDoc)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestConcretePath pins how a documented path becomes one to route.
func TestConcretePath(t *testing.T) {
	for doc, want := range map[string]string{
		"/v1/sector/metrics?period=P[&country=JP]": "/v1/sector/metrics",
		"/v1/operators/{id}/disclosures/{P}.pdf":   "/v1/operators/1/disclosures/1.pdf",
		"/log/tile/<L>/<N>[.p/<W>]":                "/log/tile/1/1",
		"/v1/returns/{rid}/diff?against={rid2}":    "/v1/returns/1/diff",
	} {
		if got := concretePath(doc); got != want {
			t.Errorf("concretePath(%q) = %q, want %q", doc, got, want)
		}
	}
}
