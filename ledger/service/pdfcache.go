package service

import (
	"runtime"
	"sync"

	"github.com/ictledger/ictledger/ledger"
)

// pdfCache holds rendered disclosures by the entries they derive from,
// renders each document once however many ask for it at the same time,
// and admits a bounded number of renders at once.
//
// Rendering is CPU and allocation heavy (about 50 ms and 34 MB for an
// operator disclosure, twice that with the CJK font). Unbounded, a burst
// of downloads of new versions takes every core and keeps the collector
// busy, and the cheap requests (metrics reads, filings) wait behind it.
// With the bound, the waiting downloads cost nothing but a goroutine.
type pdfCache struct {
	mu       sync.Mutex
	done     map[string]rendered
	inflight map[string]*pdfRender
	slots    chan struct{}
}

// rendered is a document and what its disclosure.issued entry says.
type rendered struct {
	pdf    []byte
	issued ledger.DisclosureIssued
}

// pdfRender is one document being rendered; waiters read doc and err
// after done is closed.
type pdfRender struct {
	done chan struct{}
	doc  rendered
	err  error
}

// maxCachedPDFs bounds the cache (documents are about 100-300 KB).
const maxCachedPDFs = 256

// newPDFCache admits half the processors' worth of renders (at least one),
// so the other half stays free for everything else.
func newPDFCache() *pdfCache {
	return &pdfCache{done: map[string]rendered{}, inflight: map[string]*pdfRender{},
		slots: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))}
}

// get returns the document cached under key, or renders it with render.
// A failed render is not cached: the next request tries again.
func (c *pdfCache) get(key string, render func() (rendered, error)) (rendered, error) {
	c.mu.Lock()
	if doc, ok := c.done[key]; ok {
		c.mu.Unlock()
		return doc, nil
	}
	if r, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		<-r.done
		return r.doc, r.err
	}
	r := &pdfRender{done: make(chan struct{})}
	c.inflight[key] = r
	c.mu.Unlock()

	c.slots <- struct{}{}
	r.doc, r.err = render()
	<-c.slots

	c.mu.Lock()
	delete(c.inflight, key)
	if r.err == nil {
		if len(c.done) >= maxCachedPDFs {
			clear(c.done)
		}
		c.done[key] = r.doc
	}
	c.mu.Unlock()
	close(r.done)
	return r.doc, r.err
}
