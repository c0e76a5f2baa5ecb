//go:build !windows

// The process control tested here sends POSIX signals (see process.go).

package testenv

import (
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestStopProcessStopsAndNeverReachesAnother: a running child is stopped by
// SIGTERM; a child that ended and was reaped long ago is left alone at
// once — StopProcess holds its process, not its number, so whatever runs
// under that PID now is never signalled.
func TestStopProcessStopsAndNeverReachesAnother(t *testing.T) {
	live := exec.Command("sleep", "60")
	if err := live.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- live.Wait() }()
	StopProcess(live.Process, time.Minute)
	err := <-exited
	if ws, ok := live.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("the running child ended with %v, want SIGTERM", err)
	}

	// The ended child's handle: StopProcess must return without waiting for
	// its grace period, and signal nothing.
	start := time.Now()
	done := make(chan struct{})
	go func() { StopProcess(live.Process, time.Hour); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute): // failure guard only
		t.Fatalf("StopProcess waited on a process that ended %v ago", time.Since(start))
	}
}
