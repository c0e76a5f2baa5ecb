// SIGTERM and process groups as tested here are Unix semantics; Windows has
// no SIGTERM to send (its console sends CTRL_C_EVENT, which os/signal maps
// to os.Interrupt), so this test runs on Unix only.
//go:build unix

package main

import (
	"bytes"
	"encoding/pem"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"securemail/testnet/testca"
	"securemail/tests/hostile"
)

// stopBound is issue 12's requirement: `smime open` stops within 1 s of
// SIGTERM, even mid-parse.
const stopBound = time.Second

// hostileOpen is what the SIGTERM tests run: the built program (-tags
// nogui), a trusted root, and 100 MB of hostile input (20 million empty
// MIME parts, correctly signed).
type hostileOpen struct {
	bin, root, file string
	msg             []byte
}

func newHostileOpen(t *testing.T) *hostileOpen {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the program and 100 MB of input")
	}
	dir := t.TempDir()
	h := &hostileOpen{bin: filepath.Join(dir, "securemail"), root: filepath.Join(dir, "root.pem"),
		file: filepath.Join(dir, "hostile.eml")}
	if out, err := exec.Command("go", "build", "-tags", "nogui", "-o", h.bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ca, err := testca.New(testca.WithCAValidity(time.Now().AddDate(-1, 0, 0), 3650))
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: "Eve.Hostile@tcn.b.eu-admin.net", Key: testca.P256})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(h.root, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Root.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	h.msg, err = hostile.EmptyParts(hostile.Signer{Key: is.PrivateKey, Certificate: is.Certificate,
		Chain: is.Chain[:1]}, 20_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(h.file, h.msg, 0o600); err != nil {
		t.Fatal(err)
	}
	return h
}

// run is one `smime open` of the hostile input.
type run struct {
	t      *testing.T
	cmd    *exec.Cmd
	stderr stampedBuffer
	exited chan error
}

// stampedBuffer is the standard error of a run, with the moment its first
// byte arrived: the log tells a late sentence from a late exit.
type stampedBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	first time.Time
}

func (s *stampedBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first.IsZero() {
		s.first = time.Now()
	}
	return s.b.Write(p)
}

func (s *stampedBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// since is how long after start the first byte came, or "-" if none did.
func (s *stampedBuffer) since(start time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first.IsZero() {
		return "-"
	}
	return s.first.Sub(start).Round(time.Millisecond).String()
}

// start starts `smime open`; stdin nil means a pipe the caller writes to.
func (h *hostileOpen) start(t *testing.T, stdin *os.File) (*run, io.WriteCloser) {
	t.Helper()
	r := &run{t: t, cmd: exec.Command(h.bin, "smime", "open", "--trust", h.root), exited: make(chan error, 1)}
	var pipe io.WriteCloser
	if stdin != nil {
		r.cmd.Stdin = stdin
	} else {
		var err error
		if pipe, err = r.cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
	}
	r.cmd.Stdout, r.cmd.Stderr = io.Discard, &r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.cmd.Process.Kill() })
	go func() { r.exited <- r.cmd.Wait() }()
	return r, pipe
}

// stop sends SIGTERM and checks that the process ends within stopBound
// with a status of the CLI contract. interrupted requires exit 2 and the
// sentence saying it stopped. It returns false when the process had
// already finished before the signal (nothing was measured).
func (r *run) stop(interrupted bool) bool {
	r.t.Helper()
	return r.stopWith(syscall.SIGTERM, interrupted)
}

// stopWith is stop with another signal (SIGINT: Ctrl-C in a terminal).
func (r *run) stopWith(sig os.Signal, interrupted bool) bool {
	t := r.t
	t.Helper()
	start := time.Now()
	if err := r.cmd.Process.Signal(sig); err != nil {
		<-r.exited
		t.Logf("finished before the signal (%v); stderr %q", err, r.stderr.String())
		return false
	}
	select {
	case err := <-r.exited:
		took := time.Since(start)
		t.Logf("exited %v after the signal (%v), its sentence after %s: %s", took.Round(time.Millisecond), err,
			r.stderr.since(start), strings.TrimSpace(r.stderr.String()))
		if took > stopBound {
			t.Errorf("took %v from SIGTERM to exit; the bound is %v", took, stopBound)
		}
		code := r.cmd.ProcessState.ExitCode()
		if interrupted && (code != 2 || !strings.Contains(r.stderr.String(), "stopped")) {
			t.Errorf("exit %d, stderr %q: an interrupted run exits 2 saying it stopped", code, r.stderr.String())
		}
		if code != 2 && code != 1 && code != 0 {
			t.Errorf("exit %d (%s), want a status of the CLI contract", code, r.stderr.String())
		}
	case <-time.After(30 * time.Second): // failure guard only
		t.Fatalf("still running 30 s after SIGTERM; stderr %q", r.stderr.String())
	}
	return true
}

// TestSMIMEOpenStopsOnSIGTERM sends `smime open` SIGTERM once while it is
// still reading its standard input and once right after the input ended
// (it is then still reading what the pipe holds, and assembling the 100 MB),
// and SIGINT (Ctrl-C) while it reads.
// From the signal to the process's exit must take under 1 s; an
// interrupted run exits 2 with one sentence on stderr. The cases while it
// parses are in sigterm_linux_test.go.
func TestSMIMEOpenStopsOnSIGTERM(t *testing.T) {
	h := newHostileOpen(t)
	for _, c := range []struct {
		name  string
		input []byte
		close bool
		sig   os.Signal
	}{
		{"while reading its input", h.msg[:len(h.msg)/2], false, syscall.SIGTERM},
		{"right after its input ended", h.msg, true, syscall.SIGTERM},
		{"Ctrl-C (SIGINT) while reading its input", h.msg[:len(h.msg)/2], false, syscall.SIGINT},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, stdin := h.start(t, nil)
			if _, err := stdin.Write(c.input); err != nil {
				t.Fatal(err)
			}
			if c.close {
				stdin.Close()
			}
			r.stopWith(c.sig, !c.close)
		})
	}
}
