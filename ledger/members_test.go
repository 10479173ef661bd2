package ledger

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func TestMembers(t *testing.T) {
	type kv struct{ k, v string }
	for _, c := range []struct {
		in   string
		want []kv
		ok   bool
	}{
		{`{}`, nil, true},
		{`{"a":1}`, []kv{{"a", "1"}}, true},
		{`{"a":"x\"}","b":[1,{"c":"]"}],"d":null,"e":-1.5e3,"f":{"g":{}}}`,
			[]kv{{"a", `"x\"}"`}, {"b", `[1,{"c":"]"}]`}, {"d", "null"}, {"e", "-1.5e3"}, {"f", `{"g":{}}`}}, true},
		{`{"a":"\\"}`, []kv{{"a", `"\\"`}}, true},
		{`{"a":"\\\""}`, []kv{{"a", `"\\\""`}}, true},
		{`{"a": 1}`, nil, false},
		{`{"a\n":1}`, nil, false},
		{`{"a":1,}`, nil, false},
		{`{"a":1}x`, nil, false},
		{`{"a":}`, nil, false},
		{`{"a":1 }`, nil, false},
		{`{"a":"1}`, nil, false},
		{`{"a":[1}`, nil, false},
		{`[1]`, nil, false},
		{``, nil, false},
		{`{`, nil, false},
	} {
		var got []kv
		err := Members([]byte(c.in), func(k, v []byte) error {
			got = append(got, kv{string(k), string(v)})
			return nil
		})
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v", c.in, err)
			continue
		}
		if c.ok && len(got) != len(c.want) {
			t.Errorf("%s: %q", c.in, got)
			continue
		}
		for i := range c.want {
			if c.ok && got[i] != c.want[i] {
				t.Errorf("%s: member %d is %q, want %q", c.in, i, got[i], c.want[i])
			}
		}
	}
}

// FuzzMembers holds Members to encoding/json: on every valid JSON object
// in compact form whose keys have no escapes, it must give the members
// encoding/json sees.
func FuzzMembers(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1,"b":"x\"y","c":[{"d":"}"}],"e":null}`, `{"k":{"a":[1,2,{"b":"\\"}]}}`, `{"a":true,"b":false}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var c bytes.Buffer
		if !json.Valid(in) || json.Compact(&c, in) != nil || !utf8.Valid(c.Bytes()) {
			Members(in, func(k, v []byte) error { return nil }) // must not panic
			return
		}
		var want map[string]json.RawMessage
		if c.Bytes()[0] != '{' || json.Unmarshal(c.Bytes(), &want) != nil {
			return // not an object (null decodes into a map too)
		}
		got := map[string]string{}
		err := Members(c.Bytes(), func(k, v []byte) error {
			if !json.Valid(v) {
				t.Fatalf("member %q: value %q is not JSON", k, v)
			}
			got[string(k)] = string(v)
			return nil
		})
		if err != nil {
			if !bytes.Contains(c.Bytes(), []byte(`\`)) {
				t.Fatalf("%s: %v", c.Bytes(), err)
			}
			return
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d members, encoding/json sees %d", c.Bytes(), len(got), len(want))
		}
		for k, v := range want {
			if got[k] != string(v) {
				t.Fatalf("%s: member %q is %q, encoding/json says %q", c.Bytes(), k, got[k], v)
			}
		}
	})
}
