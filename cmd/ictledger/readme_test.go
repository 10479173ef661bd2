package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeOutputs finds what the README's commands write into the working
// directory: data directories, backups, monitor state, saved keys,
// checkpoints and downloads.
var readmeOutputs = regexp.MustCompile(`(?:--data|--state|--save|backup \S+|-o|>) (\./\S+|[a-z][\w.-]*\.\w+)`)

// TestReadmeOutputsAreIgnored checks that every file or directory the
// README's commands create in a clone is in .gitignore: a backup holds
// the signing key and the token files, a data directory the admin token,
// and none of them may be committed by a "git add .".
func TestReadmeOutputsAreIgnored(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git is needed to check .gitignore")
		}
		t.Skip("no git")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var outputs []string
	for _, m := range readmeOutputs.FindAllStringSubmatch(string(readme), -1) {
		// A shell substitution in a name stands for a value, such as a date.
		name := strings.ReplaceAll(m[1], "$(date", "2026-12-07")
		outputs = append(outputs, strings.TrimRight(name, "`.,)"))
	}
	for _, want := range []string{"./data", "./load-data", "./monitor-state"} {
		if !contains(outputs, want) {
			t.Fatalf("the README's outputs %v lack %s: the pattern no longer finds them", outputs, want)
		}
	}
	ignored := func(name string) bool {
		cmd := exec.Command(git, "check-ignore", "-q", "--no-index", name)
		cmd.Dir = root
		return cmd.Run() == nil
	}
	for _, name := range outputs {
		// A directory's files, or the file itself, must be ignored.
		if !ignored(filepath.Join(name, "x")) && !ignored(name) {
			t.Errorf("%s, written by a README command, is not in .gitignore", name)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
