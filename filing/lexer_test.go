package filing

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"
)

// lexAll tokenizes b with the lexer into encoding/json's token types.
func lexAll(b []byte) ([]json.Token, bool) {
	l := newLexer(b)
	var out []json.Token
	for {
		t, err := l.next()
		if err == io.EOF {
			return out, true
		}
		if err != nil {
			return nil, false
		}
		var jt json.Token
		switch t.kind {
		case tokBeginObject:
			jt = json.Delim('{')
		case tokEndObject:
			jt = json.Delim('}')
		case tokBeginArray:
			jt = json.Delim('[')
		case tokEndArray:
			jt = json.Delim(']')
		case tokString:
			jt = t.text
		case tokNumber:
			jt = json.Number(t.text)
		case tokTrue:
			jt = true
		case tokFalse:
			jt = false
		case tokNull:
			jt = nil
		}
		out = append(out, jt)
	}
}

// stdAll tokenizes b with encoding/json.
func stdAll(b []byte) []json.Token {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var out []json.Token
	for {
		t, err := d.Token()
		if err != nil {
			return out
		}
		out = append(out, t)
	}
}

var lexerSeeds = []string{
	`{"a":[1,-2.5e+3,0,true,false,null,"x\"y\\z\/\b\f\n\r\t\u00e9\ud83d\ude00"]}`,
	`"\ud800x"`, `"\udc00\ud800"`, `"\ud83d\u0041"`, "\"\xff\xfe ok \xc3\xa9\"", `[1,]`, `{"a" 1}`, `{,}`, `01`, `1.`,
	`-`, `1e`, `[] []`, `  `, `{"a":1}x`, `"\x"`, "\"a\tb\"", `"\u12G4"`, `[tru]`, `nul`, `{"k":{"k":[[[]]]}}`,
}

func TestLexerMatchesEncodingJSON(t *testing.T) {
	for _, s := range lexerSeeds {
		checkLexer(t, []byte(s))
	}
	for _, depth := range []int{maxDepth, maxDepth + 1} {
		checkLexer(t, []byte(strings.Repeat("[", depth)+strings.Repeat("]", depth)))
	}
}

// FuzzLexer holds the lexer to encoding/json: the same inputs are valid,
// and valid inputs give the same tokens.
//
//	go test ./filing -run '^$' -fuzz FuzzLexer -fuzztime 1m
func FuzzLexer(f *testing.F) {
	for _, s := range lexerSeeds {
		f.Add([]byte(s))
	}
	f.Add(exampleJSON(f))
	f.Fuzz(checkLexer)
}

func checkLexer(t *testing.T, b []byte) {
	mine, ok := lexAll(b)
	if valid := json.Valid(b); ok != valid {
		t.Fatalf("%q: lexer ok %v, json.Valid %v", b, ok, valid)
	}
	if !ok {
		return
	}
	if std := stdAll(b); !reflect.DeepEqual(mine, std) {
		t.Fatalf("%q:\nlexer %#v\nstd   %#v", b, mine, std)
	}
}

// TestLexerMarksRepairs: a string that encoding/json would silently
// repair (invalid UTF-8, a lone surrogate) is marked invalid, so that
// the reader can refuse it; U+FFFD sent as such is not a repair.
func TestLexerMarksRepairs(t *testing.T) {
	for _, tc := range []struct {
		body    string
		invalid bool
	}{
		{`"plain"`, false},
		{"\"\xe6\x9d\xb1\xe4\xba\xac\"", false},
		{`"\ufffd"`, false},
		{"\"\xef\xbf\xbd\"", false},
		{`"\ud83d\ude00"`, false},
		{"\"\xff\"", true},
		{"\"a\\n\xc3\"", true},
		{"\"\xc3\\n\"", true},
		{`"\ud800"`, true},
		{`"\udc00"`, true},
		{`"\ud83d\u0041"`, true},
	} {
		tok, err := newLexer([]byte(tc.body)).next()
		if err != nil {
			t.Fatalf("%q: %v", tc.body, err)
		}
		if tok.invalid != tc.invalid {
			t.Errorf("%q: invalid %v, want %v", tc.body, tok.invalid, tc.invalid)
		}
	}
}
