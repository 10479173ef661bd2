package main

import (
	"context"
	"sync"
	"testing"
	"time"
)

// testClock is a settable clock for the service (Config.Now).
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// startServerAt is startServer with the service's clock set to clock.
func startServerAt(t *testing.T, dir string, clock *testClock) *testServer {
	t.Helper()
	m := NewMain(Config{Addr: "127.0.0.1:0", DataDir: dir, AdminToken: testAdminToken, Now: clock.Now})
	if err := m.Open(context.Background()); err != nil {
		t.Fatalf("open: %v", err)
	}
	ts := &testServer{t: t, m: m, base: "http://" + m.Addr(), done: make(chan error, 1)}
	go func() { ts.done <- m.Serve() }()
	return ts
}

// addOperator registers an operator and returns its token.
func (ts *testServer) addOperator(id, name string) string {
	ts.t.Helper()
	ts.mustJSON("POST", "/v1/operators", testAdminToken,
		map[string]any{"id": id, "name": name, "country": "JP", "kinds": []string{"mobile"}}, 201, nil)
	var tok token
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": id}, 201, &tok)
	return tok.Token
}

// regulator issues a regulator token.
func (ts *testServer) regulator() string {
	ts.t.Helper()
	var tok token
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "regulator", "label": "desk"}, 201, &tok)
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

// file files ret for operator and returns the answer.
func (ts *testServer) file(opToken string, ret map[string]any) filedReturn {
	ts.t.Helper()
	var f filedReturn
	ts.mustJSON("POST", "/v1/operators/"+ret["operator"].(string)+"/returns", opToken, ret, 201, &f)
	return f
}

// returnFor is the example return for operator and a quarter of 2025,
// without historic inflow (it may only come with a first return) and,
// outside 2025-Q3, without the Q3 outages; edit changes it further.
func returnFor(t *testing.T, operator, period string, edit func(map[string]any)) map[string]any {
	t.Helper()
	r := exampleReturn(t)
	r["operator"], r["period"] = operator, period
	delete(r, "historic_inflow")
	if period != "2025-Q3" {
		delete(r["resilience"].(map[string]any), "outages")
	}
	if edit != nil {
		edit(r)
	}
	return r
}
