package renderproc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ictledger/ictledger/disclosure"
)

// replyFD is the worker's file descriptor for replies (the first of
// exec.Cmd's ExtraFiles).
const replyFD = 3

// Worker runs a render worker in this process: requests on stdin,
// replies on descriptor 3. It returns when stdin ends, and exits the
// process if the server that started it goes away mid-render.
func Worker() error {
	// NewFile never fails for a small descriptor, open or not, and a
	// descriptor 3 the parent did not pass may be one the Go runtime
	// opened for itself; only the pipe the server passes is a pipe.
	replies := os.NewFile(replyFD, "replies")
	if fi, err := replies.Stat(); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		return errors.New("render-worker has no reply pipe on descriptor 3; ictledger serve starts it with one")
	}
	go exitWhenOrphaned(os.Getppid(), time.Second)
	return Serve(os.Stdin, replies)
}

// exitWhenOrphaned ends the process once its parent is no longer parent.
// A worker notices a server that ended (even by SIGKILL) when its input
// ends, but only between renders; this ends one stuck in a render, which
// nobody would wait for any more.
func exitWhenOrphaned(parent int, every time.Duration) {
	for range time.Tick(every) {
		if os.Getppid() != parent {
			os.Exit(2)
		}
	}
}

// Serve reads bundles from in and writes each one's reply to out, until
// in ends (nil) or a frame cannot be read or written (that error). A
// bundle that does not decode or render, or whose rendering panics, gets
// an error reply, and the worker goes on with the next.
func Serve(in io.Reader, out io.Writer) error {
	r := bufio.NewReader(in)
	w := bufio.NewWriterSize(out, 64<<10)
	for {
		req, err := readFrame(r)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		pdf, err := render(req)
		if err != nil {
			err = writeFrame(w, []byte{replyError}, []byte(err.Error()))
		} else {
			err = writeFrame(w, []byte{replyPDF}, pdf)
		}
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			return err
		}
	}
}

// render renders one request. A panic is the bundle's error: /v1/verify
// renders bundles anyone can send, and a crash would cost a new process
// each time.
func render(raw []byte) (pdf []byte, err error) {
	defer func() {
		if v := recover(); v != nil {
			pdf, err = nil, fmt.Errorf("rendering panicked: %v", v)
		}
	}()
	b, err := disclosure.DecodeBundle(raw)
	if err != nil {
		return nil, err
	}
	return renderBundle(b)
}

// renderBundle is disclosure.Render; tests replace it.
var renderBundle = disclosure.Render
