package witness

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ictledger/ictledger/ledger/atomicfile"
)

// AcksFile is the file, in the data directory, of the size each witness
// last cosigned, by witness name.
//
// It is a hint, written after each round: a witness whose size is lost
// (a crash before the file was replaced) answers 409 with the size it
// knows, and the next request starts from there.
const AcksFile = "witness-sizes.json"

// LoadAcks reads the sizes; a missing file is an empty map.
func LoadAcks(dir string) (map[string]uint64, error) {
	b, err := os.ReadFile(filepath.Join(dir, AcksFile))
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]uint64{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("witness: %w", err)
	}
	m := map[string]uint64{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("witness: %s: %w", filepath.Join(dir, AcksFile), err)
	}
	return m, nil
}

// StoreAcks replaces the file atomically.
func StoreAcks(dir string, m map[string]uint64) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("witness: %w", err)
	}
	if err := atomicfile.Write(dir, AcksFile, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("witness: %w", err)
	}
	return nil
}
