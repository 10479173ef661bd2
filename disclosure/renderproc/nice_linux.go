package renderproc

import (
	"os/exec"
	"runtime"
	"syscall"
)

// startNiced starts cmd with its niceness raised by nice, as far as it
// can: a worker at the server's priority is still a worker, so a failure
// to raise it (a seccomp filter, say) does not stop the start. Linux
// keeps a niceness per thread and a new process takes the one of the
// thread that forks it, so the fork happens on a thread of its own whose
// niceness is raised first. That thread is never handed back: a
// goroutine that ends locked to its thread takes the thread with it, and
// the lowered priority goes too (an unprivileged process could not lower
// it again).
func startNiced(cmd *exec.Cmd, nice int) error {
	if nice == 0 {
		return cmd.Start()
	}
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		tid := syscall.Gettid()
		// The raw system call gives 20 - niceness.
		if prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid); err == nil {
			_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(19, 20-prio+nice))
		}
		errc <- cmd.Start()
	}()
	return <-errc
}
