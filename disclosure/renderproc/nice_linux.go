package renderproc

import (
	"os/exec"
	"syscall"
)

// startNiced starts cmd in a process group of its own and raises the
// niceness of the whole group by nice, relative to the calling thread's.
// renice sets it again (nil when nice is 0); niceErr says why the
// niceness could not be raised, in which case the worker still runs, at
// the server's priority: it still has its own heap and can still be
// killed on a timeout.
//
// Linux keeps a niceness per thread, and setpriority on a process id
// changes only that one thread; on a process group it changes every
// thread of every process in it, and a thread created later takes the
// niceness of the thread that creates it. Start returns once the worker
// has exec'd, so its group exists; the Go runtime in it may already have
// started threads, which the group setting covers. The caller sets it
// once more after the first reply, for a thread that was being created
// at that first moment.
func startNiced(cmd *exec.Cmd, nice int) (renice func(), niceErr, err error) {
	if nice == 0 {
		return nil, nil, cmd.Start()
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true // the group's id is the worker's pid
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	pgid := cmd.Process.Pid
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0) // the raw call gives 20 - niceness
	if err != nil {
		return nil, err, nil
	}
	set := func() error { return syscall.Setpriority(syscall.PRIO_PGRP, pgid, min(19, 20-prio+nice)) }
	if err := set(); err != nil {
		return nil, err, nil
	}
	return func() { _ = set() }, nil, nil
}
