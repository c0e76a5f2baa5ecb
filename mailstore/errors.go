package mailstore

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	"securemail/internal/durable"
)

// Errors returned by the store; test with errors.Is.
var (
	// ErrNotFound: no message with that id.
	ErrNotFound = errors.New("mailstore: no such message")
	// ErrDuplicate: a message with the same POP3 source (account, UIDL) is already stored; see [DuplicateError].
	ErrDuplicate = errors.New("mailstore: this message is already stored")
	// ErrNoFolder: no folder with that name.
	ErrNoFolder = errors.New("mailstore: no such folder")
	// ErrFolderExists: a folder with that name (ignoring case) already exists.
	ErrFolderExists = errors.New("mailstore: a folder with that name already exists")
	// ErrStandardFolder: Inbox, Outbox, Sent, Drafts and Trash cannot be renamed or deleted.
	ErrStandardFolder = errors.New("mailstore: the standard folders cannot be renamed or deleted")
	// ErrFolderName: the folder name is empty, too long or contains control characters.
	ErrFolderName = errors.New("mailstore: a folder name must be 1 to 100 printable characters")
	// ErrConfidential: text of an encrypted message may not be written to the index.
	ErrConfidential = errors.New("mailstore: the text of an encrypted message is never written to disk")
	// ErrDiskFull: the disk holding the mail folder is full; see [StorageError].
	ErrDiskFull = errors.New("mailstore: the disk is full")
	// ErrReadOnly: the mail folder cannot be written; see [StorageError].
	ErrReadOnly = errors.New("mailstore: the mail folder is read-only")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("mailstore: the store is closed")
)

// DuplicateError reports that a message with this POP3 source is already stored, and under which id.
type DuplicateError struct {
	Account, UIDL string
	ID            string // the message already stored
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("mailstore: message %q of %s is already stored as %s", e.UIDL, e.Account, e.ID)
}

// Is makes errors.Is(err, ErrDuplicate) true.
func (e *DuplicateError) Is(target error) bool { return target == ErrDuplicate }

// StorageError is a write that failed because the disk is full or the mail folder is not writable. Its message
// is one sentence meant to be shown to the user as it is; the store was left consistent (the operation that
// failed was undone), which the sentence says.
type StorageError struct {
	Dir      string // the mail folder
	ReadOnly bool   // false: the disk is full
	Err      error  // the underlying error
}

func (e *StorageError) Error() string {
	if e.ReadOnly {
		return fmt.Sprintf("The mail folder %s cannot be written (it is read-only or SecureMail lacks permission); "+
			"make it writable and try again — nothing was lost.", e.Dir)
	}
	return fmt.Sprintf("The mail folder %s is full; free some space and try again — nothing was lost.", e.Dir)
}

// Unwrap returns the underlying error.
func (e *StorageError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrDiskFull) or errors.Is(err, ErrReadOnly) true.
func (e *StorageError) Is(target error) bool {
	return (target == ErrDiskFull && !e.ReadOnly) || (target == ErrReadOnly && e.ReadOnly)
}

// SQLite result codes (primary codes, the low byte of an extended code).
const (
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteCorrupt  = 11
	sqliteFull     = 13
	sqliteNotADB   = 26
)

// sqliteCode returns the primary SQLite result code carried by err, or 0.
func sqliteCode(err error) int {
	var c interface{ Code() int }
	if errors.As(err, &c) {
		return c.Code() & 0xff
	}
	return 0
}

// storageErr turns a disk-full or permission error into a *StorageError for dir; other errors are wrapped
// with the package prefix and what.
func storageErr(dir, what string, err error) error {
	if err == nil {
		return nil
	}
	var se *StorageError
	if errors.As(err, &se) {
		return err
	}
	// A file another program holds is refused with "Access denied" on
	// Windows: a permission error, but not a read-only folder.
	var le *durable.LockedError
	if errors.As(err, &le) {
		return fmt.Errorf("mailstore: %s: %w", what, err)
	}
	switch {
	case durable.DiskFull(err), sqliteCode(err) == sqliteFull:
		return &StorageError{Dir: dir, Err: err}
	case errors.Is(err, syscall.EROFS), errors.Is(err, fs.ErrPermission), sqliteCode(err) == sqliteReadOnly:
		return &StorageError{Dir: dir, ReadOnly: true, Err: err}
	}
	return fmt.Errorf("mailstore: %s: %w", what, err)
}
