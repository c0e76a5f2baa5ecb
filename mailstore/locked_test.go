package mailstore_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"securemail/internal/durable"
	"securemail/mailstore"
)

// heldFS refuses every rename as Windows does while another program (a
// virus scanner) holds the file: "Access denied", kept up past the retries.
// It renames normally until armed.
type heldFS struct {
	mailstore.OSFS
	armed atomic.Bool
}

func (h *heldFS) Rename(oldpath, newpath string) error {
	if !h.armed.Load() {
		return h.OSFS.Rename(oldpath, newpath)
	}
	return &durable.LockedError{Path: newpath, Err: &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: syscall.EACCES}}
}

// TestFileHeldByAnotherProgramIsNotAReadOnlyFolder: the store reports the
// held file, not a read-only mail folder, and keeps nothing half-written.
func TestFileHeldByAnotherProgramIsNotAReadOnlyFolder(t *testing.T) {
	dir := t.TempDir()
	hfs := &heldFS{}
	s, _ := open(t, dir, &mailstore.Options{FS: hfs})
	hfs.armed.Store(true)
	_, err := s.Add(context.Background(), mailstore.Inbox, []byte("Subject: x\r\n\r\n"), mailstore.AddOptions{})
	if errors.Is(err, mailstore.ErrReadOnly) {
		t.Fatalf("a held file was reported as a read-only folder: %v", err)
	}
	var le *durable.LockedError
	if !errors.As(err, &le) {
		t.Fatalf("Add: %v, want a *durable.LockedError", err)
	}
	for _, f := range messageFiles(t, dir) {
		if strings.HasPrefix(f, durable.TempPrefix) {
			t.Errorf("temporary file left behind: %s", f)
		}
	}
}
