package service

import (
	"container/list"
	"sync"
)

// resultCache is the service's one cache: what it renders or computes on
// request and may be asked for again, each a pure function of the ledger
// entries and parameters its key names: a disclosure PDF, a return
// version's metrics, an operator's roll-up over a span. A key that names
// everything its value depends on never goes stale; a value that is no
// longer asked for ages out.
//
// It is bounded by the bytes its values are reckoned to take (a PDF its
// length, computed figures what heldBytes finds reachable from them), and
// drops the least recently used value first. Figures that depend only on one version and
// its factor set are not here: they are state (state.Figures).
type resultCache struct {
	mu    sync.Mutex
	max   int64
	used  int64
	order *list.List // of *cached, most recently used first
	byKey map[string]*list.Element
	// misses counts the look-ups that found nothing, for tests.
	misses int64
}

// cached is one value and the bytes it is reckoned to take.
type cached struct {
	key  string
	v    any
	size int64
}

// DefaultCacheBytes bounds the result cache when Config.CacheBytes is zero.
const DefaultCacheBytes = 256 << 20

func newResultCache(max int64) *resultCache {
	if max <= 0 {
		max = DefaultCacheBytes
	}
	return &resultCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the value under key, if any, and marks it recently used.
func (c *resultCache) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		c.misses++
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cached).v, true
}

// put keeps v under key, reckoned at size bytes, and drops the least
// recently used values until the cache is within its bound. A value
// larger than the whole bound is not kept.
func (c *resultCache) put(key string, v any, size int64) {
	if size > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		old := e.Value.(*cached)
		c.used += size - old.size
		old.v, old.size = v, size
		c.order.MoveToFront(e)
	} else {
		c.byKey[key] = c.order.PushFront(&cached{key: key, v: v, size: size})
		c.used += size
	}
	for c.used > c.max {
		last := c.order.Back()
		old := last.Value.(*cached)
		c.order.Remove(last)
		delete(c.byKey, old.key)
		c.used -= old.size
	}
}

// len is the number of values kept, for tests.
func (c *resultCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byKey)
}
