package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// testAPI is the API on a real service in the test's temporary
// directory, called in process through httptest, with an admin token.
type testAPI struct {
	t     *testing.T
	env   *servicetest.Env
	api   *Server
	admin string
}

// newAPI starts the API with the service clock at now.
func newAPI(t *testing.T, now time.Time) *testAPI {
	t.Helper()
	env := servicetest.New(t, now)
	return &testAPI{t: t, env: env, api: New(Config{Service: env.Service}), admin: env.Token(ledger.RoleAdmin)}
}

// do sends a request and returns the recorded answer. header is extra
// header names and values, in pairs.
func (a *testAPI) do(method, path, token, contentType string, body []byte, header ...string) *httptest.ResponseRecorder {
	a.t.Helper()
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	a.api.ServeHTTP(rec, r)
	return rec
}

// mustJSON sends body as JSON (none when nil), fails the test unless the
// status is want, and decodes the answer into out when out is not nil.
func (a *testAPI) mustJSON(method, path, token string, body any, want int, out any) {
	a.t.Helper()
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			a.t.Fatal(err)
		}
	}
	rec := a.do(method, path, token, "application/json", b)
	if rec.Code != want {
		a.t.Fatalf("%s %s: status %d, want %d: %s", method, path, rec.Code, want, rec.Body)
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			a.t.Fatalf("%s %s: decode %s: %v", method, path, rec.Body, err)
		}
	}
}

// addOperator registers an operator in JP and returns a token for it.
func (a *testAPI) addOperator(id, name string) string {
	a.t.Helper()
	a.mustJSON("POST", "/v1/operators", a.admin,
		// Due from long before any quarter the tests file for, so that
		// every quarter they look at counts it.
		map[string]any{"id": id, "name": name, "country": "JP", "kinds": []string{"mobile"}, "reporting_from": "2020-Q1"}, 201, nil)
	var tok struct{ Token string }
	a.mustJSON("POST", "/v1/tokens", a.admin, map[string]any{"role": "operator", "operator": id}, 201, &tok)
	return tok.Token
}

// regulator issues a regulator token.
func (a *testAPI) regulator() string {
	a.t.Helper()
	var tok struct{ Token string }
	a.mustJSON("POST", "/v1/tokens", a.admin, map[string]any{"role": "regulator", "jurisdictions": []string{"*"}, "label": "desk"}, 201, &tok)
	return tok.Token
}

// filedReturn is the answer to a filing.
type filedReturn struct {
	ID       string `json:"id"`
	Version  int    `json:"version"`
	Warnings []struct {
		Rule    string `json:"rule"`
		Path    string `json:"path"`
		Message string `json:"message"`
	} `json:"warnings"`
}

// rules maps the rule:path of each warning to its message.
func (f filedReturn) rules() map[string]string {
	out := map[string]string{}
	for _, w := range f.Warnings {
		out[w.Rule+":"+w.Path] = w.Message
	}
	return out
}

// file files ret for its operator and returns the answer.
func (a *testAPI) file(token string, ret map[string]any) filedReturn {
	a.t.Helper()
	var f filedReturn
	a.mustJSON("POST", "/v1/operators/"+ret["operator"].(string)+"/returns", token, ret, 201, &f)
	return f
}

// returnFor is servicetest.ReturnWith decoded, for a test to change
// further or to send.
func returnFor(t *testing.T, operator, period string, edit func(map[string]any)) map[string]any {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(servicetest.ReturnWith(t, operator, period, edit)))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// scale multiplies the decimal field key of every row of the array
// field rows (keys may name a nested object: "collected.kg").
func scale(t *testing.T, r map[string]any, rows string, by string, keys ...string) {
	t.Helper()
	f := decimal.RequireFromString(by)
	for _, row := range r[rows].([]any) {
		for _, k := range keys {
			obj := row.(map[string]any)
			if outer, inner, ok := strings.Cut(k, "."); ok {
				sub, present := obj[outer].(map[string]any)
				if !present {
					continue
				}
				obj, k = sub, inner
			}
			v, present := obj[k]
			if !present {
				continue
			}
			d, err := decimal.NewFromString(toString(v))
			if err != nil {
				t.Fatalf("%s.%s = %v: %v", rows, k, v, err)
			}
			if _, isString := v.(string); isString {
				obj[k] = d.Mul(f).String()
			} else {
				obj[k] = d.Mul(f).IntPart()
			}
		}
	}
}

func toString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case interface{ String() string }:
		return t.String()
	}
	return ""
}
