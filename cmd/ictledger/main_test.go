package main

import (
	"context"
	"os"
	"testing"
)

// TestMain lets this test binary be a render worker: a server that a test
// runs as a process of its own (TestServerProcess) starts its workers as
// its own executable with the argument render-worker, as the real binary
// does.
func TestMain(m *testing.M) {
	if len(os.Args) == 2 && os.Args[1] == "render-worker" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	if len(os.Args) == 3 && os.Args[1] == fakeWorkerArg {
		fakeWorker(os.Args[2]) // a worker that misbehaves, see renderlimits_test.go
	}
	os.Exit(m.Run())
}
