package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"securemail/internal/durable"
	"securemail/mailstore"
)

// TestErrorSentenceForFailedWrites: the window blames a read-only folder
// only when permission was refused, names the file another program holds,
// and keeps the mail store's own sentence.
func TestErrorSentenceForFailedWrites(t *testing.T) {
	dir := filepath.Join("profiles", "anna")
	file := filepath.Join(dir, "settings.json")
	accessDenied := &os.LinkError{Op: "rename", Old: file + ".tmp", New: file, Err: syscall.EACCES}
	for _, tc := range []struct {
		name  string
		err   error
		want  string
		never string
	}{
		{"held by another program",
			fmt.Errorf("app: %w", fmt.Errorf("profile: %w", &durable.WriteError{Path: file, Err: &durable.LockedError{Path: file, Err: accessDenied}})),
			"The file " + file + " is open in another program (a virus scanner or indexer?); close it and try again.", "read-only"},
		{"permission refused",
			fmt.Errorf("app: %w", &durable.WriteError{Path: file, Err: &fs.PathError{Op: "open", Path: dir, Err: syscall.EACCES}}),
			"SecureMail may not write in the folder " + dir + " (it is read-only, or you lack permission); make it writable and try again.", ""},
		{"mail store full",
			fmt.Errorf("app: %w", &mailstore.StorageError{Dir: "mail", Err: &durable.WriteError{Path: "mail/x", Err: syscall.ENOSPC}}),
			"The mail folder mail is full; free some space and try again — nothing was lost.", ""},
		{"other core error", fmt.Errorf("app: %w", errors.New("profile: no account is set up yet")),
			"No account is set up yet.", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := errorSentence(tc.err)
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if tc.never != "" && strings.Contains(got, tc.never) {
				t.Errorf("%q says %q", got, tc.never)
			}
		})
	}
}
