// Package backup makes a consistent copy of a ledger data directory while
// a server may be running in it and holding its lock.
//
// The copy is cut at the latest stored checkpoint: the checkpoint is read
// first, then exactly the journal records it covers are copied (a journal
// prefix, ending on a frame boundary), with the signing key, the public
// key and the checkpoint itself. The copy is then verified offline like
// "ictledger verify" does before it is declared good. Records filed after
// that checkpoint (at most about a second's worth with the server's
// checkpoint interval) are not in the copy.
//
// The state snapshot (store.SnapshotFile) is not copied: it is derived
// from the journal, and a server started on the copy replays the copied
// journal whole and writes a snapshot of its own.
//
// Restoring is replacing a stopped server's data directory with the copy;
// the server opens it as it is, with nothing to truncate.
package backup

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/ledger/journal"
	"github.com/ictledger/ictledger/ledger/verify"
)

// secretFiles are copied when present, owner-readable only: bearer secrets
// the server wrote for its operators, and the key of the pages' CSRF
// tokens (so that forms open during a restore still work).
var secretFiles = []string{"admin.token", "demo-tokens.json", "web.key" /* web.SecretFile */}

// Report says what Copy copied.
type Report struct {
	Entries uint64    // records in the copy: the checkpoint's size
	Root    tlog.Hash // the copy's Merkle root, equal to the checkpoint's
	Bytes   int64     // size of the copied journal file
	Files   []string  // names of the files written into the destination
}

// Copy copies the ledger in src into dst, which must not exist or be an
// empty directory, and verifies the copy against src's public key. It
// never writes in src and takes no lock there.
func Copy(src, dst string) (Report, error) {
	if err := emptyDir(dst); err != nil {
		return Report{}, err
	}
	vkey, err := checkpoint.VerifierKey(src)
	if err != nil {
		return Report{}, fmt.Errorf("backup: %w", err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return Report{}, fmt.Errorf("backup: %w", err)
	}
	// The checkpoint first: a server stores one only after the records it
	// covers are durable, so the journal read next holds at least those.
	msg, err := checkpoint.Latest(src)
	if errors.Is(err, fs.ErrNotExist) {
		return Report{}, fmt.Errorf("backup: %s has no stored checkpoint yet; a running server stores one within a second of a write", src)
	}
	if err != nil {
		return Report{}, fmt.Errorf("backup: %w", err)
	}
	cp, err := checkpoint.Open(msg, v)
	if err != nil {
		return Report{}, fmt.Errorf("backup: checkpoint in %s: %w", src, err)
	}

	rep := Report{Entries: cp.Size, Root: cp.Root}
	tmp := filepath.Join(dst, journal.FileName+".tmp")
	err = writeFile(tmp, 0o600, func(w io.Writer) error {
		n, err := journal.CopyPrefix(src, cp.Size, w, journal.InspectOptions{})
		rep.Bytes = n
		return err
	})
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dst, journal.FileName))
	}
	if err != nil {
		return Report{}, fmt.Errorf("backup: %w", err)
	}
	rep.Files = append(rep.Files, journal.FileName)

	type file struct {
		name     string
		perm     fs.FileMode
		optional bool
	}
	files := []file{{checkpoint.KeyFile, 0o600, false}, {checkpoint.PublicKeyFile, 0o644, false}}
	for _, name := range secretFiles {
		files = append(files, file{name, 0o600, true})
	}
	for _, f := range files {
		ok, err := copyFile(filepath.Join(src, f.name), filepath.Join(dst, f.name), f.perm)
		if err != nil || (!ok && !f.optional) {
			if err == nil {
				err = fmt.Errorf("%s is missing", filepath.Join(src, f.name))
			}
			return Report{}, fmt.Errorf("backup: %w", err)
		}
		if ok {
			rep.Files = append(rep.Files, f.name)
		}
	}
	// The checkpoint last, and the bytes that were read and checked, not
	// a newer one the server may have stored meanwhile.
	if err := writeFile(filepath.Join(dst, checkpoint.LatestFile), 0o644, func(w io.Writer) error {
		_, err := w.Write(msg)
		return err
	}); err != nil {
		return Report{}, fmt.Errorf("backup: %w", err)
	}
	rep.Files = append(rep.Files, checkpoint.LatestFile)
	if err := syncDir(dst); err != nil {
		return Report{}, fmt.Errorf("backup: %w", err)
	}

	got, err := verify.Dir(dst, vkey)
	if err != nil {
		return Report{}, fmt.Errorf("backup: the copy in %s does not verify: %w", dst, err)
	}
	if got.Entries != cp.Size || got.TornTail != nil || got.Root != cp.Root {
		return Report{}, fmt.Errorf("backup: the copy in %s holds %d records (root %v), want %d (root %v)",
			dst, got.Entries, got.Root, cp.Size, cp.Root)
	}
	return rep, nil
}

// emptyDir creates dir, or accepts it if it exists and is empty.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("backup: %w", err)
	case len(entries) > 0:
		return fmt.Errorf("backup: destination %s is not empty; give a new directory", dir)
	}
	return nil
}

// writeFile creates path with perm, lets fill write it, and fsyncs it.
func writeFile(path string, perm fs.FileMode, fill func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	err = fill(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// copyFile copies src to dst with perm; ok is false when src does not exist.
func copyFile(src, dst string, perm fs.FileMode) (ok bool, err error) {
	in, err := os.Open(src)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer in.Close()
	return true, writeFile(dst, perm, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
