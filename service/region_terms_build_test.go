package service

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildIdentityEnv tells the test binary to act as the child of
// TestBuildIdentityIsTheRunningProgram.
const buildIdentityEnv = "ICTLEDGER_SERVICE_BUILD_IDENTITY_CHILD"

// TestBuildIdentityProcess is the child of
// TestBuildIdentityIsTheRunningProgram: it prints its build identity,
// puts another program at the path of its own executable, as an upgrade
// does, and prints the identity again. It is not a test on its own.
func TestBuildIdentityProcess(t *testing.T) {
	if os.Getenv(buildIdentityEnv) == "" {
		t.Skip("helper process for TestBuildIdentityIsTheRunningProgram")
	}
	before, err := buildIdentity()
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	next := self + ".next"
	if err := os.WriteFile(next, []byte("the next build"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, self); err != nil {
		t.Fatal(err)
	}
	after, err := buildIdentity()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("before %s\nafter %s\n", before, after)
}

// TestBuildIdentityIsTheRunningProgram: a server whose executable's path
// was given another build (an upgrade installed while it runs) still
// writes its regional terms under its own identity, so that the new
// build does not read terms the old one computed.
func TestBuildIdentityIsTheRunningProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	prog, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "service.test")
	if err := os.WriteFile(path, prog, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, "-test.run=^TestBuildIdentityProcess$")
	cmd.Env = append(os.Environ(), buildIdentityEnv+"=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v: %s", err, out)
	}
	var before, after string
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "before "); ok {
			before = v
		}
		if v, ok := strings.CutPrefix(line, "after "); ok {
			after = v
		}
	}
	if before == "" || before != after {
		t.Fatalf("identity %q before the upgrade, %q after it; want the same", before, after)
	}
}
