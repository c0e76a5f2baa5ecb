// Package durable writes files so that a crash or a power cut leaves either
// the old file or the whole new one, never a mix, and so that a file once
// reported written stays written: the bytes go to a temporary file in the
// same folder, which is fsynced and renamed over the target, and the rename
// itself is made durable.
//
// How the rename is made durable differs by system. On Linux and other Unix
// systems the folder is fsynced after the rename. On Windows a folder cannot
// be fsynced (Windows refuses it with "Access denied"); there the rename is
// done with MoveFileEx(MOVEFILE_REPLACE_EXISTING|MOVEFILE_WRITE_THROUGH),
// which returns once the rename is on disk, and [SyncDir] does nothing.
//
// On Windows another program (a virus scanner, the search indexer, a backup
// tool) may hold a file open for a moment, and a rename over it or of it is
// then refused. [Rename] retries such a rename for a few seconds and then
// returns a [*LockedError] naming the file.
package durable

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// TempPrefix begins the name of every temporary file [Write] makes; a
// program that finds such files when it starts may remove them (they are
// writes a crash interrupted).
const TempPrefix = ".tmp-"

// File is a temporary file being written by [FS.CreateTemp].
type File interface {
	io.Writer
	// Name is the file's path, as given to [FS.Remove] and [FS.Rename].
	Name() string
	// Sync makes the file's bytes durable (fsync).
	Sync() error
	Close() error
}

// FS is the file system [Write] works through. [OS] is the real one; tests
// of a package that writes files inject one that fails (a full disk, an
// fsync error) to prove that nothing is left half-written.
type FS interface {
	// CreateTemp creates a new file in dir, as os.CreateTemp does.
	CreateTemp(dir, pattern string) (File, error)
	// Rename moves oldpath over newpath, as [Rename] does.
	Rename(oldpath, newpath string) error
	// Remove removes a file, as os.Remove does.
	Remove(name string) error
	// SyncDir makes the entries of folder dir durable, as [SyncDir] does.
	SyncDir(dir string) error
}

// OS is the operating system's file system, with this package's [Rename]
// and [SyncDir].
type OS struct{}

// CreateTemp implements [FS] with os.CreateTemp.
func (OS) CreateTemp(dir, pattern string) (File, error) { return os.CreateTemp(dir, pattern) }

// Rename implements [FS] with [Rename].
func (OS) Rename(oldpath, newpath string) error { return Rename(oldpath, newpath) }

// Remove implements [FS] with os.Remove.
func (OS) Remove(name string) error { return os.Remove(name) }

// SyncDir implements [FS] with [SyncDir].
func (OS) SyncDir(dir string) error { return SyncDir(dir) }

// Options tune [Write]. The zero value writes a file of mode 0600 through
// the operating system and makes it durable before returning.
type Options struct {
	// FS is the file system written through; nil means [OS].
	FS FS
	// Perm is the new file's mode; 0 means 0600. On Windows only the
	// read-only bit has an effect (use an ACL to restrict who may read).
	Perm fs.FileMode
	// TempDir is where the temporary file is written; "" means the target's
	// own folder. It must be on the same volume as the target (a Maildir's
	// tmp/ for its new/).
	TempDir string
	// DeferDirSync leaves the fsync of the target's folder to the caller,
	// who calls [SyncDir] (or FS.SyncDir) once for several files written in
	// that folder. Until then a crash may undo the rename on Unix systems.
	DeferDirSync bool
	// BeforeRename, if set, is called with the temporary file's path once it
	// is complete and closed, before it is renamed into place — to set an
	// access-control list, for instance, so that the target never exists
	// without it. An error stops the write.
	BeforeRename func(tmp string) error
}

// WriteFile writes data to path durably and atomically, with mode perm
// (0 means 0600): see the package documentation.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return Write(path, Options{Perm: perm}, func(f File) error {
		_, err := f.Write(data)
		return err
	})
}

// Write writes path durably and atomically with the bytes fill writes to
// the temporary file: create the temporary file, fill it, fsync, close,
// rename it over path ([Rename]), fsync the folder ([SyncDir]) unless
// o.DeferDirSync. On any error the temporary file is removed and path is
// left as it was; the error is a [*WriteError] wrapping the cause
// (errors.Is works, for instance with syscall.ENOSPC) — a [*LockedError]
// when another program held the file for too long.
func Write(path string, o Options, fill func(f File) error) (err error) {
	fsys := o.FS
	if fsys == nil {
		fsys = OS{}
	}
	dir := filepath.Dir(path)
	tmpDir := o.TempDir
	if tmpDir == "" {
		tmpDir = dir
	}
	f, err := fsys.CreateTemp(tmpDir, TempPrefix+"*")
	if err != nil {
		return &WriteError{Path: path, Err: err}
	}
	tmp := f.Name()
	closed := false
	defer func() {
		if err != nil {
			if !closed {
				_ = f.Close()
			}
			_ = fsys.Remove(tmp)
		}
	}()
	if o.Perm != 0 && o.Perm != 0o600 {
		c, ok := f.(interface{ Chmod(fs.FileMode) error })
		if !ok {
			return &WriteError{Path: path, Err: fmt.Errorf("the file system cannot set mode %v: %w", o.Perm, errors.ErrUnsupported)}
		}
		if err := c.Chmod(o.Perm); err != nil {
			return &WriteError{Path: path, Err: err}
		}
	}
	if err := fill(f); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	if err := f.Sync(); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	closed = true
	if err := f.Close(); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	if o.BeforeRename != nil {
		if err := o.BeforeRename(tmp); err != nil {
			return &WriteError{Path: path, Err: err}
		}
	}
	if err := fsys.Rename(tmp, path); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	if o.DeferDirSync {
		return nil
	}
	if err := fsys.SyncDir(dir); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	return nil
}

// SyncDir makes the entries of folder dir durable — a file created, renamed
// into or removed from it — for code that creates files there by other means
// than [Write] (a file created in place and fsynced, a folder made). On Unix
// systems it fsyncs the folder; on Windows, where a folder cannot be
// fsynced, it does nothing (files created there are made durable by their
// own fsync, renames by [Rename]). The error is a [*WriteError].
func SyncDir(dir string) error {
	if err := syncDir(dir); err != nil {
		return &WriteError{Path: dir, Folder: true, Err: err}
	}
	return nil
}
