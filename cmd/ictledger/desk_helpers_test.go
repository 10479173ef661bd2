package main

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
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "regulator", "jurisdictions": []string{"*"}, "label": "desk"}, 201, &tok)
	return tok.Token
}

// filedReturn is the answer to a filing.
type filedReturn struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}
