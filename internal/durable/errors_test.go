package durable

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
)

// TestWriteErrorsAreTyped: Write's failures are *WriteError naming the
// target, whatever step failed.
func TestWriteErrorsAreTyped(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing", "a.json")
	err := WriteFile(p, []byte("x"), 0)
	var we *WriteError
	if !errors.As(err, &we) || we.Path != p {
		t.Fatalf("error %v (%T), want a *WriteError for %s", err, err, p)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v does not keep its cause", err)
	}
}
