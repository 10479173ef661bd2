//go:build !linux

package renderproc

import "errors"

// limitMemory is not available here: a worker is bounded by its GOMEMLIMIT
// and its time limit only.
func limitMemory(pid int, bytes int64) error {
	return errors.New("a hard memory limit for render workers is set on Linux only")
}
