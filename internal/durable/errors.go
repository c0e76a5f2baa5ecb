package durable

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"syscall"
)

// WriteError is a write by [Write] or a folder sync by [SyncDir] that
// failed. [Problem] words it for the user.
type WriteError struct {
	// Path is the file being written, or the folder being synced.
	Path string
	// Folder is true when Path is a folder ([SyncDir]).
	Folder bool
	// Err is the cause; a [*LockedError] when another program held the file.
	Err error
}

func (e *WriteError) Error() string {
	if e.Folder {
		return fmt.Sprintf("durable: syncing the folder %s: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("durable: writing %s: %v", e.Path, e.Err)
}

// Unwrap returns the cause.
func (e *WriteError) Unwrap() error { return e.Err }

// DiskFull reports whether err is the system saying the disk is full (or
// the user's quota exceeded): ENOSPC or EDQUOT on Unix systems,
// ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL or ERROR_DISK_QUOTA_EXCEEDED on
// Windows.
func DiskFull(err error) bool { return diskFull(err) }

// Problem words a failed write as one sentence for the user, without a
// package prefix, saying what happened and what to do; ok is false if err
// holds neither a [*LockedError] nor a [*WriteError]. It says "read-only"
// only when the system refused permission, never for a file another program
// holds (which Windows also reports as "Access denied").
func Problem(err error) (sentence string, ok bool) {
	var le *LockedError
	if errors.As(err, &le) {
		return fmt.Sprintf("The file %s is open in another program (a virus scanner or indexer?); close it and try again", le.Path), true
	}
	var we *WriteError
	if !errors.As(err, &we) {
		return "", false
	}
	dir := we.Path
	if !we.Folder {
		dir = filepath.Dir(we.Path)
	}
	switch {
	case DiskFull(we.Err):
		return fmt.Sprintf("The disk holding %s is full; free some space and try again", dir), true
	case errors.Is(we.Err, fs.ErrPermission), isReadOnlyFS(we.Err):
		return fmt.Sprintf("SecureMail may not write in the folder %s (it is read-only, or you lack permission); make it writable and try again", dir), true
	case errors.Is(we.Err, fs.ErrNotExist):
		return fmt.Sprintf("SecureMail could not write %s: the folder no longer exists; check that its disk is connected and try again", we.Path), true
	}
	var errno syscall.Errno
	if errors.As(we.Err, &errno) {
		return fmt.Sprintf("SecureMail could not write %s: the system reported %q; check the disk and try again", we.Path, errno.Error()), true
	}
	return fmt.Sprintf("SecureMail could not write %s; check the disk and try again", we.Path), true
}
