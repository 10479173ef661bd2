//go:build !linux

package renderproc

import "os/exec"

// startNiced starts cmd; changing a process's priority is only done on
// Linux.
func startNiced(cmd *exec.Cmd, nice int) (renice func(), niceErr, err error) {
	return nil, nil, cmd.Start()
}
