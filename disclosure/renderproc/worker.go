package renderproc

import (
	"bufio"
	"errors"
	"io"

	"github.com/ictledger/ictledger/disclosure"
)

// Serve is the worker: it reads bundles from in and writes each one's
// reply to out, until in ends (nil) or a frame cannot be read or written
// (that error). A bundle that does not decode or render gets an error
// reply, and the worker goes on with the next.
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

func render(raw []byte) ([]byte, error) {
	b, err := disclosure.DecodeBundle(raw)
	if err != nil {
		return nil, err
	}
	return disclosure.Render(b)
}
