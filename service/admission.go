package service

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
)

// Admission to the render slots. Renders (downloads of documents not yet
// cached, and verifications, which render the document they check again)
// run a few at a time; everything else the server does never waits for
// them. A render that cannot start at once waits in a short queue, for a
// bounded time; past either bound the caller gets EBusy, which the API
// answers 503 with Retry-After, instead of an answer that comes minutes
// later or never.
//
// Verifications are the one render anyone can ask for with a body of
// their own choosing, so they are held tighter: a verification takes a
// ticket (AdmitVerify) before its upload is read, so that only as many
// uploads as there are tickets are ever held in memory, and of the render
// slots it may hold only half (at least one). A download waiting for a
// slot goes before every waiting verification: a flood of verifications
// delays a download by one render at most.

// Defaults of the admission limits (see Config).
const (
	defaultRenderQueue = 32
	defaultVerifyQueue = 4
	defaultRenderWait  = 10 * time.Second
)

// renderClass is what a render is for; downloads go first.
type renderClass int

const (
	classDownload renderClass = iota
	classVerify
	classes
)

// renderGate admits renders to a fixed number of slots, and holds the
// tickets of verifications (AdmitVerify).
type renderGate struct {
	tickets    chan struct{}
	slots      int
	verifyMax  int           // slots verifications may hold at once
	maxWaiting [classes]int  // renders of each class that may wait
	wait       time.Duration // longest wait for a slot

	mu      sync.Mutex
	running [classes]int
	queue   [classes][]*gateWaiter // first come, first served
}

// gateWaiter is one render waiting for a slot; ready is closed, and
// granted set under the gate's lock, when it has one.
type gateWaiter struct {
	ready   chan struct{}
	granted bool
}

// newRenderGate makes a gate of slots slots (zero: half the processors,
// at least one), with verifies tickets for verifications, where at most
// downloads downloads wait, each for at most wait.
func newRenderGate(slots, downloads, verifies int, wait time.Duration) *renderGate {
	if slots <= 0 {
		slots = max(1, runtime.GOMAXPROCS(0)/2)
	}
	return &renderGate{tickets: make(chan struct{}, verifies), slots: slots, verifyMax: max(1, slots/2),
		maxWaiting: [classes]int{downloads, verifies}, wait: wait}
}

// renderGateOf makes the gate cfg asks for, zero limits taking their
// defaults.
func renderGateOf(cfg Config) *renderGate {
	orDefault := func(n, def int) int {
		if n <= 0 {
			return def
		}
		return n
	}
	wait := cfg.RenderWait
	if wait <= 0 {
		wait = defaultRenderWait
	}
	return newRenderGate(cfg.RenderSlots, orDefault(cfg.RenderQueue, defaultRenderQueue), orDefault(cfg.VerifyQueue, defaultVerifyQueue), wait)
}

// errRenderQueueFull and errRenderWait are the two ways a render is
// refused for want of a slot.
var (
	errRenderQueueFull = ledger.Errorf(ledger.EBusy, "too many documents are waiting to be rendered; try again in a few seconds")
	errRenderWait      = ledger.Errorf(ledger.EBusy, "no renderer was free in time; try again in a few seconds")
)

// acquire waits for a render slot for class, for at most the gate's wait,
// or until ctx ends; release frees it. A slot free at once is taken even
// when ctx has ended: only waiting is given up, not a render that can
// start at once.
func (g *renderGate) acquire(ctx context.Context, class renderClass) (release func(), err error) {
	g.mu.Lock()
	if g.mayStart(class) && g.noneAhead(class) {
		g.running[class]++
		g.mu.Unlock()
		return g.releaser(class), nil
	}
	if len(g.queue[class]) >= g.maxWaiting[class] {
		g.mu.Unlock()
		return nil, errRenderQueueFull
	}
	w := &gateWaiter{ready: make(chan struct{})}
	g.queue[class] = append(g.queue[class], w)
	g.mu.Unlock()

	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case <-w.ready:
		return g.releaser(class), nil
	case <-ctx.Done():
		err = ctx.Err()
	case <-timer.C:
		err = errRenderWait
	}
	g.mu.Lock()
	granted := w.granted
	if !granted {
		g.queue[class] = slices.DeleteFunc(g.queue[class], func(o *gateWaiter) bool { return o == w })
	}
	g.mu.Unlock()
	if granted {
		// The slot came as the wait ended: hand it on.
		g.releaser(class)()
	}
	return nil, err
}

// mayStart says whether a render of class may take a slot now; g.mu is
// held.
func (g *renderGate) mayStart(class renderClass) bool {
	if g.running[classDownload]+g.running[classVerify] >= g.slots {
		return false
	}
	return class != classVerify || g.running[classVerify] < g.verifyMax
}

// noneAhead says whether no render waits that should go before one of
// class; g.mu is held.
func (g *renderGate) noneAhead(class renderClass) bool {
	if class == classVerify && len(g.queue[classVerify]) > 0 {
		return false
	}
	return len(g.queue[classDownload]) == 0
}

// releaser frees a slot of class once, and gives the free slots to the
// waiters: downloads first, then verifications up to their share.
func (g *renderGate) releaser(class renderClass) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.running[class]--
			for _, c := range []renderClass{classDownload, classVerify} {
				for len(g.queue[c]) > 0 && g.mayStart(c) {
					w := g.queue[c][0]
					g.queue[c] = g.queue[c][1:]
					g.running[c]++
					w.granted = true
					close(w.ready)
				}
			}
		})
	}
}

// AdmitVerify takes one of the tickets a verification needs before its
// upload is read, or fails at once with EBusy when they are all taken, so
// that a client told to come back later has not sent its body for
// nothing and only as many uploads as there are tickets are held in
// memory. release gives the ticket back; calling it again does nothing.
func (s *Service) AdmitVerify() (release func(), err error) {
	tickets := s.pdfs.gate.tickets
	select {
	case tickets <- struct{}{}:
	default:
		return nil, ledger.Errorf(ledger.EBusy, "too many documents are being verified at once; try again in a few seconds")
	}
	var once sync.Once
	return func() { once.Do(func() { <-tickets }) }, nil
}

// renderFailure is the error of a render that failed for what, telling
// the client whether trying again may help: a render stopped at its time
// limit may pass on a less busy server (EBusy, answered with
// Retry-After); one stopped at its memory limit will not.
func renderFailure(err error, what string) error {
	switch {
	case errors.Is(err, disclosure.ErrRenderTimeout):
		return &ledger.Error{Code: ledger.EBusy, Message: what + ": rendering it took longer than the render time limit; try again later", Err: err}
	case errors.Is(err, disclosure.ErrRenderMemory):
		return &ledger.Error{Code: ledger.EInternal, Message: what + ": rendering it needs more memory than a render worker may use", Err: err}
	}
	return &ledger.Error{Code: ledger.EInternal, Message: what + "; try again", Err: err}
}

// tooLarge is the error of a document whose bundle would be over what a
// verifier reads (disclosure.ErrBundleTooLarge), of entries entries. It
// is EUnavailable, a 503 without Retry-After: the same entries
// are too many at any time, and the ledger only grows, so a client is not
// told to come back.
func tooLarge(err error, what string, entries int) error {
	return &ledger.Error{Code: ledger.EUnavailable, Err: err,
		Message: fmt.Sprintf("%s: the proof it must attach (its %d entries) is over the %d MiB a verifier reads, so it cannot be issued in its layout; trying again will not help", what, entries, disclosure.MaxBundleSize>>20)}
}
