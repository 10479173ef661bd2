package renderproc

import (
	"os/exec"
	"syscall"
	"time"
)

// startNiced starts cmd in a process group of its own and raises the
// niceness of the whole group by nice, relative to the calling thread's.
//
// Linux keeps a niceness per thread, and setpriority on a process id
// changes only that one thread; on a process group it changes every
// thread of every process in it. A thread takes the niceness of the
// thread that creates it, so the worker's later threads inherit the
// raised value. The group is set again a second later, for a thread that
// was being created at the first moment. The worker's own group also
// keeps a terminal's Ctrl-C, meant for the server, away from it: the
// server ends its workers itself.
//
// Raising niceness needs no privilege. If it fails anyway (a seccomp
// filter, say), the worker runs at the server's priority: it still has
// its own heap and can still be killed on a timeout.
func startNiced(cmd *exec.Cmd, nice int) error {
	if nice == 0 {
		return cmd.Start()
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true // the group's id is the worker's pid
	if err := cmd.Start(); err != nil {
		return err
	}
	// Start returns once the worker has exec'd, so its group exists.
	pgid := cmd.Process.Pid
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0) // the raw call gives 20 - niceness
	if err != nil {
		return nil
	}
	renice := func() { _ = syscall.Setpriority(syscall.PRIO_PGRP, pgid, min(19, 20-prio+nice)) }
	renice()
	time.AfterFunc(time.Second, renice)
	return nil
}
