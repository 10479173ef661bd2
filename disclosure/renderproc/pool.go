package renderproc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/ictledger/ictledger/disclosure"
)

// Config says how to run workers.
type Config struct {
	// Command makes the command that starts one worker: a process that
	// runs Serve on its stdin and stdout. It is called for every start.
	Command func() *exec.Cmd
	// Workers is how many workers may render at once (at least 1).
	Workers int
	// Nice is added to the workers' scheduling niceness (Linux; 0 keeps
	// the server's). Raising it needs no privilege.
	Nice int
	// Timeout ends a render that takes longer, by killing its worker.
	Timeout time.Duration
	// CloseGrace is how long Close waits for renders still running
	// (default 10 s).
	CloseGrace time.Duration
}

// ErrStart wraps a failure to start a worker: the pool cannot render at
// all, as opposed to one render failing.
var ErrStart = errors.New("render worker could not be started")

// Pool renders bundles in worker processes, each doing one render at a
// time. Workers are started when first needed and again after one
// fails; a worker stays running between renders.
type Pool struct {
	cfg Config
	// slots holds one entry per worker that may run; nil for one not
	// started (or killed after a failure). Taking an entry is the right
	// to render.
	slots chan *proc

	mu      sync.Mutex
	live    map[*proc]struct{} // every started worker not yet ended
	closing chan struct{}      // closed by Close
	once    sync.Once
}

// ErrClosed is what Render gives once Close has been called.
var ErrClosed = errors.New("render workers are shut down")

// New makes a pool; no worker starts until the first render.
func New(cfg Config) *Pool {
	cfg.Workers = max(1, cfg.Workers)
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Minute
	}
	if cfg.CloseGrace <= 0 {
		cfg.CloseGrace = 10 * time.Second
	}
	p := &Pool{cfg: cfg, slots: make(chan *proc, cfg.Workers), live: map[*proc]struct{}{}, closing: make(chan struct{})}
	for range cfg.Workers {
		p.slots <- nil
	}
	return p
}

// Render renders b in a worker, waiting for one to be free. The bytes are
// those disclosure.Render(b) gives.
func (p *Pool) Render(b *disclosure.Bundle) ([]byte, error) {
	raw, err := b.Encode()
	if err != nil {
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
	if w == nil {
		if w, err = p.start(); err != nil {
			p.slots <- nil
			return nil, err
		}
	}
	pdf, renderErr, err := w.render(raw, p.cfg.Timeout)
	if err != nil {
		// The worker is in an unknown state: end it; the next render
		// starts a new one.
		p.end(w)
		p.slots <- nil
		return nil, err
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

// Close ends the workers: an idle one sees its stdin end and exits (or
// is killed if it has not within grace); renders still running get grace
// to finish, then their workers are killed too, and their callers get an
// error. Render gives ErrClosed after Close.
func (p *Pool) Close() error {
	grace := p.cfg.CloseGrace
	var errs []error
	p.once.Do(func() {
		close(p.closing)
		deadline := time.NewTimer(grace)
		defer deadline.Stop()
		for range p.cfg.Workers {
			select {
			case w := <-p.slots:
				if w != nil {
					errs = append(errs, w.stop(grace))
					p.mu.Lock()
					delete(p.live, w)
					p.mu.Unlock()
				}
			case <-deadline.C:
				p.mu.Lock()
				for w := range p.live {
					w.kill()
				}
				p.mu.Unlock()
				errs = append(errs, fmt.Errorf("renders still running %v after shutdown began were ended", grace))
				return
			}
		}
	})
	return errors.Join(errs...)
}

// proc is one running worker.
type proc struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *tail
	done   chan struct{} // closed when the process has been waited for
	err    error         // its exit, after done
}

func (p *Pool) start() (*proc, error) {
	cmd := p.cfg.Command()
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStart, err)
	}
	stderr := &tail{max: 4 << 10}
	cmd.Stderr = stderr
	if err := startNiced(cmd, p.cfg.Nice); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrStart, cmd.Path, err)
	}
	w := &proc{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 64<<10), stderr: stderr, done: make(chan struct{})}
	p.mu.Lock()
	p.live[w] = struct{}{}
	p.mu.Unlock()
	go func() {
		w.err = cmd.Wait()
		close(w.done)
	}()
	return w, nil
}

// render sends one bundle and reads the reply. renderErr is the worker's
// report that the bundle did not render; err a failure of the worker
// itself (it crashed, timed out, or broke the protocol).
func (w *proc) render(raw []byte, timeout time.Duration) (pdf []byte, renderErr, err error) {
	timer := time.AfterFunc(timeout, w.kill)
	defer timer.Stop()
	if err := writeFrame(w.in, raw); err != nil {
		return nil, nil, w.failed("sending the bundle", err)
	}
	reply, err := readFrame(w.out)
	if err != nil {
		return nil, nil, w.failed("reading the reply", err)
	}
	if len(reply) == 0 {
		return nil, nil, w.failed("reading the reply", errors.New("empty reply"))
	}
	switch reply[0] {
	case replyPDF:
		return reply[1:], nil, nil
	case replyError:
		return nil, errors.New(string(reply[1:])), nil
	}
	return nil, nil, w.failed("reading the reply", fmt.Errorf("unknown reply kind %d", reply[0]))
}

// failed describes a worker failure with what the worker said last.
func (w *proc) failed(doing string, err error) error {
	select {
	case <-w.done: // it exited: its status says more than a broken pipe
		err = fmt.Errorf("%v (worker %v)", err, w.err)
	case <-time.After(100 * time.Millisecond):
	}
	msg := fmt.Sprintf("render worker failed %s: %v", doing, err)
	if s := strings.TrimSpace(w.stderr.String()); s != "" {
		msg += "; its last output: " + s
	}
	return errors.New(msg)
}

func (w *proc) kill() {
	_ = w.cmd.Process.Kill()
}

// stop closes the worker's stdin and waits for it to exit, killing it
// after grace.
func (w *proc) stop(grace time.Duration) error {
	_ = w.in.Close()
	select {
	case <-w.done:
	case <-time.After(grace):
		w.kill()
		<-w.done
		return fmt.Errorf("render worker %d did not exit on end of input; killed", w.cmd.Process.Pid)
	}
	return nil
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
