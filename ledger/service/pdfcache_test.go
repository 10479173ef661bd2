package service

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Many requests for one document at once render it once and all get it.
func TestPDFCacheRendersOnce(t *testing.T) {
	c := newPDFCache()
	var renders atomic.Int32
	release := make(chan struct{})
	render := func() (rendered, error) {
		renders.Add(1)
		<-release
		return rendered{pdf: []byte("%PDF-doc")}, nil
	}
	var wg sync.WaitGroup
	got := make([][]byte, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc, err := c.get("k", render)
			if err != nil {
				t.Error(err)
			}
			got[i] = doc.pdf
		}()
	}
	// Let every goroutine find the render in flight before it ends.
	for deadline := time.Now().Add(5 * time.Second); renders.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Fatalf("rendered %d times, want 1", n)
	}
	for i, pdf := range got {
		if string(pdf) != "%PDF-doc" {
			t.Fatalf("request %d got %q", i, pdf)
		}
	}
	if doc, _ := c.get("k", func() (rendered, error) { t.Fatal("rendered again"); return rendered{}, nil }); string(doc.pdf) != "%PDF-doc" {
		t.Fatalf("cached: %q", doc.pdf)
	}
}

// A failed render is not cached: the next request renders again.
func TestPDFCacheRetriesAfterFailure(t *testing.T) {
	c := newPDFCache()
	if _, err := c.get("k", func() (rendered, error) { return rendered{}, errors.New("disk") }); err == nil {
		t.Fatal("no error")
	}
	doc, err := c.get("k", func() (rendered, error) { return rendered{pdf: []byte("ok")}, nil })
	if err != nil || string(doc.pdf) != "ok" {
		t.Fatalf("%q %v", doc.pdf, err)
	}
}

// No more renders run at once than the cache has slots, however many
// different documents are asked for.
func TestPDFCacheBoundsRenders(t *testing.T) {
	c := newPDFCache()
	var running, most atomic.Int32
	var wg sync.WaitGroup
	for i := range 4 * cap(c.slots) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = c.get(string(rune('a'+i)), func() (rendered, error) {
				n := running.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(5 * time.Millisecond)
				running.Add(-1)
				return rendered{pdf: []byte{byte(i)}}, nil
			})
		}()
	}
	wg.Wait()
	if m := most.Load(); m < 1 || int(m) > cap(c.slots) {
		t.Fatalf("%d renders at once, slots %d", m, cap(c.slots))
	}
}
