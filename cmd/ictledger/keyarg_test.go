package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestKeyArg(t *testing.T) {
	const key = "ictledger+61561ba4+AR5GtQMO620DMTgVk1WdxpOo0WCjeq36ATOMvvWPYegR"
	dir := t.TempDir()
	file := filepath.Join(dir, "ledger.pub")
	if err := os.WriteFile(file, []byte(key+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{key: key, file: key, "": "", dir: dir, "no/such/file": "no/such/file"} {
		if got, err := keyArg(in); err != nil || got != want {
			t.Errorf("keyArg(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
