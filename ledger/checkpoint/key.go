package checkpoint

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/ictledger/ictledger/ledger/atomicfile"
)

// File names in the data directory.
const (
	// KeyFile holds the signing key in note.NewSigner form
	// ("PRIVATE+KEY+name+hash+base64"), mode 0600.
	KeyFile = "ledger.key"
	// PublicKeyFile holds the verifier key in note.NewVerifier form
	// ("name+hash+base64") and a newline, for anyone to read.
	PublicKeyFile = "ledger.pub"
)

// LoadOrCreateKey returns the log's signer and verifier. On first start it
// creates an Ed25519 key named origin in dir: the private key in KeyFile,
// mode 0600, written to a temporary file, fsynced and renamed, then the
// directory fsynced, so that a crash leaves no half-written key. It (re)writes
// PublicKeyFile whenever it is missing or stale.
//
// An existing key whose name is not origin, or whose file others may read,
// is refused rather than used: a key that changed name would make every
// earlier checkpoint unverifiable under the new name, and a readable key may
// have leaked. The caller must hold the data directory (the journal's lock)
// so that two processes do not create two keys.
func LoadOrCreateKey(dir, origin string) (note.Signer, note.Verifier, error) {
	path := filepath.Join(dir, KeyFile)
	skey, err := readKey(path)
	if errors.Is(err, fs.ErrNotExist) {
		skey, _, err = note.GenerateKey(rand.Reader, origin)
		if err != nil {
			return nil, nil, fmt.Errorf("checkpoint: generate key for origin %q: %w", origin, err)
		}
		if err = atomicfile.Write(dir, KeyFile, []byte(skey+"\n"), 0o600); err != nil {
			return nil, nil, fmt.Errorf("checkpoint: %w", err)
		}
	} else if err != nil {
		return nil, nil, err
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoint: %s: %w", path, err)
	}
	if signer.Name() != origin {
		return nil, nil, fmt.Errorf("checkpoint: key in %s is named %q but the origin is %q", path, signer.Name(), origin)
	}
	vkey, err := verifierKey(skey)
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoint: %s: %w", path, err)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoint: %s: %w", path, err)
	}
	pub, err := os.ReadFile(filepath.Join(dir, PublicKeyFile))
	if err != nil || string(pub) != vkey+"\n" {
		if err := atomicfile.Write(dir, PublicKeyFile, []byte(vkey+"\n"), 0o644); err != nil {
			return nil, nil, fmt.Errorf("checkpoint: %w", err)
		}
	}
	return signer, verifier, nil
}

// VerifierKey returns the text of the verifier key in dir, as
// note.NewVerifier accepts it ("name+hash+base64").
func VerifierKey(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, PublicKeyFile))
	if err != nil {
		return "", fmt.Errorf("checkpoint: %w", err)
	}
	vkey := strings.TrimSuffix(string(b), "\n")
	if _, err := note.NewVerifier(vkey); err != nil {
		return "", fmt.Errorf("checkpoint: %s: %w", filepath.Join(dir, PublicKeyFile), err)
	}
	return vkey, nil
}

func readKey(path string) (string, error) {
	b, err := atomicfile.ReadSecret(path, 4096)
	if errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if err != nil {
		return "", fmt.Errorf("checkpoint: signing key: %w", err)
	}
	return strings.TrimSuffix(string(b), "\n"), nil
}

// verifierKey derives the verifier key text from a signer key text; the
// note package does not export this step.
func verifierKey(skey string) (string, error) {
	parts := strings.SplitN(skey, "+", 5) // base64 may contain "+"
	if len(parts) != 5 {
		return "", errors.New("malformed signer key")
	}
	key, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(key) != 1+ed25519.SeedSize || key[0] != 1 {
		return "", errors.New("signer key is not an Ed25519 key")
	}
	priv := ed25519.NewKeyFromSeed(key[1:])
	return note.NewEd25519VerifierKey(parts[2], priv.Public().(ed25519.PublicKey))
}
