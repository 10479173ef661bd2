// Command loadfloor serves loadtest.Floor on a loopback address: a server
// that answers the load test with fixed bytes and no work, to measure the
// floor under the load test's figures on this machine (see
// docs/benchmarks.md). It is a measuring tool and keeps no data.
//
//	loadfloor --addr 127.0.0.1:8093 --bytes 66622
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/ictledger/ictledger/loadtest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8093", "loopback HOST:PORT to listen on")
	size := flag.Int("bytes", 66622, "size of every metrics answer (the example return's metrics are about 66 kB)")
	flag.Parse()
	if err := run(*addr, *size); err != nil {
		fmt.Fprintln(os.Stderr, "loadfloor:", err)
		os.Exit(1)
	}
}

func run(addr string, size int) error {
	if err := loadtest.CheckLoopback(addr); err != nil {
		return err
	}
	// The same connection timeouts as ictledger serve, which net/http
	// sets on every request.
	srv := &http.Server{Addr: addr, Handler: loadtest.Floor(size),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	return srv.ListenAndServe()
}
