package service

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
)

// acquireAsync asks g for a slot of class in a goroutine; the channel
// gets the release, or nil and the error.
func acquireAsync(g *renderGate, class renderClass) chan func() {
	got := make(chan func(), 1)
	go func() {
		release, err := g.acquire(context.Background(), class)
		if err != nil {
			release = nil
		}
		got <- release
	}()
	return got
}

// waitQueued waits until n renders of class wait at g.
func waitQueued(t *testing.T, g *renderGate, class renderClass, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		g.mu.Lock()
		k := len(g.queue[class])
		g.mu.Unlock()
		if k == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d renders of class %d wait, want %d", k, class, n)
		}
	}
}

// A download waiting for the one slot goes before a verification that
// came first: a flood of verifications delays a download by one render
// at most.
func TestGateDownloadsGoFirst(t *testing.T) {
	g := newRenderGate(1, 8, 8, time.Minute)
	first, err := g.acquire(context.Background(), classVerify)
	if err != nil {
		t.Fatal(err)
	}
	verify := acquireAsync(g, classVerify)
	waitQueued(t, g, classVerify, 1)
	download := acquireAsync(g, classDownload)
	waitQueued(t, g, classDownload, 1)
	first()
	select {
	case release := <-download:
		if release == nil {
			t.Fatal("the download was refused")
		}
		select {
		case <-verify:
			t.Fatal("the verification got a slot while the download held the only one")
		case <-time.After(20 * time.Millisecond):
		}
		release()
	case <-verify:
		t.Fatal("the verification that waited went before the download")
	case <-time.After(10 * time.Second):
		t.Fatal("the download did not get the free slot")
	}
	if release := <-verify; release == nil {
		t.Fatal("the verification was refused after the download")
	} else {
		release()
	}
}

// Verifications hold at most half the slots; a download still starts at
// once beside them.
func TestGateVerificationsHoldHalf(t *testing.T) {
	g := newRenderGate(2, 8, 8, time.Minute)
	release, err := g.acquire(context.Background(), classVerify)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	second := acquireAsync(g, classVerify)
	waitQueued(t, g, classVerify, 1)
	start := time.Now()
	download, err := g.acquire(context.Background(), classDownload)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the download waited %v beside one verification", d)
	}
	download()
	release()
	if r := <-second; r == nil {
		t.Fatal("the second verification was refused")
	} else {
		r()
	}
}

// A render refused a slot is EBusy: at once when the queue is full, and
// after the gate's wait when no slot frees in time. A slot freed later
// is not lost to the renders that gave up.
func TestGateRefusesWhenFullOrLate(t *testing.T) {
	g := newRenderGate(1, 1, 1, time.Minute)
	release, err := g.acquire(context.Background(), classDownload)
	if err != nil {
		t.Fatal(err)
	}
	waiting := acquireAsync(g, classDownload)
	waitQueued(t, g, classDownload, 1)
	if _, err := g.acquire(context.Background(), classDownload); !errors.Is(err, errRenderQueueFull) || ledger.ErrorCode(err) != ledger.EBusy {
		t.Fatalf("a download beyond the queue: %v, want busy", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.acquire(ctx, classVerify); !errors.Is(err, context.Canceled) {
		t.Fatalf("a verification whose client left: %v", err)
	}
	release()
	release() // a second release frees nothing more
	if r := <-waiting; r == nil {
		t.Fatal("the download that waited was refused")
	} else {
		r()
	}
	if g.running != [classes]int{} || len(g.queue[classDownload])+len(g.queue[classVerify]) != 0 {
		t.Fatalf("running %v, queues %v after every release", g.running, g.queue)
	}

	late := newRenderGate(1, 1, 1, 20*time.Millisecond)
	release, err = late.acquire(context.Background(), classDownload)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if _, err := late.acquire(context.Background(), classVerify); !errors.Is(err, errRenderWait) || ledger.ErrorCode(err) != ledger.EBusy {
		t.Fatalf("a verification that waited past the gate's wait: %v, want busy", err)
	}
	if n := len(late.queue[classVerify]); n != 0 {
		t.Fatalf("%d verifications still queued after giving up", n)
	}
}

// A verification takes a ticket before its upload is read; with every
// ticket taken the next is refused at once, and a ticket given back
// (once, however often release is called) serves the next.
func TestAdmitVerify(t *testing.T) {
	s := New(Config{VerifyQueue: 2})
	release1, err := s.AdmitVerify()
	if err != nil {
		t.Fatal(err)
	}
	release2, err := s.AdmitVerify()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdmitVerify(); ledger.ErrorCode(err) != ledger.EBusy {
		t.Fatalf("a third verification with two tickets: %v, want busy", err)
	}
	release1()
	release1()
	release3, err := s.AdmitVerify()
	if err != nil {
		t.Fatalf("after a ticket came back: %v", err)
	}
	if _, err := s.AdmitVerify(); ledger.ErrorCode(err) != ledger.EBusy {
		t.Fatalf("a second release gave back a ticket it did not hold: %v", err)
	}
	release2()
	release3()
	if n := len(s.pdfs.gate.tickets); n != 0 {
		t.Fatalf("%d tickets still taken", n)
	}
}

// A render stopped at its time limit may pass later (busy, 503 with
// Retry-After); one stopped at its memory limit will not (internal);
// any other failure of the renderer is internal too.
func TestRenderFailure(t *testing.T) {
	for _, c := range []struct {
		err  error
		code string
	}{
		{fmt.Errorf("worker: %w", disclosure.ErrRenderTimeout), ledger.EBusy},
		{fmt.Errorf("worker: %w", disclosure.ErrRenderMemory), ledger.EInternal},
		{fmt.Errorf("worker: %w", disclosure.ErrRenderUnavailable), ledger.EInternal},
	} {
		err := renderFailure(c.err, "could not render")
		if ledger.ErrorCode(err) != c.code || !errors.Is(err, c.err) {
			t.Errorf("%v: %v, want code %s wrapping it", c.err, err, c.code)
		}
	}
}
