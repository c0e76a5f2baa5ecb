package filelock

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecondHolderIsRefused runs on every system (Windows under Wine): a
// second holder of the lock is refused with a *HeldError naming the file
// until the first unlocks.
func TestSecondHolderIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".lock")
	first, err := TryLock(path)
	if err != nil {
		t.Fatal(err)
	}
	second, err := TryLock(path)
	var held *HeldError
	if !errors.As(err, &held) || held.Path != path {
		if second != nil {
			second.Unlock()
		}
		t.Fatalf("second TryLock: %v (%T), want a *HeldError for %s", err, err, path)
	}
	if err := first.Unlock(); err != nil {
		t.Fatal(err)
	}
	third, err := TryLock(path)
	if err != nil {
		t.Fatalf("after Unlock: %v", err)
	}
	if err := third.Unlock(); err != nil {
		t.Fatal(err)
	}
}

func TestLockInAMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gone", ".lock")
	if _, err := TryLock(path); err == nil || errors.As(err, new(*HeldError)) {
		t.Fatalf("TryLock in a missing folder: %v, want an error that is not HeldError", err)
	}
}

// TestKilledHolderReleasesTheLock: another process holding the lock
// refuses this one; once it is killed (a crash), the lock is free — no
// stale lock file to delete by hand.
func TestKilledHolderReleasesTheLock(t *testing.T) {
	if p := os.Getenv("FILELOCK_CHILD"); p != "" {
		l, err := TryLock(p)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("locked")
		io.Copy(io.Discard, os.Stdin) // hold until killed
		l.Unlock()
		os.Exit(0)
	}
	path := filepath.Join(t.TempDir(), ".lock")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledHolderReleasesTheLock$")
	cmd.Env = append(os.Environ(), "FILELOCK_CHILD="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child: %q, %v", line, err)
	}
	_, err = TryLock(path)
	var held *HeldError
	if !errors.As(err, &held) {
		t.Errorf("while another process holds it: %v, want a *HeldError", err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	l, err := TryLock(path)
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	l.Unlock()
}
