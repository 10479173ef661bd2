package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// prepareDataDir creates the data directory, mode 0700, when it is
// missing, and refuses one that its group or others may write: whoever
// can write there can replace the journal, the checkpoint, the signing
// key or admin.token, and the ledger's signatures would then vouch for
// their entries. A directory others may only read is accepted; the
// secrets in it are files of mode 0600, checked when they are read.
func prepareDataDir(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create data directory: %w", err)
		}
		fi, err = os.Stat(dir)
	}
	if err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("data directory %s is not a directory", dir)
	}
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("data directory %s has mode %v: its group or others may write in it and replace the ledger's files or keys; "+
			"make it its owner's only (chmod 700 %s) and check the files in it before starting", dir, perm, dir)
	}
	return nil
}

// minAdminToken is the fewest characters ICTLEDGER_ADMIN_TOKEN may have:
// 32 random characters are beyond guessing (ictledger's own tokens have
// more), "x" or "admin" are not.
const minAdminToken = 32

// checkAdminToken refuses an ICTLEDGER_ADMIN_TOKEN that is too short to
// be secret, or that a client could never send back as given: the API
// trims a bearer token, and a header carries printable ASCII. An empty
// one means none is set.
func checkAdminToken(secret string) error {
	if secret == "" {
		return nil
	}
	if len(secret) < minAdminToken {
		return fmt.Errorf("ICTLEDGER_ADMIN_TOKEN has %d characters; an admin token must have at least %d random ones "+
			"(for example: ictl_$(openssl rand -hex 24))", len(secret), minAdminToken)
	}
	for i := 0; i < len(secret); i++ {
		if c := secret[i]; c <= ' ' || c > '~' {
			return fmt.Errorf("ICTLEDGER_ADMIN_TOKEN has a space, a control character or a non-ASCII byte at byte %d "+
				"(a newline from the file it was read from?); use printable ASCII only", i+1)
		}
	}
	return nil
}
