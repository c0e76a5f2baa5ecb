//go:build !windows

package smime

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time this process has used, all threads together.
func cpuTime(t testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
