package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
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

func TestElements(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		ok   bool
	}{
		{`[]`, nil, true},
		{`[1]`, []string{"1"}, true},
		{`["x\"]",{"a":["]"]},[1,[2]],null,-1.5e3,true,"\\"]`,
			[]string{`"x\"]"`, `{"a":["]"]}`, `[1,[2]]`, "null", "-1.5e3", "true", `"\\"`}, true},
		{`["\\\"",""]`, []string{`"\\\""`, `""`}, true},
		{`[{},[]]`, []string{`{}`, `[]`}, true},
		{`[ 1]`, nil, false},
		{`[1 ]`, nil, false},
		{`[1, 2]`, nil, false},
		{`[1,]`, nil, false},
		{`[,1]`, nil, false},
		{`[1]x`, nil, false},
		{`[]]`, nil, false},
		{`["1]`, nil, false},
		{`[{"a":1]`, nil, false},
		{`[1:2]`, nil, false},
		{`{"a":1}`, nil, false},
		{``, nil, false},
		{`[`, nil, false},
	} {
		var got []string
		err := Elements([]byte(c.in), func(v []byte) error {
			got = append(got, string(v))
			return nil
		})
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v", c.in, err)
			continue
		}
		if c.ok && !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.in, got, c.want)
		}
	}
}

// Elements stops at the first error fn returns, and returns it.
func TestElementsStopsAtAnError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Elements([]byte(`[1,2,3]`), func(v []byte) error {
		n++
		if string(v) == "2" {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Fatalf("err %v after %d elements", err, n)
	}
}

// FuzzElements holds Elements to encoding/json: on every valid JSON
// array in compact form, it must give the elements encoding/json sees.
func FuzzElements(f *testing.F) {
	for _, s := range []string{`[]`, `[1,"x\"y",[{"d":"]"}],null]`, `[{"a":[1,2,{"b":"\\"}]},"]",true,false]`, `[[],{},""]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var c bytes.Buffer
		if !json.Valid(in) || json.Compact(&c, in) != nil || !utf8.Valid(c.Bytes()) {
			Elements(in, func(v []byte) error { return nil }) // must not panic
			return
		}
		var want []json.RawMessage
		if c.Bytes()[0] != '[' || json.Unmarshal(c.Bytes(), &want) != nil {
			return // not an array (null decodes into a slice too)
		}
		var got []string
		err := Elements(c.Bytes(), func(v []byte) error {
			if !json.Valid(v) {
				t.Fatalf("element %d: %q is not JSON", len(got), v)
			}
			got = append(got, string(v))
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", c.Bytes(), err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d elements, encoding/json sees %d", c.Bytes(), len(got), len(want))
		}
		for i, v := range want {
			if got[i] != string(v) {
				t.Fatalf("%s: element %d is %q, encoding/json says %q", c.Bytes(), i, got[i], v)
			}
		}
	})
}
