package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http"
	"time"
)

// requestTimeout bounds one request, as a client's timeout would.
const requestTimeout = time.Minute

// conn is one keep-alive HTTP/1.1 connection owned by one client
// goroutine. The generator shares the machine with the server it
// measures, so it talks HTTP without http.Transport's pool and its two
// goroutines and channel hand-offs per connection: it writes the request
// and parses the answer with net/http's own Request.Write and
// ReadResponse on its own goroutine. That took about a quarter off the
// generator's CPU per metrics read (89 to 68 µs), CPU that the server's
// latency figures would otherwise pay for.
type conn struct {
	addr string
	nc   net.Conn
	br   *bufio.Reader
	bw   *bufio.Writer
}

// roundTrip sends req and reads the whole answer into buf (reset first).
// The answer's bytes are valid until buf is used again. Any error closes
// the connection; the next request dials a new one.
func (c *conn) roundTrip(ctx context.Context, req *http.Request, buf *bytes.Buffer) (int, []byte, error) {
	code, b, err := c.try(ctx, req, buf)
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

func (c *conn) try(ctx context.Context, req *http.Request, buf *bytes.Buffer) (int, []byte, error) {
	if c.nc == nil {
		d := net.Dialer{Timeout: requestTimeout}
		nc, err := d.DialContext(ctx, "tcp", c.addr)
		if err != nil {
			return 0, nil, err
		}
		c.nc, c.br, c.bw = nc, bufio.NewReaderSize(nc, 64<<10), bufio.NewWriter(nc)
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
	return c.exchange(req, buf)
}

func (c *conn) exchange(req *http.Request, buf *bytes.Buffer) (int, []byte, error) {
	if err := req.Write(c.bw); err != nil {
		return 0, nil, err
	}
	if err := c.bw.Flush(); err != nil {
		return 0, nil, err
	}
	resp, err := http.ReadResponse(c.br, req)
	if err != nil {
		return 0, nil, err
	}
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, nil, err
	}
	if resp.Close {
		c.close()
	}
	return resp.StatusCode, buf.Bytes(), nil
}

func (c *conn) close() {
	if c.nc != nil {
		_ = c.nc.Close()
		c.nc, c.br, c.bw = nil, nil, nil
	}
}
