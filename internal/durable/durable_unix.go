//go:build !windows

package durable

import (
	"errors"
	"os"
	"syscall"
)

// rename is os.Rename: on Unix systems it is atomic and an open file never
// stops it.
func rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// isLocked is false: on Unix systems no program can hold a file against a
// rename.
func isLocked(error) bool { return false }

// syncDir fsyncs the folder dir. A file system that cannot fsync folders
// (EINVAL, ENOTSUP) makes its renames durable by other means; that is not
// an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, errors.ErrUnsupported) {
		return nil
	}
	return err
}

// diskFull reports whether err is a full disk or an exceeded quota.
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// IsReadOnlyFS reports whether err is a write to a read-only file system
// (EROFS).
func IsReadOnlyFS(err error) bool { return errors.Is(err, syscall.EROFS) }
