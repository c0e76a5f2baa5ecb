package durable

import "fmt"

// WriteError is a write by [Write] or a folder sync by [SyncDir] that
// failed. app.Explain words it for the user.
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
