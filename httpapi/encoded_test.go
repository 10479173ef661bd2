package httpapi

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func TestEncodedCache(t *testing.T) {
	type val struct{ N int }
	var c encodedCache
	a, b := &val{1}, &val{2}
	ea, err := c.get(a)
	if err != nil || string(ea) != "{\"N\":1}\n" {
		t.Fatalf("%q %v", ea, err)
	}
	eb, _ := c.get(b)
	if string(eb) != "{\"N\":2}\n" {
		t.Fatalf("%q", eb)
	}
	again, _ := c.get(a)
	if &again[0] != &ea[0] {
		t.Fatal("second get encoded again")
	}
	for i := range maxEncoded + 1 {
		c.get(&val{i})
	}
	if len(c.m) > maxEncoded {
		t.Fatalf("cache holds %d entries", len(c.m))
	}
	big := make([]byte, 20<<20)
	c.get(&big)
	c.get(&val{-1})
	big2 := make([]byte, 20<<20)
	c.get(&big2)
	if c.bytes > maxEncodedBytes {
		t.Fatalf("cache holds %d bytes", c.bytes)
	}
	if e, _ := c.get(a); !bytes.Equal(e, ea) {
		t.Fatalf("after a reset: %q", e)
	}
}

// TestWriteCachedJSONLength: a cached body goes out with its length, so
// it is sent without chunk framing.
func TestWriteCachedJSONLength(t *testing.T) {
	s := New(Config{})
	v := &struct{ S string }{strings.Repeat("y", 10000)}
	rec := httptest.NewRecorder()
	s.writeCachedJSON(rec, httptest.NewRequest("GET", "/x", nil), http.StatusOK, v)
	if got, want := rec.Header().Get("Content-Length"), strconv.Itoa(rec.Body.Len()); got != want || rec.Body.Len() < 10000 {
		t.Fatalf("Content-Length %q for %d bytes", got, rec.Body.Len())
	}
	if rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("Content-Type %q", rec.Header().Get("Content-Type"))
	}
}
