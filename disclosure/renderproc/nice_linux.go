package renderproc

import (
	"os/exec"
	"runtime"
	"syscall"
)

// startNiced starts cmd with its niceness raised by nice. Linux keeps a
// niceness per thread and a new process takes the one of the thread that
// forks it, so the fork happens on a thread of its own whose niceness is
// raised first. That thread is never handed back: a goroutine that ends
// locked to its thread takes the thread with it, and the lowered priority
// goes too (an unprivileged process could not lower it again).
func startNiced(cmd *exec.Cmd, nice int) error {
	if nice == 0 {
		return cmd.Start()
	}
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		tid := syscall.Gettid()
		prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid)
		if err == nil {
			// The raw system call gives 20 - niceness.
			err = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(19, 20-prio+nice))
		}
		if err != nil {
			errc <- err
			return
		}
		errc <- cmd.Start()
	}()
	return <-errc
}
