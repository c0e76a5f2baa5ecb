package mailstore_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"securemail/mailstore"
)

// faultFS is the real file system until armed; then every file write fails with err after writing part of
// its data, as a disk that fills up mid-write does.
type faultFS struct {
	mailstore.OSFS
	armed atomic.Bool
	err   error
}

type faultFile struct {
	*os.File
	fs *faultFS
}

func (f faultFile) Write(p []byte) (int, error) {
	if f.fs.armed.Load() {
		n, _ := f.File.Write(p[:len(p)/2])
		return n, f.fs.err
	}
	return f.File.Write(p)
}

func (f *faultFS) CreateTemp(dir, pattern string) (mailstore.File, error) {
	file, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return faultFile{file, f}, nil
}

// messageFiles lists every file under messages/ (temporary ones included).
func messageFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(filepath.Join(dir, "messages"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, filepath.Base(p))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ffs := &faultFS{err: &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}}
	s, _ := open(t, dir, &mailstore.Options{FS: ffs})
	id, err := s.Add(ctx, mailstore.Inbox, mail(alain, marie, "before", "Mon, 2 Jun 2025 10:00:00 +0200", "x"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before := messageFiles(t, dir)

	ffs.armed.Store(true)
	src := &mailstore.Source{Account: "m", UIDL: "full-1"}
	_, err = s.Add(ctx, mailstore.Inbox, mail(alain, marie, "during", "Mon, 2 Jun 2025 11:00:00 +0200", strings.Repeat("y", 10000)),
		mailstore.AddOptions{Source: src})
	want := "The mail folder " + s.Dir() + " is full; free some space and try again — nothing was lost."
	if err == nil || err.Error() != want || !errors.Is(err, mailstore.ErrDiskFull) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Add on a full disk: %v\nwant: %s", err, want)
	}
	if after := messageFiles(t, dir); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("a failed Add left files behind: %v (before: %v)", after, before)
	}
	if err := s.Move(ctx, []string{id}, mailstore.Trash); !errors.Is(err, mailstore.ErrDiskFull) {
		t.Errorf("Move on a full disk: %v", err)
	}
	if rows, _ := s.List(ctx, mailstore.Inbox, mailstore.ByDateDesc, 0, 10); len(rows) != 1 || rows[0].ID != id {
		t.Errorf("after the failures Inbox must hold exactly the first message: %+v", rows)
	}

	ffs.armed.Store(false)
	if _, err := s.Add(ctx, mailstore.Inbox, []byte("Subject: again\r\n\r\n"), mailstore.AddOptions{Source: src}); err != nil {
		t.Errorf("once space is free the same message must store (no trace of the failed attempt): %v", err)
	}
	s.Close()
	s2, _ := open(t, dir, nil)
	if rep := s2.OpenReport(); len(rep.Recovered)+len(rep.Dropped)+rep.Repaired != 0 {
		t.Errorf("the store was left inconsistent: reopen repaired %+v", rep)
	}
	if n, _ := s2.Count(ctx, mailstore.Inbox); n != 2 {
		t.Errorf("Inbox holds %d, want 2", n)
	}
}

func TestReadOnlyFolder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ffs := &faultFS{err: &os.PathError{Op: "write", Path: "x", Err: syscall.EROFS}}
	s, _ := open(t, dir, &mailstore.Options{FS: ffs})
	ffs.armed.Store(true)
	_, err := s.Add(ctx, mailstore.Inbox, []byte("Subject: x\r\n\r\n"), mailstore.AddOptions{})
	if !errors.Is(err, mailstore.ErrReadOnly) || !strings.Contains(err.Error(), "cannot be written") ||
		!strings.HasSuffix(err.Error(), "nothing was lost.") {
		t.Fatalf("Add to a read-only folder: %v", err)
	}
	if files := messageFiles(t, dir); len(files) != 0 {
		t.Errorf("files left behind: %v", files)
	}
}
