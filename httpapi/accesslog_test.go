package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"
)

// The fast access line and slog's JSON handler give the same object.
func TestAccessLineMatchesSlog(t *testing.T) {
	e := accessEntry{requestID: "5f0c2a9b7d1e3c44", method: "GET", route: "/v1/returns/{rid}/metrics", status: 200,
		bytes: 66622, duration: 1234567 * time.Nanosecond, tokenID: "tok-1", role: "operator"}
	var viaSlog bytes.Buffer
	s := &Server{log: slog.New(slog.NewJSONHandler(&viaSlog, nil))}
	s.logAccess(httptest.NewRequest("GET", "/", nil), e)
	var fast bytes.Buffer
	s.cfg.AccessLog = &fast
	s.logAccess(httptest.NewRequest("GET", "/", nil), e)

	var a, b map[string]any
	if err := json.Unmarshal(viaSlog.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(fast.Bytes(), &b); err != nil {
		t.Fatalf("fast line is not JSON: %v\n%s", err, fast.String())
	}
	for _, m := range []map[string]any{a, b} {
		if _, err := time.Parse(time.RFC3339Nano, m["time"].(string)); err != nil {
			t.Fatalf("time: %v", err)
		}
		delete(m, "time")
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Fatalf("slog gives\n%s\nthe fast line\n%s", ja, jb)
	}
	if n := bytes.Count(fast.Bytes(), []byte("\n")); n != 1 || fast.Bytes()[fast.Len()-1] != '\n' {
		t.Fatalf("want one line ending in a newline: %q", fast.String())
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"GET", `"GET"`},
		{"", `""`},
		{`a"b\c`, `"a\"b\\c"`},
		{"a\nb\rc\td\x01", `"a\nb\rc\td\u0001"`},
		{"caf\u00e9 \u6771\u4eac", "\"caf\u00e9 \u6771\u4eac\""},
		{"bad\xffbyte", `"bad\ufffdbyte"`},
		{"line\u2028sep", `"line\u2028sep"`},
	} {
		if got := string(appendJSONString(nil, tc.in)); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
	}
}

// FuzzAppendJSONString: any string comes out as valid JSON that decodes
// to what encoding/json's encoding of it decodes to.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"GET", "a\"\\\n\x00", "\xff\xfe", "\u2028\u2029", "東京"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendJSONString(nil, s)
		var a string
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("%q encodes to invalid JSON %s: %v", s, got, err)
		}
		ref, _ := json.Marshal(s)
		var b string
		if err := json.Unmarshal(ref, &b); err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Fatalf("%q: decodes to %q, encoding/json's to %q", s, a, b)
		}
	})
}
