package renderproc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ictledger/ictledger/disclosure"
)

// Config says how to run workers.
type Config struct {
	// Command makes the command that starts one worker: a process that
	// runs Worker (requests on its stdin, replies on file descriptor 3).
	// It is called for every start; the pool sets the command's stdin,
	// stdout, stderr and extra files.
	Command func() *exec.Cmd
	// Workers is how many workers may render at once (at least 1).
	Workers int
	// Nice is added to the workers' scheduling niceness (Linux; 0 keeps
	// the server's). Raising it needs no privilege.
	Nice int
	// Timeout ends a render that takes longer, by killing its worker
	// (default 20 s). It is kept far under the HTTP server's write
	// timeout, so that the request whose render was ended still gets its
	// answer.
	Timeout time.Duration
	// MemoryLimit caps each worker's memory in bytes (0: no cap): a hard
	// limit on its data segment (Linux), and a GOMEMLIMIT of three
	// quarters of it, so that its collector works harder before the hard
	// limit ends it. A worker that goes over it dies; its render fails
	// with ErrMemory and the next render starts another worker.
	MemoryLimit int64
	// CloseGrace is how long Close waits for renders still running
	// (default 10 s).
	CloseGrace time.Duration
	// Logger, when set, hears what the pool cannot report to a caller:
	// a niceness or a memory limit it could not set.
	Logger *slog.Logger
}

// Errors of the pool rather than of a bundle; each also matches
// disclosure.ErrRenderUnavailable.
var (
	// ErrStart: a worker could not be started, so the pool cannot render
	// at all.
	ErrStart = fmt.Errorf("render worker could not be started: %w", disclosure.ErrRenderUnavailable)
	// ErrWorker: a worker crashed, timed out or broke the protocol.
	ErrWorker = fmt.Errorf("render worker failed: %w", disclosure.ErrRenderUnavailable)
	// ErrTimeout: a worker was killed for going over Timeout. It also
	// matches ErrWorker and disclosure.ErrRenderTimeout.
	ErrTimeout = fmt.Errorf("render worker killed at its time limit: %w", disclosure.ErrRenderTimeout)
	// ErrMemory: a worker died for going over MemoryLimit. It also
	// matches ErrWorker and disclosure.ErrRenderMemory.
	ErrMemory = fmt.Errorf("render worker ran out of its memory limit: %w", disclosure.ErrRenderMemory)
	// ErrClosed: Render after Close.
	ErrClosed = fmt.Errorf("render workers are shut down: %w", disclosure.ErrRenderUnavailable)
)

// Pool renders bundles in worker processes, each doing one render at a
// time. Workers are started when first needed and again after one
// fails; a worker stays running between renders.
type Pool struct {
	cfg Config
	// slots holds one entry per worker that may run; nil for one not
	// started (or ended after a failure). Taking an entry is the right
	// to render.
	slots chan *proc

	mu      sync.Mutex
	live    map[*proc]struct{} // every started worker not yet ended
	closing chan struct{}      // closed by Close
	once    sync.Once
	warned  map[string]bool // the setting whose failure was logged

	starts, failures atomic.Uint64
}

// Stats counts, for monitoring, the workers started since New and the
// renders that failed because of their worker (a crash, a timeout, a
// broken reply), not because of their bundle.
type Stats struct{ Starts, Failures uint64 }

// Stats reads the counts.
func (p *Pool) Stats() Stats { return Stats{Starts: p.starts.Load(), Failures: p.failures.Load()} }

// DefaultTimeout is Config.Timeout when none is given: an operator
// disclosure renders in about 50 ms, so this leaves room for a large
// sector report on a loaded machine, and it is seconds, not minutes,
// under the HTTP server's timeouts.
const DefaultTimeout = 20 * time.Second

// New makes a pool; no worker starts until the first render or Warm.
func New(cfg Config) *Pool {
	cfg.Workers = max(1, cfg.Workers)
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.CloseGrace <= 0 {
		cfg.CloseGrace = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Pool{cfg: cfg, slots: make(chan *proc, cfg.Workers), live: map[*proc]struct{}{}, closing: make(chan struct{}),
		warned: map[string]bool{}}
	for range cfg.Workers {
		p.slots <- nil
	}
	return p
}

// Warm starts a worker when a free slot has none, so that the first
// render does not wait for a process to start: about a tenth of a second
// a start, which the first download after a restart would pay. It does
// not wait for the worker to be ready, nor for a busy slot.
func (p *Pool) Warm() error {
	select {
	case w := <-p.slots:
		if w == nil {
			var err error
			if w, err = p.start(); err != nil {
				p.slots <- nil
				return err
			}
		}
		p.slots <- w
	default:
	}
	return nil
}

// Render renders b in a worker, waiting for one to be free. The bytes are
// those disclosure.Render(b) gives. An error that matches
// disclosure.ErrRenderUnavailable is the pool's failure, not the
// bundle's.
func (p *Pool) Render(b *disclosure.Bundle) ([]byte, error) {
	raw, err := b.Encode()
	if err != nil {
		return nil, err
	}
	// Refused here, as the worker would refuse it, without sending it:
	// the error keeps its kind, and a worker is not made to read a
	// bundle of hundreds of megabytes for nothing.
	if err := disclosure.CheckBundleSize(len(raw), len(b.Entries)); err != nil {
		return nil, err
	}
	var w *proc
	select {
	case <-p.closing:
		return nil, ErrClosed
	default:
	}
	select {
	case w = <-p.slots:
	case <-p.closing:
		return nil, ErrClosed
	}
	if w != nil && w.exited() {
		// It died while idle (killed from outside, say): not this
		// render's fault; start another.
		p.end(w)
		w = nil
	}
	if w == nil {
		if w, err = p.start(); err != nil {
			p.slots <- nil
			return nil, err
		}
	}
	pdf, renderErr, err := w.render(raw, p.cfg.Timeout, p.cfg.MemoryLimit > 0)
	if err != nil {
		// The worker is in an unknown state: end it; the next render
		// starts a new one.
		p.failures.Add(1)
		p.end(w)
		p.slots <- nil
		return nil, err
	}
	if w.renice != nil {
		// Once more now that the worker's runtime has started its
		// threads: one being created while the group's niceness was
		// first set may have missed it.
		w.renice()
		w.renice = nil
	}
	p.slots <- w
	return pdf, renderErr
}

// end kills w and forgets it.
func (p *Pool) end(w *proc) {
	w.kill()
	p.mu.Lock()
	delete(p.live, w)
	p.mu.Unlock()
}

// Close ends the workers: idle ones see their input end and exit;
// renders still running get CloseGrace to finish, then every worker left
// is killed and the callers of those renders get an error. Render gives
// ErrClosed after Close.
func (p *Pool) Close() error {
	var errs []error
	p.once.Do(func() {
		p.mu.Lock()
		close(p.closing) // under mu: start sees it, or its worker is in live
		p.mu.Unlock()
		deadline := time.Now().Add(p.cfg.CloseGrace)
		timer := time.NewTimer(p.cfg.CloseGrace)
		defer timer.Stop()
		for range p.cfg.Workers {
			select {
			case w := <-p.slots:
				if w != nil {
					errs = append(errs, w.stop(time.Until(deadline)))
					p.mu.Lock()
					delete(p.live, w)
					p.mu.Unlock()
				}
			case <-timer.C:
				p.mu.Lock()
				for w := range p.live {
					w.kill()
				}
				p.mu.Unlock()
				errs = append(errs, fmt.Errorf("renders still running %v after shutdown began were ended", p.cfg.CloseGrace))
				return
			}
		}
	})
	return errors.Join(errs...)
}

// proc is one running worker.
type proc struct {
	cmd     *exec.Cmd
	in      io.WriteCloser // requests
	replies *bufio.Reader
	output  *tail // its stdout and stderr
	renice  func()
	done    chan struct{} // closed when the process has been waited for
	err     error         // its exit, after done
}

func (p *Pool) start() (*proc, error) {
	cmd := p.cfg.Command()
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	// Replies come on a pipe of their own (the worker's descriptor 3), so
	// nothing a library prints on stdout can break the protocol.
	replies, replyW, err := os.Pipe()
	if err != nil {
		in.Close()
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	cmd.ExtraFiles = []*os.File{replyW}
	if p.cfg.MemoryLimit > 0 {
		if cmd.Env == nil {
			cmd.Env = os.Environ()
		}
		cmd.Env = append(cmd.Env, "GOMEMLIMIT="+strconv.FormatInt(p.cfg.MemoryLimit/4*3, 10))
	}
	output := newTail(1<<10, 3<<10)
	cmd.Stdout, cmd.Stderr = output, output
	renice, niceErr, err := startNiced(cmd, p.cfg.Nice)
	replyW.Close() // the worker has its own copy now
	if err != nil {
		in.Close()
		replies.Close()
		return nil, fmt.Errorf("%w: %s: %v", ErrStart, cmd.Path, err)
	}
	// The limit is set before the first request is written, so no
	// render runs without it.
	var limitErr error
	if p.cfg.MemoryLimit > 0 {
		limitErr = limitMemory(cmd.Process.Pid, p.cfg.MemoryLimit)
	}
	w := &proc{cmd: cmd, in: in, replies: bufio.NewReaderSize(replies, 64<<10), output: output, renice: renice, done: make(chan struct{})}
	go func() {
		w.err = cmd.Wait()
		replies.Close()
		close(w.done)
	}()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.warnOnce(niceErr, "render workers run at the server's priority: their niceness could not be raised")
	p.warnOnce(limitErr, "render workers run without a hard memory limit: it could not be set")
	select {
	case <-p.closing:
		w.kill()
		return nil, ErrClosed
	default:
	}
	p.live[w] = struct{}{}
	p.starts.Add(1)
	return w, nil
}

// warnOnce logs msg the first time err is not nil; p.mu is held.
func (p *Pool) warnOnce(err error, msg string) {
	if err != nil && !p.warned[msg] {
		p.warned[msg] = true
		p.cfg.Logger.Warn(msg, "err", err)
	}
}

// render sends one bundle and reads the reply. renderErr is the worker's
// report that the bundle did not render; err a failure of the worker
// itself (it crashed, timed out, or broke the protocol). limited says
// the worker runs under a memory limit, so that a death for want of
// memory is told apart from another crash.
func (w *proc) render(raw []byte, timeout time.Duration, limited bool) (pdf []byte, renderErr, err error) {
	timer := time.AfterFunc(timeout, w.kill)
	reply, err := w.exchange(raw)
	if !timer.Stop() {
		// The timeout fired, and killed the worker, however the
		// exchange ended.
		return nil, nil, w.failed(ErrTimeout, fmt.Errorf("no reply within %v", timeout))
	}
	if err != nil {
		return nil, nil, w.failed(w.crashKind(limited), err)
	}
	switch reply[0] {
	case replyPDF:
		return reply[1:], nil, nil
	case replyError:
		return nil, errors.New(string(reply[1:])), nil
	}
	return nil, nil, w.failed(nil, fmt.Errorf("unknown reply kind %d", reply[0]))
}

func (w *proc) exchange(raw []byte) ([]byte, error) {
	if err := writeFrame(w.in, raw); err != nil {
		return nil, fmt.Errorf("sending the bundle: %w", err)
	}
	reply, err := readFrame(w.replies)
	if err != nil {
		return nil, fmt.Errorf("reading the reply: %w", err)
	}
	if len(reply) == 0 {
		return nil, errors.New("reading the reply: empty reply")
	}
	return reply, nil
}

// crashKind is ErrMemory when a worker under a memory limit died the
// way the Go runtime ends a process whose allocation the kernel refused,
// else nil: a plain crash. Which message the runtime prints depends on
// which allocation hit the limit first: the heap's ("fatal error:
// runtime: out of memory", or "out of memory: cannot allocate" before
// it) or the runtime's own metadata, such as the collector's when it
// runs at that moment ("fatal error: runtime: cannot allocate memory").
// It ends the worker and waits for its exit, so that all it printed is
// there.
func (w *proc) crashKind(limited bool) error {
	if !limited {
		return nil
	}
	w.kill()
	// A dying Go runtime prints every goroutine's stack before it exits;
	// on a loaded machine that has taken over 5 s.
	select {
	case <-w.done:
	case <-time.After(20 * time.Second):
		return nil
	}
	if out := w.output.String(); strings.Contains(out, "out of memory") || strings.Contains(out, "cannot allocate memory") {
		return ErrMemory
	}
	return nil
}

// failed ends the worker and describes its failure with how it exited
// and what it printed. kind, when not nil, is the pool error the failure
// also matches (ErrTimeout, ErrMemory).
func (w *proc) failed(kind, err error) error {
	w.kill()
	select {
	case <-w.done:
		err = fmt.Errorf("%v (worker %v)", err, w.err)
	case <-time.After(5 * time.Second):
	}
	head := ErrWorker
	if kind != nil {
		head = kind
	}
	msg := fmt.Sprintf("%v: %v", head, err)
	if s := strings.TrimSpace(w.output.String()); s != "" {
		msg += "; its output: " + s
	}
	return &workerError{msg: msg, kind: kind}
}

// workerError is a worker failure, matching ErrWorker, and kind and what
// kind matches when kind is set.
type workerError struct {
	msg  string
	kind error
}

func (e *workerError) Error() string { return e.msg }
func (e *workerError) Is(target error) bool {
	return target == ErrWorker || target == disclosure.ErrRenderUnavailable ||
		e.kind != nil && errors.Is(e.kind, target)
}

func (w *proc) exited() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

func (w *proc) kill() { _ = w.cmd.Process.Kill() }

// stop closes the worker's input and waits for it to exit, killing it
// after grace.
func (w *proc) stop(grace time.Duration) error {
	_ = w.in.Close()
	select {
	case <-w.done:
	case <-time.After(max(grace, 0)):
		w.kill()
		<-w.done
		return fmt.Errorf("render worker %d did not exit on end of input; killed", w.cmd.Process.Pid)
	}
	return nil
}

// tail keeps the first head bytes written to it and the last max: a
// crash's first line and its end.
type tail struct {
	mu        sync.Mutex
	head, max int
	first     []byte
	last      []byte
	dropped   bool
}

func newTail(head, max int) *tail { return &tail{head: head, max: max} }

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	if room := t.head - len(t.first); room > 0 {
		k := min(room, len(p))
		t.first = append(t.first, p[:k]...)
		p = p[k:]
	}
	t.last = append(t.last, p...)
	if over := len(t.last) - t.max; over > 0 {
		t.last = append(t.last[:0], t.last[over:]...)
		t.dropped = true
	}
	return n, nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dropped {
		return string(t.first) + " [...] " + string(t.last)
	}
	return string(t.first) + string(t.last)
}
