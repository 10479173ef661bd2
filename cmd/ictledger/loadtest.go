package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ictledger/ictledger/loadtest"
)

// runLoadtest serves "ictledger loadtest --addr 127.0.0.1:PORT --clients N
// --duration D": a bounded load against a server on this machine. It
// exits 1 when any request failed.
func runLoadtest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "generate" {
		return runLoadtestGenerate(ctx, args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "the server's address; loopback only")
	clients := fs.Int("clients", 16, "concurrent clients, one operator each")
	duration := fs.Duration("duration", 10*time.Second, "how long to measure the load (at most 1h)")
	warmup := fs.Duration("warmup", 2*time.Second, "how long to load the server before measuring")
	maxReq := fs.Int64("max-requests", loadtest.DefaultMaxRequests, "stop after this many requests")
	reads := fs.Int("reads", 1, "metrics reads after each filing (0 for none)")
	pdfEvery := fs.Int("disclosure-every", 10, "rounds between disclosure downloads (0 for none)")
	readOnly := fs.Bool("read-only", false, "file once per client in the set-up, then only read metrics")
	adminToken := fs.String("admin-token", "", "admin bearer token to register the operators; default $ICTLEDGER_ADMIN_TOKEN")
	retFile := fs.String("return", "", "return JSON to file; default the built-in example return")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{"loadtest takes no arguments, got " + fs.Arg(0)}
	}
	cfg := loadtest.Config{Addr: *addr, Clients: *clients, Duration: *duration, Warmup: *warmup, MaxRequests: *maxReq,
		AdminToken: *adminToken, ReadsPerFiling: *reads, ReadOnly: *readOnly,
		DisclosureEvery: *pdfEvery}
	if cfg.DisclosureEvery == 0 {
		cfg.DisclosureEvery = -1
	}
	if cfg.ReadsPerFiling == 0 {
		cfg.ReadsPerFiling = -1
	}
	if cfg.AdminToken == "" {
		cfg.AdminToken = os.Getenv("ICTLEDGER_ADMIN_TOKEN")
	}
	if *retFile != "" {
		b, err := os.ReadFile(*retFile)
		if err != nil {
			return err
		}
		cfg.Return = b
	}
	rep, err := loadtest.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if err := rep.WriteText(stdout); err != nil {
		return err
	}
	if n := rep.Errors(); n > 0 {
		return fmt.Errorf("loadtest: %d requests failed", n)
	}
	return nil
}
