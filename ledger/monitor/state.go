package monitor

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/ictledger/ictledger/ledger/atomicfile"
	"github.com/ictledger/ictledger/ledger/checkpoint"
)

// StateFile is the monitor's state in its state directory.
const StateFile = "monitor.json"

// maxStateBytes bounds the state file read.
const maxStateBytes = 1 << 20

// state is what the monitor keeps between runs: the last checkpoint it
// verified and how far it checked the entries under it.
type state struct {
	// Note is the signed checkpoint, as received; nil before the first
	// run. The file keeps it as text, under "checkpoint".
	Note []byte `json:"-"`
	Text string `json:"checkpoint"`
	// Next is the first entry not checked yet.
	Next uint64 `json:"next"`
	// LastTime is the time of entry Next-1: entry times never go back.
	LastTime time.Time `json:"last_time"`

	cp checkpoint.Checkpoint // Note, verified
}

// loadState reads the state in dir; a directory without one gives the
// empty state of a first run. The saved checkpoint is verified again, so
// a state written for another log's key is refused.
func loadState(dir string, v note.Verifier) (*state, error) {
	b, err := os.ReadFile(filepath.Join(dir, StateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return &state{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("monitor: read the state: %w", err)
	}
	if len(b) > maxStateBytes {
		return nil, fmt.Errorf("monitor: state file %s is %d bytes, over %d", filepath.Join(dir, StateFile), len(b), maxStateBytes)
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil || st.Text == "" {
		return nil, fmt.Errorf("monitor: state file %s is malformed: %v", filepath.Join(dir, StateFile), err)
	}
	st.Note = []byte(st.Text)
	if st.cp, err = checkpoint.Open(st.Note, v); err != nil {
		return nil, fmt.Errorf("monitor: the checkpoint in %s does not verify with key %s (a state kept for another log?): %w",
			filepath.Join(dir, StateFile), v.Name(), err)
	}
	if st.Next > st.cp.Size {
		return nil, fmt.Errorf("monitor: state file %s says entry %d was checked, beyond its checkpoint of size %d",
			filepath.Join(dir, StateFile), st.Next, st.cp.Size)
	}
	return &st, nil
}

// save replaces the state file atomically (see atomicfile.Write), so a
// run stopped at any point leaves the old state or the new one.
func (st *state) save(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("monitor: %w", err)
	}
	st.Text = string(st.Note)
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("monitor: %w", err)
	}
	if err := atomicfile.Write(dir, StateFile, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("monitor: save the state: %w", err)
	}
	return nil
}

// writeEvidence keeps an alarm's evidence beside the state.
func writeEvidence(dir string, a *Alarm) error {
	size := "unknown"
	if a.New != nil {
		if text, err := checkpoint.Body(a.New); err == nil {
			if cp, err := checkpoint.Parse(text); err == nil {
				size = strconv.FormatUint(cp.Size, 10)
			}
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return atomicfile.Write(dir, a.evidenceName(size), a.evidence(), 0o644)
}
