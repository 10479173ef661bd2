package service

import (
	"bytes"
	"encoding/gob"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ictledger/ictledger/ledger/atomicfile"
)

// sectorCheck is the latest record of a scope and span (Seq) found to
// hold the view at a later point than its own: the view of the first At
// entries (whose tree hash is Root), lateness counted at AsOf, was
// computed and is what the record says.
type sectorCheck struct {
	Seq, At uint64
	Root    string
	AsOf    time.Time
}

// sectorChecks keeps, by scope and span, the last sectorCheck made, so
// that the next download looks at the entries since that point only.
// Without it, every download would compute the view again once more
// than maxTouchedRead entries followed a record, or after an upgrade
// (a record is reused unseen only by the build that made it).
//
// The checks are kept in DIR/sector-checks.gob (the derived directory)
// with the build that made them, so that a restart of the same build
// keeps them: a check is a computation's result, which another build
// might compute otherwise, so another build's file is not used. A check
// names the tree hash of its point and is used only where this ledger
// has that hash there. Deleting the file is always safe. There is one
// check per scope and span a regulator downloaded, about 100 bytes each.
type sectorChecks struct {
	dir   string // "" keeps them in memory only
	build func() string
	log   *slog.Logger

	mu     sync.Mutex
	loaded bool
	m      map[string]sectorCheck
}

// sectorChecksFormat names the layout of the file; a change of the
// layout changes it.
const sectorChecksFormat = "ictledger-sector-checks-1"

// sectorChecksMax is the largest file read: a million scopes and spans.
const sectorChecksMax = 100 << 20

type sectorChecksFile struct {
	Format string
	Build  string
	Checks map[string]sectorCheck
}

func (c *sectorChecks) get(key string) (sectorCheck, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.load()
	v, ok := c.m[key]
	return v, ok
}

// put keeps v for key and writes the file; a file that cannot be written
// is said in the log and costs only a computation after a restart.
func (c *sectorChecks) put(key string, v sectorCheck) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.load()
	c.m[key] = v
	build := c.build()
	if c.dir == "" || build == "" {
		return
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(sectorChecksFile{Format: sectorChecksFormat, Build: build, Checks: c.m})
	if err == nil {
		err = os.MkdirAll(c.dir, 0o700)
	}
	if err == nil {
		err = atomicfile.Write(c.dir, "sector-checks.gob", buf.Bytes(), 0o600)
	}
	if err != nil {
		c.log.Warn("sector record checks not kept on disk; a restart computes those views again", "err", err)
	}
}

// load reads the file once; anything missing, foreign or broken gives no
// checks, never an error. c.mu is held.
func (c *sectorChecks) load() {
	if c.loaded {
		return
	}
	c.loaded, c.m = true, map[string]sectorCheck{}
	build := c.build()
	if c.dir == "" || build == "" {
		return
	}
	raw, err := readAtMost(filepath.Join(c.dir, "sector-checks.gob"), sectorChecksMax)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			c.log.Warn("sector record checks not read; the views are computed again", "err", err)
		}
		return
	}
	var f sectorChecksFile
	if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&f); err != nil {
		c.log.Warn("sector record checks do not decode; the views are computed again", "err", err)
		return
	}
	if f.Format != sectorChecksFormat || f.Build != build {
		return // another build's (or layout's): not trusted
	}
	if f.Checks != nil {
		c.m = f.Checks
	}
}
