package mailstore

import (
	"io"
	"io/fs"
	"os"

	"securemail/internal/durable"
)

// FS is the file system the store writes its message files through. The default is the operating system's;
// tests inject one that fails (for instance with syscall.ENOSPC) to prove that nothing is left half-written.
// The SQLite index always uses the operating system directly.
type FS interface {
	// durable.FS creates temporary files, renames them into place durably, removes files and makes a folder's
	// entries durable (SyncDir).
	durable.FS
	// MkdirAll creates a folder and its parents, as os.MkdirAll does.
	MkdirAll(path string, perm fs.FileMode) error
	// ReadFile reads a whole file, as os.ReadFile does.
	ReadFile(name string) ([]byte, error)
	// ReadDir lists a folder, as os.ReadDir does.
	ReadDir(name string) ([]fs.DirEntry, error)
	// Open opens a file for reading.
	Open(name string) (io.ReadCloser, error)
}

// File is a file being written by [FS.CreateTemp].
type File = durable.File

// OSFS is the operating system's file system; its renames and folder syncs are package durable's (durable on
// Windows too, where a folder cannot be fsynced).
type OSFS struct{ durable.OS }

// MkdirAll implements [FS].
func (OSFS) MkdirAll(path string, perm fs.FileMode) error { return os.MkdirAll(path, perm) }

// ReadFile implements [FS].
func (OSFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// ReadDir implements [FS].
func (OSFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

// Open implements [FS].
func (OSFS) Open(name string) (io.ReadCloser, error) { return os.Open(name) }

// writeAtomic writes data to name through a temporary file in the same folder (write, fsync, close, rename)
// with [durable.Write]. The caller fsyncs the folder (once for several files). On any error the temporary
// file is removed and name is untouched.
func writeAtomic(fsys FS, name string, data []byte) error {
	return durable.Write(name, durable.Options{FS: fsys, DeferDirSync: true}, func(f durable.File) error {
		_, err := f.Write(data)
		return err
	})
}
