//go:build windows

package durable

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/windows"
)

// rename moves oldpath over newpath with MoveFileEx; MOVEFILE_WRITE_THROUGH
// makes it return only once the rename is on disk, which is how a rename is
// made durable on Windows (a folder cannot be fsynced there).
func rename(oldpath, newpath string) error {
	from, err := windows.UTF16PtrFromString(longPath(oldpath))
	if err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	to, err := windows.UTF16PtrFromString(longPath(newpath))
	if err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	if err := windows.MoveFileEx(from, to, windows.MOVEFILE_REPLACE_EXISTING|windows.MOVEFILE_WRITE_THROUGH); err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	return nil
}

// longPath gives an absolute path of 248 characters or more the \\?\ prefix,
// without which Windows refuses paths longer than MAX_PATH (260).
func longPath(p string) string {
	if len(p) < 248 || strings.HasPrefix(p, `\\`) || !filepath.IsAbs(p) {
		return p
	}
	return `\\?\` + filepath.Clean(p)
}

// isLocked reports whether err is Windows refusing a rename because another
// program holds one of the files open: a sharing violation, a lock
// violation, or "Access denied" (a file open without FILE_SHARE_DELETE, or
// one pending deletion).
func isLocked(err error) bool {
	var errno windows.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case windows.ERROR_SHARING_VIOLATION, windows.ERROR_LOCK_VIOLATION, windows.ERROR_ACCESS_DENIED:
		return true
	}
	return false
}

// syncDir does nothing: Windows cannot fsync a folder (it refuses with
// "Access denied"). Files are made durable by their own fsync, renames by
// MOVEFILE_WRITE_THROUGH.
func syncDir(string) error { return nil }

// diskFull reports whether err is a full disk or an exceeded quota (or
// Go's own syscall.ENOSPC, which fault-injecting tests use on every system).
func diskFull(err error) bool {
	return errors.Is(err, windows.ERROR_DISK_FULL) || errors.Is(err, windows.ERROR_HANDLE_DISK_FULL) ||
		errors.Is(err, windows.ERROR_DISK_QUOTA_EXCEEDED) || errors.Is(err, syscall.ENOSPC)
}

// IsReadOnlyFS reports whether err is a write to write-protected media
// (ERROR_WRITE_PROTECT).
func IsReadOnlyFS(err error) bool { return errors.Is(err, windows.ERROR_WRITE_PROTECT) }
