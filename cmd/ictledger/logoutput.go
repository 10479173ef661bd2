package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// logOutput collects log lines in memory and writes them out in batches:
// every flushEvery, when a batch reaches flushBytes, and at once after a
// line at warning level or above (see flushingHandler). The server writes
// an access line for every request; one write system call per line cost
// about a tenth of the server's CPU under a read load of 64 clients.
//
// What this gives up: lines of the last flushEvery are lost if the
// process is killed or dies of a panic outside a request (the runtime
// prints the panic itself). They are access and info lines only (a
// warning or error is written before the call that logged it returns),
// and the ledger's own durability does not depend on the log.
type logOutput struct {
	out io.Writer

	mu     sync.Mutex
	buf    []byte
	closed bool  // after close, lines are written as they come
	werr   error // the last write error, reported by close

	stop chan struct{}
	done chan struct{}
}

const (
	flushEvery = 50 * time.Millisecond
	flushBytes = 64 << 10
)

// newLogOutput batches lines for out, flushing them at least every
// interval (flushEvery in the server).
func newLogOutput(out io.Writer, interval time.Duration) *logOutput {
	o := &logOutput{out: out, stop: make(chan struct{}), done: make(chan struct{})}
	go o.loop(interval)
	return o
}

// Write keeps a copy of p (slog hands each line to one Write call and
// reuses its buffer afterwards).
func (o *logOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf = append(o.buf, p...)
	if o.closed || len(o.buf) >= flushBytes {
		o.flushLocked()
	}
	return len(p), nil
}

func (o *logOutput) flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.flushLocked()
}

// flushLocked writes the batch while holding the lock, so that lines
// reach out in the order they were logged.
func (o *logOutput) flushLocked() {
	if len(o.buf) == 0 {
		return
	}
	if _, err := o.out.Write(o.buf); err != nil {
		o.werr = err
	}
	if cap(o.buf) > 4*flushBytes {
		o.buf = nil // one burst does not pin a large buffer
	} else {
		o.buf = o.buf[:0]
	}
}

func (o *logOutput) loop(interval time.Duration) {
	defer close(o.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			o.flush()
		case <-o.stop:
			return
		}
	}
}

// close stops the flusher and writes what is left; lines logged later
// are written one by one. It is called once, and returns the last error
// writing the log met.
func (o *logOutput) close() error {
	close(o.stop)
	<-o.done
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closed = true
	o.flushLocked()
	return o.werr
}

// flushingHandler writes the batch out after every record at warning
// level or above, so that a problem is in the log as soon as it is
// logged, and so are the lines before it.
type flushingHandler struct {
	slog.Handler
	out *logOutput
}

func (h flushingHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		h.out.flush()
	}
	return err
}

func (h flushingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return flushingHandler{Handler: h.Handler.WithAttrs(as), out: h.out}
}

func (h flushingHandler) WithGroup(name string) slog.Handler {
	return flushingHandler{Handler: h.Handler.WithGroup(name), out: h.out}
}
