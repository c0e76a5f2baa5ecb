package mailstore

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// FS is the file system the store writes its message files through. The default is the operating system's;
// tests inject one that fails (for instance with syscall.ENOSPC) to prove that nothing is left half-written.
// The SQLite index always uses the operating system directly.
type FS interface {
	// CreateTemp creates a new temporary file in dir, as os.CreateTemp does.
	CreateTemp(dir, pattern string) (File, error)
	// Rename renames oldpath to newpath, replacing newpath, as os.Rename does.
	Rename(oldpath, newpath string) error
	// Remove removes a file, as os.Remove does.
	Remove(name string) error
	// MkdirAll creates a folder and its parents, as os.MkdirAll does.
	MkdirAll(path string, perm fs.FileMode) error
	// SyncDir makes the entries of folder dir durable (fsync of the folder).
	SyncDir(dir string) error
	// ReadFile reads a whole file, as os.ReadFile does.
	ReadFile(name string) ([]byte, error)
	// ReadDir lists a folder, as os.ReadDir does.
	ReadDir(name string) ([]fs.DirEntry, error)
	// Open opens a file for reading.
	Open(name string) (io.ReadCloser, error)
}

// File is a file being written by [FS.CreateTemp].
type File interface {
	io.Writer
	Name() string
	Sync() error
	Close() error
}

// OSFS is the operating system's file system.
type OSFS struct{}

// CreateTemp implements [FS].
func (OSFS) CreateTemp(dir, pattern string) (File, error) { return os.CreateTemp(dir, pattern) }

// Rename implements [FS].
func (OSFS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// Remove implements [FS].
func (OSFS) Remove(name string) error { return os.Remove(name) }

// MkdirAll implements [FS].
func (OSFS) MkdirAll(path string, perm fs.FileMode) error { return os.MkdirAll(path, perm) }

// ReadFile implements [FS].
func (OSFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// ReadDir implements [FS].
func (OSFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

// Open implements [FS].
func (OSFS) Open(name string) (io.ReadCloser, error) { return os.Open(name) }

// SyncDir implements [FS]. Folders cannot be fsynced on Windows; there the rename is already durable.
func (OSFS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil && (errors.Is(err, os.ErrInvalid) || errors.Is(err, errors.ErrUnsupported)) {
		return nil
	}
	return err
}

// writeAtomic writes data to name through a temporary file in the same folder: write, fsync, close, rename.
// The caller fsyncs the folder (once for several files). On any error the temporary file is removed and name
// is untouched.
func writeAtomic(fsys FS, name string, data []byte) (err error) {
	dir := filepath.Dir(name)
	f, err := fsys.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = fsys.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return fsys.Rename(tmp, name)
}
