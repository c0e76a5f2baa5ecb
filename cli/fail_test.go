package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"securemail/internal/durable"
)

// TestFailWordsFailedWrites: on stderr a file another program holds is
// named with what to close — never blamed on a read-only folder, although
// Windows refuses it with "Access denied" —, and other errors print as
// they are.
func TestFailWordsFailedWrites(t *testing.T) {
	file := filepath.Join("profile", "settings.json")
	held := fmt.Errorf("app: %w", &durable.WriteError{Path: file, Err: &durable.LockedError{Path: file,
		Err: &os.LinkError{Op: "rename", Old: file + ".tmp", New: file, Err: syscall.EACCES}}})
	var stderr bytes.Buffer
	env := &Env{Stderr: &stderr}
	if code := Fail(env, ExitError, "account setup: %v", held); code != ExitError {
		t.Errorf("exit code %d", code)
	}
	want := "securemail: account setup: The file " + file + " is open in another program (a virus scanner or indexer?); close it and try again\n"
	if stderr.String() != want {
		t.Errorf("stderr %q\nwant   %q", stderr.String(), want)
	}
	if strings.Contains(stderr.String(), "read-only") {
		t.Error("a held file was blamed on a read-only folder")
	}

	stderr.Reset()
	Fail(env, ExitError, "%v", fmt.Errorf("testnet: %s is not a network folder", "x"))
	if stderr.String() != "securemail: testnet: x is not a network folder\n" {
		t.Errorf("another error printed as %q", stderr.String())
	}
}
