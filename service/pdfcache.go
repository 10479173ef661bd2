package service

import (
	"context"
	"fmt"
	"sync"

	"github.com/ictledger/ictledger/ledger"
)

// pdfCache renders each disclosure once however many ask for it at the
// same time, keeps it in the service's result cache under the entries it
// derives from, and admits a bounded number of renders at once (see
// renderGate).
//
// Rendering is CPU and allocation heavy (about 50 ms and 34 MB for an
// operator disclosure, twice that with the CJK font). Unbounded, a burst
// of downloads of new versions takes every core and keeps the collector
// busy, and the cheap requests (metrics reads, filings) wait behind it.
// With the bound, a waiting download costs a goroutine, and gives up when
// its client does, or when the gate's queue or wait runs out.
type pdfCache struct {
	mu       sync.Mutex
	done     *resultCache
	inflight map[string]*pdfRender
	gate     *renderGate
}

// rendered is a document and what its disclosure.issued entry says.
type rendered struct {
	pdf    []byte
	issued ledger.DisclosureIssued
}

// pdfRender is one document being rendered; waiters read doc and err
// after done is closed. abandoned means its starter gave up before a
// slot was free, so nothing was rendered and a waiter should start again.
type pdfRender struct {
	done      chan struct{}
	doc       rendered
	err       error
	abandoned bool
}

// newPDFCache renders through gate; with the gate's default of half the
// processors' worth of slots, the other half stays free for everything
// else.
func newPDFCache(gate *renderGate, done *resultCache) *pdfCache {
	return &pdfCache{done: done, inflight: map[string]*pdfRender{}, gate: gate}
}

// get returns the document cached under key, or renders it with render.
// A failed render is not cached: the next request tries again. A caller
// whose ctx ends while it waits (for a slot, or for someone else's render
// of the same document) stops waiting; a render once started runs to the
// end and is cached. A render refused a slot (the gate's queue is full, or
// its wait ran out) is EBusy.
func (c *pdfCache) get(ctx context.Context, key string, render func() (rendered, error)) (rendered, error) {
	for {
		c.mu.Lock()
		if doc, ok := c.done.get("pdf|" + key); ok {
			c.mu.Unlock()
			return doc.(rendered), nil
		}
		if r, ok := c.inflight[key]; ok {
			c.mu.Unlock()
			select {
			case <-r.done:
				if r.abandoned {
					continue
				}
				return r.doc, r.err
			case <-ctx.Done():
				return rendered{}, ctx.Err()
			}
		}
		r := &pdfRender{done: make(chan struct{})}
		c.inflight[key] = r
		c.mu.Unlock()

		release, err := c.gate.acquire(ctx, classDownload)
		if err != nil {
			c.finish(key, r, true)
			return rendered{}, err
		}
		c.run(key, r, release, render)
		return r.doc, r.err
	}
}

// slot waits for a render slot for a verification, which renders outside
// the cache (it renders the document it checks again), until the gate's
// wait runs out or ctx ends. release frees it.
func (c *pdfCache) slot(ctx context.Context) (release func(), err error) {
	return c.gate.acquire(ctx, classVerify)
}

// run renders r in the slot the caller holds, and always frees the slot
// and wakes the waiters, also when render panics (the panic goes on up to
// the handler's recovery).
func (c *pdfCache) run(key string, r *pdfRender, release func(), render func() (rendered, error)) {
	defer func() {
		release()
		if v := recover(); v != nil {
			r.err = fmt.Errorf("rendering panicked: %v", v)
			c.finish(key, r, false)
			panic(v)
		}
		c.finish(key, r, false)
	}()
	r.doc, r.err = render()
}

// finish removes r from the renders in flight, caches a success and wakes
// the waiters.
func (c *pdfCache) finish(key string, r *pdfRender, abandoned bool) {
	c.mu.Lock()
	delete(c.inflight, key)
	r.abandoned = abandoned
	if !abandoned && r.err == nil {
		c.done.put("pdf|"+key, r.doc, int64(len(r.doc.pdf)))
	}
	c.mu.Unlock()
	close(r.done)
}
