package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httputil"
	"strconv"
	"time"
)

// requestTimeout bounds one request, as a client's timeout would.
const requestTimeout = time.Minute

// maxBody bounds an answer's declared length (a PDF is a few hundred kB).
const maxBody = 1 << 30

// conn is one keep-alive HTTP/1.1 connection owned by one client
// goroutine. The generator shares the machine with the server it
// measures, and every microsecond of CPU it spends per request is taken
// from the server and shows up in the latencies it reports. So it speaks
// just the HTTP/1.1 it needs, on its own goroutine: it writes each request
// straight into the connection's buffer and reads the status line and the
// three headers it acts on (Content-Length, Transfer-Encoding, Connection),
// then the body into the client's reused buffer. Chunked bodies are
// decoded by net/http/httputil's reader.
//
// Before this, the generator used http.Transport (two goroutines and
// channel hand-offs per connection), then net/http's Request.Write and
// ReadResponse (a header map and a request value per request): 89, then
// 68, then about 55 µs of CPU per metrics read.
type conn struct {
	addr string
	nc   net.Conn
	br   *bufio.Reader
	bw   *bufio.Writer
}

// roundTrip sends one request and reads the whole answer into buf (reset
// first). The answer's bytes are valid until buf is used again. Any error
// closes the connection; the next request dials a new one.
func (c *conn) roundTrip(ctx context.Context, method, path, token string, body []byte, buf *bytes.Buffer) (int, []byte, error) {
	code, b, err := c.try(ctx, method, path, token, body, buf)
	if err != nil {
		c.close()
		if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
			// The dial or the connection failed at ctx's deadline: the
			// run ended, which ctx reports a moment later.
			<-ctx.Done()
		}
		if ctx.Err() != nil {
			return 0, nil, ctx.Err()
		}
		return 0, nil, err
	}
	return code, b, nil
}

func (c *conn) try(ctx context.Context, method, path, token string, body []byte, buf *bytes.Buffer) (int, []byte, error) {
	if c.nc == nil {
		d := net.Dialer{Timeout: requestTimeout}
		nc, err := d.DialContext(ctx, "tcp", c.addr)
		if err != nil {
			return 0, nil, err
		}
		// A small read buffer: status line and headers come through it,
		// and a body read larger than it goes straight into buf.
		c.nc, c.br, c.bw = nc, bufio.NewReaderSize(nc, 4<<10), bufio.NewWriterSize(nc, 4<<10)
	}
	deadline := time.Now().Add(requestTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := c.nc.SetDeadline(deadline); err != nil {
		return 0, nil, err
	}
	// A cancelled ctx without a deadline (an interrupt) cuts the
	// request off too.
	nc := c.nc
	stop := context.AfterFunc(ctx, func() { _ = nc.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if err := c.writeRequest(method, path, token, body); err != nil {
		return 0, nil, err
	}
	return c.readResponse(method, buf)
}

// writeRequest writes one request; a body is sent as JSON.
func (c *conn) writeRequest(method, path, token string, body []byte) error {
	// These are written as they are, so nothing in them may end a
	// header line or split the request line.
	for _, f := range []string{method, path, token} {
		for i := range len(f) {
			if f[i] <= ' ' || f[i] == 0x7f {
				return fmt.Errorf("loadtest: a control character or space in %q", f)
			}
		}
	}
	w := c.bw
	w.WriteString(method)
	w.WriteByte(' ')
	w.WriteString(path)
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(c.addr)
	w.WriteString("\r\nUser-Agent: ictledger-loadtest\r\n")
	if token != "" {
		w.WriteString("Authorization: Bearer ")
		w.WriteString(token)
		w.WriteString("\r\n")
	}
	if body != nil {
		w.WriteString("Content-Type: application/json\r\nContent-Length: ")
		w.WriteString(strconv.Itoa(len(body)))
		w.WriteString("\r\n")
	}
	w.WriteString("\r\n")
	w.Write(body)
	return w.Flush()
}

// readResponse reads one answer into buf: its status code and body.
func (c *conn) readResponse(method string, buf *bytes.Buffer) (int, []byte, error) {
	line, err := c.line()
	if err != nil {
		return 0, nil, err
	}
	// "HTTP/1.1 200 OK"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' || len(line) > 12 && line[12] != ' ' {
		return 0, nil, fmt.Errorf("malformed status line %q", line)
	}
	code, err := strconv.Atoi(string(line[9:12]))
	if err != nil || code < 200 || code > 599 {
		return 0, nil, fmt.Errorf("unexpected status line %q", line)
	}
	length, chunked, closing := int64(-1), false, false
	for {
		line, err := c.line()
		if err != nil {
			return 0, nil, err
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, nil, fmt.Errorf("malformed header line %q", line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.ParseInt(string(value), 10, 64); err != nil || length < 0 || length > maxBody {
				return 0, nil, fmt.Errorf("bad Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	buf.Reset()
	switch {
	case method == "HEAD" || code == 204 || code == 304:
	case chunked:
		if _, err := buf.ReadFrom(httputil.NewChunkedReader(c.br)); err != nil {
			return 0, nil, err
		}
		for { // trailers, up to the empty line that ends the message
			line, err := c.line()
			if err != nil {
				return 0, nil, err
			}
			if len(line) == 0 {
				break
			}
		}
	case length >= 0:
		buf.Grow(int(length))
		if n, err := buf.ReadFrom(io.LimitReader(c.br, length)); err != nil || n != length {
			return 0, nil, fmt.Errorf("body cut short at %d of %d bytes: %v", n, length, err)
		}
	default: // the body runs to the end of the connection
		if _, err := buf.ReadFrom(c.br); err != nil {
			return 0, nil, err
		}
		closing = true
	}
	if closing {
		c.close()
	}
	return code, buf.Bytes(), nil
}

// line reads one header line without its CRLF. Its bytes are valid until
// the next read.
func (c *conn) line() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return nil, errors.New("header line longer than 4 kB")
	}
	if err != nil {
		return nil, err
	}
	return bytes.TrimRight(line, "\r\n"), nil
}

func (c *conn) close() {
	if c.nc != nil {
		_ = c.nc.Close()
		c.nc, c.br, c.bw = nil, nil, nil
	}
}
