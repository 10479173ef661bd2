package service

import "testing"

// TestResultCacheDropsLeastRecentlyUsedBytes: the cache keeps values up to
// its bound in bytes, drops the least recently used first, counts a
// replaced value once, and never keeps a value larger than the bound.
func TestResultCacheDropsLeastRecentlyUsedBytes(t *testing.T) {
	c := newResultCache(100)
	c.put("a", 1, 40)
	c.put("b", 2, 40)
	if _, ok := c.get("a"); !ok { // a is now more recent than b
		t.Fatal("a missing")
	}
	c.put("c", 3, 40) // 120 > 100: b, the least recently used, goes
	if _, ok := c.get("b"); ok {
		t.Fatal("b kept past the bound")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := c.get(k); !ok {
			t.Fatalf("%s dropped", k)
		}
	}
	c.put("c", 4, 60) // replaced: 40 + 60 = 100, within the bound
	if v, ok := c.get("c"); !ok || v != 4 || c.len() != 2 || c.used != 100 {
		t.Fatalf("after replacing c: %v %v, %d values, %d bytes", v, ok, c.len(), c.used)
	}
	c.put("huge", 5, 101)
	if _, ok := c.get("huge"); ok || c.len() != 2 {
		t.Fatal("a value over the whole bound was kept, or pushed others out")
	}
}
