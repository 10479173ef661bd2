package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/service"
)

// muxPattern is the regular expression part of a route variable.
var muxPattern = regexp.MustCompile(`:[^}]*}`)

// TestOpenAPICoversRoutes checks that every API route the router serves
// has an entry in the OpenAPI route table, and every entry a route, and
// that the document builds.
func TestOpenAPICoversRoutes(t *testing.T) {
	s := New(Config{Service: service.New(service.Config{State: state.New()})})
	routed := map[string]bool{}
	err := s.router.Walk(func(r *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		path, err := r.GetPathTemplate()
		if err != nil || !(strings.HasPrefix(path, "/v1/") || strings.HasPrefix(path, "/log/") || path == "/healthz" || path == "/metrics") {
			return nil
		}
		path = muxPattern.ReplaceAllString(path, "}") // {path:.+} is documented as {path}
		methods, err := r.GetMethods()
		if err != nil {
			return nil
		}
		for _, m := range methods {
			routed[m+" "+path] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, op := range s.apiOps() {
		documented[op.method+" "+op.path] = true
	}
	var missing, stale []string
	for r := range routed {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for d := range documented {
		if !routed[d] {
			stale = append(stale, d)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing) > 0 || len(stale) > 0 {
		t.Fatalf("routes without an apiOps entry: %v; apiOps entries without a route: %v", missing, stale)
	}

	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/openapi.json", nil))
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &doc) != nil {
		t.Fatalf("openapi.json: %d %s", rec.Code, rec.Body)
	}
	if _, ok := doc.Paths["/v1/sector/status"]["get"]; !ok {
		t.Fatalf("no GET /v1/sector/status in the document")
	}
	// Filing takes JSON, or a multipart body of the parts filing reads.
	var file struct {
		RequestBody struct {
			Content map[string]struct {
				Schema struct {
					Properties map[string]any `json:"properties"`
				} `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
	}
	raw, _ := json.Marshal(doc.Paths["/v1/operators/{id}/returns"]["post"])
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	mp, ok := file.RequestBody.Content["multipart/form-data"]
	_, js := file.RequestBody.Content["application/json"]
	if !ok || !js || len(mp.Schema.Properties) != 3 {
		t.Fatalf("filing's request body: %s", raw)
	}
	for _, p := range []string{filing.PartReturn, filing.PartSites, filing.PartDevices} {
		if mp.Schema.Properties[p] == nil {
			t.Fatalf("the multipart filing lacks the %q part: %s", p, raw)
		}
	}
}
