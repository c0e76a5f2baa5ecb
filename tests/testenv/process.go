//go:build !windows

// The process control here reads /proc and sends POSIX signals; the peers
// it manages (Dovecot, Postfix, gpg-agent, Xvfb) are Linux daemons, so the
// Windows build of the tests has none of it.

package testenv

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Alive reports whether a process is running. It reads /proc/PID/stat rather
// than signalling, because PID 1 on these machines reaps daemons late and a
// zombie still answers kill -0.
func Alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return false
	}
	state := b[i+2]
	return state != 'Z' && state != 'X'
}

// StopProcess sends SIGTERM to p and, if it has not ended within the grace
// period, SIGKILL; it waits until p is gone. p is bound to its process (Go
// holds a pidfd on Linux), so a process that ended long ago is never
// confused with a new one under the same PID — the system has only 32768
// of them, and a test run starts many more processes than that.
func StopProcess(p *os.Process, grace time.Duration) {
	if p == nil {
		return
	}
	_ = p.Signal(syscall.SIGTERM)
	gone := func() error {
		if processEnded(p) {
			return nil
		}
		return fmt.Errorf("process %d still runs", p.Pid)
	}
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if Until(ctx, gone) != nil {
		_ = p.Signal(syscall.SIGKILL)
		_ = Until(context.Background(), gone)
	}
}

// processEnded reports whether p has ended: the handle says so (its process was
// reaped), or it is a zombie waiting for its parent — a zombie keeps its
// PID, so /proc/PID is still p then.
func processEnded(p *os.Process) bool {
	if err := p.Signal(syscall.Signal(0)); err != nil {
		return true // os.ErrProcessDone, or no right to signal it: not ours
	}
	return !Alive(p.Pid)
}

// ReadPIDFile reads a daemon's PID file, waiting until it appears.
func ReadPIDFile(ctx context.Context, path string) (int, error) {
	var pid int
	err := Until(ctx, func() error {
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("testenv: no PID file %s: %w", path, err)
		}
		if pid, err = strconv.Atoi(strings.TrimSpace(string(b))); err != nil || pid <= 0 {
			return fmt.Errorf("testenv: no PID in %s yet", path)
		}
		return nil
	})
	return pid, err
}

// BytesRead is how many bytes process pid has read so far (rchar of
// /proc/PID/io: files, pipes and sockets), or -1 when it cannot be told.
func BytesRead(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/io")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "rchar: "); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return -1
}

// CPUTime is the CPU time (user and system) process pid has used so far,
// from /proc/PID/stat; 0 when it cannot be told.
func CPUTime(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// utime and stime are the 12th and 13th fields after the command
	// name, which is in parentheses and may hold spaces.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}
