package durable

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestProblemSentences: what the user reads for each kind of failed write,
// wrapped as the callers wrap it. A file held by another program is never
// blamed on a read-only folder, although Windows reports it as "Access
// denied" (a permission error).
func TestProblemSentences(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "SecureMail")
	file := filepath.Join(dir, "settings.json")
	held := &os.LinkError{Op: "rename", Old: file + ".tmp", New: file, Err: syscall.EACCES}
	for _, tc := range []struct {
		name      string
		err       error
		want      []string
		never     string
		notAWrite bool
	}{
		{"held open", fmt.Errorf("profile: %w", &WriteError{Path: file, Err: &LockedError{Path: file, Err: held}}),
			[]string{file, "open in another program", "close it and try again"}, "read-only", false},
		{"permission", fmt.Errorf("app: %w", &WriteError{Path: file, Err: &fs.PathError{Op: "open", Path: dir, Err: syscall.EACCES}}),
			[]string{dir, "read-only", "make it writable"}, "another program", false},
		{"read-only file system", &WriteError{Path: file, Err: syscall.EROFS},
			[]string{dir, "read-only"}, "another program", false},
		{"disk full", &WriteError{Path: file, Err: errDiskFull},
			[]string{dir, "full", "free some space"}, "read-only", false},
		{"folder gone", &WriteError{Path: file, Err: &fs.PathError{Op: "open", Path: dir, Err: syscall.ENOENT}},
			[]string{file, "no longer exists"}, "read-only", false},
		{"i/o error", &WriteError{Path: file, Err: syscall.EIO},
			[]string{"could not write " + file, syscall.EIO.Error()}, "read-only", false},
		{"folder sync", &WriteError{Path: dir, Folder: true, Err: syscall.EIO},
			[]string{"could not write " + dir}, "read-only", false},
		{"not a write", errors.New("something else"), nil, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := Problem(tc.err)
			if ok == tc.notAWrite {
				t.Fatalf("Problem(%v) ok=%v", tc.err, ok)
			}
			for _, w := range tc.want {
				if !strings.Contains(s, w) {
					t.Errorf("%q does not say %q", s, w)
				}
			}
			if tc.never != "" && strings.Contains(s, tc.never) {
				t.Errorf("%q says %q", s, tc.never)
			}
			if strings.Contains(s, "durable:") || strings.Contains(s, "profile:") {
				t.Errorf("%q carries a package prefix", s)
			}
		})
	}
}

// TestWriteErrorsAreTyped: Write's failures are *WriteError naming the
// target, whatever step failed.
func TestWriteErrorsAreTyped(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing", "a.json")
	err := WriteFile(p, []byte("x"), 0)
	var we *WriteError
	if !errors.As(err, &we) || we.Path != p {
		t.Fatalf("error %v (%T), want a *WriteError for %s", err, err, p)
	}
	if s, _ := Problem(err); !strings.Contains(s, "no longer exists") {
		t.Errorf("sentence %q", s)
	}
}
