package renderproc

import (
	"syscall"
	"unsafe"
)

// limitMemory caps the data segment of process pid at bytes: its
// RLIMIT_DATA, set from outside with prlimit(2), which a process of the
// same user may lower without privilege. Since Linux 4.7 the limit counts
// every private writable mapping, which is where the Go runtime keeps its
// heap, so an allocation past it fails and the worker's runtime ends it
// with "fatal error: runtime: out of memory". The address space the
// runtime merely reserves (mapped without access) does not count, which
// is why this limit and not RLIMIT_AS: a Go process reserves far more
// address space than it uses.
func limitMemory(pid int, bytes int64) error {
	lim := syscall.Rlimit{Cur: uint64(bytes), Max: uint64(bytes)}
	_, _, errno := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), syscall.RLIMIT_DATA,
		uintptr(unsafe.Pointer(&lim)), 0, 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}
