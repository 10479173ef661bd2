// Package buildid names the program this process runs. Files the server
// derives from the ledger and keeps beside it (the state snapshot, the
// regional terms) are labelled with it and read back only by the same
// build: another build may apply entries or compute figures differently,
// and must derive them again from the ledger itself.
package buildid

import (
	"crypto/sha256"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"sync"
)

// ID names one build of a program.
type ID [sha256.Size]byte

// Running is the ID of the program this process runs, worked out once.
//
// On Linux the program is read as /proc/self/exe, which stays the
// running program when an upgrade installs the next build at its path
// (by rename, as package managers do). os.Executable names the path, so
// reading what it names would give the next build's ID, and a server
// stopping after such an upgrade would label what it writes at its stop
// as the new build's. Elsewhere the path is all there is; call Running
// early (the store does at Open) to read it before an upgrade can.
var Running = sync.OnceValues(func() (ID, error) {
	exe := "/proc/self/exe"
	if _, err := os.Stat(exe); err != nil {
		if exe, err = os.Executable(); err != nil {
			return ID{}, err
		}
	}
	return Of(exe)
})

// Of is the ID of the program at path: the SHA-256 of the Go build ID
// the linker writes into an ELF executable (its last part is a hash of
// the linked program itself), read in well under a millisecond; or, for
// a file without one, the SHA-256 of the whole file (some tens of
// milliseconds for this program). The two kinds are hashed apart, so
// that neither can pass for the other.
func Of(path string) (ID, error) {
	if f, err := elf.Open(path); err == nil {
		defer f.Close()
		if sec := f.Section(".note.go.buildid"); sec != nil {
			if note, err := sec.Data(); err == nil && len(note) > 16 {
				h := sha256.New()
				h.Write([]byte("go build id\x00"))
				h.Write(note)
				var id ID
				h.Sum(id[:0])
				return id, nil
			}
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return ID{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ID{}, fmt.Errorf("read %s: %w", path, err)
	}
	var id ID
	h.Sum(id[:0])
	return id, nil
}

// String is the ID in hexadecimal.
func (id ID) String() string { return fmt.Sprintf("%x", id[:]) }
