package buildid

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The test binary is an ELF executable with a Go build ID: its ID is
// that note's, the same read through its path or as the running program.
func TestRunningIsThisProgram(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	byPath, err := Of(self)
	if err != nil {
		t.Fatal(err)
	}
	running, err := Running()
	if err != nil {
		t.Fatal(err)
	}
	if byPath != running {
		t.Fatalf("the running program is %s, its file %s", running, byPath)
	}
	prog, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if whole := ID(sha256.Sum256(prog)); running == whole {
		t.Fatalf("the ID of a Go program is the hash of the whole file, not of its build ID")
	}
}

// A file without a Go build ID is named by the hash of its bytes, so
// that two such files differ by their content.
func TestOfAFileWithoutBuildID(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.WriteFile(a, []byte("#!/bin/sh\necho one\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("#!/bin/sh\necho two\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	ia, err := Of(a)
	if err != nil {
		t.Fatal(err)
	}
	ib, err := Of(b)
	if err != nil {
		t.Fatal(err)
	}
	if ia != ID(sha256.Sum256([]byte("#!/bin/sh\necho one\n"))) {
		t.Errorf("a: %s, want the SHA-256 of the file", ia)
	}
	if ia == ib {
		t.Errorf("two different files have the same ID %s", ia)
	}
	if _, err := Of(filepath.Join(dir, "missing")); err == nil {
		t.Errorf("a missing file has an ID")
	}
}

// upgradeEnv tells the test binary to act as the child of
// TestRunningSurvivesAnUpgrade.
const upgradeEnv = "ICTLEDGER_BUILDID_UPGRADE_CHILD"

// TestUpgradeProcess is the child of TestRunningSurvivesAnUpgrade: it
// puts another file at the path of its own executable, as an upgrade
// does, and only then asks for its ID. It is not a test on its own.
func TestUpgradeProcess(t *testing.T) {
	if os.Getenv(upgradeEnv) == "" {
		t.Skip("helper process for TestRunningSurvivesAnUpgrade")
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
	id, err := Running()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("build %s\n", id)
}

// TestRunningSurvivesAnUpgrade: a process whose executable's path was
// given another build (an upgrade installed while it runs) still names
// its own build, so that what it writes at its stop (a state snapshot,
// regional terms) is not taken by the new build for its own.
func TestRunningSurvivesAnUpgrade(t *testing.T) {
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
	path := filepath.Join(t.TempDir(), "buildid.test")
	if err := os.WriteFile(path, prog, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, "-test.run=^TestUpgradeProcess$")
	cmd.Env = append(os.Environ(), upgradeEnv+"=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v: %s", err, out)
	}
	own, err := Of(self)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("build %s\n", own); !strings.Contains(string(out), want) {
		t.Fatalf("the child printed %q, want its own program's build %q", out, want)
	}
}
