// These cases know where the process is from /proc/PID/io (bytes it has
// read) and /proc/PID/stat (CPU time it has used, testenv.BytesRead and
// CPUTime), which only Linux has;
// on other systems sigterm_test.go's cases run alone.
//go:build linux

package main

import (
	"io"
	"os"
	"testing"
	"time"

	"securemail/tests/testenv"
)

// TestSMIMEOpenStopsOnSIGTERMWhileParsing sends `smime open` SIGTERM while
// it parses the 100 MB hostile message: once it has read its whole input
// (from a pipe, or from a file given as standard input), and once it has
// then spent a further 150 ms of CPU time on it. The process must end
// within 1 s of the signal, exit 2 saying it stopped.
func TestSMIMEOpenStopsOnSIGTERMWhileParsing(t *testing.T) {
	h := newHostileOpen(t)
	for _, c := range []struct {
		name     string
		fromFile bool
		moreCPU  time.Duration
	}{
		{"from a pipe, once it has read it", false, 0},
		{"from a pipe, 150 ms of CPU later", false, 150 * time.Millisecond},
		{"from a file, once it has read it", true, 0},
		{"from a file, 150 ms of CPU later", true, 150 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			var r *run
			if c.fromFile {
				f, err := os.Open(h.file)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				r, _ = h.start(t, f)
			} else {
				var stdin io.WriteCloser
				r, stdin = h.start(t, nil)
				go func() { // the pipe holds 64 KB: write while the test watches
					stdin.Write(h.msg)
					stdin.Close()
				}()
			}
			pid := r.cmd.Process.Pid
			if !waitProc(t, r, func() bool { return testenv.BytesRead(pid) >= int64(len(h.msg)) }) {
				t.Fatalf("exited before it had read its input: %s", r.stderr.String())
			}
			if c.moreCPU > 0 {
				from := testenv.CPUTime(pid)
				if !waitProc(t, r, func() bool { return testenv.CPUTime(pid)-from >= c.moreCPU }) {
					t.Logf("finished within %v of CPU after reading; stderr %q", c.moreCPU, r.stderr.String())
					return
				}
			}
			// Opening this message takes over a second of CPU after the
			// read: the signal comes while it parses.
			r.stop(c.moreCPU == 0)
		})
	}
}

// waitProc waits until cond holds, and reports false if the process exited
// first. The deadline is a failure guard only.
func waitProc(t *testing.T, r *run, cond func() bool) bool {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	poll := time.NewTicker(time.Millisecond)
	defer poll.Stop()
	for ; !cond(); <-poll.C {
		select {
		case err := <-r.exited:
			r.exited <- err // for stop
			return false
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after 60 s; stderr %q", r.stderr.String())
		}
	}
	return true
}
