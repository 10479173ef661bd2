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

// readmeImages finds the images the README shows: HTML <img src="...">
// and Markdown ![alt](path).
var readmeImages = regexp.MustCompile(`<img src="([^"]+)"|!\[[^\]]*\]\(([^)\s]+)\)`)

// maxReadmeImage bounds an image the README shows, so that a clone stays
// small: screenshots are committed reduced and quantised.
const maxReadmeImage = 150 << 10

// TestReadmeImagesExist checks that every image the README shows is a
// file of the repository (not a link elsewhere, which may vanish), a PNG,
// and small.
func TestReadmeImagesExist(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	found := readmeImages.FindAllStringSubmatch(string(readme), -1)
	if len(found) < 3 {
		t.Fatalf("the README shows %d images; it shows two screenshots and a PDF page", len(found))
	}
	for _, m := range found {
		src := m[1] + m[2]
		if strings.Contains(src, "://") || strings.HasPrefix(src, "/") || strings.Contains(src, "..") {
			t.Errorf("%s: the README's images are files under docs/img", src)
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(src)))
		if err != nil {
			t.Errorf("the README shows %s: %v", src, err)
			continue
		}
		if !strings.HasPrefix(string(b), "\x89PNG\r\n\x1a\n") {
			t.Errorf("%s is not a PNG", src)
		}
		if len(b) > maxReadmeImage {
			t.Errorf("%s is %d bytes; reduce it below %d", src, len(b), maxReadmeImage)
		}
	}
}
