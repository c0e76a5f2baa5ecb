//go:build windows

package durable

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/windows"
)

func TestIsLockedOnWindows(t *testing.T) {
	for _, e := range []windows.Errno{windows.ERROR_SHARING_VIOLATION, windows.ERROR_LOCK_VIOLATION, windows.ERROR_ACCESS_DENIED} {
		if !isLocked(&os.LinkError{Op: "rename", Old: "a", New: "b", Err: e}) {
			t.Errorf("%v is not taken for a file held by another program", e)
		}
	}
	for _, e := range []error{windows.ERROR_DISK_FULL, windows.ERROR_PATH_NOT_FOUND, errors.New("other")} {
		if isLocked(e) {
			t.Errorf("%v is taken for a file held by another program", e)
		}
	}
}

// TestRenameOverAFileHeldOpen: a file held open without sharing (as a
// virus scanner may) cannot be replaced; the real rename is retried and
// then reported as a *LockedError naming it, and succeeds once released.
func TestRenameOverAFileHeldOpen(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "settings.json")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, ".tmp-1")
	if err := os.WriteFile(tmp, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	name, err := windows.UTF16PtrFromString(target)
	if err != nil {
		t.Fatal(err)
	}
	h, err := windows.CreateFile(name, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		t.Fatal(err)
	}
	pauses := 0
	r := renamer{rename: rename, locked: isLocked, sleep: func(time.Duration) { pauses++ }, budget: 50 * time.Millisecond}
	err = r.do(tmp, target)
	windows.CloseHandle(h)
	var le *LockedError
	if !errors.As(err, &le) || le.Path != target {
		t.Fatalf("replacing a file held open: %v (%T), want a *LockedError for %s", err, err, target)
	}
	if pauses == 0 {
		t.Error("gave up without retrying")
	}
	if err := Rename(tmp, target); err != nil {
		t.Fatalf("once released: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("the target holds %q", b)
	}
}
