package service

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Many requests for one document at once render it once and all get it.
func TestPDFCacheRendersOnce(t *testing.T) {
	c := newPDFCache(renderGateOf(Config{}), newResultCache(0))
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
			doc, err := c.get(context.Background(), "k", render)
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
	if doc, _ := c.get(context.Background(), "k", func() (rendered, error) { t.Fatal("rendered again"); return rendered{}, nil }); string(doc.pdf) != "%PDF-doc" {
		t.Fatalf("cached: %q", doc.pdf)
	}
}

// A failed render is not cached: the next request renders again.
func TestPDFCacheRetriesAfterFailure(t *testing.T) {
	c := newPDFCache(renderGateOf(Config{}), newResultCache(0))
	if _, err := c.get(context.Background(), "k", func() (rendered, error) { return rendered{}, errors.New("disk") }); err == nil {
		t.Fatal("no error")
	}
	doc, err := c.get(context.Background(), "k", func() (rendered, error) { return rendered{pdf: []byte("ok")}, nil })
	if err != nil || string(doc.pdf) != "ok" {
		t.Fatalf("%q %v", doc.pdf, err)
	}
}

// No more renders run at once than the cache has slots, however many
// different documents are asked for.
func TestPDFCacheBoundsRenders(t *testing.T) {
	c := newPDFCache(renderGateOf(Config{}), newResultCache(0))
	var running, most atomic.Int32
	var wg sync.WaitGroup
	for i := range 4 * c.gate.slots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = c.get(context.Background(), string(rune('a'+i)), func() (rendered, error) {
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
	if m := most.Load(); m < 1 || int(m) > c.gate.slots {
		t.Fatalf("%d renders at once, slots %d", m, c.gate.slots)
	}
}

// A render that panics frees its slot and wakes the requests waiting for
// that document; later renders still run.
func TestPDFCacheSurvivesAPanic(t *testing.T) {
	c := newPDFCache(renderGateOf(Config{}), newResultCache(0))
	started := make(chan struct{})
	release := make(chan struct{})
	panicked := make(chan any, 1)
	go func() {
		defer func() { panicked <- recover() }()
		_, _ = c.get(context.Background(), "k", func() (rendered, error) {
			close(started)
			<-release
			panic("template bug")
		})
	}()
	<-started
	type answer struct {
		pdf []byte
		err error
	}
	waiter := make(chan answer, 1)
	go func() {
		doc, err := c.get(context.Background(), "k", func() (rendered, error) { return rendered{pdf: []byte("second")}, nil })
		waiter <- answer{doc.pdf, err}
	}()
	time.Sleep(10 * time.Millisecond) // let the waiter find the render in flight
	close(release)
	if v := <-panicked; v != "template bug" {
		t.Fatalf("the panic did not reach the caller: %v", v)
	}
	select {
	case a := <-waiter:
		// It waited for the render that panicked and got its error, or
		// (on a slow machine) came after it and rendered its own.
		if a.err != nil && !strings.Contains(a.err.Error(), "panicked") || a.err == nil && string(a.pdf) != "second" {
			t.Fatalf("waiter: %q %v", a.pdf, a.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiter hangs after the panic")
	}
	done := make(chan []byte, 1)
	go func() {
		doc, _ := c.get(context.Background(), "other", func() (rendered, error) { return rendered{pdf: []byte("ok")}, nil })
		done <- doc.pdf
	}()
	select {
	case pdf := <-done:
		if string(pdf) != "ok" {
			t.Fatalf("after the panic: %q", pdf)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the slot was not freed: renders hang after a panic")
	}
}

// A request whose client leaves while it waits for a slot gives up
// without rendering, and a request for the same document still gets it.
func TestPDFCacheGivesUpWithTheClient(t *testing.T) {
	c := newPDFCache(renderGateOf(Config{}), newResultCache(0))
	// Fill every slot with a render that waits.
	release := make(chan struct{})
	var busy sync.WaitGroup
	for i := range c.gate.slots {
		busy.Add(1)
		started := make(chan struct{})
		go func() {
			defer busy.Done()
			_, _ = c.get(context.Background(), "busy"+string(rune('a'+i)), func() (rendered, error) {
				close(started)
				<-release
				return rendered{}, nil
			})
		}()
		<-started
	}
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() {
		_, err := c.get(ctx, "k", func() (rendered, error) { t.Error("rendered for a client that left"); return rendered{}, nil })
		gone <- err
	}()
	other := make(chan []byte, 1)
	time.Sleep(10 * time.Millisecond) // the first request starts "k" and waits for a slot
	go func() {
		doc, _ := c.get(context.Background(), "k", func() (rendered, error) { return rendered{pdf: []byte("doc")}, nil })
		other <- doc.pdf
	}()
	time.Sleep(10 * time.Millisecond) // the second waits for the first
	cancel()
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Fatalf("the request whose client left: %v", err)
	}
	close(release)
	busy.Wait()
	select {
	case pdf := <-other:
		if string(pdf) != "doc" {
			t.Fatalf("the remaining request got %q", pdf)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the remaining request hangs")
	}
}
