package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/ictledger/ictledger/ledger/atomicfile"
)

// SecretFile holds the key of the pages' CSRF tokens in the data
// directory: 32 random bytes in hex, mode 0600.
const SecretFile = "web.key"

// secretLen is the key's length in bytes.
const secretLen = 32

// LoadOrCreateSecret returns the CSRF key kept in dir, creating it on
// first start. Keeping it means a form opened before a restart of the
// server can still be sent after it. A key file that others may read, or
// that does not hold a key, is refused rather than replaced: someone
// could have read it, or it is not the file it should be. The caller must
// hold the data directory (the journal's lock).
func LoadOrCreateSecret(dir string) ([]byte, error) {
	path := filepath.Join(dir, SecretFile)
	b, err := atomicfile.ReadSecret(path, 256)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, secretLen)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("web: generate the CSRF key: %w", err)
		}
		if err := atomicfile.Write(dir, SecretFile, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("web: CSRF key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != secretLen {
		return nil, fmt.Errorf("web: %s does not hold a %d-byte key in hex; delete it to make a new one (open forms then expire)", path, secretLen)
	}
	return key, nil
}
